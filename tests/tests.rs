//! End-to-end tests: the real `sokord` binary on the bundled corpus, on generated files in every
//! format, and on the interpellations in `../shared/corpora` (skipped when absent).

mod bad_input;
mod browser;
mod corpus;
mod fixtures;
mod formats;
#[path = "../fuzz/checks.rs"]
mod fuzz_checks;
mod fuzz_regressions;
mod golden;
mod indexing;
mod interpellations;
mod library;
mod queries;
mod relevance;
mod stats;
mod topics;
mod util;
mod views;
mod web;
mod writers;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use util::*;

/// Whether an indexing run holds (or, killed, held) the index's lock: it writes its process id
/// into the lock file while it holds the lock, and empties it when done.
fn indexing(index: &Path) -> bool {
    std::fs::read(index.join("lock")).is_ok_and(|b| !b.is_empty())
}

/// On CI the shared corpora must be there: the tests that need them would otherwise be skipped.
#[test]
fn the_shared_corpora_are_present_on_ci() {
    if std::env::var_os("CI").is_some() {
        assert!(
            interpellations().is_some(),
            "CI runs without ../shared/corpora"
        );
    }
}

const LIF: &str = "lif-2025-10-14-rup-stockholm";
const FORSSMED: &str = "forssmed-2025-02-06-regulatory-summit";

fn ids(v: &Value) -> BTreeSet<String> {
    hits(v)
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap().to_string())
        .collect()
}

fn show_json(index: &Path, id: &str, chapter: Option<&str>) -> Value {
    let mut args = vec!["show", id, "--json"];
    if let Some(c) = chapter {
        args.extend(["--chapter", c]);
    }
    let run = sokord(index, &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run.json()
}

// ---------------------------------------------------------------- the bundled corpus

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        out.push(p.clone());
        if p.is_dir() {
            out.extend(walkdir(&p));
        }
    }
    out.sort();
    out
}

/// Ids of the health interpellations whose text holds `needle` (soft hyphens removed).
fn docs_containing(needle: &str) -> BTreeSet<String> {
    let dir = interpellations().unwrap();
    let mut out = BTreeSet::new();
    for session in std::fs::read_dir(&dir).unwrap() {
        for f in std::fs::read_dir(session.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            let text = std::fs::read_to_string(&path)
                .unwrap()
                .replace('\u{AD}', "")
                .to_lowercase();
            if text.contains(needle) {
                out.insert(path.file_stem().unwrap().to_str().unwrap().to_string());
            }
        }
    }
    out
}

fn run_json(index: &Path, args: &[&str]) -> Value {
    let run = sokord(index, args);
    assert_eq!(
        run.code, 0,
        "sokord {args:?}: {}\n{}",
        run.stdout, run.stderr
    );
    run.json()
}
