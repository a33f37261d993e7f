//! HTML pages: the text a reader sees, one block or table row per line,
//! cells separated by a tab; scripts, navigation and hidden text left out.
//! The page's charset is found by [`charset::decode_html`].

mod charset;

use super::lines::Lines;
use crate::error::PublishedError;
use charset::decode_html;

/// Decodes a page and keeps the text a reader sees. When leaving out what
/// a class or id names as navigation leaves nothing, that guess was wrong
/// (the report sits in a `TopNavContent` or an `unavailable-notice`): the
/// page is read without it. A page with no text at all is refused.
pub(super) fn text(bytes: &[u8]) -> Result<String, PublishedError> {
    let page = decode_html(bytes).ok_or(PublishedError::Encoding)?;
    let doc = scraper::Html::parse_document(&page);
    [true, false]
        .into_iter()
        .map(|by_name| visible(&doc, by_name))
        .find(|text| !text.trim().is_empty())
        .ok_or(PublishedError::NoText("HTML page"))
}

/// The text of `doc` a reader sees; `by_name`: also without the elements
/// whose class or id names them navigation ([`hidden`]).
fn visible(doc: &scraper::Html, by_name: bool) -> String {
    let mut lines = Lines::default();
    // Open elements being skipped (inside <script>, <nav>…), counted so the
    // walk knows when the skipped subtree closes. The walk is iterative:
    // a page nested thousands deep cannot overflow the stack.
    let mut skipping = 0usize;
    // Cells seen so far in each open table row, innermost last.
    let mut rows: Vec<usize> = Vec::new();
    // Open cells, innermost last: a data cell, or a layout cell (one that
    // holds a table), whose blocks are lines as outside any table.
    let mut cells: Vec<bool> = Vec::new();
    let mut in_cell = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                scraper::Node::Text(t) if skipping == 0 => lines.push_text(t),
                scraper::Node::Element(el) => {
                    if skipping > 0 || hidden(el, by_name) {
                        skipping += 1;
                        continue;
                    }
                    match el.name() {
                        "br" | "hr" => html_break(&mut lines, in_cell),
                        "tr" => {
                            html_break(&mut lines, in_cell);
                            rows.push(0);
                        }
                        "td" | "th" => {
                            if let Some(cells) = rows.last_mut() {
                                if *cells > 0 {
                                    lines.tab();
                                }
                                *cells += 1;
                            }
                            let data = !node.descendants().skip(1).any(|d| {
                                d.value().as_element().is_some_and(|e| e.name() == "table")
                            });
                            cells.push(data);
                            in_cell += usize::from(data);
                        }
                        name if is_block(name) => html_break(&mut lines, in_cell),
                        _ => {}
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                let scraper::Node::Element(el) = node.value() else {
                    continue;
                };
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                match el.name() {
                    "tr" => {
                        rows.pop();
                        html_break(&mut lines, in_cell);
                    }
                    "td" | "th" => in_cell -= usize::from(cells.pop() == Some(true)),
                    name if is_block(name) => html_break(&mut lines, in_cell),
                    _ => {}
                }
            }
        }
    }
    lines.finish()
}

/// A line break, except inside a table cell, where it would split the row
/// (pages exported from Word put `<p>` inside every `<td>`): a cell break.
fn html_break(lines: &mut Lines, in_cell: usize) {
    if in_cell > 0 {
        lines.cell_break();
    } else {
        lines.newline();
    }
}

/// Elements that start a new line. Everything else (span, b, font, a…) is
/// inline and must not cut the text: `<span>46</span>.11亿元` is `46.11亿元`.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "ul"
    )
}

/// Elements whose text a reader does not see or that are not the report:
/// code and metadata, forms' controls, and the site's navigation, told apart
/// by element (`nav`, `header`, `footer`) or by a class or id naming it
/// (`nav`, `menu`, `footer`, `crumb` — which covers `breadcrumb` — anywhere
/// in it, in any case: `topnav`, `mainMenu`, `footer-wrap`).
/// The class/id heuristic is not applied to the page's outer containers, so
/// a `<body class="has-navbar">` cannot hide the whole report; and only
/// when `by_name`.
fn hidden(el: &scraper::node::Element, by_name: bool) -> bool {
    if matches!(
        el.name(),
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "title"
            | "nav"
            | "header"
            | "footer"
            | "iframe"
            | "object"
            | "svg"
            | "select"
            | "button"
            | "textarea"
    ) {
        return true;
    }
    if el.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if !by_name || matches!(el.name(), "html" | "body" | "main" | "article" | "form") {
        return false;
    }
    const NAV: [&str; 4] = ["nav", "menu", "footer", "crumb"];
    [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            let v = v.to_ascii_lowercase();
            NAV.iter().any(|w| v.contains(w))
        })
}

#[cfg(test)]
mod tests {
    use crate::error::PublishedError;
    use crate::read::published::{to_text, Kind};

    fn html(page: &str) -> String {
        to_text(Kind::Html, page.as_bytes()).unwrap()
    }

