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

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_query_of_stop_words_runs_as_exact_forms_and_nothing_to_search_is_an_error() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let everything = search_json(index, &[""])["total_hits"].as_u64().unwrap();
    // A phrase of stop words finds that phrase: exactly the documents that write it.
    let run = sokord(
        index,
        &[
            "search",
            "\"man kan inte\"",
            "--group",
            "doc",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("only stop words"), "{}", run.stderr);
    let v = run.json();
    assert_eq!(v["exact_forms"], true);
    assert_eq!(ids(&v), docs_containing("man kan inte"));
    for h in hits(&v) {
        let s = h["snippet"].as_str().unwrap().to_lowercase();
        assert!(s.contains("man kan inte"), "{s}");
    }
    // Stop words in AND find the passages with all of them as written, far from everything.
    let and = total(index, "och att det");
    assert!(and > 0 && and < everything, "{and} of {everything}");
    assert_eq!(and, total(index, "=och =att =det"));
    // With a filter the stop words still count.
    let s = total(index, "och att det party:S");
    assert!(s > 0 && s < and, "{s}");
    // The views agree with the search.
    let stats = run_json(index, &["stats", "\"man kan inte\"", "--format", "json"]);
    assert_eq!(stats["total_documents"], v["total_hits"]);
    let kwic = sokord(index, &["kwic", "\"man kan inte\"", "--format", "json"]);
    assert_eq!(kwic.code, 0, "{}", kwic.stderr);
    assert!(!kwic.json()["lines"].as_array().unwrap().is_empty());
    // Nothing left to search: an error that says why, never every passage.
    let long = "a".repeat(300);
    for (q, why) in [
        (long.as_str(), "300 letters long"),
        ("\u{2026} !!", "no letters or digits"),
        ("title:och", "stop words"),
    ] {
        for cmd in ["search", "kwic", "stats"] {
            let run = sokord(index, &[cmd, q]);
            assert_eq!(run.code, 2, "{cmd} {q}: {}", run.stdout);
            assert!(
                run.stderr.contains("nothing to search for") && run.stderr.contains(why),
                "{cmd} {q}: {}",
                run.stderr
            );
            assert!(
                !run.stdout.contains(&everything.to_string()),
                "{}",
                run.stdout
            );
        }
    }
}

