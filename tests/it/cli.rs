//! The `shuliang` binary as a user runs it, on the real reports in `corpus/`.

use std::process::{Command, Output, Stdio};

use std::io::Write;

use crate::common::{bin, header, root, rows, run, stdout};

#[test]
fn extracts_a_folder_with_relative_doc_ids_in_order() {
    let o = run(&["extract", "corpus/"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    assert!(out.starts_with(&header()));
    let rows = rows(&out);
    let docs: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    for want in [
        "weidong-2021.txt",
        "national/state-council-2022.txt",
        "raw-gbk/hailar_008.gbk.txt",
    ] {
        assert!(docs.contains(&want), "no rows for {want}");
    }
    let mut sorted = docs.clone();
    sorted.sort();
    assert_eq!(docs, sorted, "documents are not in path order");
    for w in rows.windows(2) {
        if w[0].get(0) == w[1].get(0) {
            let (a, b): (usize, usize) = (w[0][1].parse().unwrap(), w[1][1].parse().unwrap());
            assert!(a < b, "rows out of order in {}", &w[0][0]);
        }
    }
    let seed = rows
        .iter()
        .find(|r| &r[0] == "weidong-2021.txt" && &r[3] == "46.11亿元")
        .expect("46.11亿元 row");
    assert_eq!(&seed[4], "4611000000");
    assert_eq!(&seed[6], "CNY");
    assert_eq!(&seed[7], "money");
    assert_eq!(&seed[9], "亿元");
    assert_eq!(&seed[10], "money.cny");
    assert!(seed[11].contains("46.11亿元") && seed[11].chars().count() <= 160);
    assert!(String::from_utf8_lossy(&o.stderr).contains("files read, 0 skipped"));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = run(&["extract", "--threads", "1", "corpus"]);
    let two = run(&["extract", "--threads", "2", "corpus"]);
    assert_eq!(one.status.code(), Some(0));
    assert!(one.stdout.len() > 10_000);
    assert!(
        one.stdout == two.stdout,
        "--threads 1 and --threads 2 differ"
    );
}

#[test]
fn output_file_equals_stdout_and_file_ids_are_paths_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q.csv");
    let o = run(&[
        "extract",
        "corpus/weidong-2021.txt",
        "-o",
        out.to_str().unwrap(),
        "--threads",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        written,
        stdout(&run(&["extract", "corpus/weidong-2021.txt"]))
    );
    assert!(rows(&written)
        .iter()
        .all(|r| &r[0] == "corpus/weidong-2021.txt"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[test]
fn reads_standard_input_as_doc_dash() {
    let mut child = bin()
        .args(["extract", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("全年地区生产总值增长 3%，完成投资 99.7亿元。".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let rows = rows(stdout(&o));
    let got: Vec<(&str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (&r[0], &r[1], &r[2], &r[4], &r[6]))
        .collect();
    assert_eq!(
        got,
        vec![
            ("-", "11", "13", "3", "%"),
            ("-", "19", "25", "9970000000", "CNY")
        ]
    );
}

#[test]
fn gbk_input_gives_the_same_rows_as_its_utf8_text() {
    let gbk = std::fs::read(root().join("corpus/raw-gbk/hailar_008.gbk.txt")).unwrap();
    let (text, _, bad) = encoding_rs::GB18030.decode(&gbk);
    assert!(!bad);
    let (gbk_dir, utf8_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(gbk_dir.path().join("hailar_008.gbk.txt"), &gbk).unwrap();
    std::fs::write(utf8_dir.path().join("hailar_008.gbk.txt"), text.as_bytes()).unwrap();
    let a = run(&["extract", gbk_dir.path().to_str().unwrap()]);
    let b = run(&["extract", utf8_dir.path().to_str().unwrap()]);
    assert!(rows(stdout(&a)).len() > 20);
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn missing_paths_and_undecodable_files_are_skipped_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.txt"), [0xffu8, 0xfe, 0xff, 0x80, 0x81]).unwrap();
    std::fs::write(dir.path().join("good.txt"), "新建道路33.7公里。").unwrap();
    let o = run(&["extract", "no/such/path.txt", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no/such/path.txt"), "{err}");
    assert!(
        err.contains("bad.txt") && err.contains("not UTF-8, UTF-16, GB18030 or Big5"),
        "{err}"
    );
    assert!(
        err.contains("1 files read, 2 skipped, 1 rows written"),
        "{err}"
    );
    let rows = rows(stdout(&o));
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "good.txt");
    assert_eq!(&rows[0][4], "33700");
}

#[test]
fn a_broken_rule_file_stops_the_run_with_exit_2_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("bad.toml");
    let text = shuliang::rules::DEFAULT_RULES.replacen(
        "id = \"percent\"\npattern = '",
        "id = \"percent\"\npattern = '(",
        1,
    );
    std::fs::write(&rules, text).unwrap();
    let out = dir.path().join("out.csv");
    let o = run(&[
        "extract",
        "--rules",
        rules.to_str().unwrap(),
        "corpus",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.toml:")
            && err.contains("rule `percent`")
            && err.contains("does not compile"),
        "{err}"
    );
    assert!(!out.exists());
    assert!(o.stdout.is_empty());
}

#[test]
fn rules_test_passes_on_the_default_rules_and_fails_on_a_wrong_example() {
    let o = run(&["rules", "test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains(" 0 failed"));

    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("mine.toml");
    let text = shuliang::rules::DEFAULT_RULES.replacen("\"3% = 3 %\"", "\"3% = 4 %\"", 1);
    std::fs::write(&rules, text).unwrap();
    let o = run(&["rules", "test", rules.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("mine.toml:")
            && out.contains("rule `percent`")
            && out.contains("want: 3% = 4 %"),
        "{out}"
    );
}

#[test]
fn a_user_can_add_a_unit_in_toml_alone() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("more.toml");
    let text = shuliang::rules::DEFAULT_RULES.replacen(
        "# Measure words:",
        "[[unit]]\nnames = [\"英亩\"]\nkind = \"area\"\nunit = \"m2\"\nfactor = 4046.8564224\n\n# Measure words:",
        1,
    );
    std::fs::write(&rules, text).unwrap();
    std::fs::write(dir.path().join("d.txt"), "农场面积300英亩。").unwrap();
    let doc = dir.path().join("d.txt");
    let default = stdout(&run(&["extract", doc.to_str().unwrap()]));
    assert_eq!(rows(&default).len(), 0);
    let mine = stdout(&run(&[
        "extract",
        "--rules",
        rules.to_str().unwrap(),
        doc.to_str().unwrap(),
    ]));
    let rows = rows(&mine);
    assert_eq!(
        (&rows[0][3], &rows[0][4], &rows[0][6]),
        ("300英亩", "1214056.92672", "m2")
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["extract"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

/// JSON lines for every `.txt` of `corpus/`, with the ids `extract` gives them.
fn corpus_as_json_lines() -> String {
    let mut lines = String::new();
    let txt = shuliang::run::batch::Selection::new(&["*.txt"]).unwrap();
    let (inputs, errors) = shuliang::run::batch::inputs(&["corpus".to_string()], &txt);
    assert!(errors.is_empty());
    for input in inputs {
        let bytes = std::fs::read(root().join(input.path.unwrap())).unwrap();
        let (text, _) = shuliang::read::decode(&bytes).unwrap();
        let line =
            serde_json::json!({"doc": format!("corpus/{}", input.doc), "text": text, "batch": 7});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    lines
}

fn stream(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .current_dir(root())
        .arg("stream")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    out
}

#[test]
fn stream_gives_the_rows_of_extract_byte_for_byte() {
    let extracted = stdout(&run(&[
        "extract",
        "--threads",
        "2",
        "--glob",
        "*.txt",
        "corpus",
    ]));
    let rows_only = extracted.split_once('\n').unwrap().1;
    let want: String = rows_only.lines().map(|l| format!("corpus/{l}\n")).collect();
    let o = stream(&["--threads", "2"], &corpus_as_json_lines());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o) == want, "stream and extract differ");
    let with_header = stream(&["--header", "--keep", "batch"], &corpus_as_json_lines());
    let text = stdout(&with_header);
    assert!(text.starts_with(&header().replace('\n', ",batch\n")));
    assert!(text.lines().nth(1).unwrap().ends_with(",7"));
}

#[test]
fn stream_skips_bad_lines_with_their_numbers_and_exits_1() {
    let input = "{\"doc\":\"a\",\"text\":\"增长3%\"}\n{oops\n{\"doc\":\"b\"}\n\n{\"doc\":\"c\",\"text\":\"新建33.7公里\"}\n";
    let mut bytes = input.as_bytes().to_vec();
    bytes.extend_from_slice(b"{\"doc\":\"d\",\"text\":\"\xff\xfe\"}\n");
    let mut child = bin()
        .args(["stream", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for want in [
        "line 2: not JSON",
        "line 3: no `text`",
        "line 6: not JSON",
        "2 documents read, 3 lines skipped",
    ] {
        assert!(err.contains(want), "{want} not in {err}");
    }
    let docs: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["doc"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(docs, ["a", "c"]);
}

#[test]
fn stream_flushes_each_document_before_reading_the_next() {
    use std::io::BufRead;
    let mut child = bin()
        .args(["stream", "--threads", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            tx.send(line.unwrap()).unwrap();
        }
    });
    for (i, doc) in ["增长3%。", "完成投资99.7亿元。", "新建道路33.7公里。"]
        .iter()
        .enumerate()
    {
        writeln!(
            stdin,
            "{}",
            serde_json::json!({"doc": i.to_string(), "text": doc})
        )
        .unwrap();
        stdin.flush().unwrap();
        // The document's row arrives while stdin is still open.
        let row = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("row of a document not flushed");
        assert!(row.starts_with(&format!("{i},")), "{row}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn explain_shows_rule_groups_normalization_and_rejections() {
    let o = run(&[
        "explain",
        "全年地区生产总值增长 3%，完成投资 99.7亿元，2020年引进亿元以上项目7个，七个方面",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for want in [
        "99.7亿元  [19..25]  rule `money.cny` (rules/zh.toml:",
        "matched   num=99.7亿  unit=元",
        "number    99.7亿 = 9970000000",
        "unit      元 → CNY × 1 (money)",
        "value     9970000000 CNY",
        "2020年  [26..31]  rule `duration`: overlaps exclusion `year` (rules/zh.toml:",
        "亿元  [33..35]  rule `money.cny`: a bare magnitude",
        "七个  [42..44]  rule `count`: Chinese numerals below the rule's min_chinese",
        "99.7亿  [19..24]  rule `count.bare`: overlaps the longer",
    ] {
        assert!(out.contains(want), "{want:?} not in\n{out}");
    }
    let o = run(&[
        "explain",
        "--file",
        "corpus/weidong-2021.txt",
        "--at",
        "3066",
    ]);
    let out = stdout(&o);
    assert!(
        out.starts_with("5200余名  [3066..3074]  rule `count`"),
        "{out}"
    );
    assert!(!out.contains("46.11亿元"), "--at shows only what is near");
}

#[test]
fn diff_and_stats_of_two_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let full = stdout(&run(&["extract", "corpus/weidong-2021.txt"]));
    std::fs::write(&a, &full).unwrap();
    // Drop one row and change another's qualifier.
    let mut lines: Vec<String> = full.lines().map(str::to_string).collect();
    let removed = lines.remove(5);
    let mut changed = rows(format!("{}{}\n", header(), lines[10]))[0].clone();
    let fields: Vec<&str> = changed
        .iter()
        .enumerate()
        .map(|(i, f)| if i == 8 { "approx" } else { f })
        .collect();
    changed = csv::StringRecord::from(fields);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(vec![]);
    w.write_record(&changed).unwrap();
    lines[10] = String::from_utf8(w.into_inner().unwrap())
        .unwrap()
        .trim_end()
        .to_string();
    std::fs::write(&b, lines.join("\n") + "\n").unwrap();
    let same = run(&["diff", a.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).starts_with("0 added, 0 removed, 0 changed"));
    let o = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let rec = &rows(format!("{}{removed}\n", header()))[0];
    assert!(
        out.contains(&format!(
            "- corpus/weidong-2021.txt:{}-{}  {}",
            &rec[1], &rec[2], &rec[3]
        )),
        "{out}"
    );
    assert!(out.contains("0 added, 1 removed, 1 changed"), "{out}");
    assert!(out.contains("qualifier: \"\" → \"approx\""), "{out}");
    // The old side from stdin (spooled: a diff reads each side twice).
    let piped = bin()
        .current_dir(root())
        .args(["diff", "-", b.to_str().unwrap()])
        .stdin(std::fs::File::open(&a).unwrap())
        .output()
        .unwrap();
    assert_eq!(stdout(&piped), out);
    assert!(out.contains("by rule: "), "{out}");
    let o = run(&[
        "diff",
        "--format",
        "csv",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    let text = stdout(&o);
    assert!(text.starts_with("change,doc,start,end,text,column,old,new\n"));
    let recs = rows(&text);
    assert!(recs.iter().any(|r| &r[0] == "removed" && r[4] == rec[3]));
    assert!(recs
        .iter()
        .any(|r| &r[0] == "changed" && &r[5] == "qualifier" && &r[7] == "approx"));

    let o = run(&["stats", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let n = rows(&full).len();
    assert!(out.starts_with(&format!("{n} rows\n")), "{out}");
    assert!(out.contains("by rule:") && out.contains("by kind:") && out.contains("by unit:"));
    assert!(
        out.contains("rules that never fired: ") && out.contains("percent.tenths"),
        "{out}"
    );
    let o = run(&["extract", "--stats", "corpus/weidong-2021.txt"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{n} rows\n")));
}

/// The walkthrough of docs/rules.md (adding a unit and a kind), step by step.
#[test]
fn the_readme_walkthrough_adds_computing_power() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    let before = run(&["extract", "corpus/", "-o", &p("before.csv")]);
    assert_eq!(before.status.code(), Some(0));
    let mut rules = shuliang::rules::DEFAULT_RULES.replacen(
        "kinds = [\"temperature\", \"speed\", \"data\", \"frequency\"]",
        "kinds = [\"temperature\", \"speed\", \"data\", \"frequency\", \"compute\"]",
        1,
    );
    rules = rules.replacen(
        "# Measure words:",
        "[[unit]]\nnames = [\"PF\", \"P\"]\nkind = \"compute\"\nunit = \"PFlops\"\nclass = \"power\"\n\n# Measure words:",
        1,
    );
    rules = rules.replacen(
        "  { text = \"清淤450万方\"",
        "  { text = \"算力总规模达到9.4万P\", gives = [\"9.4万P = 94000 PFlops\"] },\n  { text = \"清淤450万方\"",
        1,
    );
    std::fs::write(p("my-rules.toml"), rules).unwrap();
    let t = run(&["rules", "test", &p("my-rules.toml")]);
    assert_eq!(t.status.code(), Some(0), "{}", stdout(&t));
    let after = run(&[
        "extract",
        "--rules",
        &p("my-rules.toml"),
        "corpus/",
        "-o",
        &p("after.csv"),
    ]);
    assert_eq!(after.status.code(), Some(0));
    let d = run(&["diff", &p("before.csv"), &p("after.csv")]);
    assert_eq!(d.status.code(), Some(1));
    let out = stdout(&d);
    assert!(
        out.contains(
            "~ province/prov2025_001.txt:518-523  9.4万P = 94000 PFlops  [compute volume_power]"
        ),
        "{out}"
    );
    assert!(out.contains("end: \"522\" → \"523\""), "{out}");
    assert!(
        out.contains("+ published/html/hefei-2024.html:2534-2539  3300P = 3300 PFlops"),
        "{out}"
    );
    // Nothing lost: the new unit only adds rows or turns bare counts into compute.
    assert!(out.contains(" added, 0 removed, "), "{out}");
}

#[test]
fn region_year_and_section_for_the_corpus() {
    let o = run(&["extract", "corpus/"]);
    let rows = rows(stdout(&o));
    let mut docs: std::collections::BTreeMap<String, (String, String)> = Default::default();
    for r in &rows {
        docs.insert(r[0].to_string(), (r[12].to_string(), r[13].to_string()));
    }
    let with_region = docs.values().filter(|(r, _)| !r.is_empty()).count();
    let with_year = docs.values().filter(|(_, y)| !y.is_empty()).count();
    println!(
        "{} documents: {with_region} with a region, {with_year} with a year",
        docs.len()
    );
    assert_eq!(
        docs["weidong-2021.txt"],
        ("河南省平顶山市卫东区".to_string(), "2021".to_string())
    );
    assert_eq!(
        docs["national/state-council-2022.txt"],
        ("中华人民共和国".to_string(), "2022".to_string())
    );
    assert_eq!(docs["raw-gbk/hailar_008.gbk.txt"].1, "2019");
    // 易县 2017 (blind set K) is a review cut from a spreadsheet cell with no
    // title block, date line or heading of the year's work: the report's year
    // is written nowhere, and a row's year stays empty rather than guessed.
    // 常州's NDRC notice of 2021 (blind set M, no headline cell) hands out a
    // year's summary and the next year's plan: no title block names its year.
    let yearless = ["county/baoding_cty_052.txt", "city/policy_005.txt"];
    for doc in yearless {
        assert_eq!(
            docs[doc].1, "",
            "{doc} now has a year: take it off the list"
        );
    }
    assert!(
        with_year + yearless.len() == docs.len(),
        "every other corpus document names its year somewhere"
    );
    assert!(
        with_region * 100 >= docs.len() * 95,
        "{with_region} of {} with a region",
        docs.len()
    );
    // A past result sits under the review, a target under the year's work.
    let seed = rows
        .iter()
        .find(|r| &r[0] == "weidong-2021.txt" && &r[3] == "46.11亿元")
        .unwrap();
    assert_eq!(
        (&seed[14], &seed[18]),
        ("一、2020年工作回顾及“十三五”主要成就", "actual")
    );
    let target = rows
        .iter()
        .find(|r| &r[0] == "weidong-2021.txt" && r[14].starts_with("三、2021年重点工作"))
        .unwrap();
    assert_eq!(&target[18], "target");
}

#[test]
fn manifest_rows_that_match_nothing_or_contradict_the_text_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.csv");
    std::fs::write(
        &manifest,
        "doc,region,year\ncorpus/weidong-2021.txt,河北省保定市,2020\nnot-there.txt,北京市,2024\n",
    )
    .unwrap();
    let o = run(&[
        "extract",
        "corpus/weidong-2021.txt",
        "--manifest",
        manifest.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    assert!(
        err.contains("`not-there.txt` matches no input document"),
        "{err}"
    );
    assert!(
        err.contains("region 河北省保定市, the text says 河南省平顶山市卫东区"),
        "{err}"
    );
    assert!(err.contains("year 2020, the text says 2021"), "{err}");
    // The manifest still wins.
    let r = &rows(stdout(&o))[0];
    assert_eq!(
        (&r[12], &r[13], &r[20], &r[21]),
        ("河北省保定市", "2020", "prefecture", "130600")
    );
}

#[test]
fn manifest_bom_jsonl_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("m.csv");
    std::fs::write(&manifest, "doc,region,year,level,population\nweidong-2021.txt,河南省平顶山市卫东区,2021,district,30\n").unwrap();
    let summary = dir.path().join("s.json");
    let o = run(&[
        "extract",
        "corpus/",
        "--glob",
        "weidong-2021.txt",
        "--manifest",
        manifest.to_str().unwrap(),
        "--bom",
        "--summary",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.starts_with("\u{feff}doc,start,".as_bytes()));
    let text = String::from_utf8(o.stdout[3..].to_vec()).unwrap();
    assert!(text.starts_with(&header().replace('\n', ",population\n")));
    let r = &rows(&text)[0];
    // The manifest's level is used as given; the code comes from the table.
    assert_eq!(
        (
            &r[12],
            &r[13],
            &r[20],
            &r[21],
            &r[22],
            &r[shuliang::output::COLUMNS.len()]
        ),
        (
            "河南省平顶山市卫东区",
            "2021",
            "district",
            "410403",
            "410403",
            "30"
        )
    );
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(s["documents"], 1);
    assert_eq!(s["rows"].as_u64().unwrap() as usize, rows(&text).len());
    assert!(s["rows_by_kind"]["money"].as_u64().unwrap() > 5);
    assert!(s["mb_per_second"].as_f64().unwrap() > 0.0);

    let o = run(&["extract", "--format", "jsonl", "corpus/weidong-2021.txt"]);
    let first: serde_json::Value =
        serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(first["region"], "河南省平顶山市卫东区");
    assert_eq!(first["level"], "county");
    assert_eq!(first["code"], "410403");
    assert_eq!(first["year"], 2021);
    assert!(first["value"].is_number());
}

/// Numbers an old web copy garbled: letters for digits and an aggregator's
/// string for `%` are read, with offsets on the characters as written; a
/// number that cannot be read gives no row (never its tail, `5%` of
/// `47?5%`) and a warning on stderr and in the summary, from `extract` and
/// `panel` alike.
#[test]
fn garbled_numbers_are_read_or_warned_of_never_cut() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("old-copy.txt");
    let text = "二、2007年工作回顾\n全县地区生产总值增长l3.6％，财政收入2l.9亿元，\
                固定资产投资增长18_M_M_；社会消费品零售总额增长47?5%。\n";
    std::fs::write(&doc, text).unwrap();
    let summary = dir.path().join("s.json");
    let doc_arg = doc.to_str().unwrap();
    let o = run(&["extract", doc_arg, "--summary", summary.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let chars: Vec<char> = text.chars().collect();
    let got: Vec<(String, String, String)> = rows(stdout(&o))
        .iter()
        .map(|r| {
            let (s, e): (usize, usize) = (r[1].parse().unwrap(), r[2].parse().unwrap());
            assert_eq!(chars[s..e].iter().collect::<String>(), &r[3]);
            (r[3].to_string(), r[4].to_string(), r[6].to_string())
        })
        .collect();
    let want = [
        ("l3.6％", "13.6", "%"),
        ("2l.9亿元", "2190000000", "CNY"),
        ("18_M_M_", "18", "%"),
    ];
    assert_eq!(
        got,
        want.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );
    let err = String::from_utf8_lossy(&o.stderr);
    let at = text.chars().position(|c| c == '4').unwrap();
    let warning = format!("{doc_arg}: `47?5%` at {at}: a decimal point lost?");
    assert!(
        err.contains(&format!("shuliang: warning: {warning}")),
        "{err}"
    );
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    let warnings = s["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].as_str().unwrap().starts_with(&warning),
        "{warnings:?}"
    );
    let o = run(&["panel", doc_arg]);
    assert!(String::from_utf8_lossy(&o.stderr).contains(&warning));
    assert!(!stdout(&o).contains(",5,,%"), "{}", stdout(&o));
}

/// A file of four bulletins (南京 2024, then 2023, 2022, 2021, each after
/// its issuers' date line): every part's rows carry that part's year and
/// are about it, and a bulletin's figures are results.
#[test]
fn a_compiled_bulletin_gives_each_part_its_own_year() {
    let o = run(&[
        "extract",
        "corpus/published/docx/nanjing-city-tjgb-2021-2024-compiled.docx",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let rows = rows(stdout(&o));
    let gdp: Vec<(String, String, String, String)> = rows
        .iter()
        .filter(|r| &r[16] == "gdp" && &r[6] == "%")
        .map(|r| (r[13].into(), r[18].into(), r[19].into(), r[4].into()))
        .collect();
    let first = |year: &str| gdp.iter().find(|g| g.0 == year).cloned();
    let s = |a: &str, b: &str, c: &str, d: &str| Some((a.into(), b.into(), c.into(), d.into()));
    assert_eq!(first("2024"), s("2024", "actual", "2024", "4.5"));
    assert_eq!(first("2023"), s("2023", "actual", "2023", "4.6"));
    assert_eq!(first("2022"), s("2022", "actual", "2022", "2.1"));
    assert_eq!(first("2021"), s("2021", "actual", "2021", "7.5"));
    let years: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[13]).collect();
    assert_eq!(
        years.into_iter().collect::<Vec<_>>(),
        ["2021", "2022", "2023", "2024"]
    );
}

/// `diff` and `stats` read JSONL as well as CSV: the same run written both
/// ways differs in nothing and counts the same.
#[test]
fn diff_and_stats_read_jsonl_as_well_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    let csv_out = run(&["extract", "-q", "corpus/national", "-o", &p("a.csv")]);
    assert_eq!(csv_out.status.code(), Some(0));
    let jsonl_out = run(&[
        "extract",
        "-q",
        "--format",
        "jsonl",
        "corpus/national",
        "-o",
        &p("a.jsonl"),
    ]);
    assert_eq!(jsonl_out.status.code(), Some(0));
    let d = run(&["diff", &p("a.csv"), &p("a.jsonl")]);
    assert_eq!(d.status.code(), Some(0), "{}", stdout(&d));
    let (s1, s2) = (run(&["stats", &p("a.csv")]), run(&["stats", &p("a.jsonl")]));
    assert_eq!(s2.status.code(), Some(0));
    assert!(stdout(&s1).contains("percent"));
    assert_eq!(stdout(&s1), stdout(&s2));
}

/// `--version` names the commit and the embedded rules by their identity
/// (the sha256 of the rule file and the tables it reads), so an output can
/// be traced to what made it.
#[test]
fn version_names_the_commit_and_the_rules_hash() {
    let o = run(&["--version"]);
    let text = stdout(&o);
    let rules = std::fs::read_to_string(root().join("rules/zh.toml")).unwrap();
    let sha = shuliang::rules::identity_of(&rules);
    assert!(
        text.contains(&format!(
            "rules (rules/zh.toml and its tables) sha256 {sha}"
        )),
        "{text}"
    );
    assert_eq!(shuliang::RuleSet::default_rules().unwrap().sha256, sha);
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(root())
        .output();
    if let Some(h) = head.ok().filter(|h| h.status.success()) {
        let commit = String::from_utf8(h.stdout).unwrap();
        assert!(
            text.contains(&format!("commit {}", commit.trim())),
            "{text}"
        );
    }
}

/// Two runs whose rule files differ: their summaries differ in the rules'
/// hash and in what follows from it (the output and its counts), nothing
/// else but the clock and the command line; `diff` names both rule hashes.
#[test]
fn summaries_of_two_runs_differ_by_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let p = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    let rules = format!("{}\n# a reviewer's note\n", shuliang::rules::DEFAULT_RULES);
    std::fs::write(p("mine.toml"), &rules).unwrap();
    let go = |rules: Option<&str>, out: &str| {
        let mut args = vec!["extract", "-q", "corpus/national"];
        args.extend(rules.map(|r| ["--rules", r]).into_iter().flatten());
        let (o, s) = (p(&format!("{out}.csv")), p(&format!("{out}.summary.json")));
        let r = run(&[&args[..], &["-o", &o, "--summary", &s]].concat());
        assert_eq!(
            r.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&r.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&s).unwrap()).unwrap();
        v
    };
    let (a, b) = (go(None, "a"), go(Some(&p("mine.toml")), "b"));
    let volatile = [
        "started",
        "ended",
        "seconds",
        "mb_per_second",
        "command",
        "output",
    ];
    let differing: Vec<&String> = a
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !volatile.contains(&k.as_str()) && a[k.as_str()] != b[k.as_str()])
        .collect();
    assert_eq!(
        differing,
        ["rules"],
        "only the rules differ: the new file changes no row"
    );
    assert_eq!(a["output"]["sha256"], b["output"]["sha256"]);
    assert_eq!(b["rules"]["sha256"], shuliang::rules::identity_of(&rules));
    let national = std::fs::read_dir(root().join("corpus/national"))
        .unwrap()
        .count();
    assert_eq!(a["inputs"].as_array().unwrap().len(), national);
    assert_eq!(a["inputs"][0]["format"], "text");
    let csv = std::fs::read(p("a.csv")).unwrap();
    assert_eq!(a["output"]["sha256"], shuliang::rules::sha256_hex(&csv));
    let d = run(&["diff", &p("a.csv"), &p("b.csv")]);
    let text = stdout(&d);
    let (sa, sb) = (
        a["rules"]["sha256"].as_str().unwrap(),
        b["rules"]["sha256"].as_str().unwrap(),
    );
    assert!(
        text.contains(&format!("sha256 {sa} → ")) && text.contains(sb),
        "{text}"
    );
}

/// One list of extensions: a folder is searched for every one (any case),
/// and `--help` names them all.
#[test]
fn folders_are_searched_for_every_extension_shuliang_reads() {
    let help = stdout(&run(&["extract", "--help"]));
    for (ext, _) in shuliang::read::published::EXTENSIONS {
        assert!(
            help.contains(&format!(" {ext}")),
            "--help does not name {ext}"
        );
    }
    assert!(!help.contains("`.txt` files"), "--help says .txt only");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.TXT"), "增长3%。").unwrap();
    std::fs::write(
        dir.path().join("b.xhtml"),
        "<html><body><p>增长4%。</p></body></html>",
    )
    .unwrap();
    std::fs::write(dir.path().join("c.md"), "增长5%。").unwrap();
    let o = run(&["extract", "-q", dir.path().to_str().unwrap()]);
    let docs: Vec<String> = rows(stdout(&o)).iter().map(|r| r[0].to_string()).collect();
    assert_eq!(docs, ["a.TXT", "b.xhtml"]);
}

/// `stream` fills each of region and year the line does not give from the
/// text, as `extract` does with a manifest (it once filled both or neither).
#[test]
fn stream_fills_each_missing_field_from_the_text() {
    let text: String = std::fs::read_to_string(root().join("corpus/weidong-2021.txt"))
        .unwrap()
        .chars()
        .take(3000)
        .collect();
    let line = serde_json::json!({"doc": "w.txt", "text": text, "region": "河南省平顶山市卫东区"});
    let out = stream(&[], &format!("{line}\n"));
    let csv_text = String::from_utf8(out.stdout).unwrap();
    let first = csv_text.lines().next().expect("a row");
    let row = &rows(format!("{}{first}\n", header()))[0];
    assert_eq!((&row[12], &row[13]), ("河南省平顶山市卫东区", "2021"));
}

/// `-o -` is standard output, as for every Unix tool: the same bytes as
/// no `-o`, and no file named `-` (once committed at the repository's
/// root by a run that made one).
#[test]
fn dash_o_dash_writes_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let doc = root().join("corpus/weidong-2021.txt");
    let doc = doc.to_str().unwrap();
    let in_dir = |args: &[&str]| {
        bin()
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("shuliang runs")
    };
    for args in [
        &["extract", "-q", doc][..],
        &["extract", "-q", "--format", "jsonl", doc],
        &["panel", "-q", doc],
        &["view", doc],
    ] {
        let plain = in_dir(args);
        let dash = in_dir(&[args, &["-o", "-"][..]].concat());
        assert_eq!(dash.status.code(), Some(0), "{args:?}");
        assert!(!plain.stdout.is_empty(), "{args:?}: no output");
        assert!(dash.stdout == plain.stdout, "{args:?} -o -: not stdout");
        assert!(
            !dir.path().join("-").exists(),
            "{args:?} -o -: wrote a file named -"
        );
    }
    // A summary names the output `-`, as without -o.
    let summary = dir.path().join("s.json");
    let o = in_dir(&[
        "extract",
        "-q",
        doc,
        "-o",
        "-",
        "--summary",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let s: serde_json::Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    assert_eq!(s["output"]["path"], "-");
    assert_eq!(
        s["output"]["sha256"],
        shuliang::rules::sha256_hex(&o.stdout)
    );
    assert!(!dir.path().join("-").exists());
}
