//! Spaced repetition: the review log and the schedule replayed from it.
//!
//! The log, `journal/reviews.log`, is the only state: one review a line
//! (date, card id, grade), appended by `cargo workbook quiz` and by the book,
//! never rewritten. Each card's schedule is *derived* by replaying the log
//! through FSRS (the `rs-fsrs` crate, FSRS-5), with no same-day learning
//! steps and no fuzz, so the same log always gives the same schedule: on the
//! learner's machine, in CI, next year. The rejected alternative, storing
//! each card's state in a file, would be a second source of truth that
//! drifts from the log and merges badly.
//!
//! Why rs-fsrs and not `fsrs` (the crate Anki uses)? rs-fsrs schedules one
//! review at a time from a plain `Card` and pulls in 7 crates; `fsrs` also
//! trains parameters and pulls in about 40 (ndarray, rayon, ...), which a
//! single learner's few hundred reviews cannot use.
//!
//! A card enters the schedule on the day its lesson's exercise is solved
//! (from `progress.txt`), or on the day it is first reviewed, whichever is
//! first: cards of lessons you have not reached are never due.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rs_fsrs::{FSRS, Parameters, Rating, State};

use crate::catalog::{Catalog, Day};
use crate::progress::Progress;
use crate::quiz::{self, Card};
use crate::workspace::{Workspace, files_ending_with};

/// How well a card was recalled: FSRS's four grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// Forgotten.
    Again,
    /// Recalled, with serious difficulty.
    Hard,
    /// Recalled.
    Good,
    /// Recalled at once.
    Easy,
}

impl Grade {
    /// All four, from worst to best.
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    fn rating(self) -> Rating {
        match self {
            Grade::Again => Rating::Again,
            Grade::Hard => Rating::Hard,
            Grade::Good => Rating::Good,
            Grade::Easy => Rating::Easy,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Grade::Again => "again",
            Grade::Hard => "hard",
            Grade::Good => "good",
            Grade::Easy => "easy",
        })
    }
}

/// A grade that is not one of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a grade (again, hard, good, easy, or 1-4)")]
pub struct BadGrade(String);

impl FromStr for Grade {
    type Err = BadGrade;

    fn from_str(text: &str) -> Result<Self, BadGrade> {
        match text.trim().to_ascii_lowercase().as_str() {
            "again" | "1" => Ok(Grade::Again),
            "hard" | "2" => Ok(Grade::Hard),
            "good" | "3" => Ok(Grade::Good),
            "easy" | "4" => Ok(Grade::Easy),
            _ => Err(BadGrade(text.to_owned())),
        }
    }
}

/// One line of the review log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The day of the review.
    pub date: NaiveDate,
    /// The card's id.
    pub card: String,
    /// How well it was recalled.
    pub grade: Grade,
    /// The line number in the log, for messages.
    pub line: usize,
}

/// The review log: every review ever made, in the order made.
#[derive(Debug, Clone)]
pub struct ReviewLog {
    path: PathBuf,
    reviews: Vec<Review>,
    /// How many lines the file has, to number appended reviews.
    lines: usize,
}

const LOG_HEADER: &str = "\
# Quiz reviews, one a line: date, card id, grade (again, hard, good or easy).
# Appended by `cargo workbook quiz` and by the book that `cargo workbook`
# serves; the schedule is replayed from it. Never edit or reorder lines.
";

impl ReviewLog {
    /// The log's usual place: `journal/reviews.log`.
    pub fn path_in(workspace: &Workspace) -> PathBuf {
        workspace.journal_dir().join("reviews.log")
    }