/// The values of a front-matter field over the health interpellations, read from the files.
fn front_matter_values(field: &str) -> BTreeSet<String> {
    let dir = interpellations().unwrap();
    let mut out = BTreeSet::new();
    for path in walkdir(&dir).into_iter().filter(|p| p.is_file()) {
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().skip(1).take_while(|l| *l != "---") {
            if let Some(v) = line.strip_prefix(&format!("{field}: ")) {
                out.insert(v.trim().trim_matches('"').trim().to_string());
            }
        }
    }
    out
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn filter_values_the_index_lacks_are_errors_that_list_or_suggest_values() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let failing = |args: &[&str]| {
        let run = sokord(index, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        run.stderr
    };
    // An unknown party lists the parties the index holds: those of the files' front matter.
    let parties = front_matter_values("party");
    assert!(
        parties.contains("S") && parties.contains("FP"),
        "{parties:?}"
    );
    for args in [
        &["search", "vård", "--party", "Liberalerna"][..],
        &["search", "vård", "--party", "S,XYZ"],
        &["search", "vård party:XYZ"],
        &["stats", "vård", "--party", "XYZ"],
    ] {
        let err = failing(args);
        assert!(err.contains("no party `"), "{err}");
        let listed: BTreeSet<String> = err
            .split("the values are: ")
            .nth(1)
            .unwrap()
            .trim()
            .split(", ")
            .map(str::to_string)
            .collect();
        assert_eq!(listed, parties, "{err}");
    }
    let err = failing(&["search", "vård", "--type", "tal"]);
    assert!(
        err.contains("no type `tal`") && err.contains("the values are: interpellation"),
        "{err}"
    );
    let err = failing(&["search", "vård", "--topic", "nonsense"]);
    assert!(
        err.contains("no topic `nonsense`") && err.contains("psykisk-hälsa"),
        "{err}"
    );
    // An actor with no match: the closest names.
    let err = failing(&["search", "vård", "--actor", "Ullenhg"]);
    assert!(err.contains("the closest: Erik Ullenhag"), "{err}");
    let err = failing(&["search", "vård actor:\"Anders Jonsson\""]);
    assert!(err.contains("Anders W Jonsson"), "{err}");
    assert!(front_matter_values("actor").contains("Anders W Jonsson"));
    // Values the index holds work in any case, as before.
    assert!(!hits(&search_json(index, &["vård", "--party", "fp"])).is_empty());
    assert!(!hits(&search_json(index, &["vård", "--topic", "Psykisk hälsa"])).is_empty());
}

/// The health interpellations whose front matter's `field` holds `word`, by file stem (the id).
fn files_with(field: &str, word: &str) -> BTreeSet<String> {
    let dir = interpellations().unwrap();
    let mut out = BTreeSet::new();
    for path in walkdir(&dir).into_iter().filter(|p| p.is_file()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let hit = text
            .lines()
            .skip(1)
            .take_while(|l| *l != "---")
            .any(|l| l.starts_with(&format!("{field}: ")) && l.contains(word));
        if hit {
            out.insert(path.file_stem().unwrap().to_str().unwrap().to_string());
        }
    }
    out
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn the_recipient_is_a_filter_a_field_a_facet_and_in_every_hit_with_the_source() {
    let Some(index) = interpellation_index() else {
        return;
    };
    // --recipient finds exactly the interpellations addressed to the minister.
    let to_hägglund = files_with("recipient", "Hägglund");
    assert!(to_hägglund.len() > 10, "{}", to_hägglund.len());
    let flag = search_json(
        index,
        &[
            "",
            "--recipient",
            "Hägglund",
            "--group",
            "doc",
            "--limit",
            "10000",
        ],
    );
    assert_eq!(ids(&flag), to_hägglund);
    let field = search_json(
        index,
        &["recipient:hägglund", "--group", "doc", "--limit", "10000"],
    );
    assert_eq!(ids(&field), to_hägglund);
    // The facet counts them.
    let all = search_json(index, &["", "--group", "doc"]);
    let facet: u64 = all["facets"]["recipient"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["value"].as_str().unwrap().contains("Hägglund"))
        .map(|v| v["count"].as_u64().unwrap())
        .sum();
    assert_eq!(facet, to_hägglund.len() as u64);
    // Every hit names its recipient and its original, as the file's front matter says.
    let v = search_json(index, &["läkemedel", "--limit", "20"]);
    let dir = interpellations().unwrap();
    for h in hits(&v) {
        let text = std::fs::read_to_string(dir.join(h["path"].as_str().unwrap())).unwrap();
        let source = h["source"].as_str().unwrap();
        assert!(source.starts_with("http"), "{h:#}");
        assert!(text.contains(&format!("source: {source}")), "{source}");
        let recipient = h["recipient"].as_str().unwrap();
        assert!(
            text.contains(&format!("recipient: \"{recipient}\"")),
            "{recipient}"
        );
    }
    // CSV carries them too, in the columns its header names.
    let csv = sokord(
        index,
        &["search", "läkemedel", "--limit", "20", "--format", "csv"],
    );
    let mut rows = csv::Reader::from_reader(csv.stdout.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), hits(&v).len());
    for (r, h) in records.iter().zip(hits(&v)) {
        assert_eq!(&r[col("doc_id")], h["doc_id"].as_str().unwrap());
        assert_eq!(&r[col("recipient")], h["recipient"].as_str().unwrap());
        assert_eq!(&r[col("source")], h["source"].as_str().unwrap());
    }
    // A recipient name matching no one: the closest names.
    let run = sokord(index, &["search", "vård", "--recipient", "Hägglnd"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no recipient in this index matches `Hägglnd`")
            && run.stderr.contains("Göran Hägglund"),
        "{}",
        run.stderr
    );
}
