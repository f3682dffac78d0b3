//! Step 1: the configuration, from flags, the environment and defaults.

use std::time::Duration;

use service_skeleton::{Config, ConfigError, GracePeriod, ListenAddr};

/// An environment with nothing set.
fn no_env(_: &str) -> Option<String> {
    None
}

/// An environment with exactly these variables.
fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    }
}

#[test]
fn with_nothing_given_the_defaults_apply() {
    let config =
        Config::parse(Vec::<String>::new(), no_env).expect("no arguments is valid");
    assert_eq!(
        config.addr().to_string(),
        "127.0.0.1:50051",
        "the default address is loopback, port 50051"
    );
    assert_eq!(
        config.grace().duration(),
        Duration::from_secs(10),
        "the default grace period is 10 s"
    );
    assert_eq!(
        config.addr(),
        ListenAddr::DEFAULT,
        "the default is ListenAddr::DEFAULT"
    );
    assert_eq!(
        config.grace(),
        GracePeriod::DEFAULT,
        "the default is GracePeriod::DEFAULT"
    );
}

#[test]
fn flags_set_the_address_and_the_grace_period() {
    let config = Config::parse(["--addr", "127.0.0.1:0", "--grace-ms", "250"], no_env)
        .expect("both flags are valid");
    assert_eq!(
        config.addr().to_string(),
        "127.0.0.1:0",
        "--addr sets the address"
    );
    assert_eq!(
        config.grace().duration(),
        Duration::from_millis(250),
        "--grace-ms sets the grace period in milliseconds"
    );
}

#[test]
fn the_flags_may_come_in_any_order_and_take_ipv6() {
    let config = Config::parse(["--grace-ms", "1", "--addr", "[::1]:7000"], no_env)
        .expect("flags in any order are valid");
    assert_eq!(
        config.addr().to_string(),
        "[::1]:7000",
        "an IPv6 address in brackets parses"
    );
    assert_eq!(
        config.grace().duration(),
        Duration::from_millis(1),
        "1 ms is the smallest grace"
    );
}

#[test]
fn the_environment_is_read_when_no_flag_is_given() {
    let config = Config::parse(
        Vec::<String>::new(),
        env(&[
            ("SKELETON_ADDR", "0.0.0.0:9000"),
            ("SKELETON_GRACE_MS", "1500"),
        ]),
    )
    .expect("valid environment");
    assert_eq!(
        config.addr().to_string(),
        "0.0.0.0:9000",
        "SKELETON_ADDR sets the address"
    );
    assert_eq!(
        config.grace().duration(),
        Duration::from_millis(1500),
        "SKELETON_GRACE_MS sets the grace period"
    );
}

#[test]
fn a_flag_wins_over_the_environment() {
    let config = Config::parse(
        ["--addr", "127.0.0.1:1234"],
        env(&[
            ("SKELETON_ADDR", "0.0.0.0:9000"),
            ("SKELETON_GRACE_MS", "1500"),
        ]),
    )
    .expect("valid configuration");
    assert_eq!(
        config.addr().to_string(),
        "127.0.0.1:1234",
        "--addr beats SKELETON_ADDR"
    );
    assert_eq!(
        config.grace().duration(),
        Duration::from_millis(1500),
        "without --grace-ms, SKELETON_GRACE_MS still applies"
    );
}

#[test]
fn an_address_without_a_port_is_refused_with_its_text() {
    let error = Config::parse(["--addr", "localhost"], no_env)
        .expect_err("an address needs an IP and a port");
    assert!(
        matches!(&error, ConfigError::BadAddress { value, .. } if value == "localhost"),
        "expected BadAddress naming \"localhost\", got {error:?}"
    );
    assert!(
        error.to_string().contains("\"localhost\""),
        "the message should quote the bad value, got {error}"
    );
}

#[test]
fn a_bad_address_in_the_environment_is_refused_too() {
    let error = Config::parse(Vec::<String>::new(), env(&[("SKELETON_ADDR", "nowhere")]))
        .expect_err("the environment is parsed like the flags");
    assert!(
        matches!(&error, ConfigError::BadAddress { value, .. } if value == "nowhere"),
        "expected BadAddress naming \"nowhere\", got {error:?}"
    );
}

#[test]
fn a_grace_period_that_is_not_a_number_is_refused() {
    let error = Config::parse(["--grace-ms", "5s"], no_env)
        .expect_err("the grace period is whole milliseconds");
    assert!(
        matches!(&error, ConfigError::BadGrace { value, .. } if value == "5s"),
        "expected BadGrace naming \"5s\", got {error:?}"
    );
}

#[test]
fn a_zero_grace_period_is_refused() {
    let error =
        Config::parse(["--grace-ms", "0"], no_env).expect_err("0 ms is no grace at all");
    assert_eq!(error, ConfigError::ZeroGrace, "0 ms gives ZeroGrace");
    assert_eq!(
        GracePeriod::new(Duration::ZERO),
        Err(ConfigError::ZeroGrace),
        "GracePeriod::new refuses zero as well"
    );
}

#[test]
fn a_flag_without_a_value_is_refused() {
    let error = Config::parse(["--addr"], no_env).expect_err("--addr needs a value");
    assert_eq!(
        error,
        ConfigError::MissingValue {
            flag: "--addr".to_owned()
        },
        "a flag with nothing after it gives MissingValue"
    );
}

#[test]
fn an_unknown_argument_is_refused() {
    let error =
        Config::parse(["--port", "80"], no_env).expect_err("there is no --port flag");
    assert_eq!(
        error,
        ConfigError::UnknownArgument("--port".to_owned()),
        "an unknown flag gives UnknownArgument"
    );
}
