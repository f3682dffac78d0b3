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
use mdbook_quiz_schema::{MultipleChoiceAnswerFormat, Question};

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
    /// What a tracing card says its program does, to check by running it.
    pub tracing: Option<Tracing>,
    /// Accepted answers of a short-answer card (the answer first).
    pub accepted: Vec<String>,
}

/// What a tracing card claims about its program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracing {
    /// Whether it compiles.
    pub does_compile: bool,
    /// What it prints (trimmed), if it compiles.
    pub stdout: Option<String>,
    /// The line of the first compile error, if it does not.
    pub line_number: Option<usize>,
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
    // Parsed in two steps, the file and then each card (with the schema
    // crate's own `Question`, exactly as mdbook-quiz reads it), so that an
    // error names the card, by number and id, as well as the file and field.
    let table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("{}: not valid TOML", path.display()))?;
    let Some(questions) = table.get("questions").and_then(toml::Value::as_array) else {
        bail!(
            "{}: no [[questions]] (an mdbook-quiz file lists its cards as [[questions]])",
            path.display()
        );
    };
    let mut cards = Vec::new();
    for (index, question) in questions.iter().enumerate() {
        let id = question
            .get("id")
            .and_then(toml::Value::as_str)
            .unwrap_or("no id");
        let question: Question =
            question.clone().try_into().map_err(|e: toml::de::Error| {
                anyhow::anyhow!(
                    "{}: card {} (`{id}`): {}",
                    path.display(),
                    index + 1,
                    e.message()
                )
            })?;
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
            let mut accepted = vec![q.answer.answer.clone()];
            accepted.extend(q.answer.alternatives.clone().unwrap_or_default());
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
                tracing: None,
                accepted,
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
                    // Shuffled, but the same way on every build: ordered by
                    // a hash of the card id and the option. (Sorting by text
                    // would put the answer in a predictable place; a random
                    // shuffle would move it on every build.)
                    options.extend(answers.iter().cloned());
                    let id = q.id.clone().unwrap_or_default();
                    options.sort_by_cached_key(|option| {
                        sha1_smol::Sha1::from(format!("{id}\n{option}"))
                            .digest()
                            .to_string()
                    });
                }
            }
            Card {
                id: q.id.unwrap_or_default(),
                kind: Kind::MultipleChoice,
                prompt: q.prompt.prompt.0,
                options,
                accepted: answers.clone(),
                answer: answers.join("; "),
                context: q.context.map(|c| c.0),
                tracing: None,
            }
        }
        Question::Tracing(q) => {
            let q = q.0;
            let tracing = Tracing {
                does_compile: q.answer.does_compile,
                stdout: q.answer.stdout.as_deref().map(|s| s.trim().to_owned()),
                line_number: q.answer.line_number,
            };
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
                tracing: Some(tracing),
                accepted: Vec::new(),
            }
        }
    }
}

