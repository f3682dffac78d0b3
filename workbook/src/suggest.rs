//! "Did you mean ...?" for mistyped exercise names.

/// The candidate closest to `input`, if it is close enough to be a typo.
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(input, candidate), candidate))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_typo_finds_the_name() {
        assert_eq!(closest("backof", ["backoff", "metrics"]), Some("backoff"));
    }

    #[test]
    fn an_unrelated_word_finds_nothing() {
        assert_eq!(closest("zzz", ["backoff", "metrics"]), None);
    }
}
