//! The `shuliang` command line: parses arguments and wires the library's stages.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use shuliang::batch::{self, Selection};
use shuliang::convert::{self, Converter};
use shuliang::output::{Csv, Format, Jsonl};
use shuliang::stats::Stats;
use shuliang::{check, diff, outfile, stream, Extractor, RuleSet};

/// Every quantity in Chinese government reports, as normalized CSV.
#[derive(Parser)]
#[command(name = "shuliang", version = shuliang::VERSION, about)]
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
    /// The CSV's columns as a Frictionless Table Schema (JSON): types,
    /// meanings and the values each may take under the rule file.
    Schema {
        /// Rule file to use instead of the embedded rules/zh.toml.
        #[arg(long)]
        rules: Option<String>,
    },
    /// One HTML page of a document with every quantity marked in place, and
    /// what was turned down in grey (opens in any browser, needs nothing else).
    View(ViewArgs),
    /// Work with rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The child process that converts one PDF, Word or HTML file (bytes on
    /// stdin, text on stdout) for `extract` and `panel`.
    #[command(hide = true)]
    Convert {
        /// pdf, docx or html.
        kind: String,
    },
}

/// Bounds of each conversion of a PDF, Word, HTML or `--pre` input, which
/// runs in a child process; a file that overruns one is skipped.
#[derive(Args)]
struct ConvertLimits {
    /// Seconds a conversion may take, per file.
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// MiB of memory (address space) a conversion may use; 0: no limit.
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    memory: u64,
    /// MiB of text a conversion may return.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..))]
    max_text: u64,
}

impl ConvertLimits {
    /// Converters that run this binary as their child, within these limits.
    fn converter(&self) -> Result<Converter> {
        Ok(Converter {
            exe: Some(std::env::current_exe().context("cannot find the shuliang binary")?),
            limits: convert::Limits {
                timeout: std::time::Duration::from_secs(self.timeout),
                memory: (self.memory > 0).then_some(self.memory << 20),
                text: self.max_text << 20,
            },
        })
    }
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
    /// The old run's `--summary`, to name its rules (default: OLD's
    /// `.summary.json` beside it, if there is one).
    #[arg(long)]
    summary_old: Option<String>,
    /// The new run's `--summary` (default: NEW's `.summary.json` beside it).
    #[arg(long)]
    summary_new: Option<String>,
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
    /// Worker threads (default: one per core; at most 1024).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
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
    /// below the folder; repeat to add more) [default: the extensions
    /// shuliang reads, any case: txt text pdf docx html htm xhtml shtml].
    #[arg(long)]
    glob: Vec<String>,
    /// Also write the text that offsets refer to, one file per document, under this folder.
    #[arg(long, value_name = "DIR")]
    save_text: Option<String>,
    /// Read files of other types through this converter: `{}` is the file's
    /// path (passed safely; never quote it), its stdout the text (`--pre 'antiword {}'`).
    #[arg(long, value_name = "COMMAND")]
    pre: Option<String>,
    /// After the run, print rows per rule, kind and unit to stderr.
    #[arg(long)]
    stats: bool,
    /// Also write the run's summary (documents, rows by kind, time, throughput) as JSON here.
    #[arg(long, value_name = "FILE")]
    summary: Option<String>,
    /// For Excel: start the output with a byte-order mark, so that Excel reads
    /// UTF-8 Chinese right, and write a text cell that starts with `=`, `+`,
    /// `-`, `@` or a tab with a leading `'`, so that Excel runs no formula.
    #[arg(long)]
    bom: bool,
    /// A CSV with `doc`, `region`, `year` and any other columns: region and
    /// year are taken from it, the other columns carried into the output.
    #[arg(long, value_name = "CSV")]
    manifest: Option<String>,
    #[command(flatten)]
    limits: ConvertLimits,
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
    /// Worker threads (default: one per core; at most 1024).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// No warnings or summary on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    limits: ConvertLimits,
}

