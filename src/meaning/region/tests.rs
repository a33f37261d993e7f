use super::*;

fn r(written: &str, context: &str) -> Option<(String, &'static str, String)> {
    Divisions::bundled(&Fold::new([]))
        .unwrap()
        .resolve(written, context)
        .map(|p| (p.name, p.level.as_str(), p.code))
}

fn s(name: &str, level: &'static str, code: &str) -> Option<(String, &'static str, String)> {
    Some((name.to_string(), level, code.to_string()))
}

#[test]
fn full_and_short_names() {
    assert_eq!(r("保定", ""), s("河北省保定市", "prefecture", "130600"));
    assert_eq!(r("阜平县", ""), s("河北省保定市阜平县", "county", "130624"));
    assert_eq!(r("六安市", ""), s("安徽省六安市", "prefecture", "341500"));
    assert_eq!(r("内蒙古", ""), s("内蒙古自治区", "province", "150000"));
    assert_eq!(r("北京市", ""), s("北京市", "province", "110000"));
    assert_eq!(
        r("中华人民共和国", ""),
        s("中华人民共和国", "national", "100000")
    );
    assert_eq!(
        r("宁夏回族自治区", ""),
        s("宁夏回族自治区", "province", "640000")
    );
    assert_eq!(
        r("呼伦贝尔市海拉尔区", ""),
        s("内蒙古自治区呼伦贝尔市海拉尔区", "county", "150702")
    );
    assert_eq!(
        r("湖北省恩施州恩施市", ""),
        s("湖北省恩施土家族苗族自治州恩施市", "county", "422801")
    );
    assert_eq!(r("天门市", ""), s("湖北省天门市", "county", "429006"));
    assert_eq!(
        r("锡林郭勒盟", ""),
        s("内蒙古自治区锡林郭勒盟", "prefecture", "152500")
    );
}

#[test]
fn older_types_and_ambiguous_names() {
    assert_eq!(r("清苑县", ""), s("河北省保定市清苑区", "county", "130608"));
    assert_eq!(
        r("保定市徐水县", ""),
        s("河北省保定市徐水区", "county", "130609")
    );
    assert_eq!(r("满城县", ""), s("河北省保定市满城区", "county", "130607"));
    // 朝阳区 is in Beijing and in Changchun: only a parent decides.
    assert_eq!(r("朝阳区", ""), None);
    assert_eq!(
        r("朝阳区", "北京市朝阳区人民政府"),
        s("北京市朝阳区", "county", "110105")
    );
    assert_eq!(r("北京市朝阳区", ""), s("北京市朝阳区", "county", "110105"));
    assert_eq!(r("地方", ""), None);
    assert_eq!(
        r("江苏省无锡市新吴区（无锡高新区）", ""),
        s("江苏省无锡市新吴区", "county", "320214")
    );
}

#[test]
fn a_type_alone_is_resolved_by_the_name_mentioned() {
    let d = Divisions::bundled(&Fold::new([])).unwrap();
    let common = ["合作".to_string()];
    let m = |text: &str, kind: char| d.by_mention(text, kind, &common).map(|p| p.name);
    assert_eq!(
        m("也是中山改革发展承上启下的关键一年", '市'),
        Some("广东省中山市".into())
    );
    assert_eq!(
        m("也是桦川振兴发展进程中极不寻常", '县'),
        Some("黑龙江省佳木斯市桦川县".into())
    );
    assert_eq!(m("各位代表", '县'), None);
    // 枝江市 is one of 宜昌's counties: the city wins a tie.
    assert_eq!(m("宜昌枝江", '市'), Some("湖北省宜昌市".into()));
    assert_eq!(m("加强合作", '市'), None);
    assert_eq!(
        m("加强合作。合作市", '市'),
        Some("甘肃省甘南藏族自治州合作市".into())
    );
    // A county that became a district still calls itself 县 in old reports.
    assert_eq!(
        m("我代表县政府。清苑", '县'),
        Some("河北省保定市清苑区".into())
    );
}

#[test]
fn codes_and_names_of_a_reports_year() {
    let d = Divisions::bundled(&Fold::new([])).unwrap();
    let at = |code: &str, year: Option<i32>| {
        let p = d.by_code_in(code, year).unwrap();
        (p.name, p.code)
    };
    let xian = ("河北省保定市徐水县".to_string(), "130625".to_string());
    let qu = ("河北省保定市徐水区".to_string(), "130609".to_string());
    // Approved in 2015, after that year's report: 2015 is still the county's.
    assert_eq!(at("130609", Some(2013)), xian);
    assert_eq!(at("130609", Some(2015)), xian);
    assert_eq!(at("130609", Some(2016)), qu);
    assert_eq!(at("130609", None), qu);
    // An earlier code stands for today's division.
    assert_eq!(at("130625", None), qu);
    assert_eq!(at("130625", Some(2012)), xian);
    // The parent's name of the year too: 呼伦贝尔盟 until 2001.
    assert_eq!(
        at("150702", Some(2001)),
        ("内蒙古自治区呼伦贝尔盟海拉尔市".into(), "152101".into())
    );
    assert_eq!(
        at("150702", Some(2002)),
        ("内蒙古自治区呼伦贝尔市海拉尔区".into(), "150702".into())
    );
    // Unchanged divisions and unknown codes.
    assert_eq!(at("130624", Some(1990)).1, "130624");
    assert!(d.by_code_in("999999", Some(2000)).is_none());
}

#[test]
fn a_bad_history_line_is_an_error() {
    let d = || Divisions::parse(TABLE, &Fold::new([])).unwrap();
    let err = d().with_history("130609\t130625\t徐水县\n").unwrap_err();
    assert_eq!(err.line, 1);
    assert!(d().with_history("999999\t1\t某县\t2015\tx\n").is_err());
    assert!(d()
        .with_history("130609\t130625\t徐水县\tlater\tx\n")
        .is_err());
}
