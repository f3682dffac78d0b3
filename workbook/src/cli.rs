//! The command line: `cargo workbook [COMMAND]`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use chrono::NaiveDate;

use crate::catalog::{Catalog, Exercise};
use crate::preprocess::{Solutions, WorkbookPreprocessor};
use crate::progress::Progress;
use crate::review::{self, Format};
use crate::serve::BookServer;
use crate::srs::{self, ReviewLog};
use crate::workspace::Workspace;
use crate::{book, requirements, stubs, verify, watch};

/// The workbook's runner. With no command: build and serve the book, show
/// your progress, and re-run an exercise's tests whenever you save it.
#[derive(Debug, Parser)]
#[command(name = "cargo workbook", bin_name = "cargo workbook", version, about, long_about = None)]
struct Cli {
    /// The port to serve the book on, 127.0.0.1 only [default: $WORKBOOK_PORT, else 3000].
    #[arg(long)]
    port: Option<u16>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Every exercise with its status, by month and week.
    List,
    /// The next exercise to do, and how.
    Next,
    /// Your progress, per month and week.
    Progress,
    /// An exercise's hint.
    Hint {
        /// The exercise, e.g. `backoff`.
        name: String,
    },
    /// Run an exercise's tests once and record it if it passes.
    Run {
        /// The exercise, e.g. `backoff`.
        name: String,
    },
    /// Re-run an exercise's tests whenever you save (all exercises if no
    /// name is given). Ctrl-C stops.
    Watch {
        /// Only this exercise.
        name: Option<String>,
    },
    /// Show the reference solution, once your exercise passes.
    Solution {
        /// The exercise, e.g. `backoff`.
        name: String,
    },
    /// Restore an exercise to its untouched stub. Your files are backed up to
    /// .workbook/backups/ first.
    Reset {
        /// The exercise, e.g. `backoff`.
        name: String,
    },
    /// Build the book without serving it.
    Build {
        /// Where to write it (default: book/book).
        #[arg(long)]
        dest: Option<PathBuf>,
        /// Show every solution, folded (as the published site does).
        #[arg(long)]
        all_solutions: bool,
    },
    /// Spaced-repetition quiz: with no subcommand, review the cards due
    /// today in the terminal.
    Quiz {
        /// Review as if today were this date (YYYY-MM-DD).
        #[arg(long)]
        date: Option<NaiveDate>,
        #[command(subcommand)]
        command: Option<QuizCommand>,
    },
    /// Check every invariant of the workbook (maintainers and CI).
    Verify {
        /// A changed stub is an error, not a skipped check (CI).
        #[arg(long)]
        strict: bool,
        /// Skip the checks that run cargo (stubs fail, solutions pass,
        /// clippy, rustfmt).
        #[arg(long)]
        fast: bool,
        /// Run only one extra check for every exercise that declares it:
        /// `loom` (the models, and their failure on the broken variants),
        /// `tsan` (ThreadSanitizer; needs nightly with rust-src) or `redis`
        /// (redis-server 6.2+ is found; the Redis lessons' solutions and
        /// examples pass and leave no server running).
        #[arg(long, value_enum)]
        only: Option<verify::ExtraCheck>,
    },
    /// Regenerate exercises/stubs.lock and README's lesson list
    /// (maintainers, after changing a stub or adding an exercise).
    Bless,
    /// The mdBook preprocessor protocol, for `mdbook build` (book.toml).
    #[command(hide = true)]
    Preprocess {
        /// `supports <renderer>`, or nothing.
        args: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum QuizCommand {
    /// The cards due on a date (today by default).
    Due {
        /// The date (YYYY-MM-DD).
        #[arg(long)]
        date: Option<NaiveDate>,
        /// How to print them.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Cards per state, reviews logged, the next 7 days, retention.
    Stats {
        /// The date to count from (YYYY-MM-DD).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Export every card.
    Export {
        #[command(subcommand)]
        to: ExportTarget,
    },
}

#[derive(Debug, Subcommand)]
enum ExportTarget {
    /// Anki's plain-text import format (File > Import in Anki).
    Anki {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Runs the command line.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let workspace = Workspace::discover()?;
    let catalog = Catalog::load(&workspace)?;
    let progress = Progress::load(&workspace.progress_file())?;
    match cli.command {
        None => serve_and_watch(&workspace, &catalog, port(cli.port)?)?,
        Some(Command::List) => print!("{}", list(&catalog, &progress)),
        Some(Command::Next) => print!("{}", next(&catalog, &progress, None)),
        Some(Command::Progress) => print!("{}", progress_report(&catalog, &progress)),
        Some(Command::Hint { name }) => {
            let exercise = catalog.get(&name)?;
            println!(
                "Hint for {} ({}: {}):\n\n{}",
                exercise.name, exercise.day, exercise.title, exercise.hint
            );
            for need in requirements::check(exercise) {
                println!("{}", need.line());
            }
        }
        Some(Command::Run { name }) => {
            catalog.get(&name)?;
            if !watch::test_and_record(&workspace, &catalog, &name)?
                && !Progress::load(&workspace.progress_file())?.is_solved(&name)
            {
                return Ok(ExitCode::FAILURE);
            }
        }
        Some(Command::Watch { name }) => {
            let only = name.map(|n| catalog.get(&n).cloned()).transpose()?;
            watch_exercises(
                &workspace,
                &catalog,
                only.as_ref(),
                &stop_on_ctrl_c()?,
                None,
            )?;
        }
        Some(Command::Solution { name }) => solution(&workspace, &catalog, &name)?,
        Some(Command::Reset { name }) => {
            let exercise = catalog.get(&name)?;
            let lock = stubs::read_lock(&workspace)?;
            match stubs::reset(&workspace, &lock, exercise)? {
                None => println!("{name} is already untouched: nothing to reset."),
                Some(backup) => {
                    Progress::load(&workspace.progress_file())?.forget(&name)?;
                    println!(
                        "{name} is back to its stub. Your files are in {}.",
                        workspace.relative(&backup).display()
                    );
                }
            }
        }
        Some(Command::Build {
            dest,
            all_solutions,
        }) => {
            // Relative to where the command runs (mdBook would take it as
            // relative to book/).
            let dest = match dest {
                Some(dest) => std::env::current_dir()?.join(dest),
                None => workspace.book_dir().join("book"),
            };
            let mode = if all_solutions {
                Solutions::Folded
            } else {
                Solutions::WhenSolved
            };
            book::build(&workspace, &dest, mode)?;
            println!("The book is in {}", dest.display());
        }
        Some(Command::Quiz { date, command }) => {
            quiz(&workspace, &catalog, &progress, date, command)?
        }
        Some(Command::Verify { strict, fast, only }) => {
            let options = verify::Options {
                strict,
                cargo: !fast,
                only,
            };
            let report = verify::run(&workspace, options, &mut std::io::stdout())?;
            for note in &report.notes {
                println!("note: {note}");
            }
            for problem in &report.problems {
                println!("problem: {problem}");
            }
            if !report.is_ok() {
                println!("verify: {} problem(s)", report.problems.len());
                return Ok(ExitCode::FAILURE);
            }
            println!("verify: every invariant holds");
        }
        Some(Command::Bless) => {
            let files = stubs::bless(&workspace, &catalog)?;
            let readme_path = workspace.root().join("README.md");
            let readme =
                std::fs::read_to_string(&readme_path).context("reading README.md")?;
            let Some(updated) = verify::readme_with_lessons(&readme, &catalog) else {
                bail!(
                    "README.md lacks the markers {} and {}",
                    verify::README_START,
                    verify::README_END
                );
            };
            std::fs::write(&readme_path, updated).context("writing README.md")?;
            println!(
                "Blessed {files} exercise files into exercises/stubs.lock and updated README.md's lesson list."
            );
        }
        Some(Command::Preprocess { args }) => return preprocess(workspace, &args),
    }
    Ok(ExitCode::SUCCESS)
}

/// The first exercise, in curriculum order, that is not solved.
pub fn next_exercise<'a>(
    catalog: &'a Catalog,
    progress: &Progress,
) -> Option<&'a Exercise> {
    catalog
        .exercises()
        .iter()
        .find(|e| !progress.is_solved(&e.name))
}

fn next(catalog: &Catalog, progress: &Progress, port: Option<u16>) -> String {
    let Some(exercise) = next_exercise(catalog, progress) else {
        return "Every exercise is solved. Time for the journal: write this week's review.\n".to_owned();
    };
    let page = exercise.lesson.with_extension("html");
    let url = port
        .map(|p| format!(" (http://127.0.0.1:{p}/{})", page.display()))
        .unwrap_or_default();
    let mut text = format!(
        "Next: {name} ({day}: {title})\n  read  book/src/{lesson}{url}\n  edit  exercises/{name}/src/\n  run   {command}\n  hint  cargo workbook hint {name}\n",
        name = exercise.name,
        day = exercise.day,
        title = exercise.title,
        lesson = exercise.lesson.display(),
        command = exercise.test_command(),
    );
    for need in requirements::check(exercise) {
        text.push_str(&format!("  {}\n", need.line()));
    }
    text
}

fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {done}/{total}",
        "█".repeat(filled),
        "░".repeat(width - filled)
    )
}

fn progress_report(catalog: &Catalog, progress: &Progress) -> String {
    let exercises = catalog.exercises();
    let solved =
        |list: &[&Exercise]| list.iter().filter(|e| progress.is_solved(&e.name)).count();
    let all: Vec<&Exercise> = exercises.iter().collect();
    let mut out = format!("Progress {}\n", bar(solved(&all), all.len(), 30));
    let mut months: Vec<u32> = exercises.iter().map(|e| e.day.month()).collect();
    months.dedup();
    for month in months {
        let in_month: Vec<&Exercise> = exercises
            .iter()
            .filter(|e| e.day.month() == month)
            .collect();
        out.push_str(&format!(
            "  Month {month}   {}\n",
            bar(solved(&in_month), in_month.len(), 20)
        ));
        let mut weeks: Vec<u32> = in_month.iter().map(|e| e.day.week()).collect();
        weeks.dedup();
        for week in weeks {
            let in_week: Vec<&Exercise> = in_month
                .iter()
                .copied()
                .filter(|e| e.day.week() == week)
                .collect();
            out.push_str(&format!(
                "    Week {week}  {}\n",
                bar(solved(&in_week), in_week.len(), 20)
            ));
        }
    }
    let unknown: Vec<&str> = progress
        .solved_names()
        .filter(|n| catalog.get(n).is_err())
        .collect();
    if !unknown.is_empty() {
        out.push_str(&format!(
            "  (progress.txt also lists {}, which this workbook no longer has)\n",
            unknown.join(", ")
        ));
    }
    out
}

fn list(catalog: &Catalog, progress: &Progress) -> String {
    let mut out = String::new();
    let mut current = (0, 0);
    for exercise in catalog.exercises() {
        let period = (exercise.day.month(), exercise.day.week());
        if period != current {
            out.push_str(&format!("Month {}, Week {}\n", period.0, period.1));
            current = period;
        }
        let status = match progress.solved_on(&exercise.name) {
            Some(date) => format!("✓ solved {date}"),
            None => "· to do".to_owned(),
        };
        out.push_str(&format!(
            "  {status:<20} {:<8} {:<12} {}\n",
            exercise.day.to_string(),
            exercise.name,
            exercise.title
        ));
    }
    out
}

fn solution(workspace: &Workspace, catalog: &Catalog, name: &str) -> anyhow::Result<()> {
    let exercise = catalog.get(name)?;
    if !Progress::load(&workspace.progress_file())?.is_solved(name) {
        println!("The solution opens once your exercise passes; checking it now.");
        if !watch::test_and_record(workspace, catalog, name)? {
            bail!(
                "{name} is not solved yet, so its solution stays hidden (no spoilers). \
                 Stuck? `cargo workbook hint {name}`"
            );
        }
    }
    let dir = workspace.solutions_dir().join(&exercise.name).join("src");
    let mut files = Vec::new();
    crate::preprocess::collect_rs(&dir, &mut files)?;
    let mut out = std::io::stdout().lock();
    for file in files {
        writeln!(
            out,
            "// ===== {} =====",
            workspace.relative(&file).display()
        )?;
        out.write_all(&std::fs::read(&file)?)?;
        writeln!(out)?;
    }
    Ok(())
}

fn quiz(
    workspace: &Workspace,
    catalog: &Catalog,
    progress: &Progress,
    date: Option<NaiveDate>,
    command: Option<QuizCommand>,
) -> anyhow::Result<()> {
    let cards = srs::all_cards(workspace, catalog)?;
    let mut log = ReviewLog::load(&ReviewLog::path_in(workspace))?;
    let schedule = srs::replay(&cards, progress, &log);
    for warning in &schedule.warnings {
        eprintln!("warning: {warning}");
    }
    match command {
        None => {
            let stdin = std::io::stdin();
            let date = date.unwrap_or_else(srs::today);
            review::session(
                catalog,
                &cards,
                &schedule,
                &mut log,
                date,
                stdin.lock(),
                &mut std::io::stdout(),
            )?;
        }
        Some(QuizCommand::Due { date, format }) => {
            let date = date.unwrap_or_else(srs::today);
            println!(
                "{}",
                review::due_report(catalog, &cards, &schedule, date, format).trim_end()
            );
        }
        Some(QuizCommand::Stats { date }) => {
            print!(
                "{}",
                review::stats_report(&schedule, &log, date.unwrap_or_else(srs::today))
            );
        }
        Some(QuizCommand::Export {
            to: ExportTarget::Anki { output },
        }) => {
            let text = review::anki_export(catalog, &cards)?;
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("writing {}", path.display()))?;
                    println!(
                        "Wrote {} cards to {} (in Anki: File > Import).",
                        cards.len(),
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
        }
    }
    Ok(())
}

fn stop_on_ctrl_c() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed))
        .context("installing the Ctrl-C handler")?;
    Ok(stop)
}