#[derive(Args)]
struct StreamArgs {
    /// Carry this input field into the output as an extra column (repeatable).
    #[arg(long)]
    keep: Vec<String>,
    /// Start CSV output with a header row.
    #[arg(long)]
    header: bool,
    /// MiB of the longest input line (one document); a longer one is skipped with a warning.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_line: u64,
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
/// fail is refused like one that does not parse. The embedded rules'
/// examples are checked by `cargo test` and `rules test`, not on every start.
fn checked_rules(path: Option<&str>) -> Result<Extractor> {
    let ex = load_rules(path)?;
    if path.is_none() {
        return Ok(ex);
    }
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

fn pool(threads: Option<u16>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.map_or(0, usize::from))
        .build()
        .context("cannot start worker threads")
}

fn format(kind: OutputFormat, extra: Vec<String>, no_header: bool, excel: bool) -> Box<dyn Format> {
    match kind {
        OutputFormat::Csv => Box::new(Csv {
            extra,
            no_header,
            excel,
        }),
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
    let started_at = shuliang::provenance::now();
    let ex = checked_rules(c.rules.as_deref())?;
    let warner = warner(c.quiet);
    // Files skipped and why, for the summary.
    let skipped_files = std::sync::Mutex::new(Vec::new());
    let warn = |e: &shuliang::Error| {
        if let Some(file) = e.skipped_file() {
            let mut list = skipped_files
                .lock()
                .expect("no panic while holding the lock");
            list.push((file.to_string(), e.to_string()));
        }
        warner(e)
    };
    let (inputs, extra, missing) = gather(&args.paths, &args.glob, args.manifest.as_deref(), warn)?;
    check_outputs(&inputs, args.output.as_deref(), args.save_text.as_deref())?;
    // Opened now, so that a summary that cannot be written stops the run before it starts.
    let summary_file = args
        .summary
        .as_ref()
        .map(|p| std::fs::File::create(p).with_context(|| format!("cannot write {p}")))
        .transpose()?;
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
        convert: args.limits.converter()?,
    };
    let started = std::time::Instant::now();
    let pool = pool(c.threads)?;
    let fmt = format(c.format, extra, false, args.bom);
    let bom = args.bom;
    let run = |out: &mut (dyn Write + Send)| {
        let mut out = shuliang::provenance::HashingWriter::new(out);
        if bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let summary = pool.install(|| batch::run(&inputs, &ex, &*fmt, &mut out, &opts, warn))?;
        std::io::Result::Ok((summary, out.sha256()))
    };
    let (summary, output_sha256) = write_output(args.output.as_deref(), |out| Ok(run(out)?))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let skipped = summary.skipped + missing;
    let secs = started.elapsed().as_secs_f64();
    if let (Some(mut file), Some(path)) = (summary_file, &args.summary) {
        let counts = serde_json::json!({
            "documents": summary.read,
            "skipped_count": skipped,
            "rows": summary.rows,
            "rows_by_kind": summary.stats.by_kind,
            "bytes": summary.bytes,
            "seconds": (secs * 1000.0).round() / 1000.0,
            "mb_per_second": ((summary.bytes as f64 / 1e6 / secs.max(1e-9)) * 10.0).round() / 10.0,
        });
        let facts = inputs
            .iter()
            .filter_map(|i| i.path.as_ref().map(|p| (i, p)))
            .map(|(i, p)| shuliang::provenance::input_facts(&i.doc, p))
            .filter_map(std::result::Result::ok)
            .collect();
        let run = shuliang::provenance::Run {
            rules: ex.rules(),
            command: std::env::args().collect(),
            started: started_at,
            ended: shuliang::provenance::now(),
            threads: pool.current_num_threads(),
            inputs: facts,
            skipped: skipped_files
                .into_inner()
                .expect("no panic while holding the lock"),
            output: (
                output_sha256,
                args.output.clone().unwrap_or_else(|| "-".into()),
            ),
        };
        writeln!(file, "{:#}", run.to_json(counts))
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

/// Runs `write` on stdout, or on the file `path` whole or not at all
/// ([`outfile::write_file`]).
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
        Some(path) => outfile::write_file(Path::new(path), write),
    }
}

/// Refuses, before anything is read, outputs that would overwrite an
/// input: `-o` naming an input, `--save-text` files landing on inputs.
fn check_outputs(
    inputs: &[batch::Input],
    output: Option<&str>,
    save_text: Option<&str>,
) -> Result<()> {
    let saved: Vec<std::path::PathBuf> = save_text
        .map(|dir| {
            inputs
                .iter()
                .map(|i| batch::save_path(Path::new(dir), i))
                .collect()
        })
        .unwrap_or_default();
    outfile::check_not_inputs(
        inputs,
        output
            .map(Path::new)
            .into_iter()
            .chain(saved.iter().map(|p| p.as_path())),
    )?;
    Ok(())
}

/// The inputs of `paths` (warnings for those that cannot be read), with a
/// manifest applied; returns them, the manifest's extra columns and how many
/// paths were skipped.
fn gather(
    paths: &[String],
    glob: &[String],
    manifest: Option<&str>,
    warn: impl Fn(&shuliang::Error),
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
    errors.iter().for_each(&warn);
    Ok((inputs, extra, errors.len() as u64))
}

fn panel(args: PanelArgs) -> Result<ExitCode> {
    let ex = checked_rules(args.rules.as_deref())?;
    let warn = warner(args.quiet);
    let (inputs, _, missing) = gather(&args.paths, &args.glob, args.manifest.as_deref(), |e| {
        warn(e)
    })?;
    check_outputs(&inputs, args.output.as_deref(), None)?;
    let opts = batch::Options {
        pre: args.pre.clone(),
        convert: args.limits.converter()?,
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
    let fmt = format(c.format, args.keep.clone(), !args.header, false);
    let warn = warner(c.quiet);
    let stdin: Box<dyn std::io::BufRead + Send> =
        Box::new(std::io::BufReader::new(std::io::stdin()));
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout());
    let summary = pool.install(|| {
        stream::run(
            stdin,
            &ex,
            &*fmt,
            &args.keep,
            (args.max_line as usize) << 20,
            &mut out,
            |b| warn(b),
        )
    })?;
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
    let opts = batch::Options {
        convert: Converter {
            exe: Some(std::env::current_exe()?),
            limits: Default::default(),
        },
        ..Default::default()
    };
    for piece in batch::open(input, &opts)? {
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
    // Which rules made each side, where the runs left summaries.
    let rules_of = |given: &Option<String>, output: &str| {
        let beside = Path::new(output).with_extension("summary.json");
        let path = given.as_ref().map(Into::into).unwrap_or(beside);
        shuliang::provenance::rules_of_summary(&path)
    };
    let (rules_old, rules_new) = (
        rules_of(&args.summary_old, &args.old),
        rules_of(&args.summary_new, &args.new),
    );
    if let (DiffFormat::Text, Some((po, so)), Some((pn, sn))) =
        (args.format, &rules_old, &rules_new)
    {
        if so == sn {
            writeln!(out, "rules: the same on both sides ({po}, sha256 {so})")?;
        } else {
            writeln!(out, "rules: {po} sha256 {so} → {pn} sha256 {sn}")?;
        }
    }
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
    eprintln!("shuliang: panic: {}{at}", what.replace('\n', " "));
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(panic_line));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
        Command::Panel(args) => panel(args),
        Command::Stream(args) => stream_cmd(args),
        Command::Explain(args) => explain(args),
        Command::Diff(args) => diff_cmd(args),
        Command::Stats(args) => stats_cmd(args),
        Command::Schema { rules } => load_rules(rules.as_deref()).and_then(|ex| {
            let schema = shuliang::schema::table_schema(ex.rules());
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(ExitCode::SUCCESS)
        }),
        Command::View(args) => view_cmd(args),
        Command::Rules(RulesCommand::Test { file }) => rules_test(file.as_deref()),
        Command::Convert { kind } => return ExitCode::from(convert::serve(&kind)),
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
