//! The `shuliang` command line: parses arguments and wires the library's stages.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use shuliang::batch::{self, Limits, Selection};
use shuliang::output::Csv;
use shuliang::{check, Extractor, RuleSet};

/// Every quantity in Chinese government reports, as normalized CSV.
#[derive(Parser)]
#[command(name = "shuliang", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract quantities from files and folders (recursively; `-` is stdin) into CSV.
    Extract(ExtractArgs),
    /// Work with rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Args)]
struct ExtractArgs {
    /// Files and folders to read; folders are walked for `.txt` files.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Write the CSV here (atomically: whole or not at all) instead of stdout.
    #[arg(short, long)]
    output: Option<String>,
    /// Rule file to use instead of the embedded rules/zh.toml.
    #[arg(long)]
    rules: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Which files of a folder to read (a glob on the file name or the path
    /// below the folder; repeat to add more).
    #[arg(long, default_value = "*.txt")]
    glob: Vec<String>,
    /// No warnings or summary on stderr.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Run every example in a rule file (default: the embedded rules).
    Test {
        /// Rule file to test.
        file: Option<String>,
    },
}

/// Loads a rule file and checks its examples: a rule file whose examples
/// fail is refused like one that does not parse.
fn load_rules(path: Option<&str>) -> Result<Extractor> {
    let rules = match path {
        Some(p) => RuleSet::from_path(p)?,
        None => RuleSet::default_rules()?,
    };
    Ok(Extractor::new(rules))
}

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

fn extract(args: ExtractArgs) -> Result<ExitCode> {
    let ex = checked_rules(args.rules.as_deref())?;
    let sel = Selection::new(&args.glob).context("bad --glob")?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let quiet = args.quiet;
    let warn = move |e: &shuliang::Error| {
        if !quiet {
            eprintln!("shuliang: warning: {e}");
        }
    };
    let (inputs, errors) = batch::inputs(&args.paths, &sel);
    errors.iter().for_each(warn);
    let limits = Limits::default();
    let summary = match &args.output {
        None => {
            let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout());
            let s = pool.install(|| batch::run(&inputs, &ex, &Csv, &mut out, limits, warn))?;
            out.flush()?;
            s
        }
        Some(path) => {
            let dir = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
            let mut out = BufWriter::with_capacity(1 << 16, tmp);
            let s = pool.install(|| batch::run(&inputs, &ex, &Csv, &mut out, limits, warn))?;
            let tmp = out.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(path)
                .with_context(|| format!("cannot write {path}"))?;
            s
        }
    };
    let skipped = summary.skipped + errors.len() as u64;
    if !quiet {
        eprintln!(
            "shuliang: {} files read, {} skipped, {} rows written",
            summary.read, skipped, summary.rows
        );
    }
    Ok(if skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
        "{} examples: {} passed, {} failed; {} rules and {} exclusions",
        report.run,
        report.run - report.failures.len(),
        report.failures.len(),
        ex.rules().rules().len(),
        ex.rules().exclusions().len()
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
        Command::Rules(RulesCommand::Test { file }) => rules_test(file.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shuliang: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
