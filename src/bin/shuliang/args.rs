//! The command line's arguments: every subcommand and flag, with the help
//! text it prints, and the objects the flags stand for (converters, output
//! formats). Checked by clap before anything runs.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use shuliang::output::{Csv, Format, Jsonl};
use shuliang::read::convert::{self, Converter};

/// Every quantity in Chinese government reports, as normalized CSV.
#[derive(Parser)]
#[command(name = "shuliang", version = shuliang::VERSION, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Extract quantities from files and folders (recursively; `-` is stdin).
    Extract(ExtractArgs),
    /// Extract from JSON lines on stdin ({"doc": …, "text": …}), rows to stdout per document.
    Stream(StreamArgs),
    /// One row per headline figure (target, estimate, actual, plan) of each
    /// report: the statement a researcher would cite, with its provenance.
    Panel(PanelArgs),
    /// One row per region, indicator, unit and year: the target a report
    /// set, its outcome (the next year's report, or the year's bulletin),
    /// the estimate kept apart, the gap and whether it was met.
    Scorecard(HeadlineArgs),
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
        /// The scorecard's columns instead of `extract`'s.
        #[arg(long)]
        scorecard: bool,
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
pub struct ConvertLimits {
    /// Seconds a conversion may take, per file (at most a year).
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=31_536_000))]
    pub timeout: u64,
    /// MiB of memory (address space) a conversion may use, 64 to 16777216
    /// (never more than `ulimit -v` allows); 0: no limit.
    #[arg(long, value_name = "MIB", default_value_t = 4096, value_parser = memory_mib)]
    pub memory: u64,
    /// MiB of text a conversion may return, and that `view` and `explain
    /// --file` hold of a document, plain text too (at most 65536).
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    pub max_text: u64,
}

/// `--memory`: 0 (no limit), or enough for a converter to start (64 MiB)
/// and no more than a shift into bytes can hold.
fn memory_mib(arg: &str) -> Result<u64, String> {
    let mib: u64 = arg.parse().map_err(|e| format!("{e}"))?;
    if mib == 0 || (64..=1 << 24).contains(&mib) {
        Ok(mib)
    } else {
        Err(format!("{mib} is not 0 or in 64..=16777216"))
    }
}

impl ConvertLimits {
    /// Converters that run this binary as their child, within these limits.
    pub fn converter(&self) -> Result<Converter> {
        child_converter(convert::Limits {
            timeout: std::time::Duration::from_secs(self.timeout),
            memory: (self.memory > 0).then_some(self.memory << 20),
            text: self.max_text << 20,
        })
    }
}

/// Converters that run this binary as their child (`shuliang convert`).
pub fn child_converter(limits: convert::Limits) -> Result<Converter> {
    let exe = std::env::current_exe().context("cannot find the shuliang binary")?;
    Ok(Converter {
        exe: Some(exe),
        args: Vec::new(),
        limits,
    })
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The text to explain (or use --file).
    #[arg(required_unless_present = "file")]
    pub text: Option<String>,
    /// Explain a document instead, around --at.
    #[arg(long)]
    pub file: Option<String>,
    /// With --file: the code-point offset (a row's `start`) to explain around.
    #[arg(long, requires = "file")]
    pub at: Option<usize>,
    /// The report's year, for the periods of its rows (default: as the
    /// text's title block says).
    #[arg(long)]
    pub year: Option<i32>,
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    pub rules: Option<String>,
    /// With --file: how its conversion is bounded, and its text (held
    /// whole) by --max-text.
    #[command(flatten)]
    pub limits: ConvertLimits,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// For people.
    Text,
    /// For tools: change, doc, start, end, text, column, old, new.
    Csv,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The output before the change.
    pub old: String,
    /// The output after it.
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// The old run's `--summary`, to name its rules (default: OLD's
    /// `.summary.json` beside it, if there is one).
    #[arg(long)]
    pub summary_old: Option<String>,
    /// The new run's `--summary` (default: NEW's `.summary.json` beside it).
    #[arg(long)]
    pub summary_new: Option<String>,
    /// For Excel: with `--format csv`, start it with a byte-order mark and write a text cell
    /// that starts with `=`, `+`, `-`, `@` or a tab with a leading `'`.
    #[arg(long)]
    pub bom: bool,
}

#[derive(Args)]
pub struct ViewArgs {
    /// The document: text in any supported encoding, PDF, Word or HTML.
    pub file: String,
    /// Write the page here (atomically) instead of stdout (`-`: stdout).
    #[arg(short, long)]
    pub output: Option<String>,
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    pub rules: Option<String>,
    /// Mark the rows two outputs of `extract` differ in: added, removed, changed.
    #[arg(long, num_args = 2, value_names = ["OLD.csv", "NEW.csv"])]
    pub diff: Vec<String>,
    #[command(flatten)]
    pub limits: ConvertLimits,
}

#[derive(Args)]
pub struct StatsArgs {
    /// An output of `shuliang extract` (`-` for stdin).
    pub csv: String,
    /// The rule file it was made with, to list rules that never fired.
    #[arg(long)]
    pub rules: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    /// SPEC's CSV.
    Csv,
    /// One JSON object per row and line, same fields.
    Jsonl,
    /// A typed Parquet table (not for `stream`): integers, doubles, text, nulls.
    #[cfg(feature = "parquet")]
    Parquet,
}

