//! Real-world and hostile input (docs/inputs.md, Bad input): every file read right, what
//! cannot be read reported, nothing lost, no panic.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use shuliang::output::{Bytes, Csv};
use shuliang::run::batch::{self, Input, Limits};
use shuliang::run::Job;
use shuliang::text::normalize::squeeze;

use crate::common::{bin, extractor, path, rows, run};

fn data(name: &str) -> PathBuf {
    path("tests/data").join(name)
}

/// Every row's offsets hold its text in the decoded document, rows are in order.
fn assert_guarantees(doc: &str, rows: &[shuliang::Quantity]) {
    let chars: Vec<char> = doc.chars().collect();
    let mut last_end = 0;
    for q in rows {
        assert!(q.start < q.end && q.end <= chars.len(), "{q:?}");
        assert!(
            q.start >= last_end,
            "rows overlap or are out of order: {q:?}"
        );
        last_end = q.end;
        let span: String = chars[q.start..q.end].iter().collect();
        assert_eq!(squeeze(&span), q.text);
    }
}

#[test]
fn bom_crlf_cr_form_feed_nul_wide_spaces_zero_width_full_width_and_traditional() {
    let path = data("hostile-utf8-bom-crlf.txt");
    let o = run(&["extract", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let got: Vec<String> = rows(&o.stdout)
        .iter()
        .map(|r| format!("{}={} {} {}", &r[3], &r[4], &r[6], &r[8]))
        .collect();
    assert_eq!(
        got,
        [
            "3%=3 % ",
            "99.7亿元=9970000000 CNY ",
            "１２０人=120 人 ",
            "１２．５萬畝=83333333.333333 m2 ",
            "5200余名=5200 名 more_than",
            "33.7公里=33700 m ",
            "12個=12 个 ",
            "2000个=2000 个 ",
            "35微克/立方米=35 ug/m3 ",
        ]
    );
    // Offsets count code points after the BOM, `\r` included.
    let bytes = std::fs::read(&path).unwrap();
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert_guarantees(text, &extractor().extract(text));
    let chars: Vec<char> = text.chars().collect();
    let r = &rows(&o.stdout)[4];
    let (s, e): (usize, usize) = (r[1].parse().unwrap(), r[2].parse().unwrap());
    assert_eq!(chars[s..e].iter().collect::<String>(), "5200\n\n余名");
}

#[test]
fn gb18030_files_are_detected_and_undecodable_ones_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("hostile-utf8-bom-crlf.txt")).unwrap();
    let text = text.trim_start_matches('\u{feff}').replace('\u{200b}', "");
    let (gb, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    std::fs::write(dir.path().join("gb.txt"), &gb).unwrap();
    std::fs::write(dir.path().join("utf8.txt"), &text).unwrap();
    std::fs::write(
        dir.path().join("zzz-binary.txt"),
        [0x00u8, 0xff, 0xfe, 0xfd, 0x80, 0x80],
    )
    .unwrap();
    let o = run(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.lines().filter(|l| l.contains("warning")).count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("zzz-binary.txt: not UTF-8, UTF-16, GB18030 or Big5 text, skipped"),
        "{err}"
    );
    let rows = rows(&o.stdout);
    let per_doc = |d: &str| {
        rows.iter()
            .filter(|r| &r[0] == d)
            .map(|r| r.iter().skip(1).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
    };
    assert_eq!(per_doc("gb.txt").len(), 9);
    assert_eq!(per_doc("gb.txt"), per_doc("utf8.txt"));
}

#[test]
fn empty_files_other_types_and_globs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("notes.md"), "增长3%").unwrap();
    std::fs::write(dir.path().join("data.csv"), "增长4%").unwrap();
    let o = run(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(rows(&o.stdout).is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("1 files read, 0 skipped, 0 rows"));
    let o = run(&[
        "extract",
        "--glob",
        "*.md",
        "--glob",
        "*.txt",
        dir.path().to_str().unwrap(),
    ]);
    let docs: Vec<String> = rows(&o.stdout).iter().map(|r| r[0].to_string()).collect();
    assert_eq!(docs, ["notes.md"]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_dangling_links_and_odd_file_names() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::os::unix::fs::symlink(dir.path(), sub.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("dangling.txt"))
        .unwrap();
    let odd = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"odd-\xff.txt"));
    std::fs::write(odd, "新建道路33.7公里").unwrap();
    std::fs::write(sub.join("a.txt"), "增长3%").unwrap();
    let o = run(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("loop"), "{err}");
    assert!(err.contains("dangling.txt"), "{err}");
    let docs: Vec<String> = rows(&o.stdout).iter().map(|r| r[0].to_string()).collect();
    assert_eq!(docs, ["odd-\\xFF.txt", "sub/a.txt"]);
}