    #[test]
    fn inline_elements_do_not_break_numbers() {
        assert_eq!(
            html("<p>实际到位省外资金<span>46</span>.11<b>亿</b><font>元</font></p>"),
            "实际到位省外资金46.11亿元"
        );
    }

    #[test]
    fn blocks_are_lines_and_entities_are_decoded() {
        let page = "<html><head><title>t</title><style>p{}</style>\
            <script>var a = '1亿元';</script></head><body>\
            <h1>报告</h1><div>增长&#x4E07;&#19975;<br>第二行&nbsp;&amp;&lt;</div>\
            <ul><li>一</li><li>二</li></ul>\r\n<p>末行\r\n续</p></body></html>";
        assert_eq!(html(page), "报告\n增长万万\n第二行 &<\n一\n二\n末行 续");
    }

    #[test]
    fn tables_are_rows_of_tab_separated_cells() {
        let page = "<table><tr><th>指标</th><th>数量</th></tr>\
            <tr><td><p>城镇</p><p>人口</p></td><td><p><span>392.66</span></p></td></tr>\
            <tr><td></td><td>45.31</td></tr></table><p>后文</p>";
        assert_eq!(
            html(page),
            "指标\t数量\n城镇\u{2028}人口\t392.66\n\t45.31\n后文"
        );
    }

    #[test]
    fn navigation_scripts_and_hidden_text_are_dropped() {
        let page = "<body class=\"has-navbar\"><nav>首页</nav><header>头</header>\
            <div class=\"breadcrumb\">当前位置</div><ul id=\"mainMenu\"><li>菜单</li></ul>\
            <div class=\"Footer-wrap\">电话：0377-63181234</div>\
            <noscript>请启用</noscript><div style=\"display: none\">隐藏1亿元</div>\
            <p>正文增长3%</p><footer>版权</footer></body>";
        assert_eq!(html(page), "正文增长3%");
    }

    #[test]
    fn utf16_pages_without_a_bom_are_read() {
        let page = "<html><body><p>全年增长3%</p></body></html>";
        let le: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = page.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(to_text(Kind::Html, &le).unwrap(), "全年增长3%");
        assert_eq!(to_text(Kind::Html, &be).unwrap(), "全年增长3%");
    }

    #[test]
    fn charset_declared_detected_or_overridden() {
        let text = "全年民生支出1219亿元，占一般公共预算支出86.4%。城乡居民收入增速高于经济增长。";
        let page =
            |meta: &str| format!("<html><head>{meta}</head><body><p>{text}</p></body></html>");
        let gbk = |s: String| encoding_rs::GBK.encode(&s).0.into_owned();
        // Declared GBK, and GBK.
        let declared = gbk(page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#,
        ));
        assert_eq!(to_text(Kind::Html, &declared).unwrap(), text);
        // Declared GBK, but re-saved as UTF-8.
        let lying = page(r#"<meta charset="GBK">"#).into_bytes();
        assert_eq!(to_text(Kind::Html, &lying).unwrap(), text);
        // Declared UTF-8, but GBK: the declaration fails, detection reads it.
        let wrong = gbk(page(r#"<meta charset='utf-8'>"#));
        assert_eq!(to_text(Kind::Html, &wrong).unwrap(), text);
        // Nothing declared.
        let bare = gbk(page(""));
        assert_eq!(to_text(Kind::Html, &bare).unwrap(), text);
        // UTF-16 with a BOM.
        let mut utf16 = vec![0xff, 0xfe];
        for u in page("").encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(to_text(Kind::Html, &utf16).unwrap(), text);
    }

    #[test]
    fn a_few_broken_bytes_are_tolerated_many_are_refused() {
        let text = "全年民生支出1219亿元，占一般公共预算支出86.4%。".repeat(20);
        let mut page = encoding_rs::GBK
            .encode(&format!("<meta charset=gbk><p>{text}</p>"))
            .0
            .into_owned();
        page.extend_from_slice(b"\x81\x20");
        let read = to_text(Kind::Html, &page).unwrap();
        assert!(
            read.starts_with(&text) && read.ends_with('\u{fffd}'),
            "{read}"
        );
        // The same without a declaration.
        let undeclared = &page["<meta charset=gbk>".len()..];
        let read = to_text(Kind::Html, undeclared).unwrap();
        assert!(
            read.starts_with(&text) && read.ends_with('\u{fffd}'),
            "{read}"
        );
        // A UTF-16 BOM is final, and here it is followed by lone surrogates.
        let mut broken = vec![0xff, 0xfe];
        for _ in 0..100 {
            broken.extend_from_slice(&0xdc00u16.to_le_bytes());
        }
        assert!(matches!(
            to_text(Kind::Html, &broken),
            Err(PublishedError::Encoding)
        ));
        assert!(matches!(
            to_text(Kind::Text, &[0xff, 0xff, 0x80]),
            Err(PublishedError::Encoding)
        ));
    }
}
