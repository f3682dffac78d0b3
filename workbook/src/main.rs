//! `cargo workbook`: see the library's documentation for what it does.

fn main() -> std::process::ExitCode {
    workbook::cli::main()
}
