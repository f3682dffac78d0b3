//! What an exercise needs beyond cargo, said before its tests run.
//!
//! The Redis lessons' tests start their own `redis-server`. A learner who
//! does not have one should hear it from `cargo workbook next` (and from
//! `hint`, `run` and `watch`), with how to install it, not discover it as a
//! wall of failing tests. The check is the same one the tests' harness makes
//! ([`redis_harness::locate`]), so the two cannot disagree.

use redis_harness::{Found, HarnessError};

use crate::catalog::{Check, Exercise};

/// One thing an exercise needs, and whether this machine has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Whether the tests can run as they are.
    pub met: bool,
    /// One line for the learner.
    pub text: String,
}

/// What `exercise` needs beyond cargo, checked on this machine.
pub fn check(exercise: &Exercise) -> Vec<Requirement> {
    check_with(
        exercise,
        redis_harness::locate,
        std::env::var("REDIS_URL").ok(),
    )
}

/// [`check`] with the lookup and `REDIS_URL` passed in (for tests).
pub fn check_with(
    exercise: &Exercise,
    locate: impl Fn() -> Result<Found, HarnessError>,
    redis_url: Option<String>,
) -> Vec<Requirement> {
    let mut found = Vec::new();
    for check in &exercise.checks {
        if *check != Check::Redis {
            // loom and ThreadSanitizer are maintainers' checks of the
            // solution: the learner's `cargo test` needs neither.
            continue;
        }
        let redis_url = redis_url.as_deref().filter(|url| !url.is_empty());
        found.push(match (locate(), redis_url) {
            (_, Some(url)) => Requirement {
                met: true,
                text: format!(
                    "needs Redis: REDIS_URL is set, so the tests use {url} (Redis 6.2+ \
                     for BLMOVE), each under its own key prefix"
                ),
            },
            (Ok(server), None) if server.has_blmove() => Requirement {
                met: true,
                text: format!(
                    "needs redis-server: found {} (Redis {}); each test starts its own \
                     on a free 127.0.0.1 port and stops it",
                    server.path.display(),
                    server.version
                ),
            },
            (Ok(server), None) => Requirement {
                met: false,
                text: format!(
                    "needs redis-server 6.2 or later (for BLMOVE), but {} is Redis {}: \
                     upgrade it, or set REDIS_URL to a newer server",
                    server.path.display(),
                    server.version
                ),
            },
            (Err(error), None) => Requirement {
                met: false,
                text: format!(
                    "needs redis-server, which was not found: {}. Until then every \
                     test of {} fails at its start",
                    redis_harness::INSTALL_HINT,
                    exercise.name
                ),
            }
            .with_cause(&error),
        });
    }
    found
}

impl Requirement {
    fn with_cause(mut self, error: &HarnessError) -> Self {
        if !matches!(error, HarnessError::NotFound { .. }) {
            self.text
                .push_str(&format!(" ({})", redis_harness::report(error)));
        }
        self
    }

    /// The line as the runner prints it: `✔ …` or `✘ …`.
    pub fn line(&self) -> String {
        let mark = if self.met { "✔" } else { "✘" };
        format!("{mark} {}", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Day;
    use std::path::PathBuf;

    fn exercise(checks: Vec<Check>) -> Exercise {
        Exercise {
            name: "job-queue".into(),
            dir: PathBuf::from("exercises/job-queue"),
            day: Day::new(136).unwrap(),
            title: "A Redis job queue".into(),
            lesson: PathBuf::from("month-05/week-4/day-136.md"),
            example: "queue".into(),
            checks,
            hint: "h".into(),
            allow_passing: Vec::new(),
        }
    }

    fn found(version: &str) -> Result<Found, HarnessError> {
        Ok(Found {
            path: PathBuf::from("/usr/bin/redis-server"),
            version: version.into(),
        })
    }

    #[test]
    fn an_exercise_without_redis_needs_nothing() {
        let needs = check_with(&exercise(vec![Check::Tsan]), || found("7.0.15"), None);
        assert!(
            needs.is_empty(),
            "tsan is not the learner's concern: {needs:?}"
        );
    }

    #[test]
    fn a_found_redis_is_named_with_its_version() {
        let needs = check_with(&exercise(vec![Check::Redis]), || found("7.0.15"), None);
        assert_eq!(needs.len(), 1);
        assert!(needs[0].met, "7.0.15 has BLMOVE");
        assert!(
            needs[0]
                .text
                .contains("/usr/bin/redis-server (Redis 7.0.15)"),
            "{}",
            needs[0].text
        );
    }

    #[test]
    fn a_redis_without_blmove_is_not_enough() {
        let needs = check_with(&exercise(vec![Check::Redis]), || found("6.0.16"), None);
        assert!(!needs[0].met, "6.0 has no BLMOVE");
        assert!(needs[0].text.contains("6.2 or later"), "{}", needs[0].text);
    }

    #[test]
    fn a_missing_redis_says_how_to_install_it() {
        let missing = || {
            Err(HarnessError::NotFound {
                binary: "redis-server".into(),
            })
        };
        let needs = check_with(&exercise(vec![Check::Redis]), missing, None);
        assert!(!needs[0].met);
        assert!(
            needs[0].text.contains("apt-get install redis-server")
                && needs[0].text.contains("every test of job-queue fails"),
            "{}",
            needs[0].text
        );
        assert!(needs[0].line().starts_with('✘'));
    }

    #[test]
    fn redis_url_replaces_the_local_server() {
        let missing = || {
            Err(HarnessError::NotFound {
                binary: "redis-server".into(),
            })
        };
        let url = Some("redis://10.0.0.5:6379/".to_owned());
        let needs = check_with(&exercise(vec![Check::Redis]), missing, url);
        assert!(needs[0].met, "a REDIS_URL is enough without a local binary");
        assert!(
            needs[0].text.contains("redis://10.0.0.5:6379/"),
            "{}",
            needs[0].text
        );
    }
}
