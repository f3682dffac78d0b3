//! The workbook's mdBook preprocessor.
//!
//! It turns the workbook's directives, each alone on its line, into
//! Markdown:
//!
//! - `{{#exercise NAME}}` on a lesson page: a box with the exercise's crate,
//!   the command to run, the hint, and links to the example and the solution;
//! - `{{#quiz FILE}}`: the lesson's quiz cards, answers folded away;
//! - `{{#metrics month=M [week=W]}}` in the journal: lessons, exercises
//!   solved, quiz cards and examples of that month or week, computed, never
//!   typed by hand;
//! - `{{#lessons month=M [week=W]}}` on overview pages: the lessons that
//!   exist in that month or week.
//!
//! It also appends a "Code" part with one page per solution and per example,
//! generated from the crates themselves, so the book can never show stale
//! code.
//!
//! A directive it does not understand, or one that names an exercise that
//! does not exist, fails the build with the page's name: a typo must not
//! publish a page with a hole in it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::catalog::{Catalog, Exercise};
use crate::progress::Progress;
use crate::quiz;
use crate::workspace::Workspace;

/// Whether the generated solution pages show the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solutions {
    /// Show a solution only if `progress.txt` says it is solved (the book
    /// that `cargo workbook` serves to a learner).
    WhenSolved,
    /// Show every solution, folded behind a spoiler warning (the published
    /// static site, which cannot know what its reader has solved).
    Folded,
}

/// The preprocessor, holding everything it renders from.
#[derive(Debug, Clone)]
pub struct WorkbookPreprocessor {
    workspace: Workspace,
    catalog: Catalog,
    progress: Progress,
    solutions: Solutions,
}

impl WorkbookPreprocessor {
    /// A preprocessor for `workspace`, reading its catalog and progress now.
    ///
    /// # Errors
    ///
    /// If the catalog or the progress file cannot be read.
    pub fn new(workspace: Workspace, solutions: Solutions) -> anyhow::Result<Self> {
        let catalog = Catalog::load(&workspace)?;
        let progress = Progress::load(&workspace.progress_file())?;
        Ok(Self {
            workspace,
            catalog,
            progress,
            solutions,
        })
    }