fn watch_exercises(
    workspace: &Workspace,
    catalog: &Catalog,
    only: Option<&Exercise>,
    stop: &Arc<AtomicBool>,
    book_dest: Option<&PathBuf>,
) -> anyhow::Result<()> {
    let mut dirs = vec![match only {
        Some(exercise) => exercise.dir.clone(),
        None => workspace.exercises_dir(),
    }];
    if book_dest.is_some() {
        dirs.extend([
            workspace.book_src(),
            workspace.journal_dir(),
            workspace.solutions_dir(),
            workspace.examples_dir(),
        ]);
    }
    match only {
        Some(exercise) => {
            println!("Watching exercises/{}/ (Ctrl-C stops).", exercise.name)
        }
        None => {
            println!("Watching exercises/ (Ctrl-C stops). Save a file to run its tests.")
        }
    }
    watch::watch(&dirs, stop, |paths| {
        let changed = watch::classify(workspace, paths);
        let mut rebuild = changed.book;
        for name in &changed.exercises {
            if only.is_some_and(|o| &o.name != name) || catalog.get(name).is_err() {
                continue;
            }
            rebuild |= watch::test_and_record(workspace, catalog, name)?;
        }
        if let (true, Some(dest)) = (rebuild, book_dest) {
            match book::build(workspace, dest, Solutions::WhenSolved) {
                Ok(()) => println!("(book rebuilt)"),
                Err(error) => println!("the book did not build: {error:#}"),
            }
        }
        Ok(())
    })?;
    println!("\nStopped.");
    Ok(())
}

