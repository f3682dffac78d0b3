//! The quiz commands: a review session in the terminal, the due report (for
//! people and for CI), statistics, and the Anki export.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use anyhow::Context;
use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::quiz::Kind;
use crate::srs::{CardInfo, Grade, Phase, ReviewLog, Schedule};

/// How `quiz due` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a terminal.
    Text,
    /// For a GitHub issue or job summary.
    Markdown,
    /// For scripts.
    Json,
}

fn lesson_name(catalog: &Catalog, info: &CardInfo) -> String {
    match catalog.by_lesson(&info.lesson) {
        Some(exercise) => format!("{}: {}", exercise.day, exercise.title),
        None => info.lesson.display().to_string(),
    }
}

fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// Lowercased, trimmed, with backticks, quotes and trailing punctuation
/// removed and spaces collapsed: "`5`." and "5" are the same answer.
pub fn normalize_answer(text: &str) -> String {
    text.to_lowercase()
        .replace(['`', '"', '\''], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', '!', ';'])
        .to_owned()
}

/// Runs a review of the cards due on `date`: each is shown, answered (or
/// not), revealed and graded, and every grade is appended to `log` at once,
/// so a session cut short loses nothing. Reads answers line by line from
/// `input`, so it works as well with a pipe as with a terminal. Returns how
/// many cards were graded.
///
/// # Errors
///
/// If the log cannot be written or the output fails.
pub fn session(
    catalog: &Catalog,
    cards: &[CardInfo],
    schedule: &Schedule,
    log: &mut ReviewLog,
    date: NaiveDate,
    mut input: impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    let by_id: BTreeMap<&str, &CardInfo> =
        cards.iter().map(|c| (c.card.id.as_str(), c)).collect();
    let due: Vec<&CardInfo> = schedule
        .due_on(date)
        .into_iter()
        .filter_map(|id| by_id.get(id).copied())
        .collect();
    if due.is_empty() {
        writeln!(out, "{}", nothing_due(schedule, date))?;
        return Ok(0);
    }
    writeln!(
        out,
        "{} card(s) due on {date}. Answer, then grade yourself; q quits.\n",
        due.len()
    )?;
    let mut graded = 0;
    for (index, info) in due.iter().enumerate() {
        let card = &info.card;
        writeln!(
            out,
            "── Card {}/{} · {} · {}",
            index + 1,
            due.len(),
            card.id,
            lesson_name(catalog, info)
        )?;
        let Some(answer) = ask(card, &mut input, out)? else {
            break;
        };
        if card.kind != Kind::Tracing && !answer.is_empty() {
            let right = card
                .accepted
                .iter()
                .any(|a| normalize_answer(a) == normalize_answer(&answer));
            writeln!(
                out,
                "{}",
                if right {
                    "✓ That matches."
                } else {
                    "✗ That does not match the answer below."
                }
            )?;
        }
        writeln!(out, "\nAnswer: {}", card.answer.trim())?;
        if let Some(context) = &card.context {
            writeln!(out, "\n{}", context.trim())?;
        }
        let Some(grade) = grade(&mut input, out)? else {
            break;
        };
        log.append(date, &card.id, grade)?;
        graded += 1;
        writeln!(out)?;
    }
    writeln!(
        out,
        "Reviewed {graded} of {} card(s); grades are in journal/reviews.log.",
        due.len()
    )?;
    Ok(graded)
}

/// Shows the card and reads the learner's answer; `None` at end of input or `q`.
fn ask(
    card: &crate::quiz::Card,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<Option<String>> {
    match card.kind {
        Kind::ShortAnswer => {
            writeln!(out, "\n{}\n", card.prompt.trim())?;
            write!(out, "Your answer (Enter to just reveal): ")?;
        }
        Kind::MultipleChoice => {
            writeln!(out, "\n{}\n", card.prompt.trim())?;
            for (i, option) in card.options.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, option.trim())?;
            }
            write!(
                out,
                "\nYour choice (1-{}, Enter to just reveal): ",
                card.options.len()
            )?;
        }
        Kind::Tracing => {
            writeln!(
                out,
                "\nDoes this program compile? If it does, what does it print?\n"
            )?;
            for (i, line) in card.prompt.trim_end().lines().enumerate() {
                writeln!(out, "{:>3} | {line}", i + 1)?;
            }
            write!(out, "\nThink it through, then press Enter to reveal: ")?;
        }
    }
    out.flush()?;
    let Some(line) = read_line(input)? else {
        return Ok(None);
    };
    if line.eq_ignore_ascii_case("q") {
        return Ok(None);
    }
    if card.kind == Kind::MultipleChoice
        && let Ok(choice) = line.parse::<usize>()
    {
        return Ok(card
            .options
            .get(choice.wrapping_sub(1))
            .cloned()
            .or(Some(line)));
    }
    Ok(Some(line))
}

