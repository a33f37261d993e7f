//! `panel` and `scorecard`: the headline figures of a run, written as the
//! panel (long, wide or the check) or as the scorecard.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use shuliang::output::panel::{self, Panel};
use shuliang::output::scorecard;
use shuliang::run::batch;
use shuliang::run::outfile::{self, write_to};

use super::args::{HeadlineArgs, PanelArgs, PanelFormat};
use super::say::say;
use super::{checked_rules, exit_code, job, output_path, start_bom, warner};

/// The panel's cells of `args`' inputs (with levels when `levels`), what
/// `panel --check` says of each report, and the run's summary.
fn headline_cells(
    args: &HeadlineArgs,
    levels: bool,
) -> Result<(Vec<panel::Cell>, Vec<panel::Check>, batch::Summary)> {
    let ex = checked_rules(args.rules.as_deref())?;
    let warn = warner(args.quiet);
    let mut job = job(&ex, &args.paths, &args.glob, args.manifest.as_deref())?;
    let outputs: Vec<_> = output_path(args.output.as_deref())
        .into_iter()
        .map(Path::to_path_buf)
        .collect();
    let inputs = job.inputs().filter_map(|i| i.path);
    outfile::check_outputs(inputs, &outputs, &[])?;
    job.options.pre = args.pre.clone();
    job.options.convert = args.limits.converter()?;
    job.threads = args.threads.map(usize::from);
    let mut panel = Panel::new(args.indicators.iter().cloned(), ex.rules()).with_levels(levels);
    let summary = job.run(&mut panel, |e| warn(e))?;
    let (cells, checks) = panel.finish(&job.order());
    Ok((cells, checks, summary))
}

/// Each warning on stderr, unless quiet.
fn warn_all(quiet: bool, warnings: impl IntoIterator<Item = String>) {
    warnings
        .into_iter()
        .for_each(|w| warner(quiet)(&w as &dyn std::fmt::Display));
}

pub fn panel(args: PanelArgs) -> Result<ExitCode> {
    let a = &args.inputs;
    if a.format != PanelFormat::Csv && (args.wide || args.check || a.bom) {
        bail!("--wide, --check and --bom are written as CSV only");
    }
    let (cells, checks, summary) = headline_cells(a, args.levels)?;
    warn_all(a.quiet, checks.iter().filter_map(|c| c.warning()));
    let warnings = write_to(output_path(a.output.as_deref()), |out| -> Result<_> {
        start_bom(a.bom, out)?;
        match a.format {
            _ if args.check => panel::write_checks(&checks, a.bom, out).map(|()| Vec::new()),
            PanelFormat::Csv => panel::write(&cells, args.wide, a.bom, out),
            #[cfg(feature = "parquet")]
            PanelFormat::Parquet => Ok(panel::write_parquet(&cells, out).map(|()| Vec::new())?),
        }
        .map_err(Into::into)
    })?;
    warn_all(a.quiet, warnings);
    if !a.quiet {
        say(&format!(
            "shuliang: {} files read, {} skipped, {} panel cells written",
            summary.read,
            summary.skipped,
            cells.len()
        ));
    }
    Ok(exit_code(summary.skipped > 0))
}

pub fn scorecard(args: HeadlineArgs) -> Result<ExitCode> {
    if args.format != PanelFormat::Csv && args.bom {
        bail!("--bom is for CSV, not --format parquet");
    }
    let (cells, _, summary) = headline_cells(&args, true)?;
    let (rows, warnings) = scorecard::scorecard(&cells, &args.indicators);
    warn_all(args.quiet, warnings);
    write_to(output_path(args.output.as_deref()), |out| -> Result<()> {
        start_bom(args.bom, out)?;
        match args.format {
            PanelFormat::Csv => scorecard::write(&rows, args.bom, out)?,
            #[cfg(feature = "parquet")]
            PanelFormat::Parquet => scorecard::write_parquet(&rows, out)?,
        }
        Ok(())
    })?;
    if !args.quiet {
        say(&format!(
            "shuliang: {} files read, {} skipped, {} scorecard rows written ({} with met)",
            summary.read,
            summary.skipped,
            rows.len(),
            rows.iter().filter(|r| r.met().is_some()).count()
        ));
    }
    Ok(exit_code(summary.skipped > 0))
}
