use crate::text::normalize::Flat;
use crate::RuleSet;

#[test]
fn title_blocks_give_region_and_year() {
    let rs = RuleSet::default_rules().unwrap();
    let m = |opening: &str, file: &str| {
        let meta = rs.meta.detect(opening, file, &rs.fold, None);
        (meta.region, meta.year)
    };
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(m(" 区十届人大七次会议文件（十二）\n\n政 府 工 作 报 告\n——2021年2月23日在卫东区第十届人民代表大会第七次会议上\n", "x.txt"), s("河南省平顶山市卫东区", "2021"));
    assert_eq!(
        m("各位代表：\\r\\n现在，我代表容城县第十四届人民政府，向大会报告 2007年换届以来的工作，对今后五年和2012年的工作提出建议，请予审议", "x.txt").1,
        "2012"
    );
    assert_eq!(
        m(
            "政府工作报告\n\n——2022年3月5日在第十三届全国人民代表大会第五次会议上\n",
            "a.txt"
        ),
        s("中华人民共和国", "2022")
    );
    assert_eq!(m("2025年宁夏政府工作报告\n来源：青海日报\n——2025年1月19日在宁夏回族自治区第十三届人民代表大会第三次会议上", "a.txt"), s("宁夏回族自治区", "2025"));
    assert_eq!(
        m(
            "工作报告\n保定市满城区2022年政府工作报告\n时间：2023-03-30",
            "a.txt"
        ),
        s("河北省保定市满城区", "2022")
    );
    assert_eq!(
        m(
            "各位代表：\n\n现在，我代表市人民政府向大会报告工作",
            "jg2024_003.txt"
        ),
        s("", "2024")
    );
    assert_eq!(m("各位代表：", "hebei_baoding_001.txt"), s("", ""));
    assert_eq!(
        m(
            "政府工作报告\n——2023年1月5日在霍山县\n第十八届人民代表大会第二次会议上",
            "a.txt"
        ),
        s("安徽省六安市霍山县", "2023")
    );
    assert_eq!(
        m(
            "2023 年周口市国民经济和社会发展统计公报\n周 口 市 统 计 局",
            "a.pdf"
        ),
        s("河南省周口市", "2023")
    );
    assert_eq!(
        m(
            "各位代表：\n　　我代表国务院向大会作政府工作报告",
            "state-council-1984.txt"
        ),
        s("中华人民共和国", "1984")
    );
}

