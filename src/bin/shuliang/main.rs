//! The `shuliang` command line: parses arguments ([`args`]) and wires the
//! library's stages; every flag and its help text is in `args.rs`.

mod args;
mod headline;
mod say;
mod tools;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, ensure, Context, Result};
use args::*;
use clap::Parser;
use say::{message, printable, say};
use shuliang::output::scorecard;
use shuliang::output::Bytes;
use shuliang::read::convert;
use shuliang::run::batch::{self, Selection};
use shuliang::run::outfile::{self, write_to};
use shuliang::run::{progress, provenance, stream, Job};
use shuliang::tools::check;
use shuliang::{Extractor, RuleSet};

/// Loads a rule file (the embedded one by default).
fn load_rules(path: Option<&str>) -> Result<Extractor> {
    let rules = match path {
        Some(p) => RuleSet::from_path(p)?,
        None => RuleSet::default_rules()?,
    };
    Ok(Extractor::new(rules))
}

/// Loads a rule file and checks its examples: a rule file whose examples
/// fail is refused like one that does not parse. The embedded rules'
/// examples are checked by `cargo test` and `rules test`, not on every start.
fn checked_rules(path: Option<&str>) -> Result<Extractor> {
    let ex = load_rules(path)?;
    if path.is_none() {
        return Ok(ex);
    }
    match check::run_examples(&ex).refusal("`shuliang rules test`") {
        Some(why) => Err(anyhow::anyhow!(why)),
        None => Ok(ex),
    }
}

/// Starts `out` with a byte-order mark when `bom` (for Excel).
fn start_bom(bom: bool, out: &mut dyn Write) -> std::io::Result<()> {
    if bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    Ok(())
}

/// The file `-o` names; `-o -`, like no `-o`, is standard output, as for
/// every Unix tool.
fn output_path(output: Option<&str>) -> Option<&Path> {
    output.filter(|&o| o != "-").map(Path::new)
}

fn warner(quiet: bool) -> impl Fn(&dyn std::fmt::Display) + Copy + Send {
    move |e| {
        if !quiet {
            say(&format!("shuliang: warning: {}", printable(&e.to_string())));
        }
    }
}

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let c = &args.common;
    let started_at = provenance::now();
    let ex = checked_rules(c.rules.as_deref())?;
    let warner = warner(c.quiet);
    let skipped_files = provenance::Skipped::default();
    let warn = |e: &shuliang::Error| {
        skipped_files.hear(e);
        warner(e)
    };
    if args.bom && matches!(c.format, OutputFormat::Jsonl) {
        anyhow::bail!("--bom is for CSV read by Excel; JSON lines must not start with one");
    }
    let mut job = job(&ex, &args.paths, &args.glob, args.manifest.as_deref())?;
    let output = output_path(args.output.as_deref());
    let summary_path = args.summary.as_deref().map(Path::new);
    let save_text = checked_outputs(&job, output, summary_path, args.save_text.as_deref())?;
    // Started now, so that a summary that cannot be written stops the run before it starts.
    let mut summary_file = summary_path.map(outfile::Pending::create).transpose()?;
    let bar = (!c.quiet)
        .then(|| progress::Bar::new(job.inputs()))
        .flatten();
    job.options = batch::Options {
        limits: Default::default(),
        pre: args.pre.clone(),
        save_text,
        progress: bar.as_ref().map(progress::Bar::progress),
        convert: args.limits.converter()?,
        digest: args.summary.is_some(),
    };
    job.threads = c.threads.map(usize::from);
    let started = std::time::Instant::now();
    let fmt = c.format.writer(job.extra().to_vec(), false, args.bom);
    let summary = write_to(output, |out| -> Result<_> {
        let mut out = provenance::HashingWriter::new(out, summary_file.is_some());
        let summary = run_as(&job, fmt.as_deref(), args.bom, &mut out, warn)?;
        // The summary is on the disk before the output replaces the old one.
        if let Some(file) = summary_file.as_mut() {
            let (skipped, warnings) = skipped_files.lists();
            let run = provenance::Run {
                rules: ex.rules(),
                command: std::env::args().collect(),
                started: started_at,
                ended: provenance::now(),
                threads: summary.threads,
                skipped,
                warnings,
                output: (
                    out.sha256()
                        .expect("the output is hashed when a summary is asked for"),
                    output.map_or("-".into(), |p| p.display().to_string()),
                ),
                counts: &summary,
                skipped_count: summary.skipped,
                seconds: started.elapsed().as_secs_f64(),
            };
            run.write(&mut *file)?;
            file.sync()?;
        }
        Ok(summary)
    })?;
    if let Some(file) = summary_file {
        file.commit()?;
    }
    if let Some(bar) = &bar {
        bar.finish();
    }
    if args.stats {
        let _ = write!(std::io::stderr(), "{}", summary.stats.render(ex.rules()));
    }
    if !c.quiet {
        report(&summary, started.elapsed().as_secs_f64());
    }
    Ok(exit_code(summary.skipped > 0))
}

