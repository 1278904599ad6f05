//! Statistics, comparisons, keywords, topics and charts.

use super::*;
use crate::util::*;
use std::path::{Path, PathBuf};

/// A copy of an index, `index` in a scratch folder of its own.
fn copied(index: &Path, name: &str) -> PathBuf {
    let copy = scratch(name).join("index");
    copy_dir(index, &copy);
    copy
}

/// Adds one document to an index and commits, as a program would after an indexing run.
fn commit_as_a_program(index: &Path, doc: sokord_index::NewDocument) {
    let mut writer =
        sokord_index::Writer::open(index, &sokord_index::IndexOptions::default()).unwrap();
    writer.insert(doc).unwrap();
    writer.commit().unwrap();
}

#[test]
fn stats_counts_are_exact_and_normalised_by_real_word_counts() {
    let index = corpus_index();
    let v = run_json(
        index,
        &[
            "stats",
            "antibiotikaresistens",
            "--by",
            "actor",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["query"], "antibiotikaresistens");
    assert_eq!(v["by"], serde_json::json!(["actor"]));
    // Hand count: the passages whose text says antibiotikaresistens, and each actor's words.
    let mut expected: Vec<(String, u64, u64)> = Vec::new();
    for (id, actor) in [
        (LIF, "Läkemedelsindustriföreningen (Lif)"),
        (FORSSMED, "Jakob Forssmed"),
    ] {
        let doc = show_json(index, id, None);
        let passages = doc["passages"].as_array().unwrap();
        let matching = passages
            .iter()
            .filter(|p| {
                p["text"]
                    .as_str()
                    .unwrap()
                    .to_lowercase()
                    .contains("antibiotikaresistens")
            })
            .count() as u64;
        let words: u64 = passages
            .iter()
            .map(|p| p["text"].as_str().unwrap().split_whitespace().count() as u64)
            .sum();
        expected.push((actor.to_string(), matching, words));
    }
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{v:#}");
    for (actor, passages, words) in &expected {
        let g = groups.iter().find(|g| g["key"] == actor.as_str()).unwrap();
        assert_eq!(g["passages"].as_u64().unwrap(), *passages, "{actor}");
        assert_eq!(g["words"].as_u64().unwrap(), *words, "{actor}");
        let rate = *passages as f64 * 10_000.0 / *words as f64;
        assert!((g["per_10k_words"].as_f64().unwrap() - rate).abs() < 1e-9);
    }
    assert_eq!(
        v["total_passages"].as_u64().unwrap(),
        expected.iter().map(|e| e.1).sum::<u64>()
    );
    // Per-group counts add up to the totals, whatever the grouping.
    for by in ["actor", "party", "type", "year"] {
        let s = run_json(
            index,
            &["stats", "läkemedel", "--by", by, "--format", "json"],
        );
        let sum = |k: &str| {
            s["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g[k].as_u64().unwrap())
                .sum::<u64>()
        };
        assert_eq!(
            sum("passages"),
            s["total_passages"].as_u64().unwrap(),
            "{by}"
        );
        assert_eq!(
            sum("documents"),
            s["total_documents"].as_u64().unwrap(),
            "{by}"
        );
        let all = search_json(index, &["läkemedel", "--all", "--limit", "1"]);
        assert_eq!(s["total_passages"], all["total_hits"], "{by}");
    }
    // CSV: a header and one row per group.
    let csv = sokord(
        index,
        &["stats", "läkemedel", "--by", "year", "--format", "csv"],
    );
    assert_eq!(
        csv.stdout.lines().next(),
        Some("year,documents,passages,hits,words,population_documents,per_10k_words,per_million_words,document_share")
    );
    assert_eq!(csv.stdout.lines().count(), 2);
    // Text: a table with bars.
    let text = sokord(index, &["stats", "läkemedel", "--by", "actor"]);
    assert!(text.stdout.contains('█'), "{}", text.stdout);
}

#[test]
fn compare_lists_every_group_with_cited_statements() {
    let index = corpus_index();
    let v = run_json(
        index,
        &[
            "compare",
            "antibiotikaresistens",
            "--by",
            "actor",
            "--top",
            "2",
            "--format",
            "json",
        ],
    );
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    let lif = &groups[0];
    assert_eq!(lif["key"], "Läkemedelsindustriföreningen (Lif)");
    assert!(lif["passages"].as_u64().unwrap() >= 1);
    for s in lif["statements"].as_array().unwrap() {
        assert_eq!(s["doc_id"], LIF);
        assert!(s["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("antibiotikaresistens"));
        assert!(s["chapter"]["number"].is_string() && s["date"] == "2025-10-14");
    }
    // The group without a match is listed as such.
    let none = &groups[1];
    assert_eq!(none["key"], "Jakob Forssmed");
    assert_eq!(none["passages"], 0);
    assert!(none["statements"].as_array().unwrap().is_empty());
    let text = sokord(index, &["compare", "antibiotikaresistens", "--by", "actor"]);
    assert!(
        text.stdout.contains("No match: Jakob Forssmed"),
        "{}",
        text.stdout
    );
    let md = sokord(
        index,
        &[
            "compare",
            "kliniska prövningar",
            "--by",
            "type",
            "--format",
            "markdown",
        ],
    );
    assert!(md
        .stdout
        .contains("| type | documents | passages | hits | words | passages per 10,000 words |"));
    assert!(
        md.stdout.contains("## remissvar")
            && md.stdout.contains("## tal")
            && md.stdout.contains("> ")
    );
    let csv = sokord(
        index,
        &[
            "compare",
            "kliniska prövningar",
            "--by",
            "type",
            "--format",
            "csv",
            "--top",
            "2",
        ],
    );
    let mut r = csv::Reader::from_reader(csv.stdout.as_bytes());
    assert_eq!(&r.headers().unwrap()[0], "group");
    assert_eq!(r.records().count(), 4);
}

#[test]
fn keywords_show_what_one_actor_emphasises() {
    let index = corpus_index();
    let v = run_json(
        index,
        &[
            "keywords",
            "--actor",
            "Forssmed",
            "--min-count",
            "3",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["subset"], "actor:Forssmed");
    assert_eq!(v["reference"], "the rest");
    let k = v["keywords"].as_array().unwrap();
    assert!(!k.is_empty());
    let ll: Vec<f64> = k
        .iter()
        .map(|w| w["log_likelihood"].as_f64().unwrap())
        .collect();
    assert!(ll.windows(2).all(|w| w[0] >= w[1]));
    for w in k {
        let (a, b) = (
            w["subset_per_10k"].as_f64().unwrap(),
            w["reference_per_10k"].as_f64().unwrap(),
        );
        assert!(a > b && w["subset_count"].as_u64().unwrap() >= 3, "{w:#}");
    }
    // The speech is about medical technology, which the remissvar hardly mentions.
    let words: Vec<&str> = k.iter().map(|w| w["word"].as_str().unwrap()).collect();
    let term = k
        .iter()
        .find(|w| w["word"].as_str().unwrap().starts_with("medicintekni"))
        .unwrap_or_else(|| panic!("{words:?}"));
    // Its count is real: no more than the speech's words of that family.
    let doc = show_json(index, FORSSMED, None);
    let family = doc["passages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["text"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.starts_with("medicintekni"))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .count() as u64;
    let n = term["subset_count"].as_u64().unwrap();
    assert!(n >= 3 && n <= family, "{n} of {family}");
}

/// The term totals file of an index's current generation.
fn lemma_totals(index: &Path) -> PathBuf {
    generation_dir(index).join(sokord_core::totals::FILE)
}

#[test]
fn keywords_from_the_totals_written_at_indexing_are_those_counted_from_the_postings() {
    let index = copied(corpus_index(), "keyword-totals");
    let totals = lemma_totals(&index);
    assert!(totals.is_file(), "indexing wrote no {}", totals.display());
    let views: [&[&str]; 4] = [
        &["keywords", "läkemedel", "--top", "30", "--format", "json"],
        &["keywords", "vård", "--format", "json"],
        &[
            "keywords",
            "--type",
            "remissvar",
            "--min-count",
            "1",
            "--top",
            "60",
            "--format",
            "json",
        ],
        &[
            "keywords",
            "--actor",
            "Forssmed",
            "--min-count",
            "3",
            "--format",
            "json",
        ],
    ];
    let with: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    for v in &with {
        assert!(!v["keywords"].as_array().unwrap().is_empty(), "{v:#}");
    }
    // Without the totals every term is counted from the postings, on both sides.
    std::fs::remove_file(&totals).unwrap();
    let without: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    assert_eq!(with, without);
}

#[test]
fn keywords_count_a_programs_commit_made_after_the_totals() {
    let index = copied(corpus_index(), "keyword-totals-stale");
    assert!(lemma_totals(&index).is_file());
    commit_as_a_program(
        &index,
        sokord_index::NewDocument::new("zebra-1", "Zebrafiskar i forskningen")
            .doc_type("Artikel")
            .actor("Zebraverket")
            .date("2025-03-01")
            .text(
                "Zebrafiskar används i forskningen. Zebrafiskar är små, och zebrafiskar \
             förökar sig fort, skriver verket om sina zebrafiskar.",
            ),
    );
    // The totals were counted on the segments before the commit: the new passage's words count
    // all the same, in the subset and not in the rest.
    let v = run_json(
        &index,
        &[
            "keywords",
            "--actor",
            "Zebraverket",
            "--min-count",
            "1",
            "--format",
            "json",
        ],
    );
    let k = v["keywords"].as_array().unwrap();
    let zebra = k
        .iter()
        .find(|w| w["word"].as_str().unwrap().starts_with("zebrafisk"))
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(zebra["subset_count"], 4, "{zebra:#}");
    assert_eq!(zebra["reference_count"], 0, "{zebra:#}");
}

/// A party's keywords from the counts by party written at indexing
/// (`sokord_core::totals::PartyTotals`) are those counted from the postings, for a party of the
/// table (all its labels), labels as written, alternatives and a `party:` query; a program's
/// later commit makes the counts stale, and it is counted.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn party_keywords_from_the_counts_written_at_indexing_are_those_counted_from_the_postings() {
    let Some(health) = interpellation_index() else {
        return;
    };
    let index = copied(health, "party-totals");
    let totals = lemma_totals(&index);
    let parties = totals.with_file_name(sokord_core::totals::PARTY_FILE);
    assert!(parties.is_file(), "indexing wrote no {}", parties.display());
    let views: [&[&str]; 5] = [
        &["keywords", "--party", "SD", "--format", "json"],
        &[
            "keywords", "--party", "L", "--top", "40", "--format", "json",
        ],
        &[
            "keywords",
            "--party",
            "FP",
            "--party-history",
            "--min-count",
            "1",
            "--format",
            "json",
        ],
        &["keywords", "--party", "M,KD", "--format", "json"],
        &["keywords", "party:V", "--format", "json"],
    ];
    let with: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    for v in &with {
        assert!(!v["keywords"].as_array().unwrap().is_empty(), "{v:#}");
    }
    // Without them, from the postings: with the lemma totals, then without those too.
    std::fs::remove_file(&parties).unwrap();
    let without: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    assert_eq!(with, without);
    std::fs::remove_file(&totals).unwrap();
    let counted: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    assert_eq!(with, counted);

    copy_dir(health, &index);
    assert!(parties.is_file());
    commit_as_a_program(
        &index,
        sokord_index::NewDocument::new("zebra-sd", "Om zebrafiskar")
            .doc_type("Interpellation")
            .actor("Zebra Zebrasson")
            .party("SD")
            .date("2025-03-01")
            .text("Zebrafiskar och zebrafiskar, skriver ledamoten om zebrafiskar."),
    );
    let v = run_json(
        &index,
        &[
            "keywords",
            "--party",
            "SD",
            "--min-count",
            "1",
            "--top",
            "5000",
            "--format",
            "json",
        ],
    );
    let zebra = v["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["word"].as_str().unwrap().starts_with("zebrafisk"))
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(zebra["subset_count"], 3, "{zebra:#}");
    // Its words count too (stale counts would leave the party's words as they were).
    assert!(
        v["subset_words"].as_u64().unwrap() > with[0]["subset_words"].as_u64().unwrap(),
        "{v:#}"
    );
}

/// The whole index's population by each key, kept by `sokord index`
/// (`Searcher::write_populations`), gives `stats` and `compare` the same answers as counting it
/// each time; with population filters it is not used, and a program's later commit is counted.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn stats_and_compare_read_the_kept_population_as_if_counted() {
    let Some(health) = interpellation_index() else {
        return;
    };
    let index = copied(health, "population");
    let kept = lemma_totals(&index).with_file_name("population");
    assert!(
        kept.join("year.json").is_file(),
        "no population in {}",
        kept.display()
    );
    let mut views: Vec<Vec<&str>> = [
        "year",
        "month",
        "session",
        "actor",
        "party",
        "recipient",
        "type",
        "topic",
        "chapter",
    ]
    .iter()
    .map(|k| vec!["stats", "vård", "--by", k, "--format", "json"])
    .collect();
    views.extend([
        vec![
            "stats",
            "vård",
            "--by",
            "party",
            "--party-history",
            "--format",
            "json",
        ],
        // Two series.
        vec![
            "stats", "vård", "cancer", "--by", "year", "--format", "json",
        ],
        vec![
            "stats",
            "vård",
            "--by",
            "year",
            "--topic",
            "psykisk-hälsa",
            "--format",
            "json",
        ],
        vec![
            "stats", "vård", "--by", "year", "--party", "SD", "--format", "json",
        ],
        vec!["compare", "vård", "--by", "party", "--format", "json"],
        vec!["compare", "läkemedel", "--by", "year", "--format", "json"],
        // The topics of the whole index are kept too; with a query or a grouping they are
        // counted.
        vec!["topics", "--format", "json"],
        vec!["topics", "--party-history", "--format", "json"],
        vec!["topics", "vård", "--format", "json"],
        vec!["topics", "--by", "year", "--format", "json"],
    ]);
    assert!(kept.join("topics.json").is_file());
    let with: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    let aside = index.with_file_name("aside");
    std::fs::rename(&kept, &aside).unwrap();
    let without: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    assert_eq!(with, without);
    std::fs::rename(&aside, &kept).unwrap();

    // The file is what is read: words doubled by hand show; a file of another format (one
    // written by an earlier version) is not read, and the view counts.
    let year = kept.join("year.json");
    let original = std::fs::read_to_string(&year).unwrap();
    let mut edited: Value = serde_json::from_str(&original).unwrap();
    assert_eq!(edited["format"], 1);
    for g in edited["groups"].as_array_mut().unwrap() {
        let w = g[1]["words"].as_u64().unwrap();
        g[1]["words"] = Value::from(2 * w);
    }
    std::fs::write(&year, edited.to_string()).unwrap();
    assert_ne!(run_json(&index, &views[0]), with[0]);
    edited["format"] = Value::from(0);
    std::fs::write(&year, edited.to_string()).unwrap();
    assert_eq!(run_json(&index, &views[0]), with[0]);
    std::fs::write(&year, original).unwrap();

    // A program's commit after the run: the kept population no longer fits the segments.
    let words = |v: &Value| -> u64 {
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["words"].as_u64().unwrap())
            .sum()
    };
    let before = words(&with[0]);
    commit_as_a_program(
        &index,
        sokord_index::NewDocument::new("zebra-pop", "Om zebrafiskar")
            .doc_type("Interpellation")
            .actor("Zebra Zebrasson")
            .date("2025-03-01")
            .text("Zebrafiskar och vård, skriver ledamoten om zebrafiskar."),
    );
    let after = run_json(&index, &views[0]);
    assert!(words(&after) > before, "{after:#}");
}

/// The document numbers an indexing run leaves (`sokord_core::docnumbers`) are those a search
/// makes itself: every view that counts or orders documents gives the same answer with and
/// without the file, and a program's later commit is counted.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn views_count_documents_alike_with_the_numbers_written_at_indexing_and_without() {
    let Some(health) = interpellation_index() else {
        return;
    };
    let index = copied(health, "doc-numbers");
    let numbers = lemma_totals(&index).with_file_name(sokord_core::docnumbers::FILE);
    assert!(numbers.is_file(), "indexing wrote no {}", numbers.display());
    // The writer adds each document's passages together, and the file says so: documents are
    // then counted from the passage before (with the file) or by (document, value) pairs.
    let header = std::fs::read(&numbers).unwrap();
    assert!(header.starts_with(b"sokord doc numbers 2\n"));
    assert_eq!(header[24..28], [1, 0, 0, 0], "documents not whole");
    let views: [&[&str]; 8] = [
        &[
            "search", "vård", "--group", "doc", "--limit", "50", "--format", "json",
        ],
        &[
            "search",
            "läkemedel OR patient",
            "--group",
            "doc",
            "--party-history",
            "--format",
            "json",
        ],
        &[
            "search", "", "--topic", "äldre", "--group", "doc", "--format", "json",
        ],
        &["search", "", "--party", "S", "--format", "json"],
        &[
            "stats",
            "läkemedel",
            "--by",
            "party,year",
            "--format",
            "json",
        ],
        &["compare", "vård", "--by", "party", "--format", "json"],
        &["topics", "--by", "type", "--format", "json"],
        &["count", "läkemedel", "--format", "json"],
    ];
    let with: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    assert!(
        with[0]["hits"].as_array().unwrap().len() > 1,
        "{:#}",
        with[0]
    );
    std::fs::remove_file(&numbers).unwrap();
    let without: Vec<Value> = views.iter().map(|a| run_json(&index, a)).collect();
    assert_eq!(with, without);

    // Indexed again, then a program's commit: the numbers written no longer fit the segments.
    copy_dir(health, &index);
    assert!(numbers.is_file());
    let before = run_json(&index, &["count", "", "--format", "json"]);
    commit_as_a_program(
        &index,
        sokord_index::NewDocument::new("aaa-first", "Ett dokument före alla andra")
            .doc_type("Artikel")
            .actor("Aaverket")
            .date("2025-03-01")
            .text("Läkemedel och vård, skriver verket."),
    );
    let after = run_json(&index, &["count", "", "--format", "json"]);
    assert_eq!(
        after["documents"].as_u64().unwrap(),
        before["documents"].as_u64().unwrap() + 1
    );
    // First in id order, so every other document's number moved by one.
    let listed = run_json(
        &index,
        &[
            "search",
            "läkemedel",
            "--group",
            "doc",
            "--limit",
            "200",
            "--format",
            "json",
        ],
    );
    let ids: Vec<&str> = listed["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"aaa-first"), "{ids:?}");
}

#[test]
fn topics_count_passages_and_name_their_actors() {
    let index = corpus_index();
    let v = run_json(index, &["topics", "--by", "type", "--format", "json"]);
    let topics = v["topics"].as_array().unwrap();
    assert!(topics.len() >= 15);
    for t in topics {
        let id = t["id"].as_str().unwrap();
        let direct = sokord(
            index,
            &[
                "search", "", "--topic", id, "--all", "--limit", "1", "--format", "json",
            ],
        );
        assert!(direct.code <= 1, "{}", direct.stderr);
        assert_eq!(t["passages"], direct.json()["total_hits"], "{id}");
        let by_type: u64 = t["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["passages"].as_u64().unwrap())
            .sum();
        assert_eq!(by_type, t["passages"].as_u64().unwrap(), "{id}");
        // The top actors, as `stats` counts each actor within the topic: most passages first,
        // then by name.
        let stats = sokord(
            index,
            &[
                "stats", "", "--topic", id, "--by", "actor", "--format", "json",
            ],
        );
        assert!(stats.code <= 1, "{}", stats.stderr);
        let stats = stats.json();
        let mut actors: Vec<(String, u64, u64)> = stats["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["passages"].as_u64().unwrap() > 0)
            .map(|g| {
                let n = |k: &str| g[k].as_u64().unwrap();
                (
                    g["key"].as_str().unwrap().to_string(),
                    n("passages"),
                    n("documents"),
                )
            })
            .collect();
        actors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top: Vec<(String, u64, u64)> = t["top_actors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let n = |k: &str| a[k].as_u64().unwrap();
                (
                    a["key"].as_str().unwrap().to_string(),
                    n("passages"),
                    n("documents"),
                )
            })
            .collect();
        assert!(!top.is_empty() || t["passages"] == 0, "{id}");
        assert_eq!(top[..], actors[..top.len()], "{id}");
        assert_eq!(t["documents"], stats["total_documents"], "{id}");
    }
    let life = topics.iter().find(|t| t["id"] == "life-science").unwrap();
    assert_eq!(
        life["top_actors"][0]["key"],
        "Läkemedelsindustriföreningen (Lif)"
    );
    // With a query and a topic filter (each topic's own replaces it): passages and documents
    // as a search for the query within each topic counts them.
    let v = run_json(
        index,
        &[
            "topics",
            "läkemedel",
            "--topic",
            "life-science",
            "--format",
            "json",
        ],
    );
    let mut some = 0;
    for t in v["topics"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let total = |by_doc: bool| {
            let mut args = vec![
                "search",
                "läkemedel",
                "--topic",
                id,
                "--all",
                "--limit",
                "1",
                "--format",
                "json",
            ];
            if by_doc {
                args.extend(["--group", "doc"]);
            }
            let run = sokord(index, &args);
            assert!(run.code <= 1, "{}", run.stderr);
            run.json()["total_hits"].as_u64().unwrap()
        };
        assert_eq!(t["passages"].as_u64().unwrap(), total(false), "{id}");
        assert_eq!(t["documents"].as_u64().unwrap(), total(true), "{id}");
        some += usize::from(t["passages"].as_u64().unwrap() > 0);
    }
    assert!(some >= 5, "{some} topics with läkemedel");
}

/// A topic the metadata names twice is one topic of the passage: `topics`, a topic filter and
/// `stats --by topic` count the passage once.
#[test]
fn a_topic_named_twice_counts_once() {
    let corpus = scratch("topic-twice-corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.md"),
        "---\ntitle: Om cancervården\nactor: Cancerfonden\ntopics: cancer, cancer\n---\nCancervården behöver fler specialistsjuksköterskor.\n\nVäntetiderna inom cancervården ska bli kortare.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("b.md"),
        "---\ntitle: Om tandvården\nactor: Tandläkarförbundet\n---\nTandvården för äldre ska bli billigare.\n",
    )
    .unwrap();
    let index = index_folder(&corpus, "topic-twice");
    let direct = search_json(&index, &["", "--topic", "cancer", "--all", "--limit", "1"]);
    let passages = direct["total_hits"].as_u64().unwrap();
    assert!(passages >= 1, "{direct:#}");
    let topics = run_json(&index, &["topics", "--format", "json"]);
    let cancer = topics["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "cancer")
        .unwrap();
    assert_eq!(cancer["passages"].as_u64().unwrap(), passages, "{cancer:#}");
    assert_eq!(
        cancer["top_actors"][0]["passages"].as_u64().unwrap(),
        passages
    );
    let by_topic = run_json(
        &index,
        &["stats", "vården", "--by", "topic", "--format", "json"],
    );
    let group = by_topic["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "cancer")
        .unwrap();
    let counted = search_json(
        &index,
        &["vården", "--topic", "cancer", "--all", "--limit", "1"],
    );
    assert_eq!(group["passages"], counted["total_hits"], "{by_topic:#}");
    // Each passage shows the topic once.
    let found = search_json(&index, &["cancervården", "--limit", "1"]);
    let hit = &hits(&found)[0];
    let shown: Vec<&str> = hit["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(
        shown.iter().filter(|t| **t == "cancer").count(),
        1,
        "{hit:#}"
    );
}

#[test]
fn stats_plot_writes_real_svg_and_png_charts() {
    let index = corpus_index();
    let dir = scratch("charts");
    let svg = dir.join("rate.svg");
    let run = sokord(
        index,
        &[
            "stats",
            "läkemedel",
            "--by",
            "actor",
            "--plot",
            svg.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"));
    for label in [
        // The title names what the bars measure (it said "träffar" over passages).
        "«läkemedel»: passager per 10 000 ord",
        "Aktör",
        "Passager per 10 000 ord",
        "Jakob Forssmed",
    ] {
        assert!(text.contains(label), "{label} missing");
    }
    assert!(text.matches("<rect").count() >= 3, "bars drawn");
    let png = dir.join("rate.png");
    let run = sokord(
        index,
        &[
            "stats",
            "läkemedel",
            "--by",
            "year",
            "--plot",
            png.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let (w, h) = (
        u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
        u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
    );
    assert_eq!((w, h), (1000, 560));
    assert!(bytes.len() > 10_000, "a real picture, not an empty frame");
    let bad = sokord(
        index,
        &[
            "stats",
            "läkemedel",
            "--plot",
            dir.join("x.gif").to_str().unwrap(),
        ],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains(".svg or .png"));
    // Said before the work: no table is printed for a chart that cannot be written.
    assert_eq!(bad.stdout, "", "{}", bad.stdout);
    let nowhere = dir.join("no-such-folder").join("x.svg");
    let bad = sokord(
        index,
        &["stats", "läkemedel", "--plot", nowhere.to_str().unwrap()],
    );
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stdout, "");
    assert!(
        bad.stderr.contains("there is no folder") && bad.stderr.contains("no-such-folder"),
        "{}",
        bad.stderr
    );
}

// ---------------------------------------------------------------- incremental indexing

/// `--groups N` keeps the N actors with the most matching documents (then passages), in
/// `stats` and `compare` alike, the totals those of every group; years are never cut.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn groups_keeps_the_largest_groups_and_the_totals() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let json = |args: &[&str]| {
        let run = sokord(index, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        (run.json(), run.stderr)
    };
    let (all, _) = json(&["stats", "vård", "--by", "actor", "--format", "json"]);
    let groups = all["groups"].as_array().unwrap();
    assert!(groups.len() > 40, "{}", groups.len());
    // The five by documents, then passages, independently of the library's choice.
    let mut ranked: Vec<(u64, u64, usize, &str)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            (
                g["documents"].as_u64().unwrap(),
                g["passages"].as_u64().unwrap(),
                i,
                g["key"].as_str().unwrap(),
            )
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut five: Vec<&str> = ranked[..5].iter().map(|r| r.3).collect();
    let (top, note) = json(&[
        "stats", "vård", "--by", "actor", "--groups", "5", "--format", "json",
    ]);
    let mut kept: Vec<&str> = top["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(
        note.contains(&format!("5 of {} groups", groups.len())),
        "{note}"
    );
    for key in ["total_passages", "total_documents", "total_hits", "total"] {
        assert_eq!(top[key], all[key], "{key}");
    }
    let (compared, _) = json(&[
        "compare", "vård", "--by", "actor", "--groups", "5", "--top", "1", "--format", "json",
    ]);
    let mut shown: Vec<&str> = compared["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(compared["total_passages"], all["total_passages"]);
    five.sort();
    kept.sort();
    shown.sort();
    assert_eq!(kept, five);
    assert_eq!(shown, five);
    // By actor and year: five actors, every year they have.
    let (cross, _) = json(&[
        "stats",
        "vård",
        "--by",
        "actor,year",
        "--groups",
        "5",
        "--format",
        "json",
    ]);
    let (whole, _) = json(&["stats", "vård", "--by", "actor,year", "--format", "json"]);
    let of = |v: &serde_json::Value| -> Vec<String> {
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| five.contains(&g["keys"][0].as_str().unwrap()))
            .map(|g| g["key"].to_string())
            .collect()
    };
    assert_eq!(of(&cross), of(&whole));
    assert_eq!(of(&cross).len(), cross["groups"].as_array().unwrap().len());
    // Years are never cut, in compare as in stats; what is left out is said whole.
    let (years, _) = json(&["compare", "vård", "--by", "year", "--format", "json"]);
    let (cut, note) = json(&[
        "compare", "vård", "--by", "year", "--groups", "3", "--format", "json",
    ]);
    assert_eq!(cut["groups"], years["groups"]);
    assert!(note.is_empty(), "{note}");
    let (parties, _) = json(&["compare", "vård", "--by", "party", "--format", "json"]);
    let all = parties["groups"].as_array().unwrap().len();
    let (two, note) = json(&[
        "compare", "vård", "--by", "party", "--groups", "2", "--format", "json",
    ]);
    assert_eq!(two["groups"].as_array().unwrap().len(), 2);
    assert!(
        note.contains(&format!(
            "the 2 groups with the most matching documents; {} more left out",
            all - 2
        )),
        "{note}"
    );
}
