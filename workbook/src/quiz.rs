//! Quiz cards: the questions at the end of every lesson.
//!
//! Cards are written in mdbook-quiz's TOML format and parsed with its own
//! schema crate (`mdbook-quiz-schema`), so the same files work with the
//! mdbook-quiz preprocessor. A deck lives beside its lesson page
//! (`day-137-retries-and-backoff.quiz.toml` next to
//! `day-137-retries-and-backoff.md`): the file's place says which lesson its
//! cards belong to.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use mdbook_quiz_schema::{MultipleChoiceAnswerFormat, Question, Quiz};

/// What kind of question a card asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A question answered in words.
    ShortAnswer,
    /// Pick the right option.
    MultipleChoice,
    /// Does this program compile, and what does it print?
    Tracing,
}

/// One card, flattened for rendering and checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The card's stable id, unique in the workbook.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// The question, in Markdown (a program, for tracing cards).
    pub prompt: String,
    /// The options of a multiple-choice card, in display order.
    pub options: Vec<String>,
    /// The answer, in Markdown.
    pub answer: String,
    /// The explanation shown with the answer.
    pub context: Option<String>,
}

/// A deck: the cards of one lesson.
#[derive(Debug, Clone)]
pub struct Deck {
    /// The deck's file.
    pub path: PathBuf,
    /// Its cards, in file order.
    pub cards: Vec<Card>,
}

/// Reads and checks one deck.
///
/// # Errors
///
/// If the file does not parse as an mdbook-quiz quiz, or a card has no id;
/// the error names the file (and the card).
pub fn load_deck(path: &Path) -> anyhow::Result<Deck> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("reading quiz cards {}", path.display()))?;
    let quiz: Quiz = toml::from_str(&text)
        .with_context(|| format!("{}: not an mdbook-quiz file", path.display()))?;
    let mut cards = Vec::new();
    for (index, question) in quiz.questions.into_iter().enumerate() {
        let card = flatten(question);
        if card.id.trim().is_empty() {
            bail!(
                "{}: card {} has no `id` (every card needs a stable, unique id)",
                path.display(),
                index + 1
            );
        }
        cards.push(card);
    }
    if cards.is_empty() {
        bail!("{}: the deck has no cards", path.display());
    }
    Ok(Deck {
        path: path.to_path_buf(),
        cards,
    })
}

fn flatten(question: Question) -> Card {
    match question {
        Question::ShortAnswer(q) => {
            let q = q.0;
            let mut answer = q.answer.answer;
            if let Some(alternatives) = q.answer.alternatives.filter(|a| !a.is_empty()) {
                answer
                    .push_str(&format!(" (also accepted: {})", alternatives.join(", ")));
            }
            Card {
                id: q.id.unwrap_or_default(),
                kind: Kind::ShortAnswer,
                prompt: q.prompt.prompt.0,
                options: Vec::new(),
                answer,
                context: q.context.map(|c| c.0),
            }
        }
        Question::MultipleChoice(q) => {
            let q = q.0;
            let answers: Vec<String> = match q.answer.answer {
                MultipleChoiceAnswerFormat::Single(a) => vec![a.0],
                MultipleChoiceAnswerFormat::Multi(a) => {
                    a.into_iter().map(|a| a.0).collect()
                }
            };
            let mut options: Vec<String> =
                q.prompt.distractors.into_iter().map(|d| d.0).collect();
            match q.prompt.answer_index {
                Some(index) if answers.len() == 1 => {
                    options.insert(index.min(options.len()), answers[0].clone())
                }
                _ => {
                    options.extend(answers.iter().cloned());
                    options.sort();
                }
            }
            Card {
                id: q.id.unwrap_or_default(),
                kind: Kind::MultipleChoice,
                prompt: q.prompt.prompt.0,
                options,
                answer: answers.join("; "),
                context: q.context.map(|c| c.0),
            }
        }
        Question::Tracing(q) => {
            let q = q.0;
            let answer = if q.answer.does_compile {
                format!(
                    "It compiles and prints:\n\n```text\n{}\n```",
                    q.answer.stdout.unwrap_or_default()
                )
            } else {
                format!(
                    "It does not compile: the error is on line {}.",
                    q.answer
                        .line_number
                        .map_or_else(|| "?".to_owned(), |n| n.to_string())
                )
            };
            Card {
                id: q.id.unwrap_or_default(),
                kind: Kind::Tracing,
                prompt: q.prompt.program,
                options: Vec::new(),
                answer,
                context: q.context.map(|c| c.0),
            }
        }
    }
}

/// The deck as Markdown for a lesson page: each question, with its answer
/// and explanation folded away until the reader opens them.
pub fn render(deck: &Deck) -> String {
    let mut out = String::new();
    for (index, card) in deck.cards.iter().enumerate() {
        out.push_str(&format!(
            "<div class=\"workbook-card\" id=\"card-{}\">\n\n",
            card.id
        ));
        out.push_str(&format!(
            "**Card {}** <small>`{}`</small>\n\n",
            index + 1,
            card.id
        ));
        match card.kind {
            Kind::Tracing => {
                out.push_str(
                    "Does this program compile? If it does, what does it print?\n\n",
                );
                out.push_str(&format!(
                    "````rust,ignore\n{}\n````\n\n",
                    card.prompt.trim_end()
                ));
            }
            Kind::ShortAnswer | Kind::MultipleChoice => {
                out.push_str(card.prompt.trim());
                out.push_str("\n\n");
            }
        }
        for option in &card.options {
            out.push_str(&format!("- {}\n", option.trim()));
        }
        if !card.options.is_empty() {
            out.push('\n');
        }
        out.push_str("<details>\n<summary>Answer</summary>\n\n");
        out.push_str(card.answer.trim());
        out.push_str("\n\n");
        if let Some(context) = &card.context {
            out.push_str(context.trim());
            out.push_str("\n\n");
        }
        out.push_str("</details>\n\n</div>\n\n");
    }
    out
}