#[test]
fn body_openings_and_date_lines_give_the_place() {
    let rs = RuleSet::default_rules().unwrap();
    let m = |opening: &str| {
        let meta = rs.meta.detect(opening, "x.txt", &rs.fold, None);
        (meta.region, meta.year, meta.level, meta.code)
    };
    let s = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    };
    assert_eq!(
        m("各位代表：\n现在，我代表深圳市人民政府，向大会报告工作"),
        s("广东省深圳市", "", "prefecture", "440300")
    );
    // The date line's year wins over the file name's.
    assert_eq!(
        m("政府工作报告\n——2024年1月在六安市第六届人民代表大会第四次会议上"),
        s("安徽省六安市", "2024", "prefecture", "341500")
    );
    // A report reviewing 2022 is the 2023 report, whatever its file name.
    let reviewed = rs.meta.detect(
        "各位代表：现在，我代表市人民政府。 一、2022年工作回顾 2022年是…池州发展",
        "jg2024_069.txt",
        &rs.fold,
        None,
    );
    assert_eq!(
        (reviewed.region.as_str(), reviewed.year.as_str()),
        ("安徽省池州市", "2023")
    );
    // No year in the opening (a five-year review): the heading of the
    // year's work names it, wherever it is; a year in a sentence does not.
    let planned = rs.meta.detect(
        "上海市政府工作报告  各位代表：  一、过去五年工作回顾  2022年预计达到4.45万亿元。  \u{2003}\u{2003}三、2023年主要任务  \u{2003}\u{2003}2023年是开局之年",
        "prov_sh_004.txt",
        &rs.fold, None
    );
    assert_eq!(planned.year, "2023");
    assert_eq!(planned.year_from.as_str(), "plan_heading");
    // Lines ended by a written `\r\n` (cells of a spreadsheet), `工作任务`.
    let written = rs.meta.detect(
        "一、过去五年工作回顾 \\r\\n2012 年以来，……\\r\\n三、 2017年工作任务 \\r\\n今年是实施规划的重要一年。",
        "x.txt",
        &rs.fold, None
    );
    assert_eq!(written.year, "2017");
    let unplanned = rs.meta.detect(
        "各位代表：  一、过去五年工作回顾  要做好2023年主要任务。",
        "x.txt",
        &rs.fold,
        None,
    );
    assert_eq!(unplanned.year, "");
    let named = rs.meta.detect(
        "——2024年1月在六安市第六届人民代表大会",
        "lu_2019.txt",
        &rs.fold,
        None,
    );
    assert_eq!(named.year, "2024");
    assert_eq!(
        m("各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2023年工作回顾\n2023年是……也是中山改革发展承上启下的关键一年。"),
        s("广东省中山市", "2024", "prefecture", "442000")
    );
    assert_eq!(
        m("政府工作报告\n（2008年3月27日）\n各位代表：\n现在，我代表县政府向大会作政府工作报告。\n全县上下……清苑人民"),
        s("河北省保定市清苑区", "2008", "county", "130608")
    );
    assert_eq!(
        m("各位代表：\n　　我们第一届全國人民代表大會……現在，我代表中央人民政府作工作報告。"),
        s("中华人民共和国", "", "national", "100000")
    );
    assert_eq!(
        m("各位代表：\n现在，我代表市人民政府，向大会报告工作"),
        s("", "", "", "")
    );
}

#[test]
fn years_in_chinese_numerals_closing_lines_and_headers() {
    use super::{arabic_dates, YearSource};
    let rs = RuleSet::default_rules().unwrap();
    let m = |opening: &str, file: &str| {
        let meta = rs.meta.detect(opening, file, &rs.fold, None);
        (meta.year, meta.year_from, meta.year_others)
    };
    assert_eq!(arabic_dates("二〇〇八年一月十五日"), "2008年1月15日");
    assert_eq!(arabic_dates("二O一一年"), "2011年");
    assert_eq!(arabic_dates("二00七年十二月"), "2007年12月");
    assert_eq!(arabic_dates("2020年的工作"), "2020年的工作");
    assert_eq!(arabic_dates("二〇三五年远景目标"), "2035年远景目标");
    // A date line in Chinese numerals under the title.
    assert_eq!(
        m("政府工作报告\n——二〇〇八年一月十五日在顺平县第十五届人民代表大会第二次会议上\n各位代表：", "x.txt"),
        ("2008".to_string(), YearSource::Title, String::new())
    );
    assert_eq!(
        m("政府工作报告\n（二O一一年二月十九日）\n各位代表：", "x.txt").0,
        "2011"
    );
    // The year only in the date line at the end.
    let long = format!(
        "政府工作报告\n各位代表：\n现在，我代表县人民政府作工作报告。\n{}\n\n二〇〇七年一月十日\n",
        "发展经济。".repeat(400)
    );
    assert_eq!(
        m(&long, "x.txt"),
        ("2007".to_string(), YearSource::Closing, String::new())
    );
    // An aggregator's header that contradicts the date line: the text wins, the header is reported.
    assert_eq!(
        m("标题：2018年河北省政府工作报告\n发文时间：未知\n二〇一九年一月十四日在河北省第十三届人民代表大会第二次会议上\n", "x.txt"),
        ("2019".to_string(), YearSource::Title, "header 2018".to_string())
    );
    assert_eq!(
        m("年份：2012\n各位代表：", "report_2013.txt"),
        (
            "2012".to_string(),
            YearSource::Header,
            "file_name 2013".to_string()
        )
    );
}

