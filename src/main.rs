//! The `shuliang` command line: parses arguments and wires the library's stages.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use shuliang::batch::{self, Selection};
use shuliang::output::{Csv, Format, Jsonl};
use shuliang::stats::Stats;
use shuliang::{check, diff, stream, Extractor, RuleSet};

/// Every quantity in Chinese government reports, as normalized CSV.
#[derive(Parser)]
#[command(name = "shuliang", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract quantities from files and folders (recursively; `-` is stdin).
    Extract(ExtractArgs),
    /// Extract from JSON lines on stdin ({"doc": …, "text": …}), rows to stdout per document.
    Stream(StreamArgs),
    /// One row per headline figure (target, estimate, actual, plan) of each
    /// report: the statement a researcher would cite, with its provenance.
    Panel(PanelArgs),
    /// Show how each quantity in a text was found, and what was turned down and why.
    Explain(ExplainArgs),
    /// Compare two outputs by (doc, start, end): rows added, removed and changed.
    Diff(DiffArgs),
    /// Rows per rule, kind and unit in an output, and the rules that never fired.
    Stats(StatsArgs),
    /// One HTML page of a document with every quantity marked in place, and
    /// what was turned down in grey (opens in any browser, needs nothing else).
    View(ViewArgs),
    /// Work with rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Args)]
struct ExplainArgs {
    /// The text to explain (or use --file).
    #[arg(required_unless_present = "file")]
    text: Option<String>,
    /// Explain a document instead, around --at.
    #[arg(long)]
    file: Option<String>,
    /// With --file: the code-point offset (a row's `start`) to explain around.
    #[arg(long, requires = "file")]
    at: Option<usize>,
    /// The report's year, for the periods of its rows (default: as the
    /// text's title block says).
    #[arg(long)]
    year: Option<i32>,
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    rules: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// For people.
    Text,
    /// For tools: change, doc, start, end, text, column, old, new.
    Csv,
}

#[derive(Args)]
struct DiffArgs {
    /// The output before the change.
    old: String,
    /// The output after it.
    new: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
}

#[derive(Args)]
struct ViewArgs {
    /// The document: text in any supported encoding, PDF, Word or HTML.
    file: String,
    /// Write the page here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<String>,
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    rules: Option<String>,
    /// Mark the rows two outputs of `extract` differ in: added, removed, changed.
    #[arg(long, num_args = 2, value_names = ["OLD.csv", "NEW.csv"])]
    diff: Vec<String>,
}

#[derive(Args)]
struct StatsArgs {
    /// An output of `shuliang extract` (`-` for stdin).
    csv: String,
    /// The rule file it was made with, to list rules that never fired.
    #[arg(long)]
    rules: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// SPEC's CSV.
    Csv,
    /// One JSON object per row and line, same fields.
    Jsonl,
}