fn grade(
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<Option<Grade>> {
    loop {
        write!(out, "Grade: 1 again · 2 hard · 3 good · 4 easy (q quits): ")?;
        out.flush()?;
        let Some(line) = read_line(input)? else {
            return Ok(None);
        };
        if line.eq_ignore_ascii_case("q") {
            return Ok(None);
        }
        match line.parse::<Grade>() {
            Ok(grade) => return Ok(Some(grade)),
            Err(error) => writeln!(out, "{error}")?,
        }
    }
}

fn read_line(input: &mut impl BufRead) -> anyhow::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line).context("reading your answer")? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim().to_owned()))
}

fn nothing_due(schedule: &Schedule, date: NaiveDate) -> String {
    let next = schedule
        .cards
        .values()
        .filter_map(|s| s.due)
        .filter(|d| *d > date)
        .min();
    let introduced = schedule
        .cards
        .values()
        .filter(|s| s.phase != Phase::NotIntroduced)
        .count();
    match next {
        _ if introduced == 0 => {
            "Nothing is due: no card is in your schedule yet. A lesson's cards join it \
             when you solve its exercise, or when you first grade one in the book."
                .to_owned()
        }
        Some(next) => {
            let count = schedule
                .cards
                .values()
                .filter(|s| s.due == Some(next))
                .count();
            format!("Nothing is due on {date}. Next: {count} card(s) on {next}.")
        }
        None => format!("Nothing is due on {date}."),
    }
}

/// The cards due on `date`, as text, Markdown (what the daily workflow
/// posts) or JSON.
pub fn due_report(
    catalog: &Catalog,
    cards: &[CardInfo],
    schedule: &Schedule,
    date: NaiveDate,
    format: Format,
) -> String {
    let by_id: BTreeMap<&str, &CardInfo> =
        cards.iter().map(|c| (c.card.id.as_str(), c)).collect();
    let due: Vec<(&CardInfo, NaiveDate)> = schedule
        .due_on(date)
        .into_iter()
        .filter_map(|id| Some((*by_id.get(id)?, schedule.cards[id].due?)))
        .collect();
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = due
                .iter()
                .map(|(info, since)| {
                    serde_json::json!({
                        "id": info.card.id,
                        "lesson": info.lesson.display().to_string(),
                        "day": info.day.map(|d| d.number()),
                        "due": since.to_string(),
                        "prompt": first_line(&info.card.prompt, 200),
                    })
                })
                .collect();
            serde_json::json!({ "date": date.to_string(), "due": items }).to_string()
        }
        Format::Text => {
            if due.is_empty() {
                return format!("{}\n", nothing_due(schedule, date));
            }
            let mut out = format!(
                "{} card(s) due on {date} (review them with `cargo workbook quiz`):\n",
                due.len()
            );
            for (info, since) in &due {
                out.push_str(&format!(
                    "  {:<40} {:<36} due since {since}\n",
                    info.card.id,
                    lesson_name(catalog, info)
                ));
            }
            out
        }
        Format::Markdown => {
            let mut out = format!("## Quiz cards due on {date}\n\n");
            if due.is_empty() {
                out.push_str(&format!("{}\n", nothing_due(schedule, date)));
                return out;
            }
            out.push_str(&format!(
                "{} card(s) are due. Review them with `cargo workbook quiz` (or on their lesson pages in \
                 the book served by `cargo workbook`), then commit `journal/reviews.log`.\n\n",
                due.len()
            ));
            out.push_str("| Card | Lesson | Due since | Question |\n|---|---|---|---|\n");
            for (info, since) in &due {
                let question = match info.card.kind {
                    Kind::Tracing => "What does this program do?".to_owned(),
                    _ => first_line(&info.card.prompt, 90).replace('|', "\\|"),
                };
                out.push_str(&format!(
                    "| `{}` | [{}](book/src/{}) | {since} | {question} |\n",
                    info.card.id,
                    lesson_name(catalog, info),
                    info.lesson.display()
                ));
            }
            out
        }
    }
}