    fn chapter(&self, chapter: &mut Chapter) -> anyhow::Result<()> {
        let Some(source) = chapter.source_path.clone() else {
            return Ok(());
        };
        let mut out = String::with_capacity(chapter.content.len());
        for line in chapter.content.lines() {
            let trimmed = line.trim();
            if let Some(directive) = trimmed
                .strip_prefix("{{#")
                .and_then(|d| d.strip_suffix("}}"))
            {
                let rendered =
                    self.directive(&source, directive.trim()).with_context(|| {
                        format!("book/src/{}: `{trimmed}`", source.display())
                    })?;
                out.push_str(&rendered);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        chapter.content = out;
        Ok(())
    }

    fn directive(&self, page: &Path, directive: &str) -> anyhow::Result<String> {
        let (name, args) = directive
            .split_once(char::is_whitespace)
            .unwrap_or((directive, ""));
        match name {
            "exercise" => self.exercise_box(page, args.trim()),
            "quiz" => {
                let path = self
                    .workspace
                    .book_src()
                    .join(parent(page))
                    .join(args.trim());
                Ok(quiz::render(&quiz::load_deck(&path)?))
            }
            "metrics" => self.metrics(&Period::parse(args)?),
            "lessons" => Ok(self.lessons(page, &Period::parse(args)?)),
            "requiz" => self.requiz(page, args),
            // mdBook's own directives, if a page ever keeps one this late.
            "include" | "rustdoc_include" | "playground" | "title" => {
                Ok(format!("{{{{#{directive}}}}}"))
            }
            other => bail!(
                "unknown directive `{other}` (known: exercise, quiz, metrics, lessons, requiz)"
            ),
        }
    }

    fn exercise_box(&self, page: &Path, name: &str) -> anyhow::Result<String> {
        let exercise = self.catalog.get(name)?;
        if exercise.lesson != page {
            bail!(
                "exercise `{name}` belongs on book/src/{} (its Cargo.toml says so), not on this page",
                exercise.lesson.display()
            );
        }
        let up = to_root(page);
        let status = match self.progress.solved_on(name) {
            Some(date) => format!("✓ solved on {date}"),
            None => "not solved yet".to_owned(),
        };
        let mut out = String::new();
        writeln!(
            out,
            "<div class=\"workbook-exercise\" id=\"exercise-{name}\">\n"
        )?;
        writeln!(
            out,
            "**Exercise [`{name}`]({up}solutions/{name}.md#the-exercise)** · {} · {status}\n",
            exercise.day
        )?;
        writeln!(
            out,
            "Edit the files in `exercises/{name}/src/`, then run:\n"
        )?;
        writeln!(out, "```sh\n{}\n```\n", exercise.test_command())?;
        writeln!(
            out,
            "The tests fail until you are done, and their messages say what is missing. \
             With `cargo workbook` running, they re-run every time you save.\n"
        )?;
        writeln!(
            out,
            "<details>\n<summary>Hint</summary>\n\n{}\n\n</details>\n",
            exercise.hint
        )?;
        if !exercise.checks.is_empty() {
            let checks: Vec<&str> =
                exercise.checks.iter().map(|c| c.describe()).collect();
            writeln!(
                out,
                "Its solution is also checked with: {}.\n",
                checks.join("; ")
            )?;
        }
        writeln!(
            out,
            "See it run: [example `{ex}`]({up}examples/{ex}.md) (`cargo run -p {ex}`). \
             Compare your work: [the solution]({up}solutions/{name}.md), once your tests pass.\n",
            ex = exercise.example
        )?;
        out.push_str("</div>\n");
        Ok(out)
    }

    fn metrics(&self, period: &Period) -> anyhow::Result<String> {
        let exercises: Vec<&Exercise> = self
            .catalog
            .exercises()
            .iter()
            .filter(|e| period.contains(e))
            .collect();
        let solved = exercises
            .iter()
            .filter(|e| self.progress.is_solved(&e.name))
            .count();
        let mut cards = 0;
        for exercise in &exercises {
            if let Some(deck) = self.deck_of(exercise)? {
                cards += deck.cards.len();
            }
        }
        let examples: std::collections::BTreeSet<&str> =
            exercises.iter().map(|e| e.example.as_str()).collect();
        let days = match period.week {
            Some(_) => 7,
            None => 28,
        };
        let mut out = String::new();
        writeln!(
            out,
            "| Lessons written | Exercises solved | Quiz cards | Examples |"
        )?;
        writeln!(out, "|---|---|---|---|")?;
        writeln!(
            out,
            "| {} of {days} days | {solved} of {} | {cards} | {} |",
            exercises.len(),
            exercises.len(),
            examples.len()
        )?;
        writeln!(
            out,
            "\n<small>Computed by the workbook's runner from the exercises, their quiz cards and \
             `progress.txt` when the book was built.</small>"
        )?;
        Ok(out)
    }

    /// `{{#requiz month=M week=W date=YYYY-MM-DD}}`: the cards of lessons
    /// before that week that the schedule (the review log replayed with
    /// FSRS) says are due on the review's date.
    fn requiz(&self, page: &Path, args: &str) -> anyhow::Result<String> {
        let (dates, rest): (Vec<&str>, Vec<&str>) = args
            .split_whitespace()
            .partition(|a| a.starts_with("date="));
        let [date] = dates[..] else {
            bail!("requiz needs one date=YYYY-MM-DD (the review's date)");
        };
        let date = chrono::NaiveDate::parse_from_str(&date["date=".len()..], "%Y-%m-%d")
            .with_context(|| format!("`{date}` is not a date=YYYY-MM-DD"))?;
        let period = Period::parse(&rest.join(" "))?;
        let first_day = (period.month - 1) * 28 + (period.week.unwrap_or(1) - 1) * 7 + 1;
        let cards = crate::srs::all_cards(&self.workspace, &self.catalog)?;
        let log = crate::srs::ReviewLog::load(&crate::srs::ReviewLog::path_in(
            &self.workspace,
        ))?;
        let schedule = crate::srs::replay(&cards, &self.progress, &log);
        let due = schedule.due_on(date);
        let up = to_root(page);
        let mut out = String::new();
        for info in cards.iter().filter(|c| due.contains(&c.card.id.as_str())) {
            let Some(day) = info.day.filter(|d| d.number() < first_day) else {
                continue;
            };
            let question = info
                .card
                .prompt
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or_default();
            let question = match info.card.kind {
                crate::quiz::Kind::Tracing => "What does this program do?",
                _ => question,
            };
            writeln!(
                out,
                "- ({day}) {question} [Answer it on the lesson page]({up}{}#card-{})",
                info.lesson.display(),
                info.card.id
            )?;
        }
        if out.is_empty() {
            writeln!(
                out,
                "*No card from an earlier week is due on {date}: the schedule (`journal/reviews.log`, \
                 replayed with FSRS) has nothing to ask yet. Write your own questions below.*"
            )?;
        }
        Ok(out)
    }

    fn lessons(&self, page: &Path, period: &Period) -> String {
        let up = to_root(page);
        let mut out = String::new();
        for exercise in self
            .catalog
            .exercises()
            .iter()
            .filter(|e| period.contains(e))
        {
            let done = if self.progress.is_solved(&exercise.name) {
                " ✓"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "- {}: [{}]({up}{}) (exercise `{}`){done}",
                exercise.day,
                exercise.title,
                exercise.lesson.display(),
                exercise.name
            );
        }
        if out.is_empty() {
            out.push_str("*No lesson of this period is written yet.*\n");
        }
        out
    }

    /// The deck beside an exercise's lesson page, if there is one.
    fn deck_of(&self, exercise: &Exercise) -> anyhow::Result<Option<quiz::Deck>> {
        let path = self
            .workspace
            .book_src()
            .join(exercise.lesson.with_extension("quiz.toml"));
        if path.exists() {
            quiz::load_deck(&path).map(Some)
        } else {
            Ok(None)
        }
    }

    fn code_part(&self) -> anyhow::Result<Vec<BookItem>> {
        let mut solutions = Chapter::new(
            "Solutions",
            "# Solutions\n\nThe reference solution of every exercise, tested with the exercise's own \
             tests. Try the exercise first: reading a solution teaches far less than writing one.\n"
                .to_owned(),
            "solutions/index.md",
            Vec::new(),
        );
        for exercise in self.catalog.exercises() {
            let page = format!("solutions/{}.md", exercise.name);
            let content = self.solution_page(exercise)?;
            let chapter =
                Chapter::new(&exercise.name, content, page, vec!["Solutions".to_owned()]);
            solutions.sub_items.push(BookItem::Chapter(chapter));
        }
        let mut examples = Chapter::new(
            "Examples",
            "# Examples\n\nRunnable programs, one per concept: `cargo run -p <name>`.\n"
                .to_owned(),
            "examples/index.md",
            Vec::new(),
        );
        for example in self.catalog.examples() {
            let content = self.example_page(example)?;
            let chapter = Chapter::new(
                example,
                content,
                format!("examples/{example}.md"),
                vec!["Examples".to_owned()],
            );
            examples.sub_items.push(BookItem::Chapter(chapter));
        }
        Ok(vec![
            BookItem::PartTitle("Code".to_owned()),
            BookItem::Chapter(solutions),
            BookItem::Chapter(examples),
        ])
    }

    fn solution_page(&self, exercise: &Exercise) -> anyhow::Result<String> {
        let name = &exercise.name;
        let mut out = format!("# Solution: `{name}`\n\n");
        writeln!(
            out,
            "[Back to the lesson, {}: {}](../{})\n",
            exercise.day,
            exercise.title,
            exercise.lesson.display()
        )?;
        writeln!(out, "## The exercise\n")?;
        writeln!(
            out,
            "The crate `exercises/{name}/` (run `{}`). Its reference solution is \
             `solutions/{name}/` (package `{}`), tested by exactly the same test files.\n",
            exercise.test_command(),
            exercise.solution_package()
        )?;
        writeln!(out, "## The solution\n")?;
        let code =
            self.sources(&self.workspace.solutions_dir().join(name).join("src"))?;
        match self.solutions {
            Solutions::WhenSolved if !self.progress.is_solved(name) => writeln!(
                out,
                "🔒 Locked until your exercise passes. When `{}` is green, run \
                 `cargo workbook run {name}` (or keep `cargo workbook` running, which does it on \
                 every save): it records the exercise as solved, and this page opens.\n",
                exercise.test_command()
            )?,
            Solutions::WhenSolved => out.push_str(&code),
            Solutions::Folded => {
                writeln!(
                    out,
                    "<details>\n<summary>Show the solution (spoilers)</summary>\n"
                )?;
                out.push_str(&code);
                writeln!(out, "\n</details>\n")?;
            }
        }
        Ok(out)
    }

    fn example_page(&self, example: &str) -> anyhow::Result<String> {
        let dir = self.workspace.examples_dir().join(example);
        let mut out = format!(
            "# Example: `{example}`\n\nRun it with `cargo run -p {example}`.\n\n"
        );
        let lessons: Vec<&Exercise> = self
            .catalog
            .exercises()
            .iter()
            .filter(|e| e.example == example)
            .collect();
        for exercise in lessons {
            writeln!(
                out,
                "Shown in [{}: {}](../{}).\n",
                exercise.day,
                exercise.title,
                exercise.lesson.display()
            )?;
        }
        out.push_str(&self.sources(&dir.join("src"))?);
        Ok(out)
    }

    /// Every `.rs` file under `dir` as a code block, with its path as a
    /// heading.
    fn sources(&self, dir: &Path) -> anyhow::Result<String> {
        let mut files = Vec::new();
        collect_rs(dir, &mut files)?;
        let mut out = String::new();
        for file in files {
            let text = fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            writeln!(out, "### `{}`\n", self.workspace.relative(&file).display())?;
            // Four backticks, so the code may itself contain ``` in its docs;
            // `ignore`, so `mdbook test` does not try to compile a fragment.
            writeln!(out, "````rust,ignore\n{}\n````\n", text.trim_end())?;
        }
        Ok(out)
    }
}

impl Preprocessor for WorkbookPreprocessor {
    fn name(&self) -> &str {
        "workbook"
    }

    fn run(
        &self,
        _ctx: &PreprocessorContext,
        mut book: Book,
    ) -> mdbook_preprocessor::errors::Result<Book> {
        let mut first_error = None;
        book.for_each_chapter_mut(|chapter| {
            if first_error.is_none()
                && let Err(error) = self.chapter(chapter)
            {
                first_error = Some(error);
            }
        });
        if let Some(error) = first_error {
            return Err(error);
        }
        book.items.extend(self.code_part()?);
        Ok(book)
    }
}

/// A month, or a week of a month, named by a directive's arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Period {
    month: u32,
    week: Option<u32>,
}

impl Period {
    fn parse(args: &str) -> anyhow::Result<Self> {
        let mut month = None;
        let mut week = None;
        for arg in args.split_whitespace() {
            let (key, value) = arg
                .split_once('=')
                .with_context(|| format!("expected key=value, found `{arg}`"))?;
            let value: u32 = value
                .parse()
                .with_context(|| format!("`{key}` must be a number, found `{value}`"))?;
            match key {
                "month" if (1..=6).contains(&value) => month = Some(value),
                "week" if (1..=4).contains(&value) => week = Some(value),
                "month" | "week" => {
                    bail!("{key}={value} is out of range (months 1-6, weeks 1-4)")
                }
                other => bail!(
                    "unknown argument `{other}` (expected month=M and optionally week=W)"
                ),
            }
        }
        Ok(Self {
            month: month.context("missing month=M")?,
            week,
        })
    }

