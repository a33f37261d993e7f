//! Hostile PDF, Word, HTML and `--pre` inputs (issue 14): each is converted
//! in a child process and, when the child dies or overruns its limits,
//! skipped with a warning naming it; the other files' rows are written.
//! Every hostile file is built here, small; `scripts/hostile-bench.sh`
//! makes the big ones.

use std::io::Write;
use std::path::Path;
use std::process::Output;

use proptest::prelude::*;

use crate::common::{bin, path};

/// `extract` of every file of `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(["extract", "--glob", "*"])
        .args(args)
        .arg(dir)
        .output()
        .expect("shuliang runs")
}

/// Runs `extract` on a folder holding `name` (made of `bytes`) and a good
/// `ok.txt` (all files of the folder are read); asserts that `name` alone is skipped, with a one-line warning
/// that names it and says `why`.
fn skipped(name: &str, bytes: &[u8], args: &[&str], why: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    std::fs::write(dir.path().join("ok.txt"), "全年增长3%。").unwrap();
    let o = run(dir.path(), args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].contains(&format!("{name}: ")) && warnings[0].contains(why),
        "{err}"
    );
    assert!(
        !err.contains("panicked at") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.lines().any(|l| l.starts_with("ok.txt,")), "{out}");
}

/// A PDF of `objects` (numbered from 1, the first the catalog) with its xref table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} {dict} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

const CATALOG: &[u8] = b"<< /Type /Catalog /Pages 2 0 R >>";
const PAGES: &[u8] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const FONT: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// The PDF whose form draws itself: the PDF library recurses until its
/// stack overflows, which aborts the process that parses it.
fn self_drawing_pdf() -> Vec<u8> {
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
        /Resources << /Font << /F1 6 0 R >> /XObject << /X1 5 0 R >> >> >>";
    let form = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 5 0 R >> >>",
        b"/X1 Do",
    );
    let content = stream("", b"BT /F1 12 Tf 72 712 Td (3%) Tj ET /X1 Do");
    pdf(&[
        CATALOG.into(),
        PAGES.into(),
        page.to_vec(),
        content,
        form,
        FONT.into(),
    ])
}

/// The PDF whose page is its own parent: the PDF library loops (release
/// build) or overflows its stack (debug).
fn self_parent_pdf() -> Vec<u8> {
    let page = b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>";
    let content = stream("", b"BT /F1 12 Tf 72 712 Td (3%) Tj ET");
    pdf(&[CATALOG.into(), PAGES.into(), page.to_vec(), content])
}

#[test]
fn a_pdf_form_that_draws_itself_is_skipped() {
    skipped("self.pdf", &self_drawing_pdf(), &[], "SIGABRT");
}

#[test]
fn a_pdf_page_that_is_its_own_parent_times_out() {
    skipped("loop.pdf", &self_parent_pdf(), &["--timeout", "1"], "");
}

/// `view` reads a published file through the same converter as `extract`,
/// in a child process within the same limits: a file that aborts its
/// parser, or loops, is refused with the child's fate, and `view` itself
/// ends normally, within `--timeout`.
#[test]
fn view_converts_in_a_bounded_child() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, args, why) in [
        ("self.pdf", self_drawing_pdf(), vec![], "SIGABRT"),
        ("loop.pdf", self_parent_pdf(), vec!["--timeout", "1"], "1 s"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let started = std::time::Instant::now();
        let o = bin()
            .arg("view")
            .arg(&file)
            .args(&args)
            .output()
            .expect("shuliang runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(name) && err.contains(why), "{name}: {err}");
        assert!(o.stdout.is_empty(), "{name}: no page");
        assert!(
            started.elapsed().as_secs() < 20,
            "{name}: {:?}",
            started.elapsed()
        );
    }
}

/// A zlib stream of `1 + 258 * runs` zero bytes, written by hand (one fixed
/// Huffman block: a literal 0, then `runs` copies of length 258 at
/// distance 1), so that the test need not deflate a gigabyte.
fn zlib_zeros(runs: usize) -> Vec<u8> {
    let mut bits = BitWriter::default();
    bits.value(1, 1); // BFINAL
    bits.value(1, 2); // BTYPE 01: fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    for _ in 0..runs {
        bits.code(0xc5, 8); // length 258 (symbol 285)
        bits.code(0, 5); // distance 1
    }
    bits.code(0, 7); // end of block
    let n = (1 + 258 * runs) as u64;
    let adler = ((n % 65521) << 16) | 1;
    [&[0x78, 0x01][..], &bits.out, &(adler as u32).to_be_bytes()].concat()
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    used: u32,
}