/// Grades from the book: checked against the workbook's cards, then
/// appended to the review log with today's date.
fn review_sink(workspace: Workspace) -> crate::serve::ReviewSink {
    std::sync::Arc::new(move |card: &str, grade: &str| {
        let grade: srs::Grade = grade.parse().map_err(|e| format!("{e}"))?;
        let catalog = Catalog::load(&workspace).map_err(|e| format!("{e:#}"))?;
        let cards = srs::all_cards(&workspace, &catalog).map_err(|e| format!("{e:#}"))?;
        if !cards.iter().any(|c| c.card.id == card) {
            return Err(format!("no card is named `{card}`"));
        }
        let mut log = ReviewLog::load(&ReviewLog::path_in(&workspace))
            .map_err(|e| format!("{e:#}"))?;
        log.append(srs::today(), card, grade)
            .map_err(|e| format!("{e:#}"))?;
        println!("quiz: {card} graded {grade} in the book (journal/reviews.log)");
        Ok(())
    })
}

/// The port to serve on: `--port`, else `WORKBOOK_PORT`, else 3000. Read
/// here rather than by clap, so a bad `WORKBOOK_PORT` only troubles the
/// command that serves.
fn port(flag: Option<u16>) -> anyhow::Result<u16> {
    if let Some(port) = flag {
        return Ok(port);
    }
    match std::env::var("WORKBOOK_PORT") {
        Ok(text) => text.trim().parse().with_context(|| {
            format!("WORKBOOK_PORT must be a port number (0-65535), found `{text}`")
        }),
        Err(_) => Ok(3000),
    }
}

