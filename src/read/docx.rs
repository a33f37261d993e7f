//! Word (Office Open XML) documents: the body of `word/document.xml` in
//! reading order, paragraphs as lines, table rows as lines of
//! tab-separated cells.

use std::io::{Cursor, Read};

use super::lines::Lines;
use super::published::DOCX_XML_LIMIT;
use crate::error::PublishedError;

const W: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The same vocabulary in a Strict Open XML file (Word's "Strict" save).
const W_STRICT: &[u8] = b"http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The body of a Word document in reading order: paragraphs as lines, table
/// rows as lines of tab-separated cells.
pub(super) fn text(bytes: &[u8]) -> Result<String, PublishedError> {
    let corrupt = |e: &dyn std::fmt::Display| PublishedError::Corrupt(format!("not a DOCX: {e}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let part = zip
        .by_name("word/document.xml")
        .map_err(|e| corrupt(&format_args!("word/document.xml: {e}")))?;
    let too_large = PublishedError::TooLarge {
        limit: DOCX_XML_LIMIT,
    };
    // The size in the zip's directory may lie; the read is capped as well.
    if part.size() > DOCX_XML_LIMIT {
        return Err(too_large);
    }
    let mut xml = Vec::new();
    part.take(DOCX_XML_LIMIT + 1)
        .read_to_end(&mut xml)
        .map_err(|e| corrupt(&format_args!("word/document.xml: {e}")))?;
    if xml.len() as u64 > DOCX_XML_LIMIT {
        return Err(too_large);
    }
    // XML parts are UTF-8, or UTF-16 with a BOM.
    let (xml, _, had_errors) = encoding_rs::UTF_8.decode(&xml);
    if had_errors {
        return Err(corrupt(&"word/document.xml is not UTF-8 or UTF-16"));
    }
    let text = word_xml_text(&xml).map_err(|e| corrupt(&format_args!("word/document.xml: {e}")))?;
    if text.trim().is_empty() {
        return Err(PublishedError::NoText("Word document"));
    }
    Ok(text)
}

/// Walks WordprocessingML. Only `w:t` holds text (deleted text, field codes
/// and properties are elsewhere); `w:tab` and `w:br` count only inside a run
/// (`w:tab` also defines tab stops in paragraph properties). The fallback
/// copy of a text box in `mc:AlternateContent` is skipped, or its text would
/// come twice.
fn word_xml_text(xml: &str) -> Result<String, quick_xml::Error> {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;

    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut walk = WordWalk::default();
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        let ns: &[u8] = match ns {
            ResolveResult::Bound(ns) => ns.into_inner(),
            _ => b"",
        };
        match event {
            Event::Eof => break,
            Event::Start(e) => walk.open(ns, e.local_name().into_inner(), false),
            Event::Empty(e) => walk.open(ns, e.local_name().into_inner(), true),
            Event::End(e) => walk.close(ns, e.local_name().into_inner()),
            Event::Text(t) if walk.in_text() => walk.lines.out.push_str(&t.xml10_content()?),
            Event::CData(t) if walk.in_text() => walk.lines.out.push_str(&t.xml10_content()?),
            Event::GeneralRef(r) if walk.in_text() => match r.resolve_char_ref()? {
                Some(c) => walk.lines.out.push(c),
                None => {
                    let entity = format!("&{};", r.decode()?);
                    walk.lines
                        .out
                        .push_str(&quick_xml::escape::unescape(&entity)?);
                }
            },
            _ => {}
        }
    }
    Ok(walk.lines.finish())
}

/// Where the walk through `word/document.xml` is.
#[derive(Default)]
struct WordWalk {
    lines: Lines,
    /// Open `w:t` elements.
    in_t: usize,
    /// Open `w:r` elements.
    in_run: usize,
    /// Open elements inside an `mc:Fallback`, itself included.
    skipping: usize,
    /// Cells seen so far in each open table row, innermost last.
    rows: Vec<usize>,
    /// Open `w:tc` elements.
    in_cell: usize,
}

impl WordWalk {
    fn in_text(&self) -> bool {
        self.in_t > 0 && self.skipping == 0
    }

    /// A paragraph or row end: a new line, or a cell break inside a table
    /// cell, where a new line would split the row.
    fn brk(&mut self) {
        if self.in_cell > 0 {
            self.lines.cell_break();
        } else {
            self.lines.newline();
        }
    }

    fn open(&mut self, ns: &[u8], name: &[u8], empty: bool) {
        if self.skipping > 0 || (ns == MC && name == b"Fallback") {
            self.skipping += usize::from(!empty);
            return;
        }
        if ns != W && ns != W_STRICT {
            return;
        }
        match name {
            b"t" if !empty => self.in_t += 1,
            b"r" if !empty => self.in_run += 1,
            b"tab" if self.in_run > 0 => self.lines.tab(),
            b"br" | b"cr" if self.in_run > 0 => self.brk(),
            b"noBreakHyphen" if self.in_run > 0 => self.lines.out.push('-'),
            b"p" if empty => self.brk(),
            b"tr" if !empty => {
                self.brk();
                self.rows.push(0);
            }
            b"tc" if !empty => {
                if let Some(cells) = self.rows.last_mut() {
                    if *cells > 0 {
                        self.lines.tab();
                    }
                    *cells += 1;
                }
                self.in_cell += 1;
            }
            _ => {}
        }
    }

    fn close(&mut self, ns: &[u8], name: &[u8]) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        if ns != W && ns != W_STRICT {
            return;
        }
        match name {
            b"t" => self.in_t = self.in_t.saturating_sub(1),
            b"r" => self.in_run = self.in_run.saturating_sub(1),
            b"p" => self.brk(),
            b"tr" => {
                self.rows.pop();
                self.brk();
            }
            b"tc" => self.in_cell = self.in_cell.saturating_sub(1),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::published::{to_text, Kind};

    fn docx(document_xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(document_xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn word_paragraphs_runs_tabs_breaks_and_tables() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>
  <w:r><w:t>实际到位</w:t></w:r><w:r><w:t>46</w:t></w:r><w:r><w:t xml:space="preserve">.11亿元 </w:t></w:r>
  <w:r><w:tab/><w:t>A&amp;B&#x4E07;</w:t><w:br/><w:t>下一行</w:t></w:r>
  <w:del><w:r><w:delText>删去</w:delText></w:r></w:del>
  <w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
<w:p/>
<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>框内</w:t></mc:Choice>
  <mc:Fallback><w:p><w:r><w:t>框内</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:p><w:r><w:t>—2—</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p><w:p><w:r><w:t>名称</w:t></w:r></w:p></w:tc>
  <w:tc><w:p><w:r><w:t>2021年</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>1.5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>表后</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            to_text(Kind::Docx, &docx(xml)).unwrap(),
            "实际到位46.11亿元\tA&B万\n下一行\n框内\n指标\u{2028}名称\t2021年\n\t1.5\n表后"
        );
    }

    #[test]
    fn a_zip_that_is_no_word_file_is_corrupt() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("other.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let err = to_text(Kind::Docx, &bytes).unwrap_err();
        assert!(matches!(&err, PublishedError::Corrupt(m) if m.contains("word/document.xml")));
        let bad = docx("<w:document><w:body><w:p></w:body>");
        assert!(matches!(
            to_text(Kind::Docx, &bad),
            Err(PublishedError::Corrupt(_))
        ));
    }
}
