use super::*;

fn err(text: &str) -> String {
    RuleSet::parse(text, "t.toml").unwrap_err().to_string()
}

const UNITS: &str = "[[unit]]\nnames = [\"元\"]\nkind = \"money\"\nunit = \"CNY\"\n";

#[test]
fn errors_name_file_line_and_rule() {
    let e = err(&format!(
        "{UNITS}\n[[rule]]\nid = \"m\"\npattern = '(?P<num>[0-9]+)(?P<unit>{{unit:money}}'\n"
    ));
    assert!(
        e.starts_with("t.toml:6: rule `m`: pattern does not compile"),
        "{e}"
    );
    let e = err(&format!(
        "{UNITS}\n[[rule]]\nid = \"m\"\npattern = '(?P<num>{{numbr}})'\nkind = \"count\"\n"
    ));
    assert!(
        e.starts_with("t.toml:6: rule `m`: unknown fragment `{numbr}`"),
        "{e}"
    );
    let e = err(&format!(
        "{UNITS}\n[[rule]]\nid = \"m\"\npattern = '(?P<num>1)(?P<unit>{{unit:mony}})'\n"
    ));
    assert!(e.contains("no unit class `mony`"), "{e}");
    let e = err("[[unit]]\nnames = [\"x\"]\nkind = \"weight\"\n");
    assert!(
        e.starts_with("t.toml:1: rule `x`: unknown kind `weight`"),
        "{e}"
    );
    let e = err(&format!(
        "{UNITS}\n[[rule]]\nid = \"m\"\npattern = '(?P<num>[0-9]+)(?P<unit>{{unit:money}})'\n\n[[indicator]]\nid = \"gdp\"\nabout = \"GDP\"\nnames = [\"生产总值\"]\nlevel = \"mony\"\n"
    ));
    assert!(
        e.starts_with("t.toml:10: rule `gdp`: unknown kind `mony`"),
        "{e}"
    );
    let e = err("[[rule]\nid = 1\n");
    assert!(e.starts_with("t.toml:1: "), "{e}");
}

#[test]
fn empty_files_conflicting_units_and_exploding_fragments_are_refused() {
    assert!(err("").contains("no [[rule]]"));
    let twice = format!("{UNITS}[[unit]]\nnames = [\"元\"]\nkind = \"count\"\n");
    assert!(err(&twice).contains("unit `元` is already defined"));
    let mut nested = format!("{UNITS}[fragments]\nf0 = 'x'\n");
    for i in 1..=12 {
        nested.push_str(&format!(
            "f{i} = '{{f{}}}{{f{}}}{{f{}}}{{f{}}}'\n",
            i - 1,
            i - 1,
            i - 1,
            i - 1
        ));
    }
    nested.push_str("[[rule]]\nid = \"m\"\npattern = '(?P<num>{f12})'\nkind = \"count\"\n");
    assert!(
        err(&nested).contains("expands to more than"),
        "{}",
        err(&nested)
    );
}

#[test]
fn fragments_expand_and_cycles_are_caught() {
    let ok = format!("{UNITS}[fragments]\nd = '[0-9]+'\nn = '{{d}}(?:\\.{{d}})?'\n[[rule]]\nid = \"m\"\npattern = '(?P<num>{{n}})(?P<unit>{{unit:money}})'\n");
    let rs = RuleSet::parse(&ok, "t.toml").unwrap();
    assert!(rs.rules[0].regex.get().is_match("3.5元"));
    let e = err(&format!("{UNITS}[fragments]\na = '{{b}}'\nb = '{{a}}'\n[[rule]]\nid = \"m\"\npattern = '(?P<num>{{a}})'\nkind = \"count\"\n"));
    assert!(e.contains("cycle"), "{e}");
}

#[test]
fn stand_ins_and_warnings_are_checked_when_loading() {
    let rule = "[[rule]]\nid = \"m\"\npattern = '(?P<num>[0-9]+)(?P<unit>{unit:money})'\n";
    let e = err(&format!(
        "{UNITS}[stand_ins]\nletters = {{ \"O\" = \"o\" }}\n{rule}"
    ));
    assert!(
        e.contains("letter `O` = `o`: an ASCII letter for an ASCII digit"),
        "{e}"
    );
    let e = err(&format!(
        "{UNITS}[stand_ins]\nstrings = {{ \"_\" = \"%\" }}\n{rule}"
    ));
    assert!(e.contains("two or more characters for one"), "{e}");
    let e = err(&format!("{UNITS}{rule}warn = \"no\"\n"));
    assert!(e.contains("`warn` is for [[exclude]] entries"), "{e}");
    let ok = format!(
        "{UNITS}[stand_ins]\nstrings = {{ \"_M_M_\" = \"％\" }}\nletters = {{ \"l\" = \"1\" }}\nafter = '{{unit:money}}'\n{rule}"
    );
    let rs = RuleSet::parse(&ok, "t.toml").unwrap();
    assert!(rs.fold.has_stand_ins());
    let flat = crate::text::normalize::Flat::new("3_M_M_，l2元", &rs.fold);
    assert_eq!(flat.text, "3%,12元");
}

#[test]
fn default_rules_load() {
    let rs = RuleSet::default_rules().unwrap();
    assert_eq!(rs.sha256, identity_of(DEFAULT_RULES));
    // The embedded file's table patterns are compiled on first use,
    // unchecked: loaded as any other file, they all compile.
    RuleSet::parse(DEFAULT_RULES, DEFAULT_RULES_NAME).unwrap();
    assert!(!rs.rules.is_empty());
    assert!(!rs.excludes.is_empty());
}
