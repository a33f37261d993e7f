//! Outputs of `extract` read back, CSV or JSON lines, for `diff` and `stats`.

/// Rows of an output read back, as text fields in column order.
pub type Records<'a> = Box<dyn Iterator<Item = Result<Vec<String>, String>> + 'a>;

/// Reads an output of `extract` back, CSV or JSONL (told apart by a first
/// `{`): the column names, then each row's fields as the CSV writes them
/// (a JSON `null` is an empty field, a number its text), so `diff` and
/// `stats` take either format.
pub fn read_output<'a>(
    input: impl std::io::Read + 'a,
) -> Result<(Vec<String>, Records<'a>), String> {
    use std::io::BufRead;
    let mut input = std::io::BufReader::new(input);
    let jsonl = input
        .fill_buf()
        .map_err(|e| e.to_string())?
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        == Some(&b'{');
    if !jsonl {
        let mut rd = csv::Reader::from_reader(input);
        let columns = rd.headers().map_err(|e| e.to_string())?;
        let columns = columns.iter().map(str::to_string).collect();
        let rows = rd.into_records().map(|r| {
            r.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| e.to_string())
        });
        return Ok((columns, Box::new(rows)));
    }
    let mut lines = input
        .lines()
        .enumerate()
        .filter(|(_, l)| l.as_ref().map_or(true, |l| !l.trim().is_empty()));
    let object = |(i, line): (usize, std::io::Result<String>)| {
        let line = line.map_err(|e| e.to_string())?;
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&line)
            .map_err(|e| format!("line {}: {e}", i + 1))
    };
    let Some(first) = lines.next().map(object).transpose()? else {
        return Ok((Vec::new(), Box::new(std::iter::empty())));
    };
    let columns: Vec<String> = first.keys().cloned().collect();
    let field = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let names = columns.clone();
    let row = move |m: serde_json::Map<String, serde_json::Value>| -> Vec<String> {
        names
            .iter()
            .map(|n| m.get(n).map_or(String::new(), field))
            .collect()
    };
    let first = row.clone()(first);
    let rest = lines.map(move |l| object(l).map(&row));
    Ok((columns, Box::new(std::iter::once(Ok(first)).chain(rest))))
}
