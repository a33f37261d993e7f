//! Property tests: arbitrary bytes and arbitrary strings built from the
//! pieces quantities are made of never panic the extractor, never overflow,
//! and always give rows whose offsets hold their text, in order.
//! `PROPTEST_CASES=100000 cargo test --release --test it properties` runs it longer.

use proptest::prelude::*;
use shuliang::text::normalize::squeeze;
use shuliang::{Extractor, Quantity, RuleSet};
use std::sync::OnceLock;

fn ex() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::new(RuleSet::default_rules().unwrap()))
}

fn check(doc: &str, rows: &[Quantity]) -> Result<(), TestCaseError> {
    let chars: Vec<char> = doc.chars().collect();
    let mut last_end = 0;
    let number = regex::Regex::new(r"^-?(0|[1-9][0-9]*)(\.[0-9]{0,5}[1-9])?$").unwrap();
    for q in rows {
        prop_assert!(q.start < q.end && q.end <= chars.len(), "bad span {:?}", q);
        prop_assert!(q.start >= last_end, "overlap or disorder {:?}", q);
        last_end = q.end;
        let span: String = chars[q.start..q.end].iter().collect();
        prop_assert_eq!(squeeze(&span), q.text.clone());
        let v = q.value_str();
        prop_assert!(number.is_match(&v) || v == "0", "value {}", v);
        if let Some(max) = &q.value_max {
            prop_assert!(*max > q.value);
        }
        prop_assert!(q.context.chars().count() <= 160);
        // A built-in kind, or one the rule file declares (`temperature`).
        prop_assert!(
            ex().rules().kinds().iter().any(|k| **k == *q.kind),
            "kind {}",
            q.kind
        );
    }
    Ok(())
}

/// Pieces quantities are written with, and the layout and punctuation around them.
const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "5",
    "9",
    "12",
    "99",
    "１",
    "２",
    "０",
    ".",
    "．",
    ",",
    "，",
    "、",
    "。",
    "；",
    "-",
    "~",
    "至",
    "〇",
    "零",
    "一",
    "二",
    "两",
    "三",
    "五",
    "九",
    "十",
    "百",
    "千",
    "万",
    "亿",
    "萬",
    "億",
    "点",
    "半",
    "余",
    "多",
    "%",
    "％",
    "个",
    "家",
    "名",
    "人次",
    "元",
    "亿元",
    "万元",
    "美元",
    "亩",
    "公里",
    "平方米",
    "吨",
    "斤",
    "年",
    "天",
    "个百分点",
    "倍",
    "百分之",
    "千分之",
    "成",
    "度",
    "方",
    "/",
    "分",
    "角",
    "负",
    "约",
    "近",
    "超过",
    "以上",
    "左右",
    "不少于",
    "“",
    "”",
    "第",
    "月",
    "日",
    "PM",
    "G",
    "增长",
    "投资",
    "群众",
    " ",
    "\n",
    "\r\n",
    "\u{3000}",
    "\u{200b}",
    "\u{a0}",
    "\u{c}",
    "\0",
    "\u{fffd}",
];

fn quantity_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn strings_of_quantity_pieces(text in quantity_text()) {
        let rows = ex().extract(&text);
        check(&text, &rows)?;
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Some((text, _)) = shuliang::read::decode(&bytes) {
            let rows = ex().extract(&text);
            check(&text, &rows)?;
        }
    }

    #[test]
    fn arbitrary_unicode(text in "\\PC{0,200}") {
        let rows = ex().extract(&text);
        check(&text, &rows)?;
    }

    #[test]
    fn numerals_never_panic(s in "[0-9.,〇零一二两三四五六七八九十百千万亿点余多]{1,40}") {
        if let Some(n) = shuliang::text::numeral::parse(&s) {
            let _ = shuliang::text::numeral::format_value(&n.value);
        }
    }

    /// Extraction skips sentences without a number character: no number
    /// may be read from text without one.
    #[test]
    fn numbers_have_a_number_char(s in "[.,点余多分之元年 a五半0]{0,8}") {
        if shuliang::text::numeral::parse(&s).is_some() {
            prop_assert!(shuliang::text::numeral::has_number_char(&s), "{}", s);
        }
    }
}