/// Cards per phase, reviews, what is due in the next 7 days, and retention.
pub fn stats_report(schedule: &Schedule, log: &ReviewLog, date: NaiveDate) -> String {
    let mut phases: BTreeMap<Phase, usize> = BTreeMap::new();
    for state in schedule.cards.values() {
        *phases.entry(state.phase).or_default() += 1;
    }
    let mut out = format!("Quiz cards: {} in all\n", schedule.cards.len());
    for (phase, label) in [
        (Phase::NotIntroduced, "not introduced (lesson not solved)"),
        (Phase::New, "new"),
        (Phase::Learning, "learning"),
        (Phase::Review, "review"),
        (Phase::Relearning, "relearning"),
    ] {
        out.push_str(&format!(
            "  {label:<36} {}\n",
            phases.get(&phase).copied().unwrap_or(0)
        ));
    }
    out.push_str(&format!("Reviews logged: {}\n", log.reviews().len()));
    out.push_str("Due in the next 7 days:\n");
    for offset in 0..7 {
        let day = date + chrono::Days::new(offset);
        let count = schedule
            .cards
            .values()
            .filter(|s| {
                s.due == Some(day) || (offset == 0 && s.due.is_some_and(|d| d < day))
            })
            .count();
        out.push_str(&format!("  {day}  {count}\n"));
    }
    let (reviews, recalled) = schedule.retention;
    match reviews {
        0 => out.push_str("Retention: no review of a learned card yet\n"),
        _ => out.push_str(&format!(
            "Retention: {:.0}% ({recalled} of {reviews} reviews of learned cards were not `again`; FSRS aims for 90%)\n",
            100.0 * recalled as f64 / reviews as f64
        )),
    }
    for warning in &schedule.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    out
}

/// `text` as one line of Anki HTML: escaped, newlines as `<br>`.
fn html(text: &str) -> String {
    crate::quiz::escape_html(text).replace('\n', "<br>")
}

/// Every card in Anki's plain-text import format: tab-separated, with
/// `#separator`, `#html`, `#notetype`, `#deck`, `#columns` and `#tags column`
/// headers; fields HTML-escaped (Rust generics are full of `<` and `>`).
///
/// # Errors
///
/// Only if the CSV writer fails (it writes to memory).
pub fn anki_export(catalog: &Catalog, cards: &[CardInfo]) -> anyhow::Result<String> {
    let mut out = String::from(
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:Backend Rust workbook\n#columns:Front\tBack\tTags\n#tags column:3\n",
    );
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .from_writer(Vec::new());
    for info in cards {
        let card = &info.card;
        let mut front = String::new();
        match card.kind {
            Kind::Tracing => {
                front.push_str(
                    "Does this program compile? If it does, what does it print?<br>",
                );
                front.push_str(&format!(
                    "<pre><code>{}</code></pre>",
                    html(card.prompt.trim_end()).replace("<br>", "\n")
                ));
            }
            _ => front.push_str(&html(card.prompt.trim())),
        }
        for (i, option) in card.options.iter().enumerate() {
            front.push_str(&format!("<br>{}. {}", i + 1, html(option.trim())));
        }
        front.push_str(&format!(
            "<br><small>{} · {}</small>",
            html(&card.id),
            html(&lesson_name(catalog, info))
        ));
        let mut back = html(card.answer.trim());
        if let Some(context) = &card.context {
            back.push_str("<br><br>");
            back.push_str(&html(context.trim()));
        }
        writer.write_record([front, back, info.tags().join(" ")])?;
    }
    out.push_str(&String::from_utf8(
        writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?,
    )?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::normalize_answer;

    #[test]
    fn answers_are_compared_without_formatting() {
        assert_eq!(normalize_answer("`5`."), "5");
        assert_eq!(normalize_answer("  Full   Jitter "), "full jitter");
    }
}