/// Checks that no output (`-o`, `--summary`, a text saved under
/// `save_text`) is an input or another output, and makes the save folder.
fn checked_outputs(
    job: &Job<'_>,
    output: Option<&Path>,
    summary: Option<&Path>,
    save_text: Option<&str>,
) -> Result<Option<outfile::SaveFolder>> {
    let save_text = save_text
        .map(|d| outfile::SaveFolder::new(Path::new(d)))
        .transpose()?;
    let mut saved: Vec<_> = save_text
        .iter()
        .flat_map(|dir| job.inputs().map(|i| batch::save_path(dir.path(), &i)))
        .collect();
    // A file named twice is saved twice, to one place.
    saved.sort();
    saved.dedup();
    let outputs: Vec<_> = output
        .into_iter()
        .chain(summary)
        .map(Path::to_path_buf)
        .collect();
    let inputs = job.inputs().filter_map(|i| i.path);
    outfile::check_outputs(inputs, &outputs, &saved)?;
    Ok(save_text)
}

/// Runs `job` into `out` in the byte format `fmt` (after a byte-order
/// mark with `bom`), or as a Parquet table when there is none.
fn run_as(
    job: &Job<'_>,
    fmt: Option<&dyn shuliang::output::Format>,
    bom: bool,
    out: &mut (dyn Write + Send),
    warn: impl FnMut(&shuliang::Error) + Send,
) -> Result<batch::Summary> {
    ensure!(
        fmt.is_some() || !bom,
        "--bom is for CSV, not --format parquet"
    );
    start_bom(bom, out)?;
    let Some(fmt) = fmt else {
        #[cfg(feature = "parquet")]
        {
            let mut sink = shuliang::output::parquet::Parquet::new(out, job.extra())?;
            let summary = job.run(&mut sink, warn)?;
            sink.finish()?;
            return Ok(summary);
        }
        #[cfg(not(feature = "parquet"))]
        unreachable!("without the parquet feature every format is bytes");
    };
    Ok(job.run(&mut Bytes::new(fmt, out), warn)?)
}

/// What `extract` says on stderr when it is done.
fn report(summary: &batch::Summary, secs: f64) {
    say(&format!(
        "shuliang: {} files read, {} skipped, {} rows written ({:.1} MB in {secs:.2} s)",
        summary.read,
        summary.skipped,
        summary.rows,
        summary.bytes as f64 / 1e6,
    ));
    let kinds: Vec<String> = summary
        .stats
        .by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if !kinds.is_empty() {
        say(&format!("shuliang: rows by kind: {}", kinds.join(", ")));
    }
}

/// The job over `paths`, selected by `glob`, with a manifest applied
/// ([`batch::gather`]).
fn job<'a>(
    ex: &'a Extractor,
    paths: &[std::path::PathBuf],
    glob: &[String],
    manifest: Option<&str>,
) -> Result<Job<'a>> {
    let sel = Selection::new(glob).context("bad --glob")?;
    let manifest = manifest
        .map(|m| tools::open_csv(m).map(|r| (m, r)))
        .transpose()?;
    Ok(Job::gather(ex, paths, &sel, manifest)?)
}