impl BitWriter {
    fn bit(&mut self, b: u32) {
        if self.used.is_multiple_of(8) {
            self.out.push(0);
        }
        *self.out.last_mut().unwrap() |= (b as u8) << (self.used % 8);
        self.used += 1;
    }
    /// A header field, least significant bit first.
    fn value(&mut self, v: u32, n: u32) {
        (0..n).for_each(|i| self.bit((v >> i) & 1));
    }
    /// A Huffman code, most significant bit first.
    fn code(&mut self, c: u32, n: u32) {
        (0..n).rev().for_each(|i| self.bit((c >> i) & 1));
    }
}

#[test]
fn a_pdf_stream_deflated_twice_hits_the_memory_limit() {
    use flate2::{write::ZlibEncoder, Compression};
    let inner = zlib_zeros(4 << 20); // 1 GiB of zeros
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(&inner).unwrap();
    let outer = z.finish().unwrap();
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
        /Resources << /Font << /F1 5 0 R >> >> >>";
    let content = stream("/Filter [/FlateDecode /FlateDecode]", &outer);
    let file = pdf(&[
        CATALOG.into(),
        PAGES.into(),
        page.to_vec(),
        content,
        FONT.into(),
    ]);
    assert!(file.len() < 64 << 10);
    skipped("bomb.pdf", &file, &["--memory", "256"], "memory allocation");
}

#[test]
fn html_nested_without_end_times_out() {
    let page = format!("<html><body>{}增长3%", "<div>".repeat(100_000));
    skipped(
        "deep.html",
        page.as_bytes(),
        &["--timeout", "1"],
        "--timeout",
    );
}

#[test]
fn html_of_unclosed_tags_is_bounded() {
    let tags: String = (0..10_000).map(|i| format!("<b id={i}>")).collect();
    let page = format!("<html><body>{tags}{}", "<p>增长3%。</p>".repeat(20_000));
    skipped(
        "unclosed.html",
        page.as_bytes(),
        &["--timeout", "2", "--memory", "512"],
        "",
    );
}

#[test]
fn docx_of_nested_namespace_declarations_times_out() {
    let n = 60_000;
    let xml = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{}<w:r><w:t>增长3%</w:t></w:r>{}</w:body></w:document>",
        "<w:p xmlns:a=\"b\">".repeat(n),
        "</w:p>".repeat(n)
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    let file = zip.finish().unwrap().into_inner();
    skipped("ns.docx", &file, &["--timeout", "1"], "--timeout");
}

#[test]
fn pre_converters_that_hang_flood_or_fail_are_skipped() {
    skipped(
        "a.doc",
        b"x",
        &["--pre", "sleep 30; cat {}", "--timeout", "1"],
        "--timeout",
    );
    skipped(
        "a.doc",
        b"x",
        &["--pre", "yes", "--max-text", "1"],
        "--max-text",
    );
    // The converter's own complaint is in the warning.
    skipped(
        "a.doc",
        b"x",
        &["--pre", "sh -c 'echo cannot read this >&2; exit 5' sh"],
        "exit status: 5: cannot read this",
    );
}

#[test]
fn pre_paths_starting_with_a_dash_are_not_options() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("-n.doc"), "增长3%").unwrap();
    let o = bin()
        .current_dir(dir.path())
        .args(["extract", "--pre", "cat", "--", "-n.doc"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("-n.doc,2,4,3%"));
}

/// Corpus files with bytes overwritten, read in child-process mode: each
/// is read or skipped with a warning, never a crash of the batch.
fn mutated(seed: &[u8], name: &'static str) -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    let seed = seed.to_vec();
    let len = seed.len();
    proptest::collection::vec((0..len, any::<u8>()), 1..40).prop_map(move |edits| {
        let mut bytes = seed.clone();
        for (at, b) in edits {
            bytes[at] = b;
        }
        (name, bytes)
    })
}

fn corpus(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn mutated_published_files_never_sink_the_batch(
        (name, bytes) in prop_oneof![
            mutated(&corpus("corpus/published/docx/tianmen-countylevel-gzbg-2024.docx"), "m.docx"),
            mutated(&corpus("corpus/published/html/hefei-2024.html"), "m.html"),
            mutated(&pdf(&[CATALOG.into(), PAGES.into(),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
                stream("", b"BT /F1 12 Tf 72 712 Td (3%) Tj ET"), FONT.into()]), "m.pdf"),
        ]
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), &bytes).unwrap();
        std::fs::write(dir.path().join("ok.txt"), "全年增长3%。").unwrap();
        let o = run(dir.path(), &["--timeout", "10", "--memory", "1024"]);
        let err = String::from_utf8_lossy(&o.stderr);
        prop_assert!(matches!(o.status.code(), Some(0 | 1)), "{}", err);
        prop_assert!(String::from_utf8_lossy(&o.stdout).lines().any(|l| l.starts_with("ok.txt,")));
        prop_assert!(!err.contains("panicked at"), "{}", err);
    }
}