#[derive(Args)]
struct Common {
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    rules: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: OutputFormat,
    /// No warnings or summary on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct ExtractArgs {
    /// Files and folders to read; folders are walked for `.txt` files.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Write the output here (atomically: whole or not at all) instead of stdout.
    #[arg(short, long)]
    output: Option<String>,
    /// Which files of a folder to read (a glob on the file name or the path
    /// below the folder; repeat to add more) [default: *.txt *.pdf *.docx *.html *.htm].
    #[arg(long)]
    glob: Vec<String>,
    /// Also write the text that offsets refer to, one file per document, under this folder.
    #[arg(long, value_name = "DIR")]
    save_text: Option<String>,
    /// Read files of other types through this converter: `{}` is the file's
    /// path, its stdout the text (`--pre 'antiword {}'`).
    #[arg(long, value_name = "COMMAND")]
    pre: Option<String>,
    /// After the run, print rows per rule, kind and unit to stderr.
    #[arg(long)]
    stats: bool,
    /// Also write the run's summary (documents, rows by kind, time, throughput) as JSON here.
    #[arg(long, value_name = "FILE")]
    summary: Option<String>,
    /// Start the output with a byte-order mark, so that Excel reads UTF-8 Chinese right.
    #[arg(long)]
    bom: bool,
    /// A CSV with `doc`, `region`, `year` and any other columns: region and
    /// year are taken from it, the other columns carried into the output.
    #[arg(long, value_name = "CSV")]
    manifest: Option<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct PanelArgs {
    /// Files and folders to read, as `extract` reads them.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Write the panel here (atomically) instead of stdout.
    #[arg(short, long)]
    output: Option<String>,
    /// One row per region and year, a column per indicator and status
    /// (`gdp_target`, `gdp_actual`), each with the report it came from.
    #[arg(long)]
    wide: bool,
    /// Only these indicator ids (comma-separated; default: all).
    #[arg(long, value_delimiter = ',')]
    indicators: Vec<String>,
    /// Which files of a folder to read, as for `extract`.
    #[arg(long)]
    glob: Vec<String>,
    /// A converter for other file types, as for `extract`.
    #[arg(long, value_name = "COMMAND")]
    pre: Option<String>,
    /// A CSV with `doc`, `region`, `year`, `level`, `code`, as for `extract`.
    #[arg(long, value_name = "CSV")]
    manifest: Option<String>,
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    rules: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// No warnings or summary on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct StreamArgs {
    /// Carry this input field into the output as an extra column (repeatable).
    #[arg(long)]
    keep: Vec<String>,
    /// Start CSV output with a header row.
    #[arg(long)]
    header: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Run every example in a rule file (default: the embedded rules).
    Test {
        /// Rule file to test.
        file: Option<String>,
    },
}

/// Loads a rule file (the embedded one by default).
fn load_rules(path: Option<&str>) -> Result<Extractor> {
    let rules = match path {
        Some(p) => RuleSet::from_path(p)?,
        None => RuleSet::default_rules()?,
    };
    Ok(Extractor::new(rules))
}

/// Loads a rule file and checks its examples: a rule file whose examples
/// fail is refused like one that does not parse.
fn checked_rules(path: Option<&str>) -> Result<Extractor> {
    let ex = load_rules(path)?;
    let report = check::run_examples(&ex);
    if let Some(first) = report.failures.first() {
        anyhow::bail!(
            "{first}\n({} of {} examples fail; `shuliang rules test` lists them all)",
            report.failures.len(),
            report.run
        );
    }
    Ok(ex)
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")
}

fn format(kind: OutputFormat, extra: Vec<String>, no_header: bool) -> Box<dyn Format> {
    match kind {
        OutputFormat::Csv => Box::new(Csv { extra, no_header }),
        OutputFormat::Jsonl => Box::new(Jsonl { extra }),
    }
}

fn warner(quiet: bool) -> impl Fn(&dyn std::fmt::Display) + Copy + Send {
    move |e| {
        if !quiet {
            eprintln!("shuliang: warning: {e}");
        }
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
fn progress_bar(quiet: bool, files: u64, bytes: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {pos}/{len} files  {msg}  {elapsed} (ETA {eta})  [{wide_bar}]",
    )
    .ok()?;
    bar.set_style(style);
    bar.set_message(format!("{:.0} MB", bytes as f64 / 1e6));
    Some(bar)
}

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let c = &args.common;
    let ex = checked_rules(c.rules.as_deref())?;
    let warn = warner(c.quiet);
    let (inputs, extra, missing) = gather(&args.paths, &args.glob, args.manifest.as_deref(), warn)?;
    let total_bytes: u64 = inputs
        .iter()
        .filter_map(|i| i.path.as_ref().and_then(|p| std::fs::metadata(p).ok()))
        .map(|m| m.len())
        .sum();
    let bar = progress_bar(c.quiet, inputs.len() as u64, total_bytes);
    let opts = batch::Options {
        limits: Default::default(),
        pre: args.pre.clone(),
        save_text: args.save_text.as_ref().map(Into::into),
        progress: bar.clone().map(|bar| {
            let f: std::sync::Arc<dyn Fn(&batch::Summary) + Send + Sync> =
                std::sync::Arc::new(move |s: &batch::Summary| {
                    bar.set_position(s.read + s.skipped);
                    bar.set_message(format!("{} rows", s.rows));
                });
            f
        }),
    };
    let started = std::time::Instant::now();
    let pool = pool(c.threads)?;
    let fmt = format(c.format, extra, false);
    let bom = args.bom;
    let run = |out: &mut (dyn Write + Send)| {
        if bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        pool.install(|| batch::run(&inputs, &ex, &*fmt, out, &opts, |e| warn(e)))
    };
    let summary = write_output(args.output.as_deref(), |out| Ok(run(out)?))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let skipped = summary.skipped + missing;
    let secs = started.elapsed().as_secs_f64();
    if let Some(path) = &args.summary {
        let json = serde_json::json!({
            "documents": summary.read,
            "skipped": skipped,
            "rows": summary.rows,
            "rows_by_kind": summary.stats.by_kind,
            "bytes": summary.bytes,
            "seconds": (secs * 1000.0).round() / 1000.0,
            "mb_per_second": ((summary.bytes as f64 / 1e6 / secs.max(1e-9)) * 10.0).round() / 10.0,
        });
        std::fs::write(path, format!("{json:#}\n"))
            .with_context(|| format!("cannot write {path}"))?;
    }
    if args.stats {
        eprint!("{}", summary.stats.render(ex.rules()));
    }
    if !c.quiet {
        eprintln!(
            "shuliang: {} files read, {} skipped, {} rows written ({:.1} MB in {:.2} s)",
            summary.read,
            skipped,
            summary.rows,
            summary.bytes as f64 / 1e6,
            secs
        );
        let kinds: Vec<String> = summary
            .stats
            .by_kind
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        if !kinds.is_empty() {
            eprintln!("shuliang: rows by kind: {}", kinds.join(", "));
        }
    }
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs `write` on stdout, or on a temporary file next to `path` that
/// becomes `path` only when all went well (no half-written output).
fn write_output<T>(
    path: Option<&str>,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<T>,
) -> Result<T> {
    match path {
        None => {
            let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout());
            let t = write(&mut out)?;
            out.flush()?;
            Ok(t)
        }
        Some(path) => {
            let dir = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
            let mut out = BufWriter::with_capacity(1 << 16, tmp);
            let t = write(&mut out)?;
            let tmp = out.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(path)
                .with_context(|| format!("cannot write {path}"))?;
            Ok(t)
        }
    }
}

/// The inputs of `paths` (warnings for those that cannot be read), with a
/// manifest applied; returns them, the manifest's extra columns and how many
/// paths were skipped.
fn gather(
    paths: &[String],
    glob: &[String],
    manifest: Option<&str>,
    warn: impl Fn(&dyn std::fmt::Display),
) -> Result<(Vec<batch::Input>, Vec<String>, u64)> {
    let sel = if glob.is_empty() {
        Selection::default()
    } else {
        Selection::new(glob).context("bad --glob")?
    };
    let (mut inputs, errors) = batch::inputs(paths, &sel);
    let extra = match manifest {
        None => Vec::new(),
        Some(m) => {
            let (extra, unmatched) = batch::apply_manifest(&mut inputs, open_csv(m)?)
                .map_err(|e| anyhow::anyhow!("{m}: {e}"))?;
            for doc in unmatched {
                warn(&shuliang::Error::Unmatched { doc });
            }
            extra
        }
    };
    errors.iter().for_each(|e| warn(e));
    Ok((inputs, extra, errors.len() as u64))
}

fn panel(args: PanelArgs) -> Result<ExitCode> {
    let ex = checked_rules(args.rules.as_deref())?;
    let warn = warner(args.quiet);
    let (inputs, _, missing) = gather(&args.paths, &args.glob, args.manifest.as_deref(), warn)?;
    let opts = batch::Options {
        pre: args.pre.clone(),
        ..Default::default()
    };
    let panel = shuliang::panel::Panel::new(args.indicators.iter().cloned(), ex.rules());
    let summary = pool(args.threads)?.install(|| {
        batch::run(&inputs, &ex, &panel, &mut std::io::sink(), &opts, |e| {
            warn(e)
        })
    })?;
    let order: Vec<String> = inputs.iter().map(|i| i.doc.clone()).collect();
    let cells = panel.cells(&order);
    write_output(args.output.as_deref(), |out| {
        if args.wide {
            shuliang::panel::write_wide(&cells, out)?;
        } else {
            shuliang::panel::write_long(&cells, out)?;
        }
        Ok(())
    })?;
    let skipped = summary.skipped + missing;
    if !args.quiet {
        eprintln!(
            "shuliang: {} files read, {} skipped, {} panel cells written",
            summary.read,
            skipped,
            cells.len()
        );
    }
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn stream_cmd(args: StreamArgs) -> Result<ExitCode> {
    let c = &args.common;
    let ex = checked_rules(c.rules.as_deref())?;
    let pool = pool(c.threads)?;
    let fmt = format(c.format, args.keep.clone(), !args.header);
    let warn = warner(c.quiet);
    let stdin: Box<dyn std::io::BufRead + Send> =
        Box::new(std::io::BufReader::new(std::io::stdin()));
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout());
    let summary =
        pool.install(|| stream::run(stdin, &ex, &*fmt, &args.keep, &mut out, |b| warn(b)))?;
    if !c.quiet {
        eprintln!(
            "shuliang: {} documents read, {} lines skipped, {} rows written",
            summary.docs, summary.bad_lines, summary.rows
        );
    }
    Ok(if summary.bad_lines > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let ex = load_rules(args.rules.as_deref())?;
    let (text, name) = match (&args.text, &args.file) {
        (Some(t), _) => (t.clone(), String::new()),
        (None, Some(f)) => (read_document(f)?, f.clone()),
        (None, None) => unreachable!("clap requires one"),
    };
    let year = args
        .year
        .or_else(|| ex.detect_meta(&text, &name).year.parse().ok());
    print!("{}", ex.explain(&text).render(ex.rules(), args.at, year));
    Ok(ExitCode::SUCCESS)
}

/// The whole text of one document as `extract` reads it (text in any
/// supported encoding, PDF, Word, HTML).
fn read_document(path: &str) -> Result<String> {
    let (inputs, errors) = batch::inputs(&[path.to_string()], &Selection::default());
    if let Some(e) = errors.into_iter().next() {
        return Err(e.into());
    }
    let input = inputs
        .first()
        .with_context(|| format!("{path}: not a file extract reads"))?;
    let mut text = String::new();
    for piece in batch::open(input, &batch::Options::default())? {
        text.push_str(&piece.with_context(|| format!("cannot read {path}"))?);
    }
    Ok(text)
}

fn open_csv(path: &str) -> Result<Box<dyn std::io::Read>> {
    Ok(if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?)
    })
}

