//! The rule file's own examples are tests: every rule and exclusion in the
//! embedded `rules/zh.toml` must give exactly the rows its examples list.

use shuliang::tools::check::run_examples;
use shuliang::{Extractor, RuleSet};

#[test]
fn every_example_in_the_default_rules_passes() {
    let ex = Extractor::new(RuleSet::default_rules().expect("rules load"));
    let report = run_examples(&ex);
    assert!(report.run >= 50, "only {} examples ran", report.run);
    let failures: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(report.untested.is_empty(), "{:#?}", report.untested);
}

#[test]
fn a_wrong_example_is_reported_with_its_line() {
    let text = RuleSet::default_rules()
        .map(|_| shuliang::rules::DEFAULT_RULES)
        .expect("rules");
    let broken = text.replacen(
        r#"gives = ["251天 = 251 day"]"#,
        r#"gives = ["251天 = 250 day"]"#,
        1,
    );
    assert_ne!(broken, text, "the example to break was not found");
    let ex = Extractor::new(RuleSet::parse(&broken, "broken.toml").expect("still valid TOML"));
    let report = run_examples(&ex);
    assert_eq!(report.failures.len(), 1);
    let f = report.failures[0].to_string();
    assert!(
        f.starts_with("broken.toml:") && f.contains("rule `duration`"),
        "{f}"
    );
    assert!(f.contains("251天 = 251 day"), "{f}");
}

#[test]
fn spec_examples_come_out_to_the_letter() {
    let ex = Extractor::new(RuleSet::default_rules().expect("rules"));
    for (text, want) in [
        ("实际利用外资46.11亿元", "46.11亿元 = 4611000000 CNY"),
        ("出让土地2516.6亩", "2516.6亩 = 1677733.333333 m2"),
        ("党员志愿者万余名", "万余名 = 10000 名 more_than"),
        ("王斌庄村 5200\n\n余名群众", "5200余名 = 5200 名 more_than"),
        ("粮食产量3亿斤", "3亿斤 = 150000000 kg"),
        ("8.4万件", "8.4万件 = 84000 件"),
    ] {
        let rows = ex.extract(text);
        assert_eq!(rows.len(), 1, "{text}: {rows:?}");
        assert_eq!(rows[0].summary(), want);
    }
}

/// A range in Chinese numerals (issue 23, class 9) is one row from its lower
/// to its upper end, never one end alone (`八至九` read as 8 or 9).
#[test]
fn chinese_numeral_ranges_are_ranges_not_one_end() {
    let ex = Extractor::new(RuleSet::default_rules().expect("rules"));
    for (text, value, max, unit) in [
        (
            "今年经济增长速度的宏观调控目标，定为百分之八至九。",
            "8",
            "9",
            "%",
        ),
        ("国内生产总值增长8至9%", "8", "9", "%"),
        ("居民消费价格涨幅控制在七到八%", "7", "8", "%"),
        ("增长百分之八至百分之九", "8", "9", "%"),
        ("提高八至九个百分点", "8", "9", "pp"),
        ("出口增长七到八倍", "7", "8", "x"),
    ] {
        let rows = ex.extract(text);
        let got: Vec<(String, String, &str)> = rows
            .iter()
            .map(|q| (q.value_str(), q.value_max_str(), &*q.unit))
            .collect();
        assert_eq!(got, [(value.to_string(), max.to_string(), unit)], "{text}");
    }
}

/// The table of indicator ids in docs/csv.md, made from the rule file's `[[indicator]]` list.
fn indicator_table(rs: &RuleSet) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut t = format!(
        "Derived-measure words: `{}`\n\n| id | meaning | mapped from | not mapped (besides derived measures) |\n| --- | --- | --- | --- |\n",
        rs.derived_pattern().unwrap_or("")
    );
    for d in rs.indicators() {
        let mut from: Vec<String> = d.names.clone();
        from.extend(d.pattern.iter().map(|p| format!("`{}`", cell(p))));
        let not = if d.not.is_empty() {
            String::new()
        } else {
            format!("with {}", d.not.join(" "))
        };
        t.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            d.id,
            cell(&d.about),
            from.join("、"),
            not
        ));
    }
    t
}

#[test]
fn docs_name_every_indicator_id() {
    let rs = RuleSet::default_rules().expect("rules");
    let path = crate::common::path("docs/csv.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (open, close) = (
        "<!-- indicator-ids: generated from rules/zh.toml -->\n",
        "<!-- /indicator-ids -->",
    );
    let start = readme
        .find(open)
        .expect("docs/csv.md has the indicator-ids markers")
        + open.len();
    let end = readme
        .find(close)
        .expect("docs/csv.md closes the indicator-ids markers");
    let want = indicator_table(&rs);
    if std::env::var_os("SHULIANG_BLESS").is_some_and(|v| v == "1") {
        let new = format!("{}{want}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        readme[start..end],
        want,
        "docs/csv.md's indicator table is stale: run SHULIANG_BLESS=1 cargo test --test it rules"
    );
}
