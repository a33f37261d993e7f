//! Published reports read from the real files in `corpus/published/`
//! (see its README and SOURCES.tsv), and the bad inputs a batch meets.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::Path;

use shuliang::read::published::{kind_of, to_text, Kind, PublishedError, DOCX_XML_LIMIT};

use crate::common::{extractor, path};

/// The text of a file, its kind found as a batch would find it.
fn read(rel: &str) -> Result<String, PublishedError> {
    let p = path(rel);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
    to_text(kind_of(&p, &bytes), &bytes)
}

/// Every quantity as (text, value, unit), counted.
fn quantities(text: &str) -> BTreeMap<(String, String, String), usize> {
    let ex = extractor();
    let mut rows = BTreeMap::new();
    for q in ex.extract(text) {
        *rows
            .entry((q.text.clone(), q.value_str(), q.unit.to_string()))
            .or_insert(0) += 1;
    }
    rows
}

fn has(
    rows: &BTreeMap<(String, String, String), usize>,
    text: &str,
    value: &str,
    unit: &str,
) -> bool {
    rows.contains_key(&(text.into(), value.into(), unit.into()))
}

#[test]
fn html_pages_give_the_quantities_of_their_plain_text_twins() {
    for (page, twin) in [
        (
            "corpus/published/html/hefei-2024.html",
            "corpus/published/html/hefei-2024.txt",
        ),
        (
            "corpus/published/html/shanghai-2026.html",
            "corpus/published/html/shanghai-2026.txt",
        ),
    ] {
        let text = read(page).unwrap();
        let plain = std::fs::read_to_string(path(twin)).unwrap();
        let (got, want) = (quantities(&text), quantities(&plain));
        assert!(want.len() > 100, "{twin}: too few rows to compare");
        assert_eq!(got, want, "{page} and {twin} differ");
        assert!(!text.contains("document.write") && !text.contains("当前位置"));
        assert!(!text.contains("0377-63181234"), "footer kept in {page}");
    }
    // GBK page: spans inside figures (`<span>1219</span>亿元`) read whole.
    let hefei = read("corpus/published/html/hefei-2024.html").unwrap();
    assert!(hefei.contains("全年民生支出1219亿元，占一般公共预算支出86.4%"));
}

#[test]
fn word_reports_and_their_tables() {
    let beijing = quantities(&read("corpus/published/docx/beijing-gzbg-2024.docx").unwrap());
    assert!(beijing.len() > 100);
    let tianmen = read("corpus/published/docx/tianmen-countylevel-gzbg-2024.docx").unwrap();
    assert!(tianmen.contains("预计地区生产总值增长6.2%"));
    assert!(has(&quantities(&tianmen), "6.2%", "6.2", "%"));

    // 南京: four bulletins, 18 Word tables read as rows of tab-separated cells.
    let nanjing = read("corpus/published/docx/nanjing-city-tjgb-2021-2024-compiled.docx").unwrap();
    assert!(nanjing.lines().any(|l| l == "指标名称\t2021年\t2022年"));
    assert!(nanjing.lines().any(|l| l == "居民消费价格\t1.5\t2.2"));
    assert!(nanjing.lines().filter(|l| l.contains('\t')).count() > 200);

    // 民政部: a PDF-to-Word conversion whose page markers (`—1—`) are dropped.
    let mca = read("corpus/published/docx/mca-national-minzheng-tjgb-2021.docx").unwrap();
    assert!(mca.starts_with("2021 年民政事业发展统计公报"));
    assert!(!mca
        .lines()
        .any(|l| l.trim_matches(['—', '-']).trim().parse::<u32>().is_ok()));
    assert!(mca.lines().any(|l| l == "指标\t数量\t指标\t数量"));
}

#[test]
fn the_pdf_bulletin_reads_in_order_without_page_numbers() {
    let text = read("corpus/published/pdf/zhoukou-city-tjgb-2023.pdf").unwrap();
    assert!(text.starts_with("2023 年周口市国民经济和社会发展统计公报"));
    // Table 1, one row per line.
    assert!(text.lines().any(|l| l == "其中：城镇 392.66 45.31"));
    // No `- 3-` lines: the number that ends page 3 joins its unit on page 4.
    assert!(!text
        .lines()
        .any(|l| l.trim().starts_with('-') && l.trim().ends_with('-')));
    let rows = quantities(&text);
    assert!(rows.len() > 300, "{} rows", rows.len());
    for (t, v, u) in [
        ("4.8%", "4.8", "%"),
        ("866.60万人", "8666000", "人"),
        ("1.01个百分点", "1.01", "pp"),
        ("4.32万吨", "43200000", "kg"),
    ] {
        assert!(has(&rows, t, v, u), "no {t}");
    }
    // The last page is read too.
    let last_line = text.lines().last().unwrap();
    assert!(!last_line.is_empty());
}