#[test]
fn a_rule_file_whose_example_fails_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.toml");
    let text =
        shuliang::rules::DEFAULT_RULES.replacen("\"251天 = 251 day\"", "\"251天 = 252 day\"", 1);
    std::fs::write(&rules, text).unwrap();
    let o = run(&[
        "extract",
        "--rules",
        rules.to_str().unwrap(),
        data("hostile-utf8-bom-crlf.txt").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("r.toml:") && err.contains("rule `duration`"),
        "{err}"
    );
    for bad in [
        "[[rule]\n",
        "[[rule]]\nid = \"x\"\npattern = '(?P<num>{nope})'\nkind = \"count\"\n",
    ] {
        std::fs::write(&rules, bad).unwrap();
        let o = run(&["extract", "--rules", rules.to_str().unwrap(), "-"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("r.toml:1"),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn no_overflow_on_huge_numbers() {
    let ex = extractor();
    let text = "投资99999999999999999999亿元，一万万万万亿元，人口999999999999999999999999999999999999999999999万人。";
    let rows = ex.extract(text);
    assert_guarantees(text, &rows);
    assert_eq!(rows[0].value_str(), "9999999999999999999900000000");
    assert_eq!(rows[1].value_str(), "1000000000000000000000000");
    assert_eq!(rows.len(), 2, "{rows:?}");
}

/// A large document is streamed in pieces; the rows are those of reading it whole.
#[test]
fn streamed_documents_give_the_rows_of_whole_ones() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(path("corpus/weidong-2021.txt")).unwrap();
    let big = base.repeat(8);
    let path = dir.path().join("big.txt");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"\xef\xbb\xbf").unwrap();
    f.write_all(big.as_bytes()).unwrap();
    drop(f);
    let input = [Input {
        path: Some(path),
        doc: "big.txt".into(),
        fields: vec![],
        meta: None,
    }];
    let ex = extractor();
    let mut out = Vec::new();
    let small = batch::Options {
        limits: Limits {
            piece: 4096,
            batch: 64 << 10,
            whole_file: 100_000,
        },
        ..Default::default()
    };
    let mut job = Job::new(&ex, input.to_vec());
    job.options = small;
    let s = job
        .run(&mut Bytes::new(&Csv::default(), &mut out), |e| {
            panic!("{e}")
        })
        .unwrap();
    let whole = ex.extract(&big);
    assert!(s.rows > 500);
    assert_eq!(s.rows, whole.len() as u64);
    let mut want = Vec::new();
    use shuliang::output::{Doc, Format};
    Csv::default().header(&mut want);
    Csv::default().rows(
        &mut want,
        Doc {
            id: "big.txt",
            meta: &ex.detect_meta(&big, "big.txt"),
            fields: &[],
        },
        &whole,
    );
    assert!(out == want, "streamed rows differ from whole-document rows");
}

/// A folder mixing every published format extracts in one run, and with
/// `--save-text` each row's offsets point at its text in the saved text.
#[test]
fn published_formats_in_one_run_with_saved_text() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("text");
    let root = path("corpus/published");
    let o = run(&[
        "extract",
        root.to_str().unwrap(),
        "--save-text",
        saved.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let rows = rows(&o.stdout);
    for ext in [".pdf", ".docx", ".html"] {
        assert!(
            rows.iter().filter(|r| r[0].ends_with(ext)).count() > 50,
            "few rows from {ext} files"
        );
    }
    let mut texts = std::collections::HashMap::new();
    for r in &rows {
        let doc = &r[0];
        let name = if doc.ends_with(".txt") {
            doc.to_string()
        } else {
            format!("{doc}.txt")
        };
        let chars = texts.entry(name.clone()).or_insert_with(|| {
            std::fs::read_to_string(saved.join(&name))
                .unwrap()
                .chars()
                .collect::<Vec<char>>()
        });
        let (s, e): (usize, usize) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        assert_eq!(
            squeeze(&chars[s..e].iter().collect::<String>()),
            &r[3],
            "{doc} {s}..{e}"
        );
    }
    // The 周口 bulletin's page numbers (`- 3 -`) give no rows.
    assert!(!rows
        .iter()
        .any(|r| r[0].ends_with(".pdf") && r[11].starts_with('-')));
}

#[test]
fn corrupt_published_files_are_skipped_and_pre_converts_other_types() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.pdf"),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog",
    )
    .unwrap();
    std::fs::write(dir.path().join("fake.docx"), b"PK\x03\x04 not really a zip").unwrap();
    std::fs::write(dir.path().join("ok.txt"), "增长3%").unwrap();
    let o = run(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken.pdf: ") && err.contains("fake.docx: "),
        "{err}"
    );
    assert_eq!(rows(&o.stdout).len(), 1);

    // `--pre`: a converter for an old format; a failing one skips the file.
    std::fs::write(dir.path().join("old.doc"), "完成投资99.7亿元").unwrap();
    std::fs::write(dir.path().join("bad.doc"), "x").unwrap();
    let conv = dir.path().join("conv.sh");
    std::fs::write(
        &conv,
        "#!/bin/sh\ncase $(cat \"$1\") in x) exit 3;; esac\ncat \"$1\"\n",
    )
    .unwrap();
    let pre = format!("sh {} {{}}", conv.display());
    let old = dir.path().join("old.doc");
    let bad = dir.path().join("bad.doc");
    let o = run(&[
        "extract",
        "--pre",
        &pre,
        old.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let rows = rows(&o.stdout);
    assert_eq!((&rows[0][3], &rows[0][4]), ("99.7亿元", "9970000000"));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("bad.doc: the converter"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn published_files_too_large_to_parse_whole_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let big = std::fs::File::create(dir.path().join("huge.html")).unwrap();
    big.set_len(shuliang::read::published::PUBLISHED_LIMIT + 1)
        .unwrap(); // sparse: costs no disk
    std::fs::write(dir.path().join("ok.txt"), "增长3%").unwrap();
    let o = run(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("huge.html: too large"), "{err}");
    assert_eq!(rows(&o.stdout).len(), 1);
}

/// A piece of a document with no `。` in its last megabyte is cut clear of
/// any number: `99.7亿元` is not read as `9.7亿元`, `473.94\n万人` not lost.
#[test]
fn pieces_are_never_cut_inside_a_number() {
    let ex = extractor();
    for tail in ["完99.7亿元", "业473.94\n万人"] {
        // The megabyte boundary falls right after the first digit.
        let text = format!("{}{tail}", "甲".repeat(349_524));
        let rows = ex.extract(&text);
        assert_guarantees(&text, &rows);
        let got: Vec<&str> = rows.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(got, [tail[3..].replace('\n', "")], "{tail}");
    }
}

/// `/dev/stdin`, a FIFO or `<(cmd)` is read once: its type is told from
/// the open handle, its text streamed.
#[cfg(unix)]
#[test]
fn pipes_named_as_paths_are_read_once() {
    let o = bin()
        .args(["extract", "/dev/stdin", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .unwrap()
                .write_all("全年增长3%，完成投资99.7亿元。".as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let texts: Vec<String> = rows(&o.stdout).iter().map(|r| r[3].to_string()).collect();
    assert_eq!(texts, ["3%", "99.7亿元"]);
}

/// Outputs never destroy inputs: `-o` onto an input and `--save-text` into
/// the input folder are refused before anything is read (exit 2); a saved
/// text stays inside its folder; `--summary` that cannot be written stops
/// the run before the CSV is written.
#[test]
fn outputs_never_overwrite_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "增长3%").unwrap();
    let i = input.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        vec!["extract", i, "-o", i],
        vec!["extract", d, "--save-text", d],
        vec!["panel", i, "-o", i],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("also an input"));
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "增长3%");
    }
    // `sub/../../x.txt` is saved as `x.txt` inside the folder.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let saved = dir.path().join("saved");
    let o = bin()
        .current_dir(dir.path())
        .args(["extract", "sub/../in.txt", "--save-text", "saved"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(saved.join("in.txt").exists());
    let out = dir.path().join("out.csv");
    let o = run(&[
        "extract",
        i,
        "-o",
        out.to_str().unwrap(),
        "--summary",
        dir.path().join("no/such/dir/s.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

/// SIGTERM while the output is being written leaves no temporary file and
/// no converter running.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_file_or_converter() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.doc"), "增长3%").unwrap();
    let mut child = bin()
        .current_dir(dir.path())
        .args(["extract", "--pre", "echo $$ > conv.pid; exec sleep 30 #"])
        .args(["a.doc", "-o", "out.csv"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temp = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count()
    };
    let pid_file = dir.path().join("conv.pid");
    let pid = || std::fs::read_to_string(&pid_file).unwrap_or_default();
    // Wait until the temporary file and the converter exist, then terminate.
    for _ in 0..500 {
        if temp() > 0 && pid().ends_with('\n') {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(temp(), 1);
    terminate(child.id());
    child.wait().unwrap();
    assert_eq!(temp(), 0);
    assert!(!dir.path().join("out.csv").exists());
    // Running, and not a zombie left for a reaper that may never come.
    let alive = || {
        std::fs::read_to_string(format!("/proc/{}/stat", pid().trim())).is_ok_and(|stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|s| !s.starts_with(" Z"))
        })
    };
    for _ in 0..500 {
        if !alive() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(!alive(), "the converter still runs");
}

#[cfg(unix)]
fn terminate(pid: u32) {
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
}

/// Usage and rule-file mistakes that would cost minutes or gigabytes are
/// refused at once (exit 2): absurd thread counts, empty rule files.
#[test]
fn absurd_settings_are_refused_at_once() {
    let ok = data("hostile-utf8-bom-crlf.txt");
    let o = run(&["extract", "--threads", "100000", ok.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("empty.toml");
    std::fs::write(&rules, "").unwrap();
    let o = run(&[
        "extract",
        "--rules",
        rules.to_str().unwrap(),
        ok.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no [[rule]]"));
}

/// A line longer than `--max-line` is skipped with a warning and the next
/// document is still read.
#[test]
fn stream_skips_overlong_lines() {
    let mut input = r#"{"doc":"a","text":"增长3%"}"#.as_bytes().to_vec();
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'x', (1 << 20) + 10));
    input.extend_from_slice("\n{\"doc\":\"b\",\"text\":\"增长4%\"}\n".as_bytes());
    let mut child = bin()
        .args(["stream", "--max-line", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::spawn(move || stdin.write_all(&input));
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8(o.stdout).unwrap();
    let docs: Vec<&str> = out.lines().map(|l| &l[..1]).collect();
    assert_eq!(docs, ["a", "b"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 2: longer than"));
}
