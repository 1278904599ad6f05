//! Queries and filters as people type them (issue 14): pasted typography, genitives, queries
//! with nothing to search, filter values checked against the index.

use super::*;
use crate::util::*;

/// The ids of every hit (all of them: `--limit` high enough for these small sets).
fn all_ids(index: &Path, q: &str) -> BTreeSet<String> {
    let v = search_json(index, &[q, "--all", "--group", "doc", "--limit", "10000"]);
    let n = v["total_hits"].as_u64().unwrap() as usize;
    assert_eq!(hits(&v).len(), n, "{q}: every hit on one page");
    ids(&v)
}

fn total(index: &Path, q: &str) -> u64 {
    let run = sokord(index, &["search", q, "--all", "--format", "json"]);
    assert!(run.code <= 1, "{q}: {}\n{}", run.stdout, run.stderr);
    run.json()["total_hits"].as_u64().unwrap()
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn pasted_quotes_dashes_and_genitives_mean_what_they_look_like() {
    let Some(index) = interpellation_index() else {
        return;
    };
    // Typographic quotes make a phrase, the same hits as straight quotes, fewer than the words.
    let straight = all_ids(index, "\"vård och omsorg\"");
    assert!(!straight.is_empty());
    for q in [
        "\u{201d}vård och omsorg\u{201d}",
        "\u{201c}vård och omsorg\u{201d}",
        "\u{201e}vård och omsorg\u{201c}",
        "\u{bb}vård och omsorg\u{ab}",
    ] {
        assert_eq!(all_ids(index, q), straight, "{q}");
    }
    assert!(total(index, "\"vård och omsorg\"") < total(index, "vård och omsorg"));
    // En dash, em dash and minus sign before a word are a minus.
    let minus = total(index, "vård -omsorg");
    assert_eq!(minus, total(index, "vård") - total(index, "vård omsorg"));
    for q in [
        "vård \u{2013}omsorg",
        "vård \u{2014}omsorg",
        "vård \u{2212}omsorg",
    ] {
        assert_eq!(total(index, q), minus, "{q}");
    }
    // A genitive colon belongs to its word: EU:s finds every document that writes "EU:s".
    let eu = all_ids(index, "EU:s");
    assert_eq!(eu, docs_containing("eu:s"));
    let emea = search_json(index, &["EU:s läkemedelsmyndighet", "--all"]);
    assert!(!hits(&emea).is_empty());
    for h in hits(&emea) {
        // In the passage or in its document's title.
        let s = format!("{} {}", h["title"], h["snippet"]).to_lowercase();
        assert!(s.contains("läkemedelsmyndighet"), "{s}");
    }
    // Only the field names open a field.
    let run = sokord(index, &["search", "färg:röd"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown field `färg`"),
        "{}",
        run.stderr
    );
}

#[test]
fn deep_nesting_is_an_error_at_its_column_not_a_crash() {
    let index = corpus_index();
    let deep = "(".repeat(100_000);
    let run = sokord(index, &["search", &deep]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("nested too deep") && run.stderr.contains("at column 33"),
        "{}",
        &run.stderr[..run.stderr.len().min(500)]
    );
    // The query shown under the error is cut around the column, not 100,000 characters long.
    assert!(run.stderr.len() < 1000, "{} bytes", run.stderr.len());
    let nots = "NOT ".repeat(20_000) + "vård";
    let run = sokord(index, &["search", &nots]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("nested too deep"),
        "{}",
        run.stderr.len()
    );
    // 32 levels are fine.
    let ok = "(".repeat(32) + "vård" + &")".repeat(32);
    assert_eq!(
        search_json(corpus_index(), &[&ok])["total_hits"],
        search_json(corpus_index(), &["vård"])["total_hits"]
    );
}