#[test]
fn print_restricted_pdfs_read_password_protected_ones_do_not() {
    let text = read("tests/fixtures/published/print-restricted.pdf").unwrap();
    assert!(text.contains("地区生产总值同比增长 4.8%"));
    assert!(matches!(
        read("tests/fixtures/published/password-protected.pdf"),
        Err(PublishedError::Encrypted)
    ));
}

#[test]
fn broken_pdfs_are_errors_not_panics() {
    let pdf = std::fs::read(path("corpus/published/pdf/zhoukou-city-tjgb-2023.pdf")).unwrap();
    for cut in [10, 2000, pdf.len() / 2, pdf.len() - 200] {
        let r = to_text(Kind::Pdf, &pdf[..cut]);
        assert!(
            matches!(r, Err(PublishedError::Corrupt(_))),
            "cut at {cut}: {r:?}"
        );
    }
    // Random bytes named .pdf.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let noise: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    assert_eq!(kind_of(Path::new("report.pdf"), &noise), Kind::Pdf);
    assert!(matches!(
        to_text(Kind::Pdf, &noise),
        Err(PublishedError::Corrupt(_))
    ));
    let with_header = [b"%PDF-1.7\n".as_slice(), &noise].concat();
    assert!(matches!(
        to_text(Kind::Pdf, &with_header),
        Err(PublishedError::Corrupt(_))
    ));
}

#[test]
fn an_html_error_page_saved_as_pdf_is_read_as_html() {
    let page = b"<!DOCTYPE html><html><body><p>404 Not Found</p></body></html>";
    let kind = kind_of(Path::new("report.pdf"), page);
    assert_eq!(kind, Kind::Html);
    assert_eq!(to_text(kind, page).unwrap(), "404 Not Found");
}

/// A one-page PDF whose page only draws a rectangle, as a scan draws its image.
fn pdf_without_text() -> Vec<u8> {
    use pdf_extract::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = Stream::new(dictionary! {}, b"0 0 m 100 0 l 100 100 l h f".to_vec());
    let content_id = doc.add_object(content);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! {},
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_pdf_without_a_text_layer_is_a_scan() {
    let scan = pdf_without_text();
    assert_eq!(kind_of(Path::new("scan.pdf"), &scan), Kind::Pdf);
    let err = to_text(Kind::Pdf, &scan).unwrap_err();
    assert!(matches!(err, PublishedError::Scan), "{err:?}");
    assert!(err.to_string().contains("OCR"));
}

#[test]
fn a_zip_bomb_named_docx_is_refused() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", opts).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..(DOCX_XML_LIMIT >> 20) + 1 {
        zip.write_all(&block).unwrap();
    }
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
    assert_eq!(kind_of(Path::new("bomb.docx"), &bomb), Kind::Docx);
    assert!(matches!(
        to_text(Kind::Docx, &bomb),
        Err(PublishedError::TooLarge { limit }) if limit == DOCX_XML_LIMIT
    ));
    // The same bomb claiming in its headers to inflate to 1000 bytes: the
    // read itself is capped.
    let mut liar = bomb.clone();
    for (sig, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let start = liar.windows(4).position(|w| w == sig).unwrap();
        liar[start + at..start + at + 4].copy_from_slice(&1000u32.to_le_bytes());
    }
    let r = to_text(Kind::Docx, &liar);
    assert!(matches!(r, Err(PublishedError::TooLarge { .. })), "{r:?}");
}

#[test]
fn html_declared_gbk_but_really_utf8() {
    let p = path("corpus/published/html/shanghai-2026.html");
    let utf8 = std::fs::read(&p).unwrap();
    let page = String::from_utf8(utf8)
        .unwrap()
        .replace("charset=utf-8", "charset=gbk");
    assert!(page.contains("charset=gbk"));
    let text = to_text(Kind::Html, page.as_bytes()).unwrap();
    assert_eq!(
        text,
        read("corpus/published/html/shanghai-2026.html").unwrap()
    );
    assert!(text.contains("2026年上海市政府工作报告"));
}
