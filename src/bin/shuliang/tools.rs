//! The commands on outputs and rule files: `diff` and `stats` (which read
//! an output of `extract`), and `rules test`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use shuliang::output::stats::Stats;
use shuliang::read::capped::{LineCap, LONGEST_ROW};
use shuliang::run::provenance;
use shuliang::tools::{check, diff};

use super::args::{DiffArgs, DiffFormat, StatsArgs};
use super::{exit_code, load_rules, start_bom};

pub(super) fn open_csv(path: &str) -> Result<Box<dyn std::io::Read>> {
    Ok(if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?)
    })
}

/// Two outputs of `extract` compared (`-`: stdin, spooled to a temporary
/// file since a diff reads each side twice), for `diff` and `view --diff`.
pub(super) fn read_diff(old: &str, new: &str) -> Result<diff::Diff> {
    let spool = |path: &str| -> Result<Option<tempfile::NamedTempFile>> {
        if path != "-" {
            return Ok(None);
        }
        let mut file = tempfile::NamedTempFile::new().context("cannot spool stdin")?;
        std::io::copy(&mut std::io::stdin().lock(), &mut file).context("cannot spool stdin")?;
        Ok(Some(file))
    };
    let (old_spool, new_spool) = (spool(old)?, spool(new)?);
    let path = |given: &str, spooled: &Option<tempfile::NamedTempFile>| {
        spooled
            .as_ref()
            .map_or(Path::new(given).to_path_buf(), |f| f.path().to_path_buf())
    };
    let (old_path, new_path) = (path(old, &old_spool), path(new, &new_spool));
    diff::diff(old_path.as_path(), new_path.as_path())
        .map_err(|e| anyhow::anyhow!("comparing {old} with {new}: {e}"))
}

pub(super) fn diff_cmd(args: DiffArgs) -> Result<ExitCode> {
    if args.bom && matches!(args.format, DiffFormat::Text) {
        anyhow::bail!("--bom is for --format csv (read by Excel)");
    }
    let d = read_diff(&args.old, &args.new)?;
    let mut out = std::io::stdout().lock();
    // Which rules made each side, where the runs left summaries.
    let summary_of = |given: &Option<String>, output: &str| {
        let beside = Path::new(output).with_extension("summary.json");
        given.as_ref().map_or(beside, Into::into)
    };
    let (old_summary, new_summary) = (
        summary_of(&args.summary_old, &args.old),
        summary_of(&args.summary_new, &args.new),
    );
    if let (DiffFormat::Text, Some(line)) = (
        args.format,
        provenance::rules_compared(&old_summary, &new_summary),
    ) {
        writeln!(out, "{line}")?;
    }
    match args.format {
        DiffFormat::Text => out.write_all(d.render().as_bytes())?,
        DiffFormat::Csv => {
            start_bom(args.bom, &mut out)?;
            out.write_all(&d.to_csv(args.bom))?
        }
    }
    Ok(exit_code(!d.is_empty()))
}

pub(super) fn stats_cmd(args: StatsArgs) -> Result<ExitCode> {
    let ex = load_rules(args.rules.as_deref())?;
    let csv = LineCap::new(open_csv(&args.csv)?, LONGEST_ROW);
    let stats = Stats::from_csv(csv).map_err(|e| anyhow::anyhow!("{}: {e}", args.csv))?;
    std::io::stdout()
        .lock()
        .write_all(stats.render(ex.rules()).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn rules_test(file: Option<&str>) -> Result<ExitCode> {
    let ex = load_rules(file)?;
    let report = check::run_examples(&ex);
    let mut out = std::io::stdout().lock();
    for f in &report.failures {
        writeln!(out, "{f}")?;
    }
    for u in &report.untested {
        writeln!(out, "{u}")?;
    }
    let ok = report.failures.is_empty() && report.untested.is_empty();
    writeln!(
        out,
        "{} examples: {} passed, {} failed; {} rules, {} exclusions and {} indicators",
        report.run,
        report.run - report.failures.len(),
        report.failures.len(),
        ex.rules().rules().len(),
        ex.rules().exclusions().len(),
        ex.rules().indicators().len()
    )?;
    Ok(exit_code(!ok))
}
