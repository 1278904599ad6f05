//! Running the real `sokord` binary against real indexes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The project root (where `corpus/` is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty scratch folder under Cargo's test temp dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("e2e")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// The stdout as JSON; panics with the run's output when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr: {}", self.stdout, self.stderr))
    }
}

/// Runs `sokord ARGS` in `cwd`, with no colour and no inherited SOKORD_INDEX.
pub fn sokord_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_sokord"))
        .args(args)
        .current_dir(cwd)
        .env_remove("SOKORD_INDEX")
        .env("NO_COLOR", "1")
        .output()
        .expect("the sokord binary runs");
    Run::from(out)
}

/// Runs `sokord ARGS` against the index at `index`.
pub fn sokord(index: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--index", index.to_str().unwrap()];
    all.extend_from_slice(args);
    sokord_in(&root(), &all)
}

/// Runs a search and returns its JSON, asserting exit status 0.
pub fn search_json(index: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = sokord(index, &all);
    assert_eq!(
        run.code, 0,
        "sokord {all:?} failed:\n{}\n{}",
        run.stdout, run.stderr
    );
    run.json()
}

/// Indexes `dir` into a scratch index named `name`; asserts success.
pub fn index_folder(dir: &Path, name: &str) -> PathBuf {
    let index = scratch(name).join("index");
    let run = sokord(&index, &["index", dir.to_str().unwrap()]);
    assert_eq!(
        run.code,
        0,
        "indexing {} failed:\n{}\n{}",
        dir.display(),
        run.stdout,
        run.stderr
    );
    index
}

/// The bundled corpus's index, built once per test run.
pub fn corpus_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| index_folder(&root().join("corpus"), "corpus"))
}

/// The health interpellations in `../shared/corpora`, or `None` (with a message) when absent.
/// Tests that need nothing else are marked ignored when the corpora are absent (`build.rs`), so
/// that the skip is counted; on CI (`CI` set), where the corpora are always laid out, their
/// absence is a failure.
pub fn interpellations() -> Option<PathBuf> {
    let dir = root().join("../shared/corpora/riksdagen-interpellations/health");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent on CI, where the shared corpora must be laid out beside the project",
            dir.display()
        );
        eprintln!(
            "skipped: {} is absent; the interpellation tests need the shared corpora beside the project",
            dir.display()
        );
        None
    }
}

/// The health interpellations' index, built once per test run, or `None` when they are absent.
pub fn interpellation_index() -> Option<&'static Path> {
    static INDEX: OnceLock<Option<PathBuf>> = OnceLock::new();
    INDEX
        .get_or_init(|| interpellations().map(|d| index_folder(&d, "health")))
        .as_deref()
}

/// The hits array of a search result.
pub fn hits(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["hits"].as_array().expect("hits array")
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// The folder of the current generation of the index in `index` (as its `sokord.json` says).
pub fn generation_dir(index: &Path) -> PathBuf {
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(index.join("sokord.json")).unwrap()).unwrap();
    index.join(format!("gen-{}", meta["generation"]))
}
