//! The second hostile-file audit (issue 24), a test per class of attack,
//! each on small files made here: no output replaces an input or writes
//! outside its folder, every document has its own `doc`, no file name
//! reaches a shell, a converter's descendants die with it, closed pipes
//! end quietly, damaged or unusual encodings are read or refused with a
//! reason, every CSV is guarded under `--bom`, and numeric options are
//! checked.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, path, rows};

/// A report of 107 rows.
const REPORT: &str = "corpus/weidong-2021.txt";

/// The binary run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("shuliang runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch folder holding `in.txt`, a copy of [`REPORT`].
fn scratch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::copy(path(REPORT), &input).unwrap();
    (dir, input)
}

/// The files left in `dir` whose name ends in `.tmp`, at any depth.
fn tmp_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect()
}

#[test]
fn outputs_never_replace_inputs_or_each_other() {
    let (dir, input) = scratch();
    let d = dir.path();
    let original = std::fs::read(&input).unwrap();
    std::os::unix::fs::symlink("in.txt", d.join("alias.txt")).unwrap();
    std::fs::hard_link(&input, d.join("hard.txt")).unwrap();
    std::fs::write(d.join("old.csv"), "doc,start,end\n").unwrap();
    for args in [
        &["extract", "in.txt", "-o", "out.csv", "--summary", "in.txt"][..],
        &[
            "extract",
            "in.txt",
            "-o",
            "out.csv",
            "--summary",
            "alias.txt",
        ],
        &[
            "extract",
            "in.txt",
            "-o",
            "out.csv",
            "--summary",
            "./hard.txt",
        ],
        &["extract", "in.txt", "-o", "out.csv", "--summary", "out.csv"],
        &[
            "extract",
            "in.txt",
            "-o",
            "out.csv",
            "--summary",
            "./out.csv",
        ],
        &["panel", "in.txt", "-o", "alias.txt"],
        &["view", "in.txt", "-o", "in.txt"],
        &["view", "in.txt", "-o", "hard.txt"],
        &[
            "view", "in.txt", "--diff", "old.csv", "old.csv", "-o", "old.csv",
        ],
    ] {
        let o = run_in(d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!d.join("out.csv").exists(), "{args:?} ran");
    }
    assert_eq!(std::fs::read(&input).unwrap(), original);
    assert_eq!(
        std::fs::read(d.join("old.csv")).unwrap(),
        b"doc,start,end\n"
    );
    // Distinct outputs are fine, and the summary names the output's hash.
    let o = run_in(
        d,
        &[
            "extract",
            "-q",
            "in.txt",
            "-o",
            "out.csv",
            "--summary",
            "s.json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("s.json"))
        .unwrap()
        .contains("sha256"));
    assert!(tmp_files(d).is_empty());
}

#[test]
fn saved_texts_stay_in_their_folder_and_fail_loudly() {
    let (dir, _) = scratch();
    let d = dir.path();
    std::fs::create_dir_all(d.join("docs/sub")).unwrap();
    std::fs::write(d.join("docs/a.txt"), "全年增长3%。").unwrap();
    std::fs::write(d.join("docs/sub/b.txt"), "全年增长4%。").unwrap();
    std::fs::write(d.join("victim.txt"), "VICTIM").unwrap();
    std::fs::create_dir_all(d.join("st")).unwrap();
    std::fs::create_dir_all(d.join("elsewhere")).unwrap();
    // A link in the folder is replaced, not followed.
    std::os::unix::fs::symlink("../victim.txt", d.join("st/a.txt")).unwrap();
    let o = run_in(d, &["extract", "-q", "docs/a.txt", "--save-text", "st"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("victim.txt")).unwrap(),
        "VICTIM"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("st/docs/a.txt")).unwrap(),
        "全年增长3%。"
    );
    // A linked folder leading out of it is refused; -o keeps its old content.
    std::os::unix::fs::symlink("../elsewhere", d.join("st/sub")).unwrap();
    std::fs::write(d.join("o.csv"), "old").unwrap();
    let o = run_in(
        d,
        &["extract", "-q", "docs", "--save-text", "st", "-o", "o.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("outside the --save-text folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_dir(d.join("elsewhere")).unwrap().count(), 0);
    assert_eq!(std::fs::read_to_string(d.join("o.csv")).unwrap(), "old");
    // A folder that cannot be made is an error, not every document skipped.
    std::fs::write(d.join("afile"), "x").unwrap();
    let o = run_in(
        d,
        &[
            "extract",
            "-q",
            "in.txt",
            "--save-text",
            "afile/sub",
            "-o",
            "o.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("the --save-text folder afile/sub") && !err.contains("skipped"),
        "{err}"
    );
    assert_eq!(
        err.matches("os error").count(),
        1,
        "the cause is said once: {err}"
    );
    assert_eq!(std::fs::read_to_string(d.join("o.csv")).unwrap(), "old");
    // A full disk (here a file size limit) fails the run: no truncated text
    // is left, -o and the summary keep their old content.
    std::fs::write(
        d.join("big.txt"),
        "前言。".repeat(100_000) + "\n全年增长3%。",
    )
    .unwrap();
    std::fs::write(d.join("s.json"), "old").unwrap();
    for out in [&["--save-text", "full"][..], &["--summary", "s.json"]] {
        let o = Command::new("sh")
            .current_dir(d)
            .arg("-c")
            .arg("ulimit -f 1; trap '' XFSZ; exec \"$@\"")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_shuliang"))
            .args(["extract", "-q", "big.txt", "-o", "o.csv"])
            .args(out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{out:?}: {}", stderr(&o));
        assert_eq!(std::fs::read_to_string(d.join("o.csv")).unwrap(), "old");
    }
    assert_eq!(std::fs::read_to_string(d.join("s.json")).unwrap(), "old");
    assert!(!d.join("full/big.txt").exists());
    assert!(tmp_files(d).is_empty(), "{:?}", tmp_files(d));
}

#[test]
fn interrupted_runs_leave_nothing_behind() {
    let (dir, input) = scratch();
    let d = dir.path();
    std::fs::copy(&input, d.join("a.doc")).unwrap();
    let tmp = d.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    std::fs::write(d.join("s.json"), "old summary").unwrap();
    std::fs::write(d.join("o.csv"), "old output").unwrap();
    for sig in ["INT", "TERM", "HUP", "QUIT"] {
        let mut child = bin()
            .current_dir(d)
            .env("TMPDIR", &tmp)
            .args([
                "extract",
                "-q",
                "--pre",
                "sleep 30; cat {}",
                "a.doc",
                "in.txt",
            ])
            .args(["-o", "o.csv", "--summary", "s.json", "--save-text", "st"])
            .spawn()
            .unwrap();
        // Wait until the converter has its private copy, then interrupt.
        let start = Instant::now();
        while std::fs::read_dir(&tmp).unwrap().count() == 0 && start.elapsed().as_secs() < 10 {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        let killed = Command::new("kill")
            .args([&format!("-{sig}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert!(!status.success(), "{sig}");
        assert!(
            start.elapsed().as_secs() < 20,
            "{sig}: the run waited for its converter"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("s.json")).unwrap(),
            "old summary"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("o.csv")).unwrap(),
            "old output"
        );
        assert!(tmp_files(d).is_empty(), "{sig}: {:?}", tmp_files(d));
        assert_eq!(
            std::fs::read_dir(&tmp).unwrap().count(),
            0,
            "{sig}: private copy left"
        );
    }
}

#[test]
fn every_document_has_its_own_doc() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (year, text) in [
        ("y2021", "全年地区生产总值增长3%。\n"),
        (
            "y2022",
            "2022年报告。\n前言很长的一段话。全年地区生产总值增长5%。\n",
        ),
    ] {
        std::fs::create_dir(d.join(year)).unwrap();
        std::fs::write(d.join(year).join("北京.txt"), text).unwrap();
    }
    let o = run_in(d, &["extract", "-q", "y2021", "y2022", "--save-text", "st"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got: Vec<(String, String)> = rows(&o.stdout)
        .iter()
        .map(|r| (r[0].to_string(), r[3].to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("y2021/北京.txt".into(), "3%".into()),
            ("y2022/北京.txt".into(), "5%".into())
        ]
    );
    for r in rows(&o.stdout) {
        let text = std::fs::read_to_string(d.join("st").join(&r[0])).unwrap();
        let at: Vec<char> = text.chars().collect();
        let span: String = at[r[1].parse::<usize>().unwrap()..r[2].parse::<usize>().unwrap()]
            .iter()
            .collect();
        assert_eq!(span, &r[3]);
    }
    // File names in GBK bytes (as unzip leaves Windows archives): read as
    // GB18030, or byte by byte, never two under one name; as arguments too.
    let gbk = d.join("gbk");
    std::fs::create_dir(&gbk).unwrap();
    let names: [&[u8]; 4] = [
        b"\xb1\xa8\xb8\xe6.txt",
        b"\xb9\xab\xb1\xa8.txt",
        b"\xff\xfe.txt",
        b"\xfe\xff.txt",
    ];
    for (i, name) in names.iter().enumerate() {
        let p = gbk.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(p, format!("完成投资{}亿元。", i + 1)).unwrap();
    }
    let o = run_in(d, &["extract", "-q", "gbk", "--save-text", "st2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut docs: Vec<String> = rows(&o.stdout).iter().map(|r| r[0].to_string()).collect();
    docs.sort();
    assert_eq!(
        docs,
        ["\\xFE\\xFF.txt", "\\xFF\\xFE.txt", "公报.txt", "报告.txt"]
    );
    assert_eq!(std::fs::read_dir(d.join("st2")).unwrap().count(), 4);
    let o = bin()
        .current_dir(d)
        .args(["extract", "-q"])
        .args(
            names
                .iter()
                .map(|n| Path::new("gbk").join(std::ffi::OsStr::from_bytes(n))),
        )
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(rows(&o.stdout).len(), 4);
}

#[test]
fn no_file_name_reaches_a_shell() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let names = [
        "x;touch${IFS}PWNED1;.doc",
        "$(touch PWNED2).doc",
        "`touch PWNED3`.doc",
        "a b'c\".doc",
        "-n.doc",
        "b1.doc",
    ];
    for (i, name) in names.iter().enumerate() {
        std::fs::write(d.join(name), format!("完成投资{}亿元。", i + 1)).unwrap();
    }
    for pre in [
        "cat {}",
        "cat \"{}\"",
        "cat '{}'",
        "sh -c \"cat {}\"",
        "bash -c 'cat {}'",
        "cat",
    ] {
        let mut args = vec!["extract", "-q", "--pre", pre, "--"];
        args.extend(names);
        args.push("./b*.doc");
        let o = run_in(d, &args);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{pre}: ./b*.doc is no file: {}",
            stderr(&o)
        );
        let got: Vec<(String, String)> = rows(&o.stdout)
            .iter()
            .map(|r| (r[0].to_string(), r[3].to_string()))
            .collect();
        let want: Vec<(String, String)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), format!("{}亿元", i + 1)))
            .collect();
        assert_eq!(got, want, "{pre}");
    }
    let pwned: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("PWNED"))
        .collect();
    assert!(pwned.is_empty(), "{pwned:?}");
}

#[test]
fn a_converters_descendants_die_with_it() {
    let (dir, input) = scratch();
    let d = dir.path();
    std::fs::copy(&input, d.join("a.doc")).unwrap();
    // A daemon that keeps the converter's stdout open (office converters do).
    let start = Instant::now();
    let o = run_in(
        d,
        &[
            "extract",
            "-q",
            "--timeout",
            "20",
            "--pre",
            "setsid sleep 987654 & cat {}",
            "a.doc",
            "in.txt",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(rows(&o.stdout).len(), 214);
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "the batch waited for the daemon"
    );
    assert!(!running(b"sleep\x00987654"), "the daemon runs on");
    // Past --timeout, the same.
    let start = Instant::now();
    let o = run_in(
        d,
        &[
            "extract",
            "-q",
            "--timeout",
            "1",
            "--pre",
            "setsid sleep 987655 & sleep 30",
            "a.doc",
            "in.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(rows(&o.stdout).len(), 107);
    assert!(start.elapsed() < Duration::from_secs(15));
    assert!(!running(b"sleep\x00987655"), "the daemon runs on");
}

/// Whether a process whose command line holds `needle` runs.
fn running(needle: &[u8]) -> bool {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            std::fs::read(e.path().join("cmdline"))
                .is_ok_and(|c| c.windows(needle.len()).any(|w| w == needle))
        })
}

#[test]
fn closed_pipes_end_quietly() {
    let (dir, _) = scratch();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "全年增长3%，完成投资5亿元。\n".repeat(20_000)).unwrap();
    let big = big.to_str().unwrap();
    for args in [
        &["explain", "--file", big][..],
        &["extract", big],
        &["rules", "test"],
        &["schema"],
    ] {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(!line.is_empty());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panic"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn damaged_and_unusual_encodings_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = std::fs::read_to_string(path(REPORT)).unwrap();
    let gbk = encoding_rs::GBK.encode(&text).0.into_owned();
    let cut = text.char_indices().nth(5000).unwrap().0;
    let at = encoding_rs::GBK.encode(&text[..cut]).0.len();
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(d.join("clean.txt"), &text).unwrap();
    std::fs::write(
        d.join("gbk_bad.txt"),
        [&gbk[..at], b"\xff", &gbk[at..]].concat(),
    )
    .unwrap();
    std::fs::write(
        d.join("utf8_bad.txt"),
        [&text.as_bytes()[..cut], b"\xff", &text.as_bytes()[cut..]].concat(),
    )
    .unwrap();
    std::fs::write(d.join("utf16.txt"), utf16).unwrap();
    let values = |o: &Output| {
        rows(&o.stdout)
            .iter()
            .map(|r| r[4].to_string())
            .collect::<Vec<_>>()
    };
    let clean = run_in(d, &["extract", "-q", "clean.txt"]);
    for (name, warning) in [
        (
            "gbk_bad.txt",
            format!("gb18030 read as U+FFFD, at byte {at}"),
        ),
        (
            "utf8_bad.txt",
            format!("utf-8 read as U+FFFD, at byte {cut}"),
        ),
        ("utf16.txt", String::new()),
    ] {
        let o = run_in(d, &["extract", name]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(values(&o), values(&clean), "{name}");
        assert!(stderr(&o).contains(&warning), "{name}: {}", stderr(&o));
    }
    // Big5 (traditional characters) is told from GB18030, which would read it as garbage.
    let trad = "全年地區生產總值增長百分之三，完成投資九十九億元，新建道路三十三公里。";
    std::fs::write(
        d.join("big5.txt"),
        encoding_rs::BIG5.encode(&trad.repeat(20)).0,
    )
    .unwrap();
    let o = run_in(d, &["extract", "-q", "big5.txt"]);
    assert!(o.status.success());
    assert!(
        rows(&o.stdout).iter().any(|r| &r[4] == "9900000000"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // Noise is still refused, with a reason.
    let noise: Vec<u8> = (0..4000u32)
        .scan(1u32, |x, _| {
            *x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            Some((*x >> 16) as u8)
        })
        .collect();
    std::fs::write(d.join("noise.txt"), noise).unwrap();
    let o = run_in(d, &["extract", "-q", "noise.txt"]);
    assert_eq!(o.status.code(), Some(1));
}

/// A Word file whose body is `body`, in the namespace `ns`.
fn docx(ns: &str, body: &str) -> Vec<u8> {
    let xml = format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"{ns}\"><w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn strict_word_image_only_word_and_nav_named_pages_are_never_silent() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let para = "<w:p><w:r><w:t>全年地区生产总值增长3%。</w:t></w:r></w:p>";
    std::fs::write(
        d.join("strict.docx"),
        docx("http://purl.oclc.org/ooxml/wordprocessingml/main", para),
    )
    .unwrap();
    std::fs::write(
        d.join("image.docx"),
        docx(
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            "<w:p><w:r><w:drawing/></w:r></w:p>",
        ),
    )
    .unwrap();
    std::fs::write(d.join("nav.html"), "<html><body><div class=\"unavailable-notice\"><p>全年地区生产总值增长3%。</p></div><div id=\"TopNavContent\"><p>完成投资5亿元。</p></div></body></html>").unwrap();
    std::fs::write(
        d.join("empty.html"),
        "<html><body><nav>首页</nav></body></html>",
    )
    .unwrap();
    let o = run_in(
        d,
        &[
            "extract",
            "strict.docx",
            "image.docx",
            "nav.html",
            "empty.html",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let got: Vec<(String, String)> = rows(&o.stdout)
        .iter()
        .map(|r| (r[0].to_string(), r[3].to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("strict.docx".into(), "3%".into()),
            ("nav.html".into(), "3%".into()),
            ("nav.html".into(), "5亿元".into())
        ]
    );
    let err = stderr(&o);
    assert!(
        err.contains("image.docx: Word document has no text"),
        "{err}"
    );
    assert!(err.contains("empty.html: HTML page has no text"), "{err}");
    assert!(err.contains("2 skipped"), "{err}");
}

#[test]
fn manifests_in_excel_encodings_are_read_and_endless_inputs_refused() {
    let (dir, _) = scratch();
    let d = dir.path();
    let manifest = "doc,region,year,来源\nin.txt,保定市,2021,网站\n";
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(manifest.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(d.join("gbk.csv"), encoding_rs::GBK.encode(manifest).0).unwrap();
    std::fs::write(d.join("utf16.csv"), utf16).unwrap();
    for m in ["gbk.csv", "utf16.csv"] {
        let o = run_in(d, &["extract", "-q", "--manifest", m, "in.txt"]);
        assert!(o.status.success(), "{m}: {}", stderr(&o));
        let head = String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap()
            .to_string();
        assert!(head.ends_with(",来源"), "{m}: {head}");
        assert_eq!(&rows(&o.stdout)[0][12], "保定市");
    }
    for args in [
        &["extract", "-q", "--manifest", "/dev/zero", "in.txt"][..],
        &["extract", "-q", "--rules", "/dev/zero", "in.txt"],
        &["diff", "/dev/zero", "in.txt"],
        &["stats", "/dev/zero"],
    ] {
        let start = Instant::now();
        let o = run_in(d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("larger than") || stderr(&o).contains("longer than"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(start.elapsed() < Duration::from_secs(30), "{args:?}");
    }
}

#[test]
fn every_csv_is_guarded_under_bom_and_json_lines_take_none() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(path(REPORT), d.join("=evil.txt")).unwrap();
    std::fs::write(
        d.join("m.csv"),
        "doc,=HYPERLINK(\"http://evil/\")\n=evil.txt,x\n",
    )
    .unwrap();
    let o = run_in(
        d,
        &["extract", "-q", "--bom", "--manifest", "m.csv", "=evil.txt"],
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.lines()
            .next()
            .unwrap()
            .ends_with(",\"'=HYPERLINK(\"\"http://evil/\"\")\""),
        "{out}"
    );
    for command in ["panel", "scorecard"] {
        let o = run_in(d, &[command, "-q", "--bom", "=evil.txt"]);
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            out.starts_with('\u{feff}') && out.contains(",'=evil.txt,"),
            "{command}: {out}"
        );
    }
    run_in(d, &["extract", "-q", "=evil.txt", "-o", "new.csv"]);
    std::fs::write(d.join("old.csv"), crate::common::header()).unwrap();
    let o = run_in(
        d,
        &["diff", "--format", "csv", "--bom", "old.csv", "new.csv"],
    );
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("added,'=evil.txt,"), "{out}");
    assert!(!out.contains(",=evil"), "{out}");
    let o = run_in(
        d,
        &["extract", "-q", "--bom", "--format", "jsonl", "=evil.txt"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn terminal_escapes_are_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let name = "t\x1b]0;owned\x07\x1b[2J.doc";
    std::fs::write(d.join(name), "x").unwrap();
    let o = run_in(
        d,
        &[
            "extract",
            "--pre",
            "printf '\\033[2Jbad\\n' >&2; exit 3 # {}",
            name,
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(
        err.contains("t\\u{1b}]0;owned\\u{7}") && err.contains("\\u{1b}[2Jbad"),
        "{err}"
    );
}

#[test]
fn numeric_options_are_checked_and_a_lower_ulimit_is_kept() {
    let (dir, _) = scratch();
    let d = dir.path();
    for args in [
        &["--timeout", "18446744073709551615"][..],
        &["--memory", "17592186044416"],
        &["--memory", "1"],
        &["--max-text", "17592186044416"],
    ] {
        let o = bin()
            .current_dir(d)
            .arg("extract")
            .args(args)
            .arg("in.txt")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("invalid value"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Under a hard `ulimit -v` below --memory (4 GiB), converters still run.
    std::fs::write(
        d.join("p.html"),
        "<html><body><p>全年地区生产总值增长3%。</p></body></html>",
    )
    .unwrap();
    let o = Command::new("sh")
        .current_dir(d)
        .arg("-c")
        .arg("ulimit -v 3000000; exec \"$@\" extract -q p.html")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_shuliang"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(rows(&o.stdout).len(), 1);
}

#[test]
fn a_document_named_twice_in_a_manifest_is_warned_of_with_both_lines() {
    let (dir, _) = scratch();
    let d = dir.path();
    let manifest = "doc,region,year\nin.txt,保定市,2021\nother.txt,,\nin.txt,唐山市,2022\n";
    std::fs::write(d.join("m.csv"), manifest).unwrap();
    let o = run_in(d, &["extract", "--manifest", "m.csv", "in.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`in.txt` is on line 2 and again on line 4; line 4 is used"),
        "{}",
        stderr(&o)
    );
    assert_eq!(&rows(&o.stdout)[0][12], "唐山市");
}

#[test]
fn an_interrupted_view_leaves_no_page_folder_or_converter() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tmp = d.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // A page the converter chews on for long (nested tags without end).
    let page = format!("<html><body>{}增长3%", "<div>".repeat(100_000));
    std::fs::write(d.join("nested.html"), page).unwrap();
    let mut child = bin()
        .current_dir(d)
        .env("TMPDIR", &tmp)
        .env("HOSTILE2_VIEW", "interrupted")
        .args(["view", "nested.html", "-o", "page.html"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    assert!(!child.wait().unwrap().success());
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(!d.join("page.html").exists());
    assert!(tmp_files(d).is_empty(), "{:?}", tmp_files(d));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    // Its converter (which inherits the environment) is gone too.
    std::thread::sleep(Duration::from_millis(200));
    let mark = b"HOSTILE2_VIEW=interrupted";
    let alive = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            std::fs::read(e.path().join("environ"))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|v| v == mark))
        });
    assert!(!alive, "view's converter outlived it");
}

#[test]
fn view_and_explain_hold_no_more_text_than_max_text() {
    let (dir, _) = scratch();
    let d = dir.path();
    // One line just over 1 MiB: what a 2 GB line is to the default cap.
    let mut big = "x".repeat((1 << 20) + 1000);
    big.push_str("增长3%。\n");
    std::fs::write(d.join("big.txt"), &big).unwrap();
    let extract = run_in(d, &["extract", "-q", "big.txt", "--max-text", "1"]);
    assert_eq!(extract.status.code(), Some(0), "{}", stderr(&extract));
    for args in [
        &["view", "big.txt", "-o", "page.html", "--max-text", "1"][..],
        &["explain", "--file", "big.txt", "--max-text", "1"],
    ] {
        let o = run_in(d, args);
        let why = stderr(&o);
        assert!(!o.status.success(), "{args:?} ran");
        assert!(
            why.contains("big.txt: more than 1048576 bytes of text (--max-text)"),
            "{args:?}: {why}"
        );
        assert!(o.stdout.is_empty(), "{args:?} wrote");
    }
    assert!(!d.join("page.html").exists());
    // Under the cap, both still read the whole document.
    let o = run_in(d, &["view", "in.txt", "-o", "page.html", "--max-text", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run_in(d, &["explain", "--file", "in.txt", "--max-text", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
}