/// The formats of `panel` and `scorecard`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PanelFormat {
    /// CSV.
    Csv,
    /// A typed Parquet table of the long panel.
    #[cfg(feature = "parquet")]
    Parquet,
}

#[derive(Args)]
pub struct Common {
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    pub rules: Option<String>,
    /// Worker threads (default: one per core; at most 1024).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: OutputFormat,
    /// No warnings or summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct ExtractArgs {
    /// Files and folders to read; folders are walked for the files `--glob` selects.
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Write the output here (atomically: whole or not at all) instead of
    /// stdout (`-`: stdout).
    #[arg(short, long)]
    pub output: Option<String>,
    /// Which files of a folder to read (a glob on the file name or the path
    /// below the folder; repeat to add more) [default: the extensions
    /// shuliang reads, any case: txt text pdf docx html htm xhtml shtml].
    #[arg(long)]
    pub glob: Vec<String>,
    /// Also write the text that offsets refer to, one file per document, under this folder.
    #[arg(long, value_name = "DIR")]
    pub save_text: Option<String>,
    /// Read files of other types through this converter: `{}` is the file's
    /// path (passed safely; never quote it), its stdout the text (`--pre 'antiword {}'`).
    #[arg(long, value_name = "COMMAND")]
    pub pre: Option<String>,
    /// After the run, print rows per rule, kind and unit to stderr.
    #[arg(long)]
    pub stats: bool,
    /// Also write the run's summary (documents, rows by kind, time, throughput) as JSON here.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<String>,
    /// For Excel: start the output with a byte-order mark, so that Excel reads
    /// UTF-8 Chinese right, and write a text cell that starts with `=`, `+`,
    /// `-`, `@` or a tab with a leading `'`, so that Excel runs no formula.
    #[arg(long)]
    pub bom: bool,
    /// A CSV with `doc`, `region`, `year` and any other columns: region and
    /// year are taken from it, the other columns carried into the output.
    #[arg(long, value_name = "CSV")]
    pub manifest: Option<String>,
    #[command(flatten)]
    pub limits: ConvertLimits,
    #[command(flatten)]
    pub common: Common,
}

/// What `panel` and `scorecard` read, and how.
#[derive(Args)]
pub struct HeadlineArgs {
    /// Files and folders to read, as `extract` reads them.
    #[arg(required = true)]
    pub paths: Vec<std::path::PathBuf>,
    /// Write the output here (atomically) instead of stdout (`-`: stdout).
    #[arg(short, long)]
    pub output: Option<String>,
    /// For Excel: start the CSV with a byte-order mark and write a text cell
    /// that starts with `=`, `+`, `-`, `@` or a tab with a leading `'`.
    #[arg(long)]
    pub bom: bool,
    /// Output format (Parquet: the long panel, or the scorecard).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: PanelFormat,
    /// Only these indicator ids (comma-separated; default: all).
    #[arg(long, value_delimiter = ',')]
    pub indicators: Vec<String>,
    /// Which files of a folder to read, as for `extract`.
    #[arg(long)]
    pub glob: Vec<String>,
    /// A converter for other file types, as for `extract`.
    #[arg(long, value_name = "COMMAND")]
    pub pre: Option<String>,
    /// A CSV with `doc`, `region`, `year`, `level`, `code`, as for `extract`.
    #[arg(long, value_name = "CSV")]
    pub manifest: Option<String>,
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    pub rules: Option<String>,
    /// Worker threads (default: one per core; at most 1024).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// No warnings or summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub limits: ConvertLimits,
}

#[derive(Args)]
pub struct PanelArgs {
    #[command(flatten)]
    pub inputs: HeadlineArgs,
    /// One row per region and year, per indicator, unit and status five
    /// columns (`gdp_target`, `_max`, `_qualifier`, `_doc`, `_conflicts`);
    /// estimates in their own columns.
    #[arg(long)]
    pub wide: bool,
    /// Levels too (`地区生产总值1100亿元` in CNY, `城镇新增就业N万人` in
    /// 人), not only rates (`%`, `pp`); the `unit` column tells them apart.
    #[arg(long)]
    pub levels: bool,
    /// Instead of the panel, one row per report: its year and where it was
    /// read (and any source that disagreed), the stretches read as review,
    /// targets and plan, and which of the nine headline indicators have a
    /// target, an estimate and an actual: the reports to check by hand.
    #[arg(long, conflicts_with = "wide")]
    pub check: bool,
}

#[derive(Args)]
pub struct StreamArgs {
    /// Carry this input field into the output as an extra column (repeatable).
    #[arg(long)]
    pub keep: Vec<String>,
    /// Start CSV output with a header row.
    #[arg(long)]
    pub header: bool,
    /// MiB of the longest input line (one document); a longer one is skipped with a warning.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_line: u64,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Run every example in a rule file (default: the embedded rules).
    Test {
        /// Rule file to test.
        file: Option<String>,
    },
}

impl OutputFormat {
    /// The writer of this byte format, `extra` columns after SPEC's;
    /// `None` for Parquet, which is a whole table, not bytes per document.
    pub fn writer(
        self,
        extra: Vec<String>,
        no_header: bool,
        excel: bool,
    ) -> Option<Box<dyn Format>> {
        match self {
            OutputFormat::Csv => Some(Box::new(Csv {
                extra,
                no_header,
                excel,
            })),
            OutputFormat::Jsonl => Some(Box::new(Jsonl { extra })),
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet => None,
        }
    }
}