/// Exit code 1 when some input was skipped or the outputs differ.
fn exit_code(some: bool) -> ExitCode {
    if some {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn stream_cmd(args: StreamArgs) -> Result<ExitCode> {
    let c = &args.common;
    let ex = checked_rules(c.rules.as_deref())?;
    let Some(fmt) = c.format.writer(args.keep.clone(), !args.header, false) else {
        bail!("--format parquet is for `extract` and `panel`: a stream writes rows as they come");
    };
    let warn = warner(c.quiet);
    let stdin: Box<dyn std::io::BufRead + Send> =
        Box::new(std::io::BufReader::new(std::io::stdin()));
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let summary = stream::run(
        stdin,
        &ex,
        &mut Bytes::new(&*fmt, &mut out),
        (&args.keep, (args.max_line as usize) << 20),
        c.threads.map(usize::from),
        |b| warn(b),
    )?;
    if !c.quiet {
        say(&format!(
            "shuliang: {} documents read, {} lines skipped, {} rows written",
            summary.read, summary.skipped, summary.rows
        ));
    }
    Ok(exit_code(summary.skipped > 0))
}

fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let ex = load_rules(args.rules.as_deref())?;
    let (text, name) = match (&args.text, &args.file) {
        (Some(t), _) => (t.clone(), String::new()),
        (None, Some(f)) => {
            let opts = batch::Options {
                convert: args.limits.converter()?,
                ..Default::default()
            };
            (batch::read_document(f, &opts)?, f.clone())
        }
        (None, None) => unreachable!("clap requires one"),
    };
    let year = args
        .year
        .or_else(|| ex.detect_meta(&text, &name).year.parse().ok());
    let page = ex.explain(&text).render(ex.rules(), args.at, year);
    std::io::stdout().lock().write_all(page.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn view_cmd(args: ViewArgs) -> Result<ExitCode> {
    let output = output_path(args.output.as_deref());
    let outputs: Vec<_> = output.into_iter().map(Path::to_path_buf).collect();
    let inputs = std::iter::once(&args.file).chain(&args.diff);
    outfile::check_outputs(inputs.map(Path::new), &outputs, &[])?;
    let ex = checked_rules(args.rules.as_deref())?;
    let mut view = shuliang::tools::view::View::read(&args.file, &ex, args.limits.converter()?)?;
    if let [old, new] = args.diff.as_slice() {
        view.mark_diff(&tools::read_diff(old, new)?);
    }
    let html = view.to_html();
    write_to(output, |out| -> Result<()> {
        Ok(out.write_all(html.as_bytes())?)
    })?;
    Ok(ExitCode::SUCCESS)
}

/// A panic is reported in one line (what and where), not Rust's banner.
fn panic_line(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic");
    let at = info
        .location()
        .map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
    say(&format!("shuliang: panic: {}{at}", printable(what)));
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(panic_line));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
        Command::Panel(args) => headline::panel(args),
        Command::Scorecard(args) => headline::scorecard(args),
        Command::Stream(args) => stream_cmd(args),
        Command::Explain(args) => explain(args),
        Command::Diff(args) => tools::diff_cmd(args),
        Command::Stats(args) => tools::stats_cmd(args),
        Command::Schema { rules, scorecard } => load_rules(rules.as_deref()).and_then(|ex| {
            let schema = if scorecard {
                scorecard::columns::schema()
            } else {
                shuliang::output::schema::table_schema(ex.rules())
            };
            let json = serde_json::to_string_pretty(&schema)?;
            writeln!(std::io::stdout().lock(), "{json}")?;
            Ok(ExitCode::SUCCESS)
        }),
        Command::View(args) => view_cmd(args),
        Command::Rules(RulesCommand::Test { file }) => tools::rules_test(file.as_deref()),
        Command::Convert { kind } => return ExitCode::from(convert::serve(&kind)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`| head`) is how a reader says it has enough.
            let broken_pipe = |c: &(dyn std::error::Error + 'static)| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            };
            if e.chain().any(broken_pipe) {
                return ExitCode::SUCCESS;
            }
            say(&format!("shuliang: error: {}", printable(&message(&e))));
            ExitCode::from(2)
        }
    }
}