fn diff_cmd(args: DiffArgs) -> Result<ExitCode> {
    let read = |p: &str| -> Result<diff::Table> {
        diff::read_table(open_csv(p)?).map_err(|e| anyhow::anyhow!("{p}: {e}"))
    };
    let (old, new) = (read(&args.old)?, read(&args.new)?);
    let d = diff::diff(&old, &new);
    let mut out = std::io::stdout().lock();
    match args.format {
        DiffFormat::Text => out.write_all(d.render(&old).as_bytes())?,
        DiffFormat::Csv => out.write_all(&d.to_csv(&old))?,
    }
    Ok(if d.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn view_cmd(args: ViewArgs) -> Result<ExitCode> {
    let ex = checked_rules(args.rules.as_deref())?;
    let mut view = shuliang::view::View::read(&args.file, &ex)?;
    if let [old, new] = args.diff.as_slice() {
        let read = |p: &str| -> Result<diff::Table> {
            diff::read_table(open_csv(p)?).map_err(|e| anyhow::anyhow!("{p}: {e}"))
        };
        view.mark_diff(&read(old)?, &read(new)?);
    }
    let html = view.to_html();
    write_output(args.output.as_deref(), |out| {
        Ok(out.write_all(html.as_bytes())?)
    })?;
    Ok(ExitCode::SUCCESS)
}

fn stats_cmd(args: StatsArgs) -> Result<ExitCode> {
    let ex = load_rules(args.rules.as_deref())?;
    let stats =
        Stats::from_csv(open_csv(&args.csv)?).map_err(|e| anyhow::anyhow!("{}: {e}", args.csv))?;
    print!("{}", stats.render(ex.rules()));
    Ok(ExitCode::SUCCESS)
}

fn rules_test(file: Option<&str>) -> Result<ExitCode> {
    let ex = load_rules(file)?;
    let report = check::run_examples(&ex);
    for f in &report.failures {
        println!("{f}");
    }
    for u in &report.untested {
        println!("{u}");
    }
    let ok = report.failures.is_empty() && report.untested.is_empty();
    println!(
        "{} examples: {} passed, {} failed; {} rules, {} exclusions and {} indicators",
        report.run,
        report.run - report.failures.len(),
        report.failures.len(),
        ex.rules().rules().len(),
        ex.rules().exclusions().len(),
        ex.rules().indicators().len()
    );
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
        Command::Panel(args) => panel(args),
        Command::Stream(args) => stream_cmd(args),
        Command::Explain(args) => explain(args),
        Command::Diff(args) => diff_cmd(args),
        Command::Stats(args) => stats_cmd(args),
        Command::View(args) => view_cmd(args),
        Command::Rules(RulesCommand::Test { file }) => rules_test(file.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`| head`) is how a reader says it has enough.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("shuliang: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
