//! Recorded JSON outputs: a set of queries and views over the bundled corpus and the health
//! interpellations, each indexed on one thread (so that passages tie in one order), compared byte
//! for byte with `tests/golden/*.json`. A refactoring must leave them as they are; a change that
//! means to change what is found or counted records them again and says so:
//!
//! ```sh
//! SOKORD_RECORD=1 cargo test --test e2e golden
//! ```

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::util::*;

/// (name, which corpus, arguments). Every command prints JSON.
const RECORDED: &[(&str, Corpus, &[&str])] = &[
    (
        "corpus-search",
        Corpus::Bundled,
        &[
            "search",
            "kliniska prövningar",
            "--format",
            "json",
            "--facets",
        ],
    ),
    (
        "corpus-search-doc",
        Corpus::Bundled,
        &["search", "läkemedel", "--group", "doc", "--format", "json"],
    ),
    (
        "corpus-kwic",
        Corpus::Bundled,
        &["kwic", "försörjning", "--format", "json"],
    ),
    (
        "corpus-show",
        Corpus::Bundled,
        &["show", "lif-2025-10-14-rup-stockholm", "--json"],
    ),
    (
        "corpus-topics",
        Corpus::Bundled,
        &["topics", "--format", "json"],
    ),
    (
        "health-search",
        Corpus::Health,
        &[
            "search", "vård", "--limit", "30", "--facets", "--format", "json",
        ],
    ),
    (
        "health-search-phrase",
        Corpus::Health,
        &[
            "search",
            "\"psykisk ohälsa\" unga",
            "--limit",
            "20",
            "--format",
            "json",
        ],
    ),
    (
        "health-search-doc",
        Corpus::Health,
        &[
            "search",
            "läkemedel brist",
            "--group",
            "doc",
            "--limit",
            "20",
            "--format",
            "json",
        ],
    ),
    (
        "health-search-prefix-fuzzy",
        Corpus::Health,
        &[
            "search",
            "tandvård* OR prövnng~1",
            "--limit",
            "20",
            "--format",
            "json",
        ],
    ),
    (
        "health-search-exact-filters",
        Corpus::Health,
        &[
            "search",
            "=läkemedlen",
            "--party",
            "S",
            "--from",
            "2005",
            "--sort",
            "date",
            "--format",
            "json",
        ],
    ),
    (
        "health-kwic",
        Corpus::Health,
        &["kwic", "vårdgaranti", "--format", "json"],
    ),
    (
        "health-stats-year",
        Corpus::Health,
        &["stats", "vårdgaranti", "--by", "year", "--format", "json"],
    ),
    (
        "health-stats-party",
        Corpus::Health,
        &[
            "stats",
            "vård",
            "--by",
            "party",
            "--topic",
            "psykisk-hälsa",
            "--format",
            "json",
        ],
    ),
    (
        "health-compare",
        Corpus::Health,
        &[
            "compare",
            "sjuksköterska",
            "--by",
            "party",
            "--format",
            "json",
        ],
    ),
    (
        "health-keywords",
        Corpus::Health,
        &["keywords", "--party", "SD", "--format", "json"],
    ),
    (
        "health-topics",
        Corpus::Health,
        &["topics", "--format", "json"],
    ),
    (
        "health-search-doc-vard",
        Corpus::Health,
        &[
            "search", "vård", "--group", "doc", "--limit", "50", "--format", "json",
        ],
    ),
    (
        "health-stats-party-plain",
        Corpus::Health,
        &["stats", "vård", "--by", "party", "--format", "json"],
    ),
    (
        "health-stats-topic-year",
        Corpus::Health,
        &["stats", "vård", "--by", "topic,year", "--format", "json"],
    ),
    (
        "health-stats-month-type",
        Corpus::Health,
        &[
            "stats",
            "tandvård",
            "--by",
            "month,type",
            "--format",
            "json",
        ],
    ),
    (
        "health-stats-chapter-actor",
        Corpus::Health,
        &[
            "stats",
            "patient",
            "--by",
            "actor,chapter",
            "--format",
            "json",
        ],
    ),
    (
        "health-stats-session",
        Corpus::Health,
        &["stats", "vård", "--by", "session", "--format", "json"],
    ),
    (
        "health-compare-vard",
        Corpus::Health,
        &["compare", "vård", "--by", "party", "--format", "json"],
    ),
    (
        "health-keywords-query",
        Corpus::Health,
        &["keywords", "tandvård", "--format", "json"],
    ),
    (
        "health-topics-party",
        Corpus::Health,
        &["topics", "--by", "party", "--format", "json"],
    ),
    (
        "health-count",
        Corpus::Health,
        &["count", "vård", "--format", "json"],
    ),
    (
        "health-count-filtered",
        Corpus::Health,
        &[
            "count",
            "vård",
            "--party",
            "S",
            "--topic",
            "psykisk-hälsa",
            "--format",
            "json",
        ],
    ),
    (
        "health-show",
        Corpus::Health,
        &["show", "ipq-202324--0635", "--json"],
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Corpus {
    Bundled,
    Health,
}

fn single_thread_index(dir: &Path, name: &str) -> PathBuf {
    let index = scratch(name).join("index");
    let run = sokord(&index, &["index", dir.to_str().unwrap(), "--threads", "1"]);
    assert_eq!(run.code, 0, "indexing {}: {}", dir.display(), run.stderr);
    index
}

fn index_of(corpus: Corpus) -> Option<&'static Path> {
    static BUNDLED: OnceLock<PathBuf> = OnceLock::new();
    static HEALTH: OnceLock<Option<PathBuf>> = OnceLock::new();
    match corpus {
        Corpus::Bundled => Some(
            BUNDLED.get_or_init(|| single_thread_index(&root().join("corpus"), "golden-corpus")),
        ),
        Corpus::Health => HEALTH
            .get_or_init(|| interpellations().map(|d| single_thread_index(&d, "golden-health")))
            .as_deref(),
    }
}

#[test]
fn recorded_json_outputs_are_unchanged() {
    let record = std::env::var_os("SOKORD_RECORD").is_some();
    let dir = root().join("tests/golden");
    let mut differ = Vec::new();
    let mut compared = 0;
    for (name, corpus, args) in RECORDED {
        let Some(index) = index_of(*corpus) else {
            continue;
        };
        let run = sokord(index, args);
        assert_eq!(run.code, 0, "{name}: sokord {args:?}: {}", run.stderr);
        run.json(); // it is JSON
        let path = dir.join(format!("{name}.json"));
        if record {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &run.stdout).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; record it with SOKORD_RECORD=1", path.display()));
        compared += 1;
        if expected != run.stdout {
            let line = expected
                .lines()
                .zip(run.stdout.lines())
                .position(|(a, b)| a != b)
                .map_or(
                    expected.lines().count().min(run.stdout.lines().count()),
                    |i| i,
                );
            differ.push(format!(
                "{name} (sokord {}): first difference at line {}:\n  recorded: {}\n  now:      {}",
                args.join(" "),
                line + 1,
                expected.lines().nth(line).unwrap_or("<end>"),
                run.stdout.lines().nth(line).unwrap_or("<end>"),
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    if !record {
        assert!(compared >= 5, "only {compared} outputs compared");
    }
}

/// Two builds of the same folder on different numbers of threads cut the index into different
/// segments; their ranked lists are the same, ties included (equal scores are ordered by document
/// id and passage number).
#[test]
#[cfg_attr(no_shared_corpora, ignore = "needs ../shared/corpora")]
fn two_builds_on_different_thread_counts_rank_alike() {
    let Some(one) = index_of(Corpus::Health) else {
        return;
    };
    let health = interpellations().unwrap();
    let three = scratch("health-3-threads").join("index");
    let run = sokord(
        &three,
        &["index", health.to_str().unwrap(), "--threads", "3"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Plain words, a phrase, an OR, and filters alone, where every score is equal.
    for query in [
        "vård",
        "tandvård",
        "\"psykisk ohälsa\"",
        "läkemedel OR apotek",
        "type:interpellation",
        "party:S",
    ] {
        for group in [None, Some("doc")] {
            let mut args = vec![
                "search", query, "--limit", "200", "--all", "--format", "json",
            ];
            args.extend(group.map(|g| ["--group", g]).into_iter().flatten());
            let (a, b) = (sokord(one, &args), sokord(&three, &args));
            assert_eq!(a.code, 0, "{query}: {}", a.stderr);
            assert!(hits(&a.json()).len() >= 20, "{query} {group:?}");
            assert!(
                a.stdout == b.stdout,
                "{query} {group:?}: the two builds rank differently"
            );
        }
    }
}
