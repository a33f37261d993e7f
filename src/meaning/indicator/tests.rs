use crate::{Extractor, RuleSet};

fn read(text: &str) -> Vec<(String, String, String, String)> {
    let ex = Extractor::new(RuleSet::default_rules().unwrap());
    ex.extract(text)
        .into_iter()
        .map(|q| {
            (
                q.indicator.clone(),
                q.indicator_id.as_deref().unwrap_or("").to_string(),
                q.change.unwrap_or("").to_string(),
                q.status.unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn t(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into())
}

#[test]
fn indicators_changes_and_status() {
    assert_eq!(
        read("全年地区生产总值增长3%，一般公共预算收入增长1.2%，完成固定资产投资99.7亿元。"),
        [
            t("地区生产总值", "gdp", "increase", ""),
            t("一般公共预算收入", "general_budget_revenue", "increase", ""),
            t("固定资产投资", "fixed_asset_investment", "", "actual"),
        ]
    );
    assert_eq!(
        read("PM10、PM2.5同比分别改善 5.94%、8.77%，优良天数达到 251天。"),
        [
            t("PM10", "pm10", "increase", "actual"),
            t("PM2.5", "pm25", "increase", "actual"),
            t("优良天数", "good_air_days", "", "actual"),
        ]
    );
    assert_eq!(
        read("今年的主要预期目标是：地区生产总值增长6%左右。")[0],
        t("地区生产总值", "gdp", "increase", "target")
    );
    assert_eq!(read("王斌庄村5200余名群众的吃水问题")[0].0, "群众");
}

#[test]
fn nouns_not_fragments() {
    let ind = |text: &str| -> Vec<String> { read(text).into_iter().map(|r| r.0).collect() };
    // A shared measure goes to every item of a 分别 list.
    assert_eq!(
        ind("城镇和农村居民人均可支配收入分别增长6.5%左右、7.5%左右"),
        ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    );
    assert_eq!(
        ind("生产安全事故起数、死亡人数分别下降15.5%、11%"),
        ["生产安全事故起数", "生产安全事故死亡人数"]
    );
    // The counted noun, without the verb after it; quotes inside a noun.
    assert_eq!(ind("推进神农设施等8个大科学装置建设"), ["大科学装置"]);
    assert_eq!(ind("“四上”企业达到229家"), ["“四上”企业"]);
    // A noun between a level word and the number; `由…增至…`.
    assert_eq!(ind("惠及学生3400多万人次"), ["学生"]);
    assert_eq!(
        ind("汽车保有量由2552万辆增至3230万辆"),
        ["汽车保有量", "汽车保有量"]
    );
    // 增加值 and 覆盖率 are nouns, not change words.
    assert_eq!(read("第一产业增加值331亿元")[0].0, "第一产业增加值");
    assert_eq!(
        ind("紧密型集团化办学覆盖率达70.4%"),
        ["紧密型集团化办学覆盖率"]
    );
    // One character is never an indicator.
    assert_eq!(ind("〔共印480份〕"), [""]);
}

#[test]
fn remarks_notes_and_plans_name_nothing() {
    let ids = |text: &str| -> Vec<String> { read(text).into_iter().map(|r| r.1).collect() };
    // A rank with a number of its own, a record, a threshold crossed:
    // the growth rate after them is of the indicator before them.
    assert_eq!(
        ids("全市地区生产总值达到2920亿元、总量居全省第5位，增长6.7%"),
        ["gdp", "gdp"]
    );
    assert_eq!(
        ids("GDP总量实现1035.61亿元，首次突破1000亿元大关，增长8.6%"),
        ["gdp", "gdp", "gdp"]
    );
    // ... but a number inside a rank is a rank.
    assert_eq!(
        ids("外贸进出口增长27.1%、增幅居全省前列，居全国外贸百强市66位"),
        ["foreign_trade", ""]
    );
    // A comparability note names nothing; `在` before a number is no name.
    assert_eq!(
        ids("其中地方一般预算收入1.06亿元，可比增长13%"),
        ["general_budget_revenue", "general_budget_revenue"]
    );
    assert_eq!(ids("居民消费价格总水平涨幅在3%以内"), ["cpi"]);
    // A plan fulfilled is no figure of the indicator, nor of the one before.
    assert_eq!(ids("工业生产总值计划完成102.6%"), [""]);
    assert_eq!(
        read("一般公共预算收入完成8亿元，完成年度预算的102%")[1],
        t("年度预算", "", "", "actual")
    );
    // A verb inside a listed name does not cut it; a misspelling is read right.
    assert_eq!(
        ids("500万元以上固定资产完成投资增长21%")[1],
        "fixed_asset_investment"
    );
    assert_eq!(ids("一般公共预算收人增长6%"), ["general_budget_revenue"]);
    // A sub-level's figure, and a sub-group's before a place-like word.
    assert_eq!(ids("市级一般公共预算收入增长7.5%"), [""]);
    assert_eq!(ids("脱贫县农民收入增长6.9%"), [""]);
}

#[test]
fn derived_measures_keep_no_base_id() {
    let id = |text: &str| read(text)[0].1.clone();
    assert_eq!(
        id("服务业增加值占地区生产总值比重达到55%"),
        "tertiary_share"
    );
    assert_eq!(id("海洋生产总值增长5%"), "");
    assert_eq!(id("单位GDP能耗下降3%"), "energy_intensity");
    assert_eq!(id("工业投资增长10%"), "industrial_investment");
    assert_eq!(id("网络零售额增长12%"), "online_retail_sales");
    assert_eq!(id("国民生产总值增长4.5%"), "gnp");
    assert_eq!(id("县域生产总值增长8%"), "gdp");
    assert_eq!(id("全省县域地区生产总值增长6%"), "");
}