fn serve_and_watch(
    workspace: &Workspace,
    catalog: &Catalog,
    port: u16,
) -> anyhow::Result<()> {
    let stop = stop_on_ctrl_c()?;
    let dest = workspace.book_dir().join("book");
    // Bind first: a taken port is reported at once, not after the build.
    let server = BookServer::start_with_reviews(
        dest.clone(),
        port,
        Some(review_sink(workspace.clone())),
    )?;
    if let Err(error) = book::build(workspace, &dest, Solutions::WhenSolved) {
        server.stop();
        return Err(error);
    }
    let progress = Progress::load(&workspace.progress_file())?;
    println!("The book: http://127.0.0.1:{}/\n", server.port());
    print!("{}", progress_report(catalog, &progress));
    println!();
    print!("{}", next(catalog, &progress, Some(server.port())));
    println!();
    let result = watch_exercises(workspace, catalog, None, &stop, Some(&dest));
    server.stop();
    result
}

fn preprocess(workspace: Workspace, args: &[String]) -> anyhow::Result<ExitCode> {
    use mdbook_preprocessor::Preprocessor as _;
    if let [supports, renderer] = args
        && supports == "supports"
    {
        let preprocessor = WorkbookPreprocessor::new(workspace, Solutions::Folded)?;
        let supported = preprocessor.supports_renderer(renderer).unwrap_or(false);
        return Ok(if supported {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let (ctx, book) = mdbook_preprocessor::parse_input(std::io::stdin())
        .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let preprocessor = WorkbookPreprocessor::new(workspace, Solutions::Folded)?;
    let book = preprocessor
        .run(&ctx, book)
        .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    serde_json::to_writer(std::io::stdout(), &book)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(bar(0, 4, 4), "[░░░░] 0/4");
        assert_eq!(bar(2, 4, 4), "[██░░] 2/4");
        assert_eq!(bar(0, 0, 4), "[░░░░] 0/0");
    }
}