    /// Reads the log; a missing file is an empty log.
    ///
    /// # Errors
    ///
    /// If a line is not `<YYYY-MM-DD> <card id> <grade>`; the error names
    /// the file and the line. The file is never changed by reading it.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let mut reviews = Vec::new();
        let mut lines = 0;
        if path.exists() {
            let text = fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            lines = text.lines().count();
            for (index, line) in text.lines().enumerate() {
                let line_number = index + 1;
                let trimmed = line.trim();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let fields: Vec<&str> = trimmed.split_whitespace().collect();
                let [date, card, grade] = fields[..] else {
                    bail!(
                        "{}:{line_number}: expected `<YYYY-MM-DD> <card id> <grade>`, found `{trimmed}`",
                        path.display()
                    );
                };
                let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                    anyhow::anyhow!(
                        "{}:{line_number}: `{date}` is not a date (YYYY-MM-DD)",
                        path.display()
                    )
                })?;
                let grade = grade.parse().map_err(|e: BadGrade| {
                    anyhow::anyhow!("{}:{line_number}: {e}", path.display())
                })?;
                reviews.push(Review {
                    date,
                    card: card.to_owned(),
                    grade,
                    line: line_number,
                });
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            reviews,
            lines,
        })
    }

    /// Every review, in log order.
    pub fn reviews(&self) -> &[Review] {
        &self.reviews
    }

    /// Appends one review at the end of the file (creating it, with its
    /// header, if needed). Earlier lines are never rewritten.
    ///
    /// # Errors
    ///
    /// If the file cannot be written.
    pub fn append(
        &mut self,
        date: NaiveDate,
        card: &str,
        grade: Grade,
    ) -> anyhow::Result<()> {
        if card.is_empty() || card.contains(char::is_whitespace) {
            bail!("`{card}` is not a card id");
        }
        let new = !self.path.exists();
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)
                .with_context(|| format!("creating {}", dir.display()))?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("opening {}", self.path.display()))?;
        let mut text = String::new();
        if new {
            text.push_str(LOG_HEADER);
            self.lines += LOG_HEADER.lines().count();
        }
        text.push_str(&format!("{date} {card} {grade}\n"));
        file.write_all(text.as_bytes())
            .with_context(|| format!("writing {}", self.path.display()))?;
        self.lines += 1;
        self.reviews.push(Review {
            date,
            card: card.to_owned(),
            grade,
            line: self.lines,
        });
        Ok(())
    }
}

/// A card with where it belongs.
#[derive(Debug, Clone)]
pub struct CardInfo {
    /// The card itself.
    pub card: Card,
    /// Its lesson page, relative to `book/src`.
    pub lesson: PathBuf,
    /// The lesson's day, if an exercise names that page.
    pub day: Option<Day>,
    /// The lesson's exercise, if any.
    pub exercise: Option<String>,
}

impl CardInfo {
    /// Tags for exports: month, week, day and lesson.
    pub fn tags(&self) -> Vec<String> {
        let mut tags = Vec::new();
        if let Some(day) = self.day {
            tags.push(format!("month-{:02}", day.month()));
            tags.push(format!("month-{:02}::week-{}", day.month(), day.week()));
            tags.push(format!("day-{:03}", day.number()));
        }
        if let Some(stem) = self.lesson.file_stem() {
            tags.push(format!("lesson::{}", stem.to_string_lossy()));
        }
        tags
    }
}

/// Every card of the workbook: every `*.quiz.toml` under `book/src`.
///
/// # Errors
///
/// If a deck does not parse (the error names the file and card).
pub fn all_cards(
    workspace: &Workspace,
    catalog: &Catalog,
) -> anyhow::Result<Vec<CardInfo>> {
    let src = workspace.book_src();
    let mut cards = Vec::new();
    for path in files_ending_with(&src, ".quiz.toml")? {
        let deck = quiz::load_deck(&path)?;
        let relative = path
            .strip_prefix(&src)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let lesson =
            PathBuf::from(format!("{}.md", relative.trim_end_matches(".quiz.toml")));
        let exercise = catalog.by_lesson(&lesson);
        for card in deck.cards {
            cards.push(CardInfo {
                card,
                lesson: lesson.clone(),
                day: exercise.map(|e| e.day),
                exercise: exercise.map(|e| e.name.clone()),
            });
        }
    }
    Ok(cards)
}

/// Where a card stands after the log is replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Its lesson is not reached yet: never due.
    NotIntroduced,
    /// Introduced, never reviewed.
    New,
    /// Reviewed, still being learned.
    Learning,
    /// Learned; reviewed at growing intervals.
    Review,
    /// Forgotten after being learned.
    Relearning,
}

/// One card's schedule.
#[derive(Debug, Clone)]
pub struct CardSchedule {
    /// Where it stands.
    pub phase: Phase,
    /// When it is next due (`None` until introduced).
    pub due: Option<NaiveDate>,
    /// How many times it was reviewed.
    pub reviews: usize,
    /// FSRS's memory state (stability in days, difficulty 1-10).
    pub fsrs: rs_fsrs::Card,
}

/// Every card's schedule, derived from the log.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    /// By card id.
    pub cards: BTreeMap<String, CardSchedule>,
    /// Log lines that name no known card (kept in the log, skipped here).
    pub warnings: Vec<String>,
    /// Reviews of cards already learned, and how many were not `again`.
    pub retention: (usize, usize),
}

