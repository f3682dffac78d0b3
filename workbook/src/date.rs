//! Dates as the runner writes them: `YYYY-MM-DD`, in UTC.

use chrono::{NaiveDate, Utc};

/// Today's UTC date, `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    Utc::now().date_naive().to_string()
}

/// Now in UTC as `YYYY-MM-DDTHH-MM-SS`: sortable, and safe in a file name.
pub(crate) fn timestamp() -> String {
    Utc::now().format("%Y-%m-%dT%H-%M-%S").to_string()
}

/// Whether `text` is a real `YYYY-MM-DD` date.
pub(crate) fn is_date(text: &str) -> bool {
    text.len() == 10 && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_iso_dates_are_dates() {
        assert!(is_date("2026-11-22"));
        assert!(!is_date("2026-1-22"));
        assert!(!is_date("2026-99-99"));
        assert!(!is_date("yesterday!"));
        assert!(is_date(&today()));
    }
}
