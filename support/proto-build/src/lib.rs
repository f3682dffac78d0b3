//! Compiles a lesson's `.proto` files to Rust from a build script, with no
//! system `protoc`.
//!
//! # Why this crate exists
//!
//! tonic's code generator, `tonic-prost-build`, hands `.proto` files to
//! `protoc`, a C++ program that cargo cannot install: a learner without it
//! gets a build-script panic after a minute of compiling. `protox` parses
//! `.proto` files in Rust and returns the same `FileDescriptorSet` protoc
//! would, which `tonic_prost_build` turns into code. So every gRPC lesson
//! needs only cargo. (Rejected: vendoring a protoc binary per platform, as
//! `protoc-bin-vendored` does, which downloads 10 MB of executables that
//! cargo cannot build or audit.)
//!
//! # Use
//!
//! A lesson's `build.rs` (paths are relative to the package, the directory
//! cargo runs build scripts in):
//!
//! ```no_run
//! fn main() -> Result<(), proto_build::Error> {
//!     proto_build::Protos::new(["proto/echo.proto"], ["proto"])
//!         .descriptor_set("echo_descriptor") // for server reflection
//!         .compile()
//! }
//! ```
//!
//! A reference solution compiles its exercise's files, so both crates share
//! one contract: `Protos::new(["../../exercises/echo/proto/echo.proto"],
//! ["../../exercises/echo/proto"])`.
//!
//! # Layout
//!
//! - [`Protos`]: the files, the include folders and the options; `compile`
//!   parses, writes the optional descriptor set and generates the code.
//! - [`Error`]: what went wrong, naming the file.

use std::path::{Path, PathBuf};

use prost::Message as _;

/// Re-exported so a build script can tune the generator (attributes, client
/// or server only) without a dependency of its own.
pub use tonic_prost_build;

/// Why a lesson's protos could not be turned into Rust.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// protox refused a file: a syntax error, an unknown type, an import
    /// it could not find. The message names the file and the position.
    #[error("could not parse the protos {files}: {message}")]
    Parse {
        /// The files asked for, comma-separated.
        files: String,
        /// protox's diagnostic, file and line included.
        message: String,
    },
    /// `OUT_DIR` is not set: the function was called outside a build script
    /// without [`Protos::out_dir`].
    #[error("OUT_DIR is not set: call proto_build from build.rs, or set out_dir")]
    NoOutDir,
    /// Writing the descriptor set or the generated code failed.
    #[error("could not write generated code to {path}: {source}")]
    Write {
        /// The file or folder being written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The `.proto` files of one crate, and how to compile them.
#[derive(Debug)]
pub struct Protos {
    files: Vec<PathBuf>,
    includes: Vec<PathBuf>,
    descriptor_set: Option<String>,
    out_dir: Option<PathBuf>,
    builder: tonic_prost_build::Builder,
}

impl Protos {
    /// The files to compile and the folders imports are resolved against.
    /// Every file must lie under one of the include folders.
    pub fn new<F, I>(
        files: impl IntoIterator<Item = F>,
        includes: impl IntoIterator<Item = I>,
    ) -> Self
    where
        F: AsRef<Path>,
        I: AsRef<Path>,
    {
        Self {
            files: files.into_iter().map(|f| f.as_ref().to_owned()).collect(),
            includes: includes
                .into_iter()
                .map(|i| i.as_ref().to_owned())
                .collect(),
            descriptor_set: None,
            out_dir: None,
            builder: tonic_prost_build::configure(),
        }
    }

    /// Also writes the encoded `FileDescriptorSet` to `OUT_DIR/<name>.bin`,
    /// for `tonic::include_file_descriptor_set!("<name>")` (server
    /// reflection needs it).
    pub fn descriptor_set(mut self, name: &str) -> Self {
        self.descriptor_set = Some(name.to_owned());
        self
    }

    /// Writes into `dir` instead of `OUT_DIR` (for tests of this crate).
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Tunes tonic's generator: `|b| b.build_client(false)`, attributes...
    pub fn configure(
        mut self,
        f: impl FnOnce(tonic_prost_build::Builder) -> tonic_prost_build::Builder,
    ) -> Self {
        self.builder = f(self.builder);
        self
    }

    /// Parses the files with protox and generates the Rust code: one
    /// `<package>.rs` per protobuf package, for `tonic::include_proto!`.
    pub fn compile(self) -> Result<(), Error> {
        let out_dir = match self.out_dir {
            Some(dir) => dir,
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        // Tell cargo to re-run the script when a proto changes, and only
        // then: without any rerun-if line cargo re-runs it on every change
        // to any file of the package.
        for dir in &self.includes {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
        for file in &self.files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let fds =
            protox::compile(&self.files, &self.includes).map_err(|e| Error::Parse {
                files: self
                    .files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                message: e.to_string(),
            })?;
        if let Some(name) = &self.descriptor_set {
            let path = out_dir.join(format!("{name}.bin"));
            std::fs::write(&path, fds.encode_to_vec())
                .map_err(|source| Error::Write { path, source })?;
        }
        self.builder
            .out_dir(&out_dir)
            .compile_fds(fds)
            .map_err(|source| Error::Write {
                path: out_dir,
                source,
            })
    }
}
