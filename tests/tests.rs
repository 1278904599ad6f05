//! End-to-end tests: the real `sokord` binary on the bundled corpus, on generated files in every
//! format, and on the interpellations in `../shared/corpora` (skipped when absent).

mod bad_input;
mod fixtures;
#[path = "../fuzz/checks.rs"]
mod fuzz_checks;
mod fuzz_regressions;
mod golden;
mod library;
mod relevance;
mod util;

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

#[test]
fn readme_search_command_builds_the_index_first_and_finds_both_seeds() {
    // As a newcomer runs it: in a folder holding `corpus/` and no index yet.
    let dir = scratch("readme");
    let copy = dir.join("corpus");
    std::fs::create_dir_all(copy.join("remissvar")).unwrap();
    std::fs::create_dir_all(copy.join("tal")).unwrap();
    for f in [
        "manifest.toml",
        "topics.toml",
        "README.md",
        "remissvar/remissvar-lif-2025-10-14.txt",
        "tal/tal-forssmed-2025-02-06.md",
    ] {
        std::fs::copy(root().join("corpus").join(f), copy.join(f)).unwrap();
    }
    let run = sokord_in(&dir, &["search", "kliniska prövningar"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("indexing corpus first"),
        "{}",
        run.stderr
    );
    assert!(dir.join(".sokord/sokord.json").is_file());
    assert!(
        run.stdout.contains("Läkemedelsindustriföreningen (Lif)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Jakob Forssmed"), "{}", run.stdout);
    assert!(run
        .stdout
        .contains("Kapitel 1: Regional utveckling skapar vi tillsammans"));
    // The second run uses the index it built.
    let again = sokord_in(&dir, &["search", "kliniska prövningar"]);
    assert_eq!(again.code, 0);
    assert!(!again.stderr.contains("indexing"), "{}", again.stderr);
    assert_eq!(again.stdout, run.stdout);
}

#[test]
fn json_hits_cite_document_actor_date_and_chapter() {
    let v = search_json(corpus_index(), &["kliniska prövningar", "--limit", "50"]);
    assert_eq!(v["query"], "kliniska prövningar");
    let all_hits = hits(&v);
    // Hits with both words come first and are counted; partial ones follow, marked.
    let hits: Vec<&Value> = all_hits.iter().filter(|h| h["partial"] == false).collect();
    assert_eq!(v["total_hits"].as_u64().unwrap() as usize, hits.len());
    assert!(hits.len() >= 5, "{v:#}");
    let first_partial = all_hits
        .iter()
        .position(|h| h["partial"] == true)
        .unwrap_or(all_hits.len());
    assert_eq!(first_partial, hits.len());
    assert_eq!(
        ids(&v),
        BTreeSet::from([LIF.to_string(), FORSSMED.to_string()])
    );
    for h in all_hits {
        for key in [
            "doc_id", "path", "title", "type", "actor", "party", "date", "chapter", "topics",
            "score", "snippet",
        ] {
            assert!(h.get(key).is_some(), "hit lacks {key}: {h:#}");
        }
        let snippet = h["snippet"].as_str().unwrap().to_lowercase();
        assert!(
            snippet.contains("prövning") || snippet.contains("klinisk"),
            "{snippet}"
        );
        if h["doc_id"] == LIF {
            assert_eq!(h["path"], "remissvar/remissvar-lif-2025-10-14.txt");
            assert_eq!(h["actor"], "Läkemedelsindustriföreningen (Lif)");
            assert_eq!(h["date"], "2025-10-14");
            assert_eq!(h["type"], "remissvar");
            assert!(h["chapter"]["number"].is_string(), "{h:#}");
        } else {
            assert_eq!(h["path"], "tal/tal-forssmed-2025-02-06.md");
            assert_eq!(h["actor"], "Jakob Forssmed");
            assert_eq!(h["date"], "2025-02-06");
            // The speech has no chapters: its only heading is its title.
            assert!(h["chapter"].is_null(), "{h:#}");
        }
    }
    // Highlights point at matched words inside the snippet.
    let h = &hits[0];
    let snippet = h["snippet"].as_str().unwrap();
    let ranges = h["highlights"].as_array().unwrap();
    assert!(!ranges.is_empty());
    for r in ranges {
        let (a, b) = (
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
        let word = snippet[a..b].to_lowercase();
        assert!(
            word.starts_with("klinisk") || word.starts_with("prövning"),
            "{word}"
        );
    }
}

#[test]
fn the_lif_seeds_chapters_are_found_including_the_misspelt_kaptiel_3() {
    let doc = show_json(corpus_index(), LIF, None);
    let passages = doc["passages"].as_array().unwrap();
    let top: BTreeSet<String> = passages
        .iter()
        .filter_map(|p| p["chapters"][0]["number"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        top,
        BTreeSet::from(["1", "2", "3", "4", "6", "7"].map(String::from))
    );
    let ch3 = passages
        .iter()
        .find(|p| p["chapters"][0]["number"] == "3")
        .unwrap();
    assert_eq!(
        ch3["chapters"][0]["title"],
        "Vår Vision: Europas mest attraktiva och hållbara storstadsregion – att bosätta sig i och verka i"
    );
    let subs: BTreeSet<String> = passages
        .iter()
        .filter_map(|p| p["chapters"][1]["number"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        subs,
        BTreeSet::from(["Mål 2", "Mål 7", "Mål 9"].map(String::from))
    );
    assert!(passages
        .iter()
        .filter(|p| p["chapters"][1]["number"].is_string())
        .all(|p| p["chapters"][0]["number"] == "4"));
    // Passages before the first heading belong to no chapter.
    assert!(passages[0]["chapters"].as_array().unwrap().is_empty());
    // The letterhead is gone, the hard line breaks are joined, the page remnants too.
    let all: String = passages
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!all.contains("Postadress"));
    assert!(!all.contains("info@lif.se"));
    assert!(all.contains("Läkemedelsförsörjning är en samhällsviktig verksamhet och en förutsättning för att bedriva hälso- och sjukvård."));
    assert!(all.contains("life science-området 2025"));
    assert!(all.contains("Färdplan för klimat- och kemikalieomställning"));
    assert!(
        all.contains("Real World Evidence (RWE)-generering"),
        "hyphen after a bracket is kept"
    );
}

#[test]
fn chapter_filter_returns_only_that_chapters_passages() {
    let index = corpus_index();
    let v = search_json(index, &["läkemedel", "--chapter", "3", "--limit", "100"]);
    assert!(!hits(&v).is_empty());
    for h in hits(&v) {
        assert_eq!(h["chapter"]["number"], "3", "{h:#}");
        assert!(h["chapter"]["title"]
            .as_str()
            .unwrap()
            .starts_with("Vår Vision"));
    }
    // Every chapter-3 passage that mentions läkemedel is found.
    let shown = show_json(index, LIF, Some("3"));
    let expected = shown["passages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["text"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("läkemedel ")
        })
        .count();
    assert!(
        hits(&v).len() >= expected && expected > 0,
        "{} hits, {expected} passages",
        hits(&v).len()
    );
    // A sub-section and a title work too.
    let m2 = search_json(index, &["", "--chapter", "mål 2", "--limit", "100"]);
    assert!(hits(&m2).iter().all(|h| h["section"]["number"] == "Mål 2"));
    assert_eq!(hits(&m2).len(), 3, "{m2:#}");
    let by_title = search_json(
        index,
        &[
            "",
            "--chapter",
            "Stockholmsregionens förutsättningar",
            "--limit",
            "100",
        ],
    );
    assert!(hits(&by_title)
        .iter()
        .all(|h| h["chapter"]["number"] == "2"));
}

#[test]
fn filters_narrow_results_on_the_bundled_corpus() {
    let index = corpus_index();
    let all = search_json(index, &["läkemedel", "--limit", "200"]);
    let total = all["total_hits"].as_u64().unwrap();
    let check = |args: &[&str], want: &str| {
        let mut a = vec!["läkemedel", "--limit", "200"];
        a.extend_from_slice(args);
        let v = search_json(index, &a);
        assert_eq!(ids(&v), BTreeSet::from([want.to_string()]), "{args:?}");
        assert!(v["total_hits"].as_u64().unwrap() < total);
        v
    };
    check(&["--actor", "lif"], LIF);
    check(&["--actor", "Jakob Forssmed"], FORSSMED);
    check(&["--type", "TAL"], FORSSMED);
    check(&["--party", "kd"], FORSSMED);
    check(&["--from", "2025-03-01"], LIF);
    check(&["--to", "2025-02"], FORSSMED);
    check(&["--from", "2025-02-06", "--to", "2025-02-06"], FORSSMED);
    let both = search_json(
        index,
        &["läkemedel", "--limit", "200", "--type", "tal,remissvar"],
    );
    assert_eq!(both["total_hits"].as_u64().unwrap(), total);
    let t = search_json(
        index,
        &["", "--topic", "antibiotikaresistens", "--limit", "100"],
    );
    assert!(!hits(&t).is_empty());
    for h in hits(&t) {
        let topics: Vec<&str> = h["topics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(topics.contains(&"antibiotikaresistens"), "{topics:?}");
        // The passage says what the topic's definition asks for.
        let doc = show_json(index, h["doc_id"].as_str().unwrap(), None);
        let passage = doc["passages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["ordinal"] == h["passage"])
            .unwrap();
        let text = passage["text"].as_str().unwrap().to_lowercase();
        assert!(
            text.contains("antibiotikaresistens") || text.contains("antimikrobiell resistens"),
            "{text}"
        );
    }
    // A label names its topic.
    let by_label = search_json(
        index,
        &["", "--topic", "Antibiotikaresistens", "--limit", "100"],
    );
    assert_eq!(by_label["total_hits"], t["total_hits"]);
}

#[test]
fn grouping_by_document_counts_documents_and_their_passages() {
    let index = corpus_index();
    let passages = search_json(index, &["läkemedel", "--limit", "500"]);
    let docs = search_json(index, &["läkemedel", "--group", "doc"]);
    assert_eq!(docs["total_hits"], 2);
    let n: u64 = hits(&docs)
        .iter()
        .map(|h| h["matched_passages"].as_u64().unwrap())
        .sum();
    assert_eq!(n, passages["total_hits"].as_u64().unwrap());
    assert!(hits(&docs)[0]["score"].as_f64() >= hits(&docs)[1]["score"].as_f64());
}

#[test]
fn show_prints_a_document_and_one_chapter() {
    let index = corpus_index();
    let run = sokord(index, &["show", LIF, "--chapter", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run
        .stdout
        .contains("actor: Läkemedelsindustriföreningen (Lif)"));
    assert!(run
        .stdout
        .contains("# 2: Stockholmsregionens förutsättningar"));
    assert!(!run
        .stdout
        .contains("Regional utveckling skapar vi tillsammans"));
    let missing = sokord(index, &["show", "finns-inte"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no document with id `finns-inte`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn the_seeds_metadata_is_detected_when_nobody_wrote_it_down() {
    // The seeds alone, as received, with no manifest and no front matter.
    let dir = scratch("bare-seeds");
    let corpus = dir.join("in");
    std::fs::create_dir_all(&corpus).unwrap();
    for f in [
        "remissvar/remissvar-lif-2025-10-14.txt",
        "tal/tal-forssmed-2025-02-06.md",
    ] {
        let name = Path::new(f).file_name().unwrap();
        std::fs::copy(root().join("corpus").join(f), corpus.join(name)).unwrap();
    }
    let index = index_folder(&corpus, "bare-seeds-index");
    let lif = show_json(&index, "remissvar-lif-2025-10-14", None);
    assert_eq!(lif["type"], "remissvar");
    assert_eq!(lif["actor"], "Läkemedelsindustriföreningen (Lif)");
    assert_eq!(lif["date"], "2025-10-14");
    assert_eq!(lif["recipient"], "Region Stockholm");
    let title = lif["title"].as_str().unwrap();
    assert!(title.contains("regional utvecklingsplan"), "{title}");
    let tal = show_json(&index, "tal-forssmed-2025-02-06", None);
    assert_eq!(tal["type"], "tal");
    assert_eq!(tal["actor"], "Jakob Forssmed");
    assert_eq!(tal["date"], "2025-02-06");
    assert_eq!(
        tal["title"],
        "Tal av socialminister Jakob Forssmed på Regulatory Summit 2025"
    );
}

#[test]
fn csv_and_jsonl_outputs_carry_the_same_hits() {
    let index = corpus_index();
    let json = search_json(index, &["prevention", "--limit", "5"]);
    let csv = sokord(
        index,
        &["search", "prevention", "--limit", "5", "--format", "csv"],
    );
    assert_eq!(csv.code, 0);
    let mut rows = csv::Reader::from_reader(csv.stdout.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "doc_id");
    assert_eq!(&header[6], "date");
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), hits(&json).len());
    for (r, h) in records.iter().zip(hits(&json)) {
        assert_eq!(&r[0], h["doc_id"].as_str().unwrap());
        assert_eq!(&r[14], h["snippet"].as_str().unwrap());
    }
    let jsonl = sokord(
        index,
        &["search", "prevention", "--limit", "5", "--format", "jsonl"],
    );
    let lines: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, hits(&json));
}

#[test]
fn analyze_prints_terms_with_positions_and_offsets() {
    let run = sokord_in(
        &root(),
        &["analyze", "--json", "Kliniska prövningar på Åland"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let tokens = v["tokens"].as_array().unwrap();
    let text = "Kliniska prövningar på Åland";
    let last = tokens.last().unwrap();
    assert_eq!(last["text"], "åland");
    let (a, b) = (
        last["offset_from"].as_u64().unwrap() as usize,
        last["offset_to"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[a..b], "Åland");
    assert_eq!(tokens[1]["position"], 1);
    let bad = sokord_in(&root(), &["analyze", "--analyzer", "nope", "x"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("choose one of: sv"), "{}", bad.stderr);
}

// ---------------------------------------------------------------- exit codes and errors

#[test]
fn exit_codes_and_error_messages() {
    let index = corpus_index();
    let none = sokord(index, &["search", "xylofonorkester"]);
    assert_eq!(none.code, 1, "{}", none.stdout);
    assert!(none.stdout.contains("No hits"));
    let bad_date = sokord(index, &["search", "vård", "--from", "2025-02-30"]);
    assert_eq!(bad_date.code, 2);
    assert!(
        bad_date.stderr.contains("--from") && bad_date.stderr.contains("not a real date"),
        "{}",
        bad_date.stderr
    );
    let bad_query = sokord(index, &["search", "\"öppet citat"]);
    assert_eq!(bad_query.code, 2);
    assert!(
        bad_query.stderr.contains("query error"),
        "{}",
        bad_query.stderr
    );

    let empty = scratch("no-index");
    let missing = sokord_in(&empty, &["--index", "nowhere", "show", "x"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no sokord index here") && missing.stderr.contains("sokord index"),
        "{}",
        missing.stderr
    );
    let no_corpus = sokord_in(&empty, &["search", "vård"]);
    assert_eq!(no_corpus.code, 2);
    assert!(
        no_corpus.stderr.contains("no index at .sokord"),
        "{}",
        no_corpus.stderr
    );
}

#[test]
fn an_index_of_another_schema_version_asks_to_be_rebuilt() {
    let dir = scratch("old-version");
    let src = corpus_index();
    for e in walkdir(src) {
        let rel = e.strip_prefix(src).unwrap();
        let dest = dir.join(rel);
        if e.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(&e, &dest).unwrap();
        }
    }
    let meta_path = dir.join("sokord.json");
    let mut meta: Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    meta["schema_version"] = 0.into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    let run = sokord(&dir, &["search", "vård"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("schema version 0") && run.stderr.contains("sokord index"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_damaged_index_says_how_to_rebuild_it_and_indexing_repairs_it() {
    let corpus = root().join("corpus");
    for (name, damage) in [
        ("meta-garbage", "sokord.json"),
        ("tantivy-meta-gone", "meta.json"),
    ] {
        let dir = scratch(&format!("damaged-{name}"));
        copy_dir(corpus_index(), &dir);
        if damage == "sokord.json" {
            std::fs::write(dir.join("sokord.json"), "{ not json").unwrap();
        } else {
            let meta: Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join("sokord.json")).unwrap())
                    .unwrap();
            let gen = dir.join(format!("gen-{}", meta["generation"]));
            std::fs::remove_file(gen.join("meta.json")).unwrap();
        }
        let run = sokord(&dir, &["search", "vård"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        assert!(
            run.stderr.contains("the index is damaged")
                && run
                    .stderr
                    .contains("rebuild it with `sokord index DIR --index PATH`"),
            "{name}: {}",
            run.stderr
        );
        // Indexing again builds a good index in its place.
        let fixed = sokord(&dir, &["index", corpus.to_str().unwrap()]);
        assert_eq!(fixed.code, 0, "{name}: {}", fixed.stderr);
        assert_eq!(
            search_json(&dir, &["kliniska prövningar"])["total_hits"],
            search_json(corpus_index(), &["kliniska prövningar"])["total_hits"],
            "{name}"
        );
    }
}

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

// ---------------------------------------------------------------- formats and encodings

#[test]
fn pdf_docx_html_latin1_and_utf16_files_index_and_search() {
    let dir = scratch("formats");
    let corpus = dir.join("in");
    std::fs::create_dir_all(corpus.join("strategi")).unwrap();
    let page1 = vec![
        "Region Exempel - Strategi för hälsodata",
        "Kapitel 1: Inledning",
        "Regionen ska under perioden bygga en gemensam plattform för hälso-",
        "data som gör det möjligt att följa upp vården. Arbetet med",
        "journalsystemen fortsätter.",
        "1",
    ];
    let page2 = vec![
        "Region Exempel - Strategi för hälsodata",
        "Kapitel 2: Genomförande",
        "Pilotverksamheten med fjärrmonitorering startar i Norrbotten och",
        "utvärderas efter två år.",
        "2",
    ];
    let page3 = vec![
        "Region Exempel - Strategi för hälsodata",
        "Kapitel 3: Uppföljning",
        "Uppföljningen redovisas årligen till regionfullmäktige.",
        "3",
    ];
    std::fs::write(
        corpus.join("strategi/halsodata.pdf"),
        fixtures::pdf(&[page1, page2, page3]),
    )
    .unwrap();
    std::fs::write(
        corpus.join("strategi/tandvard.docx"),
        fixtures::docx(
            "Tandvårdsstrategi",
            &[
                (Some(1), "Kapitel 1: Bakgrund"),
                (
                    None,
                    "Tandhälsan bland äldre har förbättrats men skillnaderna är stora.",
                ),
                (Some(1), "Kapitel 2: Förslag"),
                (
                    None,
                    "Vi föreslår ett utökat högkostnadsskydd för tandvård & munhälsa.",
                ),
            ],
        ),
    )
    .unwrap();
    std::fs::write(
        corpus.join("psykiatri.html"),
        "<html><head><title>Psykiatriplan</title></head><body><h1>Psykiatriplan 2025</h1>\
         <h2>1. Barn och unga</h2><p>Väntetiderna till barn- och ungdomspsykiatrin ska halveras.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        corpus.join("latin1.txt"),
        fixtures::latin1("Remissvar\n\nÖrebro kommun anser att äldreomsorgens läkemedelsgenomgångar måste bli fler.\n"),
    )
    .unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "Yttrande om sjukhusfysik och strålsäkerhet på Åland.\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    std::fs::write(corpus.join("utf16.txt"), utf16).unwrap();
    std::fs::write(
        corpus.join("manifest.toml"),
        "[[document]]\npath = \"strategi/*.pdf\"\nactor = \"Region Exempel\"\ndate = \"2024-05-02\"\ntitle = \"Strategi för hälsodata\"\n",
    )
    .unwrap();

    let index = scratch("formats-index").join("index");
    let summary = run_json(
        &index,
        &["index", corpus.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(summary["documents"], 5, "{summary:#}");
    assert_eq!(
        summary["skipped"].as_array().unwrap().len(),
        0,
        "{summary:#}"
    );
    // The legacy encoding is decoded, and the summary says it was a guess.
    let warnings = summary["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{summary:#}");
    assert_eq!(warnings[0]["path"], "latin1.txt");
    assert!(warnings[0]["reason"]
        .as_str()
        .unwrap()
        .contains("decoded as windows-1252"));

    // PDF: text layer read, hyphenation undone, running header and page numbers dropped, pages kept.
    let v = search_json(&index, &["fjärrmonitorering"]);
    let h = &hits(&v)[0];
    assert_eq!(h["path"], "strategi/halsodata.pdf");
    assert_eq!(h["type"], "strategi");
    assert_eq!(h["actor"], "Region Exempel");
    assert_eq!(h["page"], 2);
    assert_eq!(h["chapter"]["number"], "2");
    let pdf = show_json(&index, "halsodata", None);
    let text: Vec<&str> = pdf["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(
        text.iter()
            .any(|t| t.contains("plattform för hälsodata som gör")),
        "{text:#?}"
    );
    assert!(
        text.iter().all(|t| !t.contains("Region Exempel -")),
        "{text:#?}"
    );
    // The title matches every passage of the PDF; the one whose text matches too ranks first.
    let v = search_json(&index, &["hälsodata", "--type", "strategi"]);
    assert_eq!(v["total_hits"], 3);
    assert!(hits(&v)
        .iter()
        .all(|h| h["path"] == "strategi/halsodata.pdf"));
    assert_eq!(hits(&v)[0]["chapter"]["number"], "1");

    // DOCX: runs joined, entities decoded, heading styles become chapters, title from properties.
    let v = search_json(&index, &["högkostnadsskydd"]);
    let h = &hits(&v)[0];
    assert_eq!(h["title"], "Tandvårdsstrategi");
    assert_eq!(h["chapter"]["number"], "2");
    assert!(h["snippet"]
        .as_str()
        .unwrap()
        .contains("tandvård & munhälsa"));

    // HTML: title and numbered heading.
    let v = search_json(&index, &["väntetiderna"]);
    assert_eq!(hits(&v)[0]["title"], "Psykiatriplan 2025");
    assert_eq!(hits(&v)[0]["chapter"]["title"], "Barn och unga");

    // Latin-1: decoded, not mangled; found by its Swedish words.
    let v = search_json(&index, &["äldreomsorgens"]);
    let h = &hits(&v)[0];
    assert_eq!(h["type"], "remissvar");
    assert!(h["snippet"]
        .as_str()
        .unwrap()
        .contains("Örebro kommun anser att äldreomsorgens"));

    // UTF-16 with BOM.
    let v = search_json(&index, &["strålsäkerhet"]);
    assert!(hits(&v)[0]["snippet"]
        .as_str()
        .unwrap()
        .contains("på Åland"));
}

#[test]
fn html_visible_text_without_chrome_and_docx_references_index_and_search() {
    let corpus = scratch("structured").join("in");
    std::fs::create_dir_all(&corpus).unwrap();
    // A page written with <div>s and <span>s only (once skipped as "empty file"), with site
    // chrome around it: navigation, page header and footer, scripts, styles, hidden elements.
    std::fs::write(
        corpus.join("vardplan.html"),
        "<html><head><title>Vårdplan för regionen</title>\
         <style>.ortopedkoer { color: red }</style><script>var tandvardsstodet = 1;</script></head><body>\
         <header><div>Regionportalen startsida</div></header>\
         <nav><ul><li><a href=\"/\">Kontaktuppgifter</a></li><li><a href=\"/e\">Självservice</a></li></ul></nav>\
         <div class=\"innehall\"><div>Regionen ska korta väntetiderna till ortopedin med fler operationssalar.</div>\
         <div><h2>Primärvård</h2><div>Fler <span>vårdcentraler</span> öppnar i glesbygden under året som kommer.</div>\
         <h3>Jourverksamhet</h3><div><span>Kvällsjouren</span> förlängs till klockan tjugo på vardagar i hela länet.</div></div>\
         <div hidden>Dolda behandlingsriktlinjer</div><noscript>Aktivera javascript</noscript></div>\
         <script>document.write('skriptgenererad');</script>\
         <footer>Sidfot Regionportalen, organisationsnummer</footer></body></html>",
    )
    .unwrap();
    // A DOCX whose text carries character references, as some exporters write å, ä and ö, and
    // whose headings come from heading styles (two of level 1: chapters, not a title).
    std::fs::write(
        corpus.join("lakemedel.docx"),
        fixtures::docx_xml(
            "Plan f&#246;r &#229;ret",
            "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Tillg&#229;ng</w:t></w:r></w:p>\
             <w:p><w:r><w:t>Bristen p&#229; l&#228;kemedel </w:t></w:r><w:r><w:t>ska minska genom st&#xF6;rre lager &amp; b&#xE4;ttre planering.</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t>Apoteken</w:t></w:r></w:p>\
             <w:p><w:r><w:t>Apoteken rapporterar restnoteringar varje vecka till myndigheten.</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Uppf&#246;ljning</w:t></w:r></w:p>\
             <w:p><w:r><w:t>Planen f&#246;ljs upp &#229;rligen av regionstyrelsen.</w:t></w:r></w:p>",
        ),
    )
    .unwrap();

    let index = scratch("structured-index").join("index");
    let summary = run_json(
        &index,
        &["index", corpus.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(summary["documents"], 2, "{summary:#}");
    assert!(
        summary["skipped"].as_array().unwrap().is_empty(),
        "{summary:#}"
    );

    // HTML: text in <div>s and <span>s is found; headings h2/h3 become the chapter path.
    let v = search_json(&index, &["ortopedin"]);
    assert_eq!(hits(&v).len(), 1, "{v:#}");
    assert_eq!(hits(&v)[0]["path"], "vardplan.html");
    assert_eq!(hits(&v)[0]["title"], "Vårdplan för regionen");
    let v = search_json(&index, &["kvällsjouren"]);
    assert_eq!(hits(&v)[0]["path"], "vardplan.html");
    assert_eq!(hits(&v)[0]["chapter"]["title"], "Primärvård");
    assert_eq!(hits(&v)[0]["section"]["title"], "Jourverksamhet");
    let page = show_json(&index, "vardplan", None);
    let passages = page["passages"].as_array().unwrap();
    let path_of = |word: &str| -> Vec<String> {
        let p = passages
            .iter()
            .find(|p| p["text"].as_str().unwrap().contains(word))
            .unwrap_or_else(|| panic!("{word} in no passage: {page:#}"));
        p["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(path_of("vårdcentraler"), ["Primärvård"]);
    assert_eq!(path_of("Kvällsjouren"), ["Primärvård", "Jourverksamhet"]);
    // Site chrome, scripts, styles and hidden elements are not indexed.
    for word in [
        "regionportalen",
        "kontaktuppgifter",
        "självservice",
        "tandvardsstodet",
        "ortopedkoer",
        "skriptgenererad",
        "behandlingsriktlinjer",
        "javascript",
        "organisationsnummer",
    ] {
        let run = sokord(&index, &["search", word, "--format", "json"]);
        assert_eq!(run.code, 1, "{word} was found: {}", run.stdout);
        assert_eq!(run.json()["total_hits"], 0);
    }

    // DOCX: character references resolved ("l&#228;kemedel" is "läkemedel", not "lkemedel"),
    // heading styles give the chapter path, the title from the core properties.
    let v = search_json(&index, &["läkemedel"]);
    assert_eq!(hits(&v).len(), 1, "{v:#}");
    let h = &hits(&v)[0];
    assert_eq!(h["path"], "lakemedel.docx");
    assert_eq!(h["title"], "Plan för året");
    assert_eq!(h["chapter"]["title"], "Tillgång");
    let snippet = h["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("större lager & bättre planering"),
        "{snippet}"
    );
    let v = search_json(&index, &["restnoteringar"]);
    assert_eq!(hits(&v)[0]["chapter"]["title"], "Tillgång");
    assert_eq!(hits(&v)[0]["section"]["title"], "Apoteken");
    let doc = show_json(&index, "lakemedel", None);
    let apoteken = doc["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["text"].as_str().unwrap().contains("restnoteringar"))
        .unwrap();
    assert_eq!(apoteken["chapters"][0]["title"], "Tillgång");
    assert_eq!(apoteken["chapters"][1]["title"], "Apoteken");
    let run = sokord(&index, &["search", "lkemedel", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

// ---------------------------------------------------------------- the interpellations

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn interpellations_party_filter_is_case_insensitive_and_exact() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let upper = search_json(index, &["vård", "--party", "S", "--limit", "1000"]);
    let lower = search_json(index, &["vård", "--party", "s", "--limit", "1000"]);
    assert_eq!(upper["total_hits"], lower["total_hits"]);
    let all = search_json(index, &["vård", "--limit", "1"]);
    let n = upper["total_hits"].as_u64().unwrap();
    assert!(n > 10 && n < all["total_hits"].as_u64().unwrap(), "{n}");
    assert!(hits(&upper).iter().all(|h| h["party"] == "S"));
    assert!(hits(&upper).iter().all(|h| h["type"] == "interpellation"));
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn interpellations_fragor_chapter_and_dates() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let v = search_json(
        index,
        &["regeringen", "--chapter", "frågor", "--limit", "200"],
    );
    assert!(hits(&v).len() > 20);
    for h in hits(&v) {
        assert_eq!(h["chapter"]["title"], "Frågor", "{h:#}");
        assert!(h["chapter"]["number"].is_null());
    }
    let r = search_json(
        index,
        &[
            "läkemedel",
            "--from",
            "2020-01-01",
            "--to",
            "2021-12-31",
            "--limit",
            "500",
        ],
    );
    assert!(!hits(&r).is_empty());
    for h in hits(&r) {
        let d = h["date"].as_str().unwrap();
        assert!(("2020-01-01".."2022-01-01").contains(&d), "{d}");
    }
    // Grouped: documents, each counted once.
    let g = search_json(
        index,
        &["läkemedelsförsörjning", "--group", "doc", "--limit", "1000"],
    );
    let docs = ids(&g);
    assert_eq!(docs.len(), hits(&g).len());
    assert_eq!(g["total_hits"].as_u64().unwrap() as usize, docs.len());
    let p = search_json(index, &["läkemedelsförsörjning", "--limit", "1000"]);
    assert_eq!(ids(&p), docs);
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn interpellations_actor_and_topic_filters() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let v = search_json(
        index,
        &["", "--actor", "Acko Ankarberg Johansson", "--limit", "500"],
    );
    // She was a member asking questions before she became minister.
    for h in hits(&v) {
        assert!(
            h["actor"].as_str().unwrap().contains("Ankarberg Johansson"),
            "{h:#}"
        );
    }
    let t = search_json(index, &["", "--topic", "psykisk-hälsa", "--limit", "200"]);
    assert!(hits(&t).len() > 20);
    assert!(hits(&t).iter().all(|h| h["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x == "psykisk-hälsa")));
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

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn interpellations_a_word_finds_the_compounds_it_is_part_of() {
    let Some(index) = interpellation_index() else {
        return;
    };
    for (query, compound) in [
        ("försörjning", "läkemedelsförsörjning"),
        ("transplantation", "levertransplantation"),
        ("resistens", "antibiotikaresistens"),
        ("läkemedel", "läkemedelsföretag"),
    ] {
        let expected = docs_containing(compound);
        assert!(!expected.is_empty(), "{compound} is in the corpus");
        let v = search_json(index, &[query, "--group", "doc", "--limit", "1000"]);
        let found = ids(&v);
        let missing: Vec<_> = expected.difference(&found).collect();
        assert!(
            missing.is_empty(),
            "{query}: documents with {compound} not found: {missing:?}"
        );
    }
    // The whole compound is highlighted when a part matched.
    let v = search_json(index, &["försörjning", "--limit", "50"]);
    let highlighted: Vec<String> = hits(&v)
        .iter()
        .flat_map(|h| {
            let s = h["snippet"].as_str().unwrap().to_string();
            h["highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |r| {
                    s[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
                        .to_lowercase()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        highlighted
            .iter()
            .any(|w| w.starts_with("läkemedelsförsörjning")),
        "{highlighted:?}"
    );
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn interpellations_inflected_forms_meet() {
    let Some(index) = interpellation_index() else {
        return;
    };
    // läkemedlen, läkemedlet and läkemedel are one term; so are länder and land.
    let a = search_json(index, &["läkemedlen", "--limit", "1"]);
    let b = search_json(index, &["läkemedel", "--limit", "1"]);
    assert_eq!(a["total_hits"], b["total_hits"]);
    let c = search_json(index, &["länder", "--limit", "1"]);
    let d = search_json(index, &["land", "--limit", "1"]);
    assert_eq!(c["total_hits"], d["total_hits"]);
    // A phrase still matches across inflection and with compounds in the text.
    let p = search_json(index, &["\"kliniska prövningar\"", "--limit", "100"]);
    assert!(!hits(&p).is_empty());
    for h in hits(&p) {
        let s = h["snippet"].as_str().unwrap().to_lowercase();
        assert!(s.contains("klinisk"), "{s}");
    }
}

#[test]
fn stop_words_and_exact_forms_are_searchable_through_the_exact_field() {
    let index = corpus_index();
    // "och" is a stop word: the default field drops it, the exact field keeps it.
    let v = search_json(index, &["exact:\"hälso- och sjukvård\"", "--limit", "100"]);
    assert!(hits(&v).len() >= 5);
    for h in hits(&v) {
        assert!(h["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("hälso- och sjukvård"));
    }
    // An exact form finds only itself, where the default field finds every form.
    let exact = search_json(index, &["exact:läkemedlens", "--limit", "100"]);
    let all = search_json(index, &["läkemedlens", "--limit", "100"]);
    assert!(hits(&exact).len() < hits(&all).len());
    assert!(hits(&exact).iter().all(|h| h["snippet"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("läkemedlens")));
    // A query is normalised like the text: a soft hyphen inside a word changes nothing.
    let soft = search_json(index, &["läke\u{AD}medel", "--limit", "1"]);
    let plain = search_json(index, &["läkemedel", "--limit", "1"]);
    assert_eq!(soft["total_hits"], plain["total_hits"]);
}

// ---------------------------------------------------------------- the query language

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn query_language_operators_on_the_interpellations() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let total = |q: &str| {
        search_json(index, &[q, "--all", "--limit", "1"])["total_hits"]
            .as_u64()
            .unwrap()
    };
    // Implicit AND narrows; OR widens; NOT removes.
    let (vård, omsorg) = (total("vård"), total("omsorg"));
    let both = total("vård omsorg");
    assert!(both <= vård.min(omsorg) && both > 0);
    assert_eq!(total("vård AND omsorg"), both);
    let either = total("vård OR omsorg");
    assert_eq!(either, vård + omsorg - both);
    assert_eq!(total("vård -omsorg"), vård - both);
    assert_eq!(total("vård NOT omsorg"), vård - both);
    assert_eq!(
        total("(vård OR omsorg) tandvård"),
        total("tandvård (omsorg OR vård)")
    );
    // A phrase is stricter than its words; proximity sits between.
    let phrase = total("\"kliniska prövningar\"");
    let near = total("\"kliniska prövningar\"~5");
    let words = total("kliniska prövningar");
    assert!(
        phrase > 0 && phrase <= near && near <= words,
        "{phrase} {near} {words}"
    );
    // The phrase matches inflected forms: "klinisk prövning" in the singular too.
    assert!(total("\"klinisk prövning\"") >= phrase);
    // Filters inside the query equal the flags.
    let in_query = search_json(index, &["läkemedel party:m year:2020", "--limit", "1000"]);
    let by_flags = search_json(
        index,
        &[
            "läkemedel",
            "--party",
            "M",
            "--from",
            "2020",
            "--to",
            "2020",
            "--limit",
            "1000",
        ],
    );
    assert_eq!(in_query["total_hits"], by_flags["total_hits"]);
    assert!(!hits(&in_query).is_empty());
    assert!(hits(&in_query)
        .iter()
        .all(|h| h["party"] == "M" && h["date"].as_str().unwrap().starts_with("2020")));
    let ranged = search_json(
        index,
        &[
            "läkemedel date:[2019-01-01 TO 2019-06-30]",
            "--limit",
            "1000",
        ],
    );
    assert!(!hits(&ranged).is_empty());
    assert!(hits(&ranged)
        .iter()
        .all(|h| ("2019-01-01".."2019-07-01").contains(&h["date"].as_str().unwrap())));
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn prefix_fuzzy_and_exact_forms() {
    let Some(index) = interpellation_index() else {
        return;
    };
    // vård* finds forms starting with vård in their exact spelling.
    let v = search_json(index, &["vårdcentral*", "--limit", "50"]);
    assert!(!hits(&v).is_empty());
    for h in hits(&v) {
        let s = h["snippet"].as_str().unwrap().to_lowercase();
        assert!(s.contains("vårdcentral"), "{s}");
    }
    // A typo finds the word.
    let typo = search_json(index, &["prövnng~1", "--limit", "20"]);
    assert!(!hits(&typo).is_empty());
    // Every hit shows the word form the typo found, highlighted.
    for h in hits(&typo) {
        let s = h["snippet"].as_str().unwrap();
        let marked: Vec<String> = h["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                s[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_lowercase()
            })
            .collect();
        assert!(
            marked.iter().any(|m| m.starts_with("prövning")),
            "{marked:?} in {s}"
        );
    }
    assert_eq!(
        sokord(index, &["search", "prövnng"]).code,
        1,
        "without ~ the typo finds nothing"
    );
    // =form finds that form only; the plain word finds every form.
    let exact = search_json(index, &["=läkemedlen", "--all", "--limit", "1000"]);
    let any = search_json(index, &["läkemedlen", "--all", "--limit", "1"]);
    assert!(exact["total_hits"].as_u64() < any["total_hits"].as_u64());
    for h in hits(&exact) {
        assert!(
            h["snippet"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("läkemedlen"),
            "{h:#}"
        );
    }
}

#[test]
fn partial_matches_fill_a_short_list_and_all_turns_them_off() {
    let index = corpus_index();
    // No passage has both words; each word alone has hits.
    let v = search_json(
        index,
        &["fjärrmonitorering läkemedelsförsörjning", "--limit", "5"],
    );
    assert_eq!(v["total_hits"], 0);
    assert!(!hits(&v).is_empty());
    assert!(hits(&v).iter().all(|h| h["partial"] == true));
    let strict = sokord(
        index,
        &["search", "fjärrmonitorering läkemedelsförsörjning", "--all"],
    );
    assert_eq!(strict.code, 1);
}

#[test]
fn query_errors_point_at_the_column() {
    let index = corpus_index();
    for (q, want) in [
        (
            "kliniska \"prövningar",
            "unbalanced quote: no closing `\"` at column 10",
        ),
        (
            "(vård OR omsorg",
            "unbalanced parenthesis: this `(` is not closed at column 1",
        ),
        ("*", "a lone `*` would match everything at column 1"),
        ("vård a*", "at column 6"),
        ("prövning~5", "fuzzy distance 5 is too large"),
        ("färg:röd", "unknown field `färg`"),
        ("vård OR", "`OR` needs a word on both sides"),
    ] {
        let run = sokord(index, &["search", q]);
        assert_eq!(run.code, 2, "{q}");
        assert!(run.stderr.contains(want), "{q}: {}", run.stderr);
    }
    // Thousands of terms are refused, quickly.
    let many = vec!["vård"; 5000].join(" ");
    let run = sokord(index, &["search", &many]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("too many terms"), "{}", run.stderr);
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn pagination_sorting_and_explain() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let first = search_json(index, &["läkemedel", "--limit", "10"]);
    let second = search_json(index, &["läkemedel", "--limit", "10", "--offset", "10"]);
    let twenty = search_json(index, &["läkemedel", "--limit", "20"]);
    let paged: Vec<&Value> = hits(&first).iter().chain(hits(&second)).collect();
    let whole: Vec<&Value> = hits(&twenty).iter().collect();
    assert_eq!(paged, whole);
    let by_date = search_json(index, &["läkemedel", "--sort", "date", "--limit", "50"]);
    let dates: Vec<&str> = hits(&by_date)
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let newest = search_json(
        index,
        &["läkemedel", "--sort", "date", "--all", "--limit", "1000"],
    );
    let max = hits(&newest)
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .max()
        .unwrap();
    assert_eq!(dates[0], max);
    let explained = search_json(index, &["läkemedel", "--explain", "--limit", "1"]);
    let e = hits(&explained)[0]["explain"].to_string();
    assert!(e.contains("läkemedel"), "{e}");
}

#[test]
fn facets_count_the_result_set() {
    let sum = |v: &Value, facet: &str| -> u64 {
        v["facets"][facet]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["count"].as_u64().unwrap())
            .sum()
    };
    let index = corpus_index();
    let v = search_json(index, &["läkemedel", "--all"]);
    let total = v["total_hits"].as_u64().unwrap();
    // Every passage has one type, one year and one actor.
    assert_eq!(sum(&v, "type"), total);
    assert_eq!(sum(&v, "year"), total);
    assert_eq!(sum(&v, "actor"), total);
    let lif = v["facets"]["actor"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["value"] == "Läkemedelsindustriföreningen (Lif)")
        .unwrap();
    let lif_only = search_json(index, &["läkemedel", "--all", "--actor", "lif"]);
    assert_eq!(lif["count"], lif_only["total_hits"]);
    // Chapter counts match the chapter filter.
    let ch = v["facets"]["chapter"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["value"].as_str().unwrap().starts_with("3:"))
        .unwrap();
    let ch3 = search_json(index, &["läkemedel", "--all", "--chapter", "3"]);
    assert_eq!(ch["count"], ch3["total_hits"]);
    // Grouped by document, facets count documents.
    let g = search_json(index, &["läkemedel", "--group", "doc"]);
    assert_eq!(sum(&g, "type"), 2);
    let Some(health) = interpellation_index() else {
        return;
    };
    let p = search_json(health, &["tandvård", "--all", "--group", "doc"]);
    let s = p["facets"]["party"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["value"] == "S")
        .unwrap()["count"]
        .clone();
    let s_only = search_json(
        health,
        &["tandvård", "--all", "--group", "doc", "--party", "s"],
    );
    assert_eq!(s, s_only["total_hits"]);
}

#[test]
fn kwic_lines_show_each_match_in_context() {
    let index = corpus_index();
    let run = sokord(
        index,
        &["kwic", "försörjning", "--format", "json", "--width", "30"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let lines = v["lines"].as_array().unwrap();
    assert!(lines.len() >= 5, "{v:#}");
    for l in lines {
        let k = l["keyword"].as_str().unwrap().to_lowercase();
        assert!(k.contains("försörjning"), "{k}");
        assert!(l["left"].as_str().unwrap().chars().count() <= 31);
        assert!(l["doc_id"].is_string() && l["date"].is_string());
    }
    // The line's three parts are the passage text around the match.
    let l = lines
        .iter()
        .find(|l| l["keyword"] == "läkemedelsförsörjningen")
        .unwrap();
    let text = format!(
        "{}{}{}",
        l["left"].as_str().unwrap(),
        l["keyword"].as_str().unwrap(),
        l["right"].as_str().unwrap()
    );
    let doc = show_json(index, l["doc_id"].as_str().unwrap(), None);
    let passage = doc["passages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["ordinal"] == l["passage"])
        .unwrap();
    assert!(passage["text"].as_str().unwrap().contains(&text), "{text}");
    // CSV: a header and the same lines.
    let csv = sokord(
        index,
        &["kwic", "försörjning", "--format", "csv", "--width", "30"],
    );
    let mut r = csv::Reader::from_reader(csv.stdout.as_bytes());
    assert_eq!(&r.headers().unwrap()[10], "keyword");
    assert_eq!(r.records().count(), lines.len());
    // Text: every match starts in the same column, after the padded left context.
    let text = sokord(index, &["kwic", "försörjning", "--width", "30"]);
    let rows: Vec<&str> = text.stdout.lines().filter(|l| l.contains('§')).collect();
    assert_eq!(rows.len(), lines.len());
    for (row, l) in rows.iter().zip(lines) {
        let from_match: String = row.chars().skip(31).collect();
        assert!(
            from_match.starts_with(l["keyword"].as_str().unwrap()),
            "{row}"
        );
    }
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn ranking_prefers_exact_forms_adjacent_words_and_titles() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let standalone = |s: &str, w: &str| {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|x| x == w)
    };
    // "resistens" alone outranks "antibiotikaresistens", which it also finds.
    let v = search_json(index, &["resistens", "--all", "--limit", "50"]);
    let found = hits(&v);
    assert!(
        standalone(found[0]["snippet"].as_str().unwrap(), "resistens"),
        "{:#}",
        found[0]
    );
    assert!(found
        .iter()
        .any(|h| !standalone(h["snippet"].as_str().unwrap(), "resistens")));
    // Words side by side outrank the same words apart.
    let v = search_json(index, &["kliniska prövningar", "--limit", "3"]);
    for h in hits(&v) {
        assert!(
            h["snippet"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("kliniska prövningar"),
            "{h:#}"
        );
    }
    // A match in the title lifts the document.
    let v = search_json(
        index,
        &["tandvårdsreform", "--group", "doc", "--limit", "3"],
    );
    assert!(hits(&v)[0]["title"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("tandvårdsreform"));
}

#[test]
fn field_filters_inside_the_query_match_the_flags() {
    let index = corpus_index();
    let same = |in_query: &str, flags: &[&str]| {
        let a = search_json(index, &[in_query, "--all", "--limit", "200"]);
        let mut args = vec!["läkemedel", "--all", "--limit", "200"];
        args.extend_from_slice(flags);
        let b = search_json(index, &args);
        assert_eq!(a["total_hits"], b["total_hits"], "{in_query} vs {flags:?}");
        assert!(a["total_hits"].as_u64().unwrap() > 0, "{in_query}");
        assert_eq!(ids(&a), ids(&b));
    };
    same("läkemedel actor:lif", &["--actor", "lif"]);
    same(
        "läkemedel actor:\"Jakob Forssmed\"",
        &["--actor", "Jakob Forssmed"],
    );
    same("läkemedel type:tal", &["--type", "tal"]);
    same("läkemedel chapter:3", &["--chapter", "3"]);
    same("läkemedel topic:life-science", &["--topic", "life-science"]);
    same("läkemedel year:2025", &["--from", "2025", "--to", "2025"]);
    // title: searches titles only: every passage of a matching document, whatever its text.
    let t = search_json(index, &["title:regulatory", "--all", "--limit", "200"]);
    assert_eq!(ids(&t), BTreeSet::from([FORSSMED.to_string()]));
    let doc = show_json(index, FORSSMED, None);
    assert_eq!(
        t["total_hits"].as_u64().unwrap() as usize,
        doc["passages"].as_array().unwrap().len()
    );
}

#[test]
fn context_sets_the_snippet_length_at_sentence_ends() {
    let index = corpus_index();
    for n in [80usize, 400] {
        let n_s = n.to_string();
        let v = search_json(index, &["samverkan", "--context", &n_s, "--limit", "10"]);
        for h in hits(&v) {
            let s = h["snippet"].as_str().unwrap();
            assert!(s.chars().count() <= n + 4, "{n}: {s}");
            let body = s.trim_start_matches("… ").trim_end_matches(" …");
            assert!(
                body.ends_with(['.', '!', '?', ':']) || s.ends_with('…'),
                "{s}"
            );
        }
    }
    let short = search_json(index, &["samverkan", "--context", "80", "--limit", "1"]);
    let long = search_json(index, &["samverkan", "--context", "400", "--limit", "1"]);
    assert!(
        hits(&long)[0]["snippet"].as_str().unwrap().len()
            > hits(&short)[0]["snippet"].as_str().unwrap().len()
    );
}

// ---------------------------------------------------------------- comparisons and statistics

fn run_json(index: &Path, args: &[&str]) -> Value {
    let run = sokord(index, args);
    assert_eq!(
        run.code, 0,
        "sokord {args:?}: {}\n{}",
        run.stdout, run.stderr
    );
    run.json()
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
    assert_eq!(v["by"], "actor");
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
        Some("key,documents,passages,words,per_10k_words")
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
        .contains("| type | documents | passages | per 10,000 words |"));
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
    }
    let life = topics.iter().find(|t| t["id"] == "life-science").unwrap();
    assert_eq!(
        life["top_actors"][0]["key"],
        "Läkemedelsindustriföreningen (Lif)"
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
        "«läkemedel»: träffar per 10 000 ord",
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
}

// ---------------------------------------------------------------- incremental indexing

#[test]
fn indexing_again_touches_only_what_changed() {
    let dir = scratch("incremental");
    let corpus = dir.join("in");
    std::fs::create_dir_all(&corpus).unwrap();
    let write = |name: &str, text: &str| std::fs::write(corpus.join(name), text).unwrap();
    write("a.md", "---\ntitle: A\n---\nVårdcentralerna i glesbygden behöver fler läkare och sjuksköterskor.\n");
    write("b.md", "---\ntitle: B\n---\nTandvården för äldre ska bli billigare enligt förslaget från regeringen.\n");
    write(
        "c.md",
        "---\ntitle: C\n---\nAmbulanssjukvården i norra Sverige har långa avstånd att hantera.\n",
    );
    let index = dir.join("index");
    let run = |args: &[&str]| {
        let mut all = vec!["index", corpus.to_str().unwrap(), "--format", "json"];
        all.extend_from_slice(args);
        let r = sokord(&index, &all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let first = run(&[]);
    assert_eq!(
        (first["incremental"].as_bool(), first["documents"].as_u64()),
        (Some(false), Some(3))
    );

    // Nothing changed: nothing is read, and the summary says so.
    let second = run(&[]);
    assert_eq!(second["incremental"], true);
    assert_eq!(
        (second["files_read"].as_u64(), second["unchanged"].as_u64()),
        (Some(0), Some(3))
    );
    let text = sokord(&index, &["index", corpus.to_str().unwrap()]);
    assert!(
        text.stdout
            .contains("The index is up to date: 3 files unchanged"),
        "{}",
        text.stdout
    );

    // One file edited, one removed, one added: only those are touched.
    write(
        "a.md",
        "---\ntitle: A\n---\nVårdcentralerna i glesbygden får nu fjärrmottagningar.\n",
    );
    std::fs::remove_file(corpus.join("c.md")).unwrap();
    write(
        "d.md",
        "---\ntitle: D\n---\nPsykiatrin för barn och unga behöver kortare köer.\n",
    );
    let third = run(&[]);
    assert_eq!(third["files_read"], 2, "{third:#}");
    assert_eq!(
        (third["unchanged"].as_u64(), third["removed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(search_json(&index, &["fjärrmottagningar"])["total_hits"], 1);
    assert_eq!(
        sokord(&index, &["search", "sjuksköterskor", "--all"]).code,
        1,
        "the old text is gone"
    );
    assert_eq!(
        sokord(&index, &["show", "c"]).code,
        2,
        "the removed file's document is gone"
    );
    assert_eq!(search_json(&index, &["psykiatrin"])["total_hits"], 1);
    let all = search_json(&index, &["", "--group", "doc", "--limit", "10"]);
    assert_eq!(ids(&all), BTreeSet::from(["a", "b", "d"].map(String::from)));
    // No document is there twice.
    assert_eq!(
        show_json(&index, "a", None)["passages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A run cut short after tantivy's commit but before the file list was written: the next run
    // reads the file again and replaces its document instead of adding it twice.
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(index.join("sokord.json")).unwrap()).unwrap();
    let files_path = index
        .join(format!("gen-{}", meta["generation"]))
        .join("files.json");
    let mut files: Value =
        serde_json::from_str(&std::fs::read_to_string(&files_path).unwrap()).unwrap();
    files
        .as_array_mut()
        .unwrap()
        .retain(|f| f["path"] != "d.md");
    std::fs::write(&files_path, files.to_string()).unwrap();
    let redo = run(&[]);
    assert_eq!(redo["files_read"], 1);
    assert_eq!(search_json(&index, &["psykiatrin"])["total_hits"], 1);

    // --rebuild reads everything again.
    let rebuilt = run(&["--rebuild"]);
    assert_eq!(
        (
            rebuilt["incremental"].as_bool(),
            rebuilt["files_read"].as_u64()
        ),
        (Some(false), Some(3))
    );
    // A changed manifest calls for a rebuild too: metadata of unchanged files may differ.
    write(
        "manifest.toml",
        "[[document]]\npath = \"b.md\"\nactor = \"Regeringen\"\n",
    );
    let after_manifest = run(&[]);
    assert_eq!(after_manifest["incremental"], false);
    assert_eq!(
        search_json(&index, &["", "--actor", "regeringen"])["total_hits"],
        1
    );
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn searches_during_an_indexing_run_see_the_last_committed_index() {
    let Some(health) = interpellations() else {
        return;
    };
    let dir = scratch("live");
    let corpus = dir.join("in");
    copy_dir(&health, &corpus);
    let index = dir.join("index");
    let build = sokord(&index, &["index", corpus.to_str().unwrap()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let count = |q: &str| -> u64 {
        let run = sokord(
            &index,
            &["search", q, "--all", "--limit", "1", "--format", "json"],
        );
        assert!(
            run.code <= 1,
            "search {q} failed during the run: {}",
            run.stderr
        );
        run.json()["total_hits"].as_u64().unwrap()
    };
    let before = count("läkemedel");
    std::fs::write(
        corpus.join("nytt.md"),
        "---\ntitle: Nytt\n---\nEtt nytt dokument om nyordsvården och läkemedel.\n",
    )
    .unwrap();

    // A full rebuild, then an in-place update: while each runs, searches answer from the last
    // committed index; once it is done, from the new one.
    for (round, args) in [
        (1, vec!["index", corpus.to_str().unwrap(), "--rebuild"]),
        (2, vec!["index", corpus.to_str().unwrap()]),
    ] {
        if round == 2 {
            // Enough changed files that the update takes a while.
            let files = walkdir(&corpus).into_iter().filter(|p| p.is_file());
            for path in files.take(300) {
                let mut text = std::fs::read_to_string(&path).unwrap();
                text.push_str("\n\nTillägg i efterhand.\n");
                std::fs::write(&path, text).unwrap();
            }
            std::fs::write(
                corpus.join("nytt2.md"),
                "---\ntitle: Nytt 2\n---\nÄnnu ett dokument om nyordsvården och läkemedel.\n",
            )
            .unwrap();
        }
        let committed = count("nyordsvården");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sokord"))
            .arg("--index")
            .arg(&index)
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut during = 0;
        while child.try_wait().unwrap().is_none() {
            let (new_word, drug) = (count("nyordsvården"), count("läkemedel"));
            if indexing(&index) && child.try_wait().unwrap().is_none() {
                // Still running after both searches: they saw the committed state.
                assert_eq!(new_word, committed, "round {round}");
                assert_eq!(drug, before + committed, "round {round}");
                during += 1;
            }
        }
        assert!(child.wait().unwrap().success());
        assert!(
            during >= 2,
            "round {round}: only {during} searches ran during the run"
        );
        assert_eq!(
            count("nyordsvården"),
            round,
            "round {round}: the new documents"
        );
        assert_eq!(count("läkemedel"), before + round, "round {round}");
    }
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_killed_indexer_leaves_the_last_index_searchable_and_a_second_one_is_kept_out() {
    let Some(health) = interpellations() else {
        return;
    };
    let dir = scratch("killed");
    let index = dir.join("index");
    let build = sokord(&index, &["index", health.to_str().unwrap()]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let before = search_json(&index, &["läkemedel", "--all", "--limit", "1"])["total_hits"].clone();

    // Kill full rebuilds at several moments; every time the last index answers as before.
    let mut cut_short = 0;
    for millis in [50u64, 300, 900, 2000] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sokord"))
            .args([
                "--index",
                index.to_str().unwrap(),
                "index",
                health.to_str().unwrap(),
                "--rebuild",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(millis));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if !finished && indexing(&index) {
            // It was killed while writing: its lock file still names it (the kernel released
            // the lock itself).
            cut_short += 1;
        }
        let now = search_json(&index, &["läkemedel", "--all", "--limit", "1"]);
        assert_eq!(now["total_hits"], before, "after a kill at {millis} ms");
    }
    assert!(
        cut_short >= 2,
        "only {cut_short} runs were killed while writing"
    );
    // The next run completes: the killed run's lock is stale, its half-written generation goes.
    let done = sokord(&index, &["index", health.to_str().unwrap(), "--rebuild"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    let gens = std::fs::read_dir(&index)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count();
    assert_eq!(gens, 1);
    assert_eq!(
        search_json(&index, &["läkemedel", "--all", "--limit", "1"])["total_hits"],
        before
    );

    // A second indexer on the same index is refused while the first holds it.
    let held = std::fs::File::options()
        .write(true)
        .open(index.join("lock"))
        .unwrap();
    fs4::FileExt::lock(&held).unwrap();
    let refused = sokord(&index, &["index", health.to_str().unwrap()]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("another `sokord index` is writing this index"),
        "{}",
        refused.stderr
    );
    // Searching goes on meanwhile.
    assert_eq!(
        search_json(&index, &["läkemedel", "--all", "--limit", "1"])["total_hits"],
        before
    );
    drop(held);
}

/// `Searcher::rank` (references only, read from fast fields) names the same passages, in the
/// same order, with the same counts as `Searcher::search`, grouped by passage and by document,
/// sorted by score and by date, on the bundled corpus and the health interpellations.
#[test]
fn ranking_names_the_same_passages_as_search() {
    use sokord_query::{Grouping, SearchRequest, Searcher, SortBy};
    let mut indexes = vec![corpus_index()];
    indexes.extend(interpellation_index());
    for index in indexes {
        let searcher = Searcher::open(index).unwrap();
        let mut compared = 0;
        for q in [
            "läkemedel",
            "vård",
            "försörjning",
            "\"kliniska prövningar\"",
            "tandvård för äldre",
            "psykiatri -barn",
        ] {
            for group in [Grouping::Passage, Grouping::Doc] {
                for sort in [SortBy::Score, SortBy::Date] {
                    let mut r = SearchRequest::parse(q).unwrap();
                    r.group = group;
                    r.sort = sort;
                    r.limit = 15;
                    let searched = searcher.search(&r).unwrap();
                    let ranked = searcher.rank(&r).unwrap();
                    assert_eq!(ranked.total_hits, searched.total_hits, "{q}");
                    let a: Vec<_> = ranked
                        .hits
                        .iter()
                        .map(|h| (h.doc_id.clone(), h.passage, h.matched_passages, h.partial))
                        .collect();
                    let b: Vec<_> = searched
                        .hits
                        .iter()
                        .map(|h| {
                            (
                                h.citation.doc_id.clone(),
                                h.passage,
                                h.matched_passages,
                                h.partial,
                            )
                        })
                        .collect();
                    assert_eq!(a, b, "{q} {group:?} {sort:?}");
                    compared += a.len();
                }
            }
        }
        assert!(
            compared > 40,
            "too few hits compared in {}",
            index.display()
        );
    }
}