    fn contains(&self, exercise: &Exercise) -> bool {
        exercise.day.month() == self.month
            && self.week.is_none_or(|w| exercise.day.week() == w)
    }
}

fn parent(page: &Path) -> &Path {
    page.parent().unwrap_or(Path::new(""))
}

/// `../` once per folder between `page` and `book/src`.
fn to_root(page: &Path) -> String {
    let depth = parent(page)
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    "../".repeat(depth)
}

pub(crate) fn collect_rs(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    // lib.rs or main.rs first, then the modules in name order.
    entries.sort_by_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (name != "lib.rs" && name != "main.rs", name)
    });
    for path in entries {
        if path.is_dir() {
            collect_rs(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_month_and_week() {
        assert_eq!(
            Period::parse("month=5 week=4").unwrap(),
            Period {
                month: 5,
                week: Some(4)
            }
        );
        assert_eq!(
            Period::parse("month=3").unwrap(),
            Period {
                month: 3,
                week: None
            }
        );
        assert!(Period::parse("week=4").is_err(), "a week needs its month");
        assert!(Period::parse("month=9").is_err());
        assert!(Period::parse("month=5 day=3").is_err());
    }

    #[test]
    fn links_climb_one_level_per_folder() {
        assert_eq!(to_root(Path::new("intro.md")), "");
        assert_eq!(to_root(Path::new("month-05/week-4/day-137.md")), "../../");
    }
}
