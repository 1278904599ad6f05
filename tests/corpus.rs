//! The bundled corpus: citations, chapters, filters, output formats, errors.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::*;
use crate::util::*;

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
    // Each passage is numbered as hits cite it, and a citation pasted whole shows its passage.
    assert!(run.stdout.contains("\n§10 Sverige har"), "{}", run.stdout);
    let cited = format!("[{} §6]", LIF.to_uppercase());
    for args in [
        vec!["show", cited.as_str()],
        vec!["show", LIF, "--passage", "6"],
    ] {
        let one = sokord(index, &args);
        assert_eq!(one.code, 0, "{args:?}: {}", one.stderr);
        let numbered: Vec<&str> = one.stdout.lines().filter(|l| l.starts_with('§')).collect();
        assert_eq!(numbered.len(), 1, "{}", one.stdout);
        assert!(
            numbered[0].starts_with("§6 Det är av särskild vikt"),
            "{}",
            one.stdout
        );
        assert!(
            one.stdout.contains("# 1: Regional utveckling"),
            "{}",
            one.stdout
        );
    }
    let beyond = sokord(index, &["show", &format!("{LIF} §99")]);
    assert_eq!(beyond.code, 2);
    assert!(
        beyond
            .stderr
            .contains("has no passage §99; its passages are §0–§"),
        "{}",
        beyond.stderr
    );
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
    // Words given as several arguments are one text, as in quotes.
    let words = sokord_in(
        &root(),
        &["analyze", "--json", "Kliniska", "prövningar", "på", "Åland"],
    );
    assert_eq!(words.code, 0, "{}", words.stderr);
    assert_eq!(words.json(), v);
    let bad = sokord_in(&root(), &["analyze", "--analyzer", "nope", "x"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("choose one of: sv"), "{}", bad.stderr);
}

// ---------------------------------------------------------------- exit codes and errors

/// A date filter past the index's dates finds nothing and says which dates the index has.
#[test]
fn a_date_filter_outside_the_index_says_its_dates() {
    let dates: BTreeSet<String> = manifest_dates();
    let (first, last) = (dates.first().unwrap(), dates.last().unwrap());
    for args in [
        &["search", "vård", "--from", "2030"][..],
        &["count", "vård", "--to", "1999-12"],
        &["stats", "vård", "--from", "2031-01-01"],
    ] {
        let run = sokord(corpus_index(), args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(
            run.stderr
                .contains(&format!("the index's passages are dated {first} to {last}")),
            "{args:?}: {}",
            run.stderr
        );
    }
    // Within them, nothing is said.
    let run = sokord(corpus_index(), &["count", "vård", "--from", first]);
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains("are dated"), "{}", run.stderr);
}

/// The `date` of every bundled document, as `corpus/manifest.toml` gives it.
fn manifest_dates() -> BTreeSet<String> {
    let manifest = std::fs::read_to_string(root().join("corpus/manifest.toml")).unwrap();
    manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("date"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .map(|d| d.trim().trim_matches('"').to_string())
        .collect()
}

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
    // A year of two digits is not the year 15 (which would let everything through).
    for (flag, value) in [("--from", "15"), ("--to", "99"), ("--from", "15-03")] {
        let run = sokord(index, &["count", "vård", flag, value]);
        assert_eq!(run.code, 2, "{flag} {value}: {}", run.stdout);
        assert!(
            run.stderr.contains(flag) && run.stderr.contains("year of two digits"),
            "{}",
            run.stderr
        );
    }
    // Keywords of the whole index against its (empty) rest are not keywords.
    let whole = sokord(index, &["keywords"]);
    assert_eq!(whole.code, 2, "{}", whole.stdout);
    assert!(
        whole.stderr.contains("no rest to compare it with"),
        "{}",
        whole.stderr
    );
    let squeezed = sokord(index, &["count", "vård", "--from", "20150301"]);
    assert_eq!(squeezed.code, 2);
    assert!(
        squeezed
            .stderr
            .contains("is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
        "{}",
        squeezed.stderr
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
    // The command to run names the folder the index was built from, as it recorded it.
    let corpus = meta["corpus"].as_str().unwrap();
    assert!(Path::new(corpus).is_dir(), "{corpus}");
    assert!(
        run.stderr.contains("schema version 0")
            && run.stderr.contains(&format!(
                "rebuild it with `sokord index {corpus} --index {}`",
                dir.display()
            )),
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
            std::fs::remove_file(generation_dir(&dir).join("meta.json")).unwrap();
        }
        let run = sokord(&dir, &["search", "vård"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        // Where `sokord.json` can still be read, the hint names the corpus it records.
        let command = if damage == "sokord.json" {
            "rebuild it with `sokord index DIR --index PATH`".to_string()
        } else {
            format!(
                "rebuild it with `sokord index {} --index {}`",
                corpus.canonicalize().unwrap().display(),
                dir.display()
            )
        };
        assert!(
            run.stderr.contains("the index is damaged") && run.stderr.contains(&command),
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
    // A damaged file inside a generation: the hint still finds the index and its corpus.
    let dir = scratch("damaged-totals");
    copy_dir(corpus_index(), &dir);
    std::fs::write(generation_dir(&dir).join("lemma-totals.bin"), "garbage").unwrap();
    let run = sokord(&dir, &["keywords", "--party", "KD"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("lemma-totals.bin")
            && run.stderr.contains(&format!(
                "rebuild it with `sokord index {} --index {}`",
                corpus.canonicalize().unwrap().display(),
                dir.display()
            )),
        "{}",
        run.stderr
    );
}