/// The FSRS settings: long-term only (no same-day learning steps, which a
/// once-a-day review cannot follow) and no fuzz (so replays are exact).
pub fn fsrs() -> FSRS {
    FSRS::new(Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        ..Parameters::default()
    })
}

/// Reviews are taken to happen at noon UTC: only the day is logged.
pub fn noon(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon is a time"))
        .and_utc()
}

/// Replays `log` over `cards`.
pub fn replay(cards: &[CardInfo], progress: &Progress, log: &ReviewLog) -> Schedule {
    let fsrs = fsrs();
    let mut schedule = Schedule::default();
    for info in cards {
        let introduced = info
            .exercise
            .as_deref()
            .and_then(|e| progress.solved_on(e))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        schedule.cards.insert(
            info.card.id.clone(),
            CardSchedule {
                phase: if introduced.is_some() {
                    Phase::New
                } else {
                    Phase::NotIntroduced
                },
                due: introduced,
                reviews: 0,
                fsrs: rs_fsrs::Card::default(),
            },
        );
    }
    // Stable sort by date: the log is append-only and so normally in order;
    // if two machines' logs were merged out of order, replaying by date
    // still gives every card its true history.
    let mut reviews: Vec<&Review> = log.reviews().iter().collect();
    reviews.sort_by_key(|r| r.date);
    for review in reviews {
        let Some(state) = schedule.cards.get_mut(&review.card) else {
            schedule.warnings.push(format!(
                "{}:{}: no card is named `{}` (kept in the log, skipped in the schedule)",
                log.path.display(),
                review.line,
                review.card
            ));
            continue;
        };
        let now = noon(review.date);
        if state.reviews == 0 {
            state.fsrs = rs_fsrs::Card {
                due: now,
                last_review: now,
                ..rs_fsrs::Card::default()
            };
        }
        if state.fsrs.state == State::Review {
            schedule.retention.0 += 1;
            if review.grade != Grade::Again {
                schedule.retention.1 += 1;
            }
        }
        state.fsrs = fsrs
            .next(state.fsrs.clone(), now, review.grade.rating())
            .card;
        state.reviews += 1;
        state.due = Some(state.fsrs.due.date_naive());
        state.phase = match state.fsrs.state {
            State::New => Phase::New,
            State::Learning => Phase::Learning,
            State::Review => Phase::Review,
            State::Relearning => Phase::Relearning,
        };
    }
    schedule
}

impl Schedule {
    /// The ids of the cards due on `date` (due then or earlier), the most
    /// overdue first.
    pub fn due_on(&self, date: NaiveDate) -> Vec<&str> {
        let mut due: Vec<(NaiveDate, &str)> = self
            .cards
            .iter()
            .filter_map(|(id, s)| s.due.filter(|d| *d <= date).map(|d| (d, id.as_str())))
            .collect();
        due.sort();
        due.into_iter().map(|(_, id)| id).collect()
    }
}

