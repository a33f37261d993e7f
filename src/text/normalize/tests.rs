use super::*;

#[test]
fn layout_is_removed_and_mapped_back() {
    let orig = "王斌庄村 5200\n\n余名群众";
    let flat = Flat::new(orig, &Fold::new([]));
    assert_eq!(flat.text, "王斌庄村5200余名群众");
    let at = flat.text.find("5200").unwrap();
    let end = at + "5200余名".len();
    let (s, e) = flat.orig_range(orig, at, end);
    assert_eq!(&orig[s..e], "5200\n\n余名");
}

#[test]
fn full_width_and_listed_pairs_fold() {
    let fold = Fold::new([('億', '亿')]);
    assert_eq!(fold.str("１２．５％，３億"), "12.5%,3亿");
    let orig = "增长１２．５％";
    let flat = Flat::new(orig, &fold);
    assert_eq!(flat.text, "增长12.5%");
    let (s, e) = flat.orig_range(orig, "增长".len(), flat.text.len());
    assert_eq!(&orig[s..e], "１２．５％");
}

#[test]
fn digits_apart_stay_apart() {
    let flat = Flat::new("2020 2021年\n3个 12\n34", &Fold::new([]));
    assert_eq!(flat.text, "2020 2021年3个12 34");
}

fn stand_ins() -> Fold {
    let mut s = StandIns {
        strings: vec![("_M_M_".to_string(), '%')],
        after: Some(regex::Regex::new("^(?:%|亿)").unwrap()),
        ..StandIns::default()
    };
    for (l, d) in [(b'O', b'0'), (b'o', b'0'), (b'l', b'1'), (b'I', b'1')] {
        s.letters[usize::from(l)] = d;
    }
    Fold::new([]).with_stand_ins(s)
}

#[test]
fn letters_for_digits_are_read_where_the_context_is_numeric() {
    let fold = stand_ins();
    for (orig, flat) in [
        ("增长l3.6％，1O％，lO.5%", "增长13.6%,10%,10.5%"),
        (
            "4l.38亿元，2l.9亿元，9l.9%，25l亿元",
            "41.38亿元,21.9亿元,91.9%,251亿元",
        ),
        ("2OO8年", "2008年"),
        // Words, codes, and what reads as no number keep their letters.
        (
            "SO2、COD、PM2.5、5G、LED、IPO、O2O",
            "SO2、COD、PM2.5、5G、LED、IPO、O2O",
        ),
        ("O5%，1.2.O%，l3年，No.1", "O5%,1.2.O%,l3年,No.1"),
        ("Il.", "Il."),
    ] {
        assert_eq!(Flat::new(orig, &fold).text, flat, "{orig}");
    }
}

#[test]
fn stand_ins_keep_the_offsets_exact() {
    let fold = stand_ins();
    let orig = "增长 13.3_M_M_\n；投资２l．9 亿元，下降 6_M_M_ 。";
    let flat = Flat::new(orig, &fold);
    assert_eq!(flat.text, "增长13.3%;投资21.9亿元,下降6%。");
    let span = |needle: &str| {
        let at = flat.text.find(needle).unwrap();
        let (s, e) = flat.orig_range(orig, at, at + needle.len());
        &orig[s..e]
    };
    assert_eq!(span("13.3%"), "13.3_M_M_");
    assert_eq!(span("%"), "_M_M_");
    assert_eq!(span("21.9亿元"), "２l．9 亿元");
    assert_eq!(span("6%"), "6_M_M_");
    assert_eq!(span("。"), "。");
    assert_eq!(span("下降"), "下降");
}

#[test]
fn letter_spaced_digits_join() {
    let flat = Flat::new(
        "1 9 9 7 年，达到7 4 7 7 2 亿元，征收房屋 1 7 00 户",
        &Fold::new([]),
    );
    assert_eq!(flat.text, "1997年,达到74772亿元,征收房屋1700户");
}

#[test]
fn folding_twice_is_folding_once() {
    let fold = Fold::new([('薴', '苧'), ('苧', '苎'), ('過', '过'), ('伍', '五')])
        .marking_traditional(['過', '薴']);
    assert_eq!(fold.str("薴苧苎"), "苎苎苎");
    // Only traditional characters, of the same width: offsets hold.
    assert_eq!(
        fold.same_width("伍、過去一年，１２％"),
        "伍、过去一年，１２％"
    );
    assert!(matches!(
        fold.same_width("一、过去一年"),
        std::borrow::Cow::Borrowed(_)
    ));
    // The same from the characters a piece's walk listed.
    for s in ["伍、過去一年，１２％", "一、过去一年", "過\n去 過"] {
        let of = fold.same_width_of(s, Flat::new(s, &fold).touched());
        assert_eq!(of, fold.same_width(s));
    }
}

#[test]
fn years_in_chinese_numerals_fold_to_arabic_digits() {
    let fold = Fold::new([]);
    assert_eq!(
        fold.str("二〇二五年，刚刚过去的一九九八年"),
        "2025年,刚刚过去的1998年"
    );
    assert_eq!(
        fold.str("二○二一—二零二五年、二O一一年"),
        "2021—2025年、2011年"
    );
    // Not a year: too few digits, no century, a longer number, no 年.
    for s in [
        "二〇〇年",
        "三〇二五年",
        "一二〇〇〇年",
        "二〇二五",
        "二十五年",
    ] {
        assert_eq!(fold.str(s), s);
    }
    let orig = "二〇二五年 增长５％";
    let flat = Flat::new(orig, &fold);
    assert_eq!(flat.text, "2025年增长5%");
    let (s, e) = flat.orig_range(orig, 0, "2025年".len());
    assert_eq!(&orig[s..e], "二〇二五年");
    // A year broken by layout is no year; its folding does not depend on
    // the layout around it being dropped afterwards.
    let squeezed: String = fold
        .each("二〇二五 年，二〇二五年\n")
        .filter(|&(_, c, _)| !is_layout(c))
        .map(|(_, _, f)| f)
        .collect();
    assert_eq!(squeezed, "二〇二五年,2025年");
    let written = "三、二〇二三年主要任务，二〇二四年";
    let dated = ArabicYears::new(written, Flat::new(written, &fold).touched());
    assert_eq!(dated.text, "三、2023年主要任务，2024年");
    let at = |t: &str| dated.written(dated.text.find(t).unwrap());
    assert_eq!(&written[at("年主要")..at("，")], "年主要任务");
    assert_eq!(&written[at("2024")..at("4年")], "二〇二");
    assert_eq!(&written[..dated.written(dated.text.len())], written);
    // Full-width digits read as ASCII ones, in a year or not, mixed too.
    let written = "一、２０２３年工作回顾，增长６．５％，二〇２４年";
    let dated = ArabicYears::new(written, Flat::new(written, &fold).touched());
    assert_eq!(dated.text, "一、2023年工作回顾，增长6．5％，2024年");
    let at = |t: &str| dated.written(dated.text.find(t).unwrap());
    assert_eq!(&written[at("年工作")..at("6")], "年工作回顾，增长");
    assert_eq!(&written[..dated.written(dated.text.len())], written);
}