#[test]
fn headings_at_line_starts() {
    let rs = RuleSet::default_rules().unwrap();
    let text = "各位代表：\n一、2020年工作回顾\n过去一年，增长3%。\n  二、2021年重点工作：坚持稳中求进\n（一）加快发展。";
    let h: Vec<String> = rs
        .meta
        .headings(text, &Flat::new(text, &rs.fold))
        .into_iter()
        .map(|(_, h)| h.to_string())
        .collect();
    assert_eq!(h, ["一、2020年工作回顾", "二、2021年重点工作"]);
    // A copy whose line breaks became runs of em spaces.
    let flat = "各位代表： \u{2003}\u{2003}一、2020年工作回顾 \u{2003}\u{2003}过去一年，增长3%。 \u{2003}\u{2003}二、2021年主要任务 \u{2003}\u{2003}（一）加快发展。";
    let h: Vec<String> = rs
        .meta
        .headings(flat, &Flat::new(flat, &rs.fold))
        .into_iter()
        .map(|(_, h)| h.to_string())
        .collect();
    assert_eq!(h, ["一、2020年工作回顾", "二、2021年主要任务"]);
    let ideographic = flat.replace('\u{2003}', "\u{3000}");
    assert_eq!(
        rs.meta
            .headings(&ideographic, &Flat::new(&ideographic, &rs.fold))
            .len(),
        2
    );
}

#[test]
fn headings_inside_a_run_of_text() {
    let rs = RuleSet::default_rules().unwrap();
    let heads = |text: &str| -> Vec<String> {
        let h = rs
            .meta
            .headings(text, &Flat::new(text, &rs.fold))
            .into_iter();
        h.map(|(_, h)| h.to_string()).collect()
    };
    // A copy without line ends: each heading ends at its last word.
    let flat = "各位代表：一、2023年工作回顾过去一年，增长3%。一、二、三产业比调整为1:4:5。\
                2023年各项工作取得新成效。二、2024年工作安排今年要增长5%。\
                今年政府工作的总体要求是：稳中求进。做好今年各项工作，意义重大。";
    assert_eq!(heads(flat), ["一、2023年工作回顾", "二、2024年工作安排"]);
    // A numbered heading at the text's start runs on into its paragraph.
    let run_on = format!("一、过去五年工作回顾 2012 年以来{}。", "，我们".repeat(30));
    assert_eq!(heads(&run_on), ["一、过去五年工作回顾"]);
    // Not numbered: the words of a part of a report only.
    assert_eq!(
        heads("意见。2004年工作回顾2004年，全县…"),
        ["2004年工作回顾"]
    );
}

#[test]
fn the_code_and_name_of_the_reports_year() {
    let ex = crate::Extractor::new(RuleSet::default_rules().unwrap());
    let opening = "政府工作报告\n——2013年3月10日在徐水县第十五届人民代表大会第二次会议上\n";
    let m = ex.detect_meta(opening, "x.txt");
    assert_eq!(
        (&*m.region, &*m.code, &*m.code_now, &*m.doc_type),
        ("河北省保定市徐水县", "130625", "130609", "work_report")
    );
    // A manifest's region is kept as written; its code is dated all the same.
    let given = super::Meta {
        region: "河北省保定市徐水区".into(),
        year: "2012".into(),
        doc_type: "stat_bulletin".into(),
        ..Default::default()
    };
    let given = super::Meta {
        doc_type: super::doc_type_alias(&given.doc_type),
        ..given
    };
    let (m, _) = ex.document_meta(Some(&given), opening, "x.txt", None);
    assert_eq!(
        (&*m.region, &*m.code, &*m.code_now, &*m.doc_type),
        (
            "河北省保定市徐水区",
            "130625",
            "130609",
            "statistical_bulletin"
        )
    );
    // Today's report keeps today's code in both columns.
    let m = ex.detect_meta(
        "——2019年1月29日在保定市徐水区第二届人民代表大会第三次会议上\n",
        "x.txt",
    );
    assert_eq!((&*m.code, &*m.code_now), ("130609", "130609"));
}
