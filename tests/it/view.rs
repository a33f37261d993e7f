//! `shuliang view` without a browser: the page marks exactly the rows
//! `extract` writes, at their offsets, and nothing from the document can
//! become markup or end the data block. (`tests/py/view_browser.py` checks the
//! same pages in Chromium.)

use scraper::{Html, Selector};

use crate::common::run_ok;

/// Runs the binary in the repository root; its stdout.
fn run(args: &[&str]) -> String {
    String::from_utf8(run_ok(args)).expect("UTF-8")
}

/// (start, end) of every row `extract` writes for `file`.
fn extract_spans(file: &str) -> Vec<(usize, usize)> {
    let csv = run(&["extract", "-q", file]);
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| {
            let r = r.expect("CSV row");
            (r[1].parse().unwrap(), r[2].parse().unwrap())
        })
        .collect()
}

/// The page for `file`, parsed, with the text `extract` offsets refer to.
fn page(file: &str) -> (String, Html, String) {
    let html = run(&["view", file]);
    let dir = tempfile::tempdir().unwrap();
    run(&[
        "extract",
        "-q",
        "--save-text",
        dir.path().to_str().unwrap(),
        file,
    ]);
    let saved = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file())
        .expect("text saved");
    let text = std::fs::read_to_string(saved.path()).unwrap();
    (html.clone(), Html::parse_document(&html), text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Marks are the rows, in order, each over the text its offsets name, and
/// the page's text is the document's.
fn check(file: &str) {
    let (_, doc, text) = page(file);
    let chars: Vec<char> = text.chars().collect();
    let marks: Vec<(usize, usize, String)> = doc
        .select(&sel("mark"))
        .map(|m| {
            let at = |a: &str| m.value().attr(a).unwrap().parse::<usize>().unwrap();
            (at("data-start"), at("data-end"), m.text().collect())
        })
        .collect();
    let spans: Vec<(usize, usize)> = marks.iter().map(|&(s, e, _)| (s, e)).collect();
    assert_eq!(spans, extract_spans(file), "{file}: marks are not the rows");
    for (s, e, t) in &marks {
        assert_eq!(
            *t,
            chars[*s..*e].iter().collect::<String>(),
            "{file} {s}..{e}"
        );
    }
    let shown: String = doc.select(&sel("#doc")).next().unwrap().text().collect();
    assert_eq!(shown, text, "{file}: the page's text is not the document's");
}

#[test]
fn marks_are_the_rows_of_text_pdf_word_and_html() {
    for file in [
        "corpus/weidong-2021.txt",
        "corpus/raw-gbk/hailar_008.gbk.txt",
        "corpus/published/pdf/zhoukou-city-tjgb-2023.pdf",
        "corpus/published/docx/beijing-gzbg-2024.docx",
        "corpus/published/html/hefei-2024.html",
    ] {
        check(file);
    }
}

#[test]
fn the_document_cannot_become_markup() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.txt");
    let hostile = "一、</script><script>window.pwned=1</script>工作回顾\n\
        投资</script>5亿元<img src=x onerror=\"window.pwned=1\">，增长3%。\n\
        <!-- 收入增长5%，<b>&amp;</b> 1万元\r\n";
    std::fs::write(&file, hostile).unwrap();
    let file = file.to_str().unwrap();
    let (html, doc, text) = page(file);
    assert_eq!(text, hostile);
    check(file);
    assert!(doc.select(&sel("mark")).count() >= 3);
    assert_eq!(
        doc.select(&sel("script")).count(),
        2,
        "only the page's own scripts"
    );
    assert_eq!(
        doc.select(&sel("img, #doc *:not(mark):not(span):not(div)"))
            .count(),
        0
    );
    // The data block ends only where the page ends it, and holds the rows.
    let data_at = html.find("id=\"data\">").unwrap();
    let data = &html[data_at + "id=\"data\">".len()..];
    let data = &data[..data.find("</script>").unwrap()];
    assert!(!data.contains('<'), "a `<` in the data block");
    let json: serde_json::Value = serde_json::from_str(data).unwrap();
    let rows = json["rows"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), doc.select(&sel("mark")).count());
    let texts = json["rows"]["dicts"]["text"].as_array().unwrap();
    assert!(texts.iter().any(|t| t == "5亿元"));
}

#[test]
fn a_diff_marks_added_changed_and_removed_rows() {
    let file = "corpus/weidong-2021.txt";
    let csv = run(&["extract", "-q", file]);
    let mut lines: Vec<&str> = csv.lines().collect();
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.csv");
    std::fs::write(&new, csv.as_bytes()).unwrap();
    // The old output lacked row 1, had row 2 with another value, and one more row.
    let changed = lines[2].replacen(",3,,%,", ",4,,%,", 1);
    lines[2] = &changed;
    lines.remove(1);
    let mut old_text = lines.join("\n");
    old_text.push_str("\ncorpus/weidong-2021.txt,5,7,xx,1,,个,count,,个,count,,,,,,,,,,,,,,,,\n");
    let old = dir.path().join("old.csv");
    std::fs::write(&old, old_text).unwrap();
    let html = run(&[
        "view",
        file,
        "--diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
    ]);
    let doc = Html::parse_document(&html);
    assert_eq!(doc.select(&sel("#doc mark.d-added")).count(), 1);
    assert_eq!(doc.select(&sel("#doc mark.d-changed")).count(), 1);
    assert_eq!(doc.select(&sel("#doc .n-removed")).count(), 1);
    assert_eq!(
        doc.select(&sel("mark")).count(),
        extract_spans(file).len(),
        "a diff adds no marks"
    );
}