/// Today, in UTC.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str) -> CardInfo {
        CardInfo {
            card: Card {
                id: id.to_owned(),
                kind: quiz::Kind::ShortAnswer,
                prompt: String::new(),
                options: Vec::new(),
                answer: String::new(),
                context: None,
                tracing: None,
                accepted: Vec::new(),
            },
            lesson: PathBuf::from("lesson.md"),
            day: None,
            exercise: None,
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("workbook-srs-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir.join("reviews.log")
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// A few hundred reviews of 20 cards over a year, from a fixed seed.
    fn synthetic_log(path: &Path) -> ReviewLog {
        let mut log = ReviewLog::load(path).unwrap();
        let mut rng = fastrand::Rng::with_seed(137);
        let start = date("2026-01-01");
        for step in 0..400 {
            let day = start + chrono::Days::new(step / 2 + rng.u64(0..2));
            let card = format!("card-{}", rng.u32(0..20));
            let grade = Grade::ALL[rng.usize(0..4)];
            log.append(day, &card, grade).unwrap();
        }
        log
    }

    #[test]
    fn replaying_the_same_log_gives_the_same_schedule_every_time() {
        let path = scratch("replay");
        synthetic_log(&path);
        let cards: Vec<CardInfo> = (0..20).map(|i| card(&format!("card-{i}"))).collect();
        let runs: Vec<Vec<(String, Option<NaiveDate>, u64)>> = (0..3)
            .map(|_| {
                let log = ReviewLog::load(&path).unwrap();
                let schedule = replay(&cards, &Progress::default(), &log);
                schedule
                    .cards
                    .iter()
                    .map(|(id, s)| (id.clone(), s.due, s.fsrs.stability.to_bits()))
                    .collect()
            })
            .collect();
        assert_eq!(runs[0].len(), 20);
        assert!(
            runs.windows(2).all(|w| w[0] == w[1]),
            "every replay of one log must give the same schedule"
        );
    }

    #[test]
    fn the_replayed_intervals_are_rs_fsrs_own() {
        let path = scratch("oracle");
        let mut log = ReviewLog::load(&path).unwrap();
        let days = [
            "2026-03-01",
            "2026-03-04",
            "2026-03-20",
            "2026-04-30",
            "2026-05-02",
        ];
        let grades = [
            Grade::Good,
            Grade::Good,
            Grade::Again,
            Grade::Hard,
            Grade::Easy,
        ];
        for (day, grade) in days.iter().zip(grades) {
            log.append(date(day), "c", grade).unwrap();
        }
        let schedule = replay(&[card("c")], &Progress::default(), &log);

        // The same reviews, straight through rs-fsrs.
        let fsrs = fsrs();
        let mut expected = rs_fsrs::Card {
            due: noon(date(days[0])),
            last_review: noon(date(days[0])),
            ..Default::default()
        };
        for (day, grade) in days.iter().zip(grades) {
            expected = fsrs.next(expected, noon(date(day)), grade.rating()).card;
        }
        let ours = &schedule.cards["c"];
        assert_eq!(ours.due, Some(expected.due.date_naive()));
        assert_eq!(ours.fsrs.stability, expected.stability);
        assert_eq!(ours.fsrs.difficulty, expected.difficulty);
        assert_eq!(ours.reviews, 5);
    }

    #[test]
    fn a_good_first_review_schedules_the_card_days_later_not_minutes() {
        let path = scratch("first");
        let mut log = ReviewLog::load(&path).unwrap();
        log.append(date("2026-11-22"), "c", Grade::Good).unwrap();
        let schedule = replay(&[card("c")], &Progress::default(), &log);
        let due = schedule.cards["c"].due.unwrap();
        assert!(
            due > date("2026-11-22"),
            "with no short-term steps the next review is on a later day, got {due}"
        );
        assert_eq!(schedule.due_on(date("2026-11-22")), Vec::<&str>::new());
        assert_eq!(schedule.due_on(due), vec!["c"]);
    }

    #[test]
    fn unknown_cards_in_the_log_are_warnings_not_errors() {
        let path = scratch("unknown");
        let mut log = ReviewLog::load(&path).unwrap();
        log.append(date("2026-11-22"), "gone", Grade::Good).unwrap();
        let schedule = replay(&[card("c")], &Progress::default(), &log);
        assert_eq!(schedule.warnings.len(), 1);
        assert!(
            schedule.warnings[0].contains("reviews.log:4: no card is named `gone`"),
            "{:?}",
            schedule.warnings
        );
    }

    #[test]
    fn a_malformed_line_is_an_error_with_its_line_number_and_the_log_is_untouched() {
        let path = scratch("malformed");
        let text = "# header\n2026-11-22 c good\n2026-11-23 c brilliant\n";
        fs::write(&path, text).unwrap();
        let error = ReviewLog::load(&path).unwrap_err().to_string();
        assert!(error.ends_with("reviews.log:3: `brilliant` is not a grade (again, hard, good, easy, or 1-4)"), "{error}");
        fs::write(&path, "2026-13-01 c good\n").unwrap();
        let error = ReviewLog::load(&path).unwrap_err().to_string();
        assert!(
            error.ends_with("reviews.log:1: `2026-13-01` is not a date (YYYY-MM-DD)"),
            "{error}"
        );
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "2026-13-01 c good\n",
            "reading never rewrites"
        );
    }

    #[test]
    fn appending_keeps_every_earlier_line() {
        let path = scratch("append");
        fs::write(&path, "# mine\n2026-11-20 c good\n").unwrap();
        let mut log = ReviewLog::load(&path).unwrap();
        log.append(date("2026-11-22"), "c", Grade::Hard).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "# mine\n2026-11-20 c good\n2026-11-22 c hard\n"
        );
    }

    #[test]
    fn cards_of_unsolved_lessons_are_never_due() {
        let schedule = replay(
            &[card("c")],
            &Progress::default(),
            &ReviewLog::load(&scratch("unsolved")).unwrap(),
        );
        assert_eq!(schedule.cards["c"].phase, Phase::NotIntroduced);
        assert!(schedule.due_on(date("2100-01-01")).is_empty());
    }
}