/// The deck as Markdown for a lesson page.
///
/// Each card is a `div` whose data attributes (id, kind, accepted answers)
/// the book's script (`book/theme/workbook.js`) turns into an interactive
/// quiz: the answer stays hidden until the reader answers or gives up, then
/// four grade buttons record the review. Without JavaScript the answer is
/// still there, folded in a `<details>`.
pub fn render(deck: &Deck) -> String {
    let mut out = String::new();
    for (index, card) in deck.cards.iter().enumerate() {
        let kind = match card.kind {
            Kind::ShortAnswer => "short",
            Kind::MultipleChoice => "choice",
            Kind::Tracing => "tracing",
        };
        let accepted =
            serde_json::to_string(&card.accepted).unwrap_or_else(|_| "[]".to_owned());
        out.push_str(&format!(
            "<div class=\"workbook-card\" id=\"card-{id}\" data-card=\"{id}\" data-kind=\"{kind}\" data-accepted=\"{}\">\n\n",
            escape_html(&accepted),
            id = escape_html(&card.id),
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
        out.push_str("<div class=\"card-controls\"></div>\n\n");
        out.push_str("<details class=\"card-answer\">\n<summary>Answer</summary>\n\n");
        out.push_str(card.answer.trim());
        out.push_str("\n\n");
        if let Some(context) = &card.context {
            out.push_str(context.trim());
            out.push_str("\n\n");
        }
        out.push_str("</details>\n\n<div class=\"card-grade\"></div>\n\n</div>\n\n");
    }
    out
}

/// `text` escaped for HTML text and double-quoted attributes.
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Compiles and runs a tracing card's program, and checks that it does
/// what the card says: compiles or not, prints the stated output, or fails
/// on the stated line. `scratch` is a folder for the source and binary.
///
/// The program is compiled with the same `rustc` that builds the workbook
/// (`$RUSTC`, else `rustc`), edition 2024, warnings allowed.
///
/// # Errors
///
/// A message saying what the card claims and what really happened; or that
/// `rustc` could not be run.
pub fn check_tracing(card: &Card, scratch: &Path) -> anyhow::Result<Result<(), String>> {
    let Some(claim) = &card.tracing else {
        return Ok(Ok(()));
    };
    fs::create_dir_all(scratch)?;
    let source = scratch.join(format!("{}.rs", card.id));
    let binary = scratch.join(&card.id);
    fs::write(&source, &card.prompt)?;
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let compiled = std::process::Command::new(rustc)
        .args([
            "--edition",
            "2024",
            "-A",
            "warnings",
            "--color",
            "never",
            "-o",
        ])
        .arg(&binary)
        .arg(&source)
        .output()
        .context("running rustc for a tracing card")?;
    let stderr = String::from_utf8_lossy(&compiled.stderr);
    match (claim.does_compile, compiled.status.success()) {
        (true, false) => Ok(Err(format!(
            "the card says it compiles, but rustc says:\n{}",
            stderr.lines().take(12).collect::<Vec<_>>().join("\n")
        ))),
        (false, true) => Ok(Err(
            "the card says it does not compile, but it does".to_owned()
        )),
        (false, false) => {
            let file = source
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let line = first_error_line(&stderr, file);
            if claim.line_number.is_some() && line != claim.line_number {
                Ok(Err(format!(
                    "the card says the error is on line {:?}, rustc reports line {line:?}",
                    claim.line_number
                )))
            } else {
                Ok(Ok(()))
            }
        }
        (true, true) => {
            let run = std::process::Command::new(&binary)
                .output()
                .context("running a tracing card's program")?;
            let stdout = String::from_utf8_lossy(&run.stdout).trim().to_owned();
            match &claim.stdout {
                Some(expected) if *expected != stdout => Ok(Err(format!(
                    "the card says it prints:\n{expected}\nbut it prints:\n{stdout}"
                ))),
                _ => Ok(Ok(())),
            }
        }
    }
}

/// The line of the first `error` in rustc's output, from its `--> file:line:col`.
fn first_error_line(stderr: &str, file: &str) -> Option<usize> {
    let error = stderr.find("error")?;
    stderr[error..]
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("--> "))
        .and_then(|location| location.rsplit_once(file).map(|(_, rest)| rest.to_owned()))
        .and_then(|rest| rest.trim_start_matches(':').split(':').next()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_card_is_reported_with_file_card_and_field() {
        let path = std::env::temp_dir()
            .join(format!("workbook-deck-{}.quiz.toml", std::process::id()));
        fs::write(
            &path,
            "[[questions]]\nid = \"ok\"\ntype = \"ShortAnswer\"\nprompt.prompt = \"q\"\nanswer.answer = \"a\"\n\n\
             [[questions]]\nid = \"broken\"\ntype = \"MultipleChoice\"\nprompt.prompt = \"q\"\nanswer.answer = \"a\"\n",
        )
        .unwrap();
        let error = load_deck(&path).unwrap_err().to_string();
        assert!(error.contains(".quiz.toml: card 2 (`broken`)"), "{error}");
        assert!(
            error.contains("distractors"),
            "the missing field is named: {error}"
        );
        let _ = fs::remove_file(&path);
    }

    fn tracing_card(id: &str, program: &str, claim: Tracing) -> Card {
        Card {
            id: id.to_owned(),
            kind: Kind::Tracing,
            prompt: program.to_owned(),
            options: Vec::new(),
            answer: String::new(),
            context: None,
            tracing: Some(claim),
            accepted: Vec::new(),
        }
    }

    fn scratch() -> PathBuf {
        std::env::temp_dir().join(format!("workbook-tracing-{}", std::process::id()))
    }

    #[test]
    fn a_tracing_card_with_the_right_output_passes_and_a_wrong_one_is_caught() {
        let program = "fn main() {\n    println!(\"{}\", 1 + 1);\n}\n";
        let right = Tracing {
            does_compile: true,
            stdout: Some("2".to_owned()),
            line_number: None,
        };
        let wrong = Tracing {
            stdout: Some("3".to_owned()),
            ..right.clone()
        };
        assert_eq!(
            check_tracing(&tracing_card("right", program, right), &scratch()).unwrap(),
            Ok(())
        );
        let problem = check_tracing(&tracing_card("wrong", program, wrong), &scratch())
            .unwrap()
            .unwrap_err();
        assert!(problem.contains("but it prints:\n2"), "{problem}");
    }

    #[test]
    fn a_compile_error_must_be_on_the_stated_line() {
        let program = "fn main() {\n    let x: u32 = \"text\";\n}\n";
        let claim = |line| Tracing {
            does_compile: false,
            stdout: None,
            line_number: Some(line),
        };
        assert_eq!(
            check_tracing(&tracing_card("line2", program, claim(2)), &scratch()).unwrap(),
            Ok(())
        );
        let problem =
            check_tracing(&tracing_card("line3", program, claim(3)), &scratch())
                .unwrap()
                .unwrap_err();
        assert!(problem.contains("rustc reports line Some(2)"), "{problem}");
    }

    #[test]
    fn a_card_that_claims_an_error_for_a_valid_program_is_caught() {
        let claim = Tracing {
            does_compile: false,
            stdout: None,
            line_number: Some(1),
        };
        let problem =
            check_tracing(&tracing_card("valid", "fn main() {}\n", claim), &scratch())
                .unwrap()
                .unwrap_err();
        assert!(
            problem.contains("does not compile, but it does"),
            "{problem}"
        );
    }
}
