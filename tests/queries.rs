//! Queries and filters as people type them (issue 14): pasted typography, genitives, queries
//! with nothing to search, filter values checked against the index.

use std::collections::BTreeMap;

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
    assert_eq!(minus, total(index, "vård NOT omsorg"));
    assert!(minus < total(index, "vård"));
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
        &[
            "search",
            "vård",
            "--party",
            "Liberalerna",
            "--party-history",
        ][..],
        &["search", "vård", "--party", "S,XYZ"],
        &["search", "vård party:XYZ"],
        // A party of the list that the index does not hold (Ny demokrati sat 1991-94, before
        // the first interpellation here) is said to be absent, not counted as 0.
        &["search", "vård", "--party", "NyD"],
        &["count", "vård", "--party", "Ny demokrati"],
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
        // The labels the index holds, and the names of their parties (values that work too).
        assert!(parties.is_subset(&listed), "{err}");
        for name in listed.difference(&parties) {
            assert!(name.chars().any(char::is_lowercase), "{name}: {err}");
        }
        assert!(listed.contains("Moderaterna"), "{err}");
    }
    // A name remembered wrong is close to the name.
    let err = failing(&["search", "vård", "--party", "Modertaerna"]);
    assert!(err.contains("the closest: Moderaterna"), "{err}");
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
    assert!(!err.contains("the closest"), "{err}");
    // A value typed without its å, or a letter short: the close ones named first.
    let err = failing(&["search", "vård", "--topic", "tandvard"]);
    assert!(
        err.contains("no topic `tandvard` in this index; the closest: tandvård; the values are:"),
        "{err}"
    );
    let err = failing(&["search", "vård", "--type", "interpelation"]);
    assert!(err.contains("the closest: interpellation;"), "{err}");
    // The beginning of a longer value, after the close ones.
    let err = failing(&["search", "vård", "--topic", "läkemedel"]);
    assert!(err.contains("the closest: läkemedelsförsörjning;"), "{err}");
    // An actor with no match: the closest names.
    let err = failing(&["search", "vård", "--actor", "Ullenhg"]);
    assert!(err.contains("the closest: Erik Ullenhag"), "{err}");
    let err = failing(&["search", "vård actor:\"Anders Jonsson\""]);
    assert!(err.contains("Anders W Jonsson"), "{err}");
    assert!(front_matter_values("actor").contains("Anders W Jonsson"));
    // Values the index holds work in any case, as before.
    assert!(!hits(&search_json(index, &["vård", "--party", "fp"])).is_empty());
    // The names the press uses: *Centern* is C, *Vänstern* V.
    for (name, label) in [("Centern", "C"), ("Vänstern", "V")] {
        let by_name = search_json(index, &["vård", "--party", name, "-n", "0"]);
        let by_label = search_json(index, &["vård", "--party", label, "-n", "0"]);
        assert!(by_name["total_hits"].as_u64().unwrap() > 0, "{name}");
        assert_eq!(by_name["total_hits"], by_label["total_hits"], "{name}");
    }
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
    let to = |recipient: &str| {
        ids(&search_json(
            index,
            &[
                "",
                "--recipient",
                recipient,
                "--group",
                "doc",
                "--limit",
                "10000",
            ],
        ))
    };
    assert_eq!(to("Hägglund"), to_hägglund);
    let field = search_json(
        index,
        &["recipient:hägglund", "--group", "doc", "--limit", "10000"],
    );
    assert_eq!(ids(&field), to_hägglund);
    // Surname first, as Riksdag lists print names, is the one name (not every Göran); two names
    // the index does not hold so are still alternatives.
    assert_eq!(to("Hägglund, Göran"), to_hägglund);
    let both: BTreeSet<String> = to_hägglund
        .union(&files_with("recipient", "Engqvist"))
        .cloned()
        .collect();
    assert_eq!(to("Hägglund, Engqvist"), both);
    // A name pasted from a hit, with its party, or with an office in front, is the one name
    // (the files write it with and without).
    assert_eq!(to("Göran Hägglund (KD)"), to_hägglund);
    assert_eq!(to("socialminister Göran Hägglund (KD)"), to_hägglund);
    assert_eq!(to("Hägglund (KD), Engqvist (S)"), both);
    // The Riksdag's own shape is one name too (not Hägglund or anyone called Göran).
    assert_eq!(to("Hägglund, Göran (kd)"), to_hägglund);
    // The facet counts them, as one name however the sources write it ("Göran Hägglund (KD)",
    // "(Kd)", with an office in front or none).
    let all = search_json(index, &["", "--group", "doc"]);
    let facet: Vec<(String, u64)> = all["facets"]["recipient"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["value"].as_str().unwrap().contains("Hägglund"))
        .map(|v| {
            (
                v["value"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        facet,
        [("Göran Hägglund".to_string(), to_hägglund.len() as u64)]
    );
    // So do the groups of stats, for every way a minister is written.
    let stats = run_json(
        index,
        &["stats", "", "--by", "recipient", "--format", "json"],
    );
    let group = |name: &str| -> u64 {
        stats["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == name)
            .map_or(0, |g| g["documents"].as_u64().unwrap())
    };
    for (name, surname) in [
        ("Göran Hägglund", "Hägglund"),
        ("Lars Engqvist", "Engqvist"),
    ] {
        let files = files_with("recipient", surname);
        assert!(files.len() > 10, "{surname}");
        assert_eq!(group(name), files.len() as u64, "{name}");
    }
    // Every hit names its recipient and its original, as the file's front matter says.
    let v = search_json(index, &["läkemedel", "--limit", "20"]);
    let dir = interpellations().unwrap();
    for h in hits(&v) {
        let text = std::fs::read_to_string(dir.join(h["path"].as_str().unwrap())).unwrap();
        let source = h["source"].as_str().unwrap();
        assert!(source.starts_with("http"), "{h:#}");
        assert!(text.contains(&format!("source: {source}")), "{source}");
        // The recipient as the front matter names it, the office in front left out and the
        // party's letters in capitals.
        let recipient = h["recipient"].as_str().unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("recipient: "))
            .unwrap()
            .to_lowercase();
        for word in recipient.split(' ') {
            assert!(line.contains(&word.to_lowercase()), "{recipient}: {line}");
        }
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

#[test]
fn csv_says_which_hits_are_partial_and_n_0_counts_without_hits() {
    let index = corpus_index();
    // CSV's partial column agrees with JSON, for partial and full hits alike.
    for q in ["fjärrmonitorering läkemedelsförsörjning", "läkemedel"] {
        let json = search_json(index, &[q, "--limit", "5"]);
        let csv = sokord(index, &["search", q, "--limit", "5", "--format", "csv"]);
        assert_eq!(csv.code, 0);
        let mut rows = csv::Reader::from_reader(csv.stdout.as_bytes());
        let header = rows.headers().unwrap().clone();
        let partial = header.iter().position(|h| h == "partial").unwrap();
        let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), hits(&json).len());
        for (r, h) in records.iter().zip(hits(&json)) {
            assert_eq!(
                &r[partial],
                h["partial"].as_bool().unwrap().to_string(),
                "{q}"
            );
        }
    }
    let partial = search_json(index, &["fjärrmonitorering läkemedelsförsörjning"]);
    assert!(hits(&partial).iter().all(|h| h["partial"] == true));
    // -n 0: the count, no hits, success.
    let every = search_json(index, &["läkemedel", "--all", "--limit", "10000"]);
    let n = hits(&every).len() as u64;
    let counted = search_json(index, &["läkemedel", "-n", "0"]);
    assert!(hits(&counted).is_empty());
    assert_eq!(counted["total_hits"].as_u64().unwrap(), n);
    let text = sokord(index, &["search", "läkemedel", "-n", "0"]);
    assert_eq!(text.code, 0);
    assert_eq!(
        text.stdout.trim(),
        format!("{n} passages match \"läkemedel\".")
    );
    // An --offset past the end says so.
    let past = sokord(
        index,
        &["search", "läkemedel", "--all", "--offset", "10000"],
    );
    assert_eq!(past.code, 1);
    assert!(
        past.stdout.contains(&format!(
            "{n} passages match \"läkemedel\", and --offset 10000 skips past them all"
        )),
        "{}",
        past.stdout
    );
    let past = sokord(
        index,
        &[
            "search",
            "läkemedel",
            "--all",
            "--offset",
            "10000",
            "--format",
            "json",
        ],
    );
    assert_eq!(past.code, 1);
    assert!(past.stderr.contains("past the end"), "{}", past.stderr);
}

/// Output whose reader stops early (`sokord search … --format csv | head -1`) ends the run
/// quietly and successfully, in every format (CSV said "error: Broken pipe" and exited 2).
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let index = corpus_index();
    for format in ["csv", "json", "jsonl", "text"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sokord"))
            .args(["--index", index.to_str().unwrap()])
            .args(["search", "läkemedel", "-n", "50", "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first byte.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{format}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("error"), "{format}: {stderr}");
    }
}

#[test]
fn a_missing_chapter_and_a_backwards_date_range_are_errors() {
    let index = corpus_index();
    let run = sokord(index, &["show", LIF, "--chapter", "42"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("has no chapter `42`")
            && run.stderr.contains("3: Vår Vision")
            && run.stderr.contains("7: Hur den regionala"),
        "{}",
        run.stderr
    );
    assert_eq!(sokord(index, &["show", LIF, "--chapter", "3"]).code, 0);
    // A search's chapter filter takes the chapter as hits cite it, and names no chapter in vain.
    let third = search_json(index, &["", "--chapter", "3", "--limit", "1000"]);
    let chapter = &hits(&third)[0]["chapter"];
    let title = chapter["title"].as_str().unwrap();
    let cited = format!("Kapitel 3: {title}");
    for value in ["Kapitel 3", "kap 3", cited.as_str(), title] {
        let same = search_json(index, &["", "--chapter", value, "--limit", "1000"]);
        assert_eq!(ids(&same), ids(&third), "{value}");
        assert_eq!(same["total_hits"], third["total_hits"], "{value}");
    }
    for missing in ["Kapitel 42", "42", "Kapitel 2: Vår Vision"] {
        let run = sokord(index, &["count", "", "--chapter", missing]);
        assert_eq!(run.code, 2, "{missing}: {}", run.stdout);
        assert!(
            run.stderr
                .contains(&format!("no chapter in this index is named `{missing}`")),
            "{}",
            run.stderr
        );
    }
    let typo = sokord(index, &["count", "", "--chapter", "Vår Visionn"]);
    assert!(
        typo.stderr.contains("the closest: 3: Vår Vision"),
        "{}",
        typo.stderr
    );
    for (args, flag) in [
        (
            &["search", "vård", "--from", "2024", "--to", "2020"][..],
            "--from",
        ),
        (
            &["stats", "vård", "--from", "2025-06", "--to", "2025-05-31"],
            "--from",
        ),
        (&["search", "vård date:[2024 TO 2020]"], "date"),
    ] {
        let run = sokord(index, args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr.contains(&format!("bad filter {flag}")) && run.stderr.contains("swap them"),
            "{}",
            run.stderr
        );
    }
    // One day is a range.
    let day = search_json(index, &["", "--from", "2025-02-06", "--to", "2025-02-06"]);
    assert!(hits(&day).iter().all(|h| h["date"] == "2025-02-06"));
    assert!(!hits(&day).is_empty());
}

/// The rows of a Markdown table: the lines after the header and the separator.
fn markdown_rows(md: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert!(lines.len() >= 2, "{md}");
    assert!(lines[1].starts_with("|---"), "{md}");
    lines[2..]
        .iter()
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn markdown_gives_tables_for_stats_keywords_and_topics() {
    let index = corpus_index();
    let md = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--format", "markdown"]);
        let run = sokord(index, &all);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.starts_with("# "), "{}", run.stdout);
        assert!(
            run.stdout
                .lines()
                .skip(1)
                .all(|l| l.is_empty() || l.starts_with('|')),
            "not a Markdown table:\n{}",
            run.stdout
        );
        markdown_rows(&run.stdout)
    };
    let json = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        run_json(index, &all)
    };
    let stats = md(&["stats", "läkemedel", "--by", "actor"]);
    let sj = json(&["stats", "läkemedel", "--by", "actor"]);
    let groups = sj["groups"].as_array().unwrap();
    assert_eq!(stats.len(), groups.len());
    for (row, g) in stats.iter().zip(groups) {
        assert_eq!(row[0], g["key"].as_str().unwrap());
        assert_eq!(row[2], g["passages"].to_string());
    }
    let kw = md(&[
        "keywords",
        "--actor",
        "Forssmed",
        "--top",
        "6",
        "--min-count",
        "3",
    ]);
    let kj = json(&[
        "keywords",
        "--actor",
        "Forssmed",
        "--top",
        "6",
        "--min-count",
        "3",
    ]);
    let words: Vec<&str> = kj["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["word"].as_str().unwrap())
        .collect();
    assert_eq!(kw.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), words);
    let topics = md(&["topics"]);
    let tj = json(&["topics"]);
    assert_eq!(topics.len(), tj["topics"].as_array().unwrap().len());
}

#[test]
fn an_index_folder_without_an_index_is_built_into_only_when_new_or_empty() {
    let dir = scratch("index-dir-guard");
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    std::fs::write(
        dir.join("corpus/a.md"),
        "---\nid: a\ntype: tal\ntitle: A\ndate: 2024-01-02\n---\n\nOm vård och omsorg.\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("dokument")).unwrap();
    std::fs::write(dir.join("dokument/brev.txt"), "Ett brev.").unwrap();
    // A folder of documents is not an index, nor made one.
    let run = sokord_in(&dir, &["--index", "dokument", "search", "vård"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("dokument holds no sokord index, and it is not empty"),
        "{}",
        run.stderr
    );
    let left: Vec<_> = walkdir(&dir.join("dokument"));
    assert_eq!(left, [dir.join("dokument/brev.txt")]);
    // Nor is the folder indexed into itself (the walk would pass over it all: it indexed 0
    // documents and said nothing); the error names the command the message above suggests.
    let run = sokord_in(&dir, &["index", "dokument", "--index", "dokument"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("the index folder is the corpus folder")
            && run.stderr.contains("--index dokument/.sokord"),
        "{}",
        run.stderr
    );
    assert_eq!(
        walkdir(&dir.join("dokument")),
        [dir.join("dokument/brev.txt")]
    );
    assert!(
        run.stdout.is_empty() && !run.stderr.contains("Indexed"),
        "{}",
        run.stdout
    );
    let run = sokord_in(&dir, &["index", "dokument", "--index", "dokument/.sokord"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = sokord_in(
        &dir,
        &[
            "--index",
            "dokument/.sokord",
            "search",
            "brev",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["total_hits"], 1);
    // A new folder and an empty one are built into from ./corpus.
    std::fs::create_dir_all(dir.join("tom")).unwrap();
    for name in ["ny", "tom"] {
        let run = sokord_in(
            &dir,
            &["--index", name, "search", "vård", "--format", "json"],
        );
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(run.json()["total_hits"], 1);
    }
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_prefix_with_too_many_forms_keeps_the_most_frequent_and_says_so() {
    let Some(index) = interpellation_index() else {
        return;
    };
    // `st*` has more forms than are searched. Taken alphabetically, the cut fell before `stöd`
    // (ö sorts last); taken by frequency, the common forms are all in.
    let run = sokord(
        index,
        &[
            "search", "st*", "--all", "--group", "doc", "--limit", "10000", "--format", "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let cut = &v["truncated_expansions"][0];
    assert_eq!(cut["word"], "st*");
    assert_eq!(cut["searched"], 256);
    assert!(cut["forms"].as_u64().unwrap() > 256, "{cut}");
    assert!(
        run.stderr.contains("warning: `st*` matches")
            && run
                .stderr
                .contains("only the 256 most frequent are searched"),
        "{}",
        run.stderr
    );
    let found = ids(&v);
    let docs = |q: &str| all_ids(index, q);
    let stöd = docs("=stöd");
    let staten = docs("=staten");
    assert!(stöd.len() > 50, "{}", stöd.len());
    assert!(stöd.is_subset(&found) && staten.is_subset(&found));
    // What was left out is rarer than what was kept.
    let dropped = cut["most_frequent_dropped"].as_str().unwrap();
    assert!(docs(&format!("={dropped}")).len() <= stöd.len().min(staten.len()));
    // A prefix with few forms is not cut and says nothing.
    let few = sokord(index, &["search", "tandvård*", "--format", "json"]);
    assert!(few.json().get("truncated_expansions").is_none());
    assert!(!few.stderr.contains("warning"), "{}", few.stderr);
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_query_that_finds_nothing_gets_corrections_from_the_index() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let nothing = |args: &[&str]| {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend(["--format", "json"]);
        let run = sokord(index, &all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        run.json()
    };
    for (q, want) in [
        ("prövnng", "prövning"),
        ("tandvårdsrefrom", "tandvårdsreform"),
        ("läkemdel", "läkemedel"),
    ] {
        let v = nothing(&[q]);
        let s: Vec<&str> = v["suggestions"]
            .as_array()
            .unwrap_or_else(|| panic!("{q}: {v:#}"))
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(s[0], want, "{q}: {s:?}");
        assert!(s.len() <= 3);
        // Every suggestion finds something.
        for q in s {
            assert!(!hits(&search_json(index, &[q, "--all"])).is_empty(), "{q}");
        }
    }
    // Words that find something stay; filters stay.
    let v = nothing(&["läkemdel brist", "--all"]);
    assert_eq!(v["suggestions"][0], "läkemedel brist");
    let v = nothing(&["sjukvårdn", "--party", "S"]);
    assert_eq!(v["suggestions"][0], "sjukvården");
    let filtered = search_json(index, &["sjukvården", "--party", "S"]);
    assert!(hits(&filtered).iter().all(|h| h["party"] == "S"));
    // Text says it in Swedish.
    let run = sokord(index, &["search", "prövnng"]);
    assert!(
        run.stdout.contains("Menade du: prövning?"),
        "{}",
        run.stdout
    );
    // The counting views say it too; å, ä, ö typed without their marks, first letter too.
    for command in ["count", "stats", "kwic"] {
        let run = sokord(index, &[command, "aldreomsorgen", "--format", "json"]);
        assert!(
            run.stderr.contains("did you mean `äldreomsorgen`"),
            "{command}: {}",
            run.stderr
        );
    }
    // Nothing close, or hits: no suggestions.
    assert!(nothing(&["xylofonorkester"]).get("suggestions").is_none());
    assert!(search_json(index, &["prövning"])
        .get("suggestions")
        .is_none());
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_party_is_found_in_every_era_by_any_of_its_names() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let docs = |args: &[&str]| {
        let mut all = vec!["", "--group", "doc", "--limit", "10000"];
        all.extend_from_slice(args);
        ids(&search_json(index, &all))
    };
    let by_label = |label: &str| files_with("party", &format!("\"{label}\""));
    let (fp, l) = (by_label("FP"), by_label("L"));
    assert!(!fp.is_empty() && !l.is_empty());
    let liberals: BTreeSet<String> = fp.union(&l).cloned().collect();
    for name in ["L", "l", "FP", "Liberalerna", "Folkpartiet liberalerna"] {
        assert_eq!(docs(&["--party", name]), liberals, "{name}");
    }
    let in_query = search_json(index, &["party:fp", "--group", "doc", "--limit", "10000"]);
    assert_eq!(ids(&in_query), liberals);
    let kd: BTreeSet<String> = by_label("KD").union(&by_label("KDS")).cloned().collect();
    assert_eq!(docs(&["--party", "Kristdemokraterna"]), kd);
    // The Riksdag's "-" is a member who left their party: found by that name too, and said so
    // under a table that shows it.
    let independents = by_label("-");
    assert!(!independents.is_empty());
    for name in ["-", "vilde", "Politisk vilde", "partilös"] {
        assert_eq!(docs(&["--party", name]), independents, "{name}");
    }
    let table = sokord(index, &["stats", "vård", "--by", "party"]);
    assert!(
        table.stdout.lines().any(|l| l.starts_with("-  "))
            && table.stdout.contains("-: members who left their party"),
        "{}",
        table.stdout
    );
    // The labels of their time, when asked.
    assert_eq!(docs(&["--party", "FP", "--party-history"]), fp);
    assert_eq!(docs(&["--party", "L", "--party-history"]), l);
    // Facets and groups by party show today's label, or the historic ones when asked.
    let facet = |args: &[&str]| -> BTreeMap<String, u64> {
        let mut all = vec!["", "--group", "doc", "-n", "0"];
        all.extend_from_slice(args);
        search_json(index, &all)["facets"]["party"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_string(),
                    v["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let today = facet(&[]);
    assert_eq!(today["L"], liberals.len() as u64);
    assert!(
        !today.contains_key("FP") && !today.contains_key("KDS"),
        "{today:?}"
    );
    let then = facet(&["--party-history"]);
    assert_eq!(then["FP"], fp.len() as u64);
    assert_eq!(then["L"], l.len() as u64);
    // Counting passages, the two labels' counts add up too.
    let passages = search_json(index, &["vård", "-n", "0"]);
    let l_passages = passages["facets"]["party"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "L")
        .unwrap()["count"]
        .clone();
    assert_eq!(
        l_passages,
        search_json(index, &["vård", "-n", "0", "--party", "L"])["total_hits"]
    );
    let stats = run_json(index, &["stats", "", "--by", "party", "--format", "json"]);
    let l_group = stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "L")
        .unwrap();
    assert_eq!(l_group["documents"], liberals.len());
    assert!(stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["key"] != "FP"));
}

/// Checks a score tree: sums add up, every term names its field, boosts multiply.
fn check_score_tree(node: &Value, leaves: &mut Vec<String>) {
    let score = node["score"].as_f64().unwrap();
    let what = node["what"].as_str().unwrap();
    assert!(!what.contains("field="), "{what}");
    match node.get("parts").and_then(Value::as_array) {
        Some(parts) => {
            let sum: f64 = parts.iter().map(|p| p["score"].as_f64().unwrap()).sum();
            assert!((sum - score).abs() < 1e-3 * score.max(1.0), "{node:#}");
            for p in parts {
                check_score_tree(p, leaves);
            }
        }
        None => leaves.push(what.to_string()),
    }
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn explain_is_a_short_tree_of_fields_terms_bm25_and_boosts() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let v = search_json(index, &["läkemedel brist", "--explain", "--limit", "3"]);
    for h in hits(&v) {
        let e = &h["explain"];
        assert!((e["score"].as_f64().unwrap() - h["score"].as_f64().unwrap()).abs() < 1e-3);
        let mut leaves = Vec::new();
        check_score_tree(e, &mut leaves);
        assert!(
            leaves.iter().any(|l| l == "body:\"läkemedel\""),
            "{leaves:?}"
        );
        assert!(
            leaves.iter().any(|l| l.starts_with("body:\"brist\"")),
            "{leaves:?}"
        );
        for l in &leaves {
            assert!(
                l.starts_with("body:")
                    || l.starts_with("title:")
                    || l.starts_with("heading:")
                    || l.starts_with("exact:")
                    || l.starts_with("words near each other"),
                "{l}"
            );
        }
        // Boosted fields say their boost.
        let all = e.to_string();
        if all.contains("title:") {
            assert!(all.contains("title:\\\"läkemedel\\\" ×2"), "{all}");
        }
    }
    let text = sokord(
        index,
        &["search", "läkemedel brist", "--explain", "-n", "1"],
    );
    assert_eq!(text.code, 0);
    assert!(text.stdout.lines().count() < 20, "{}", text.stdout);
    assert!(text.stdout.contains("idf "), "{}", text.stdout);
}

#[test]
fn markdown_markup_is_not_indexed_and_a_title_alone_is_a_document() {
    let dir = scratch("markup-and-titles");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("lista.md"),
        "---\nid: lista\ntype: interpellation\ntitle: Listan\ndate: 2015-03-02\n---\n\n\
         # Listan\n\n<![if !supportLists]>1.<![endif]> Vi vill se bättre \
         <span style=\"color:red\">tandvård</span> för äldre.<br>Och <!-- en dold \
         kommentar --> mer omsorg, där a < b och c > d.\n",
    )
    .unwrap();
    std::fs::write(
        corpus.join("bara-titel.md"),
        "---\nid: bara-titel\ntype: interpellation\ntitle: Ambulanssjukvården i Norrland\n\
         date: 2015-04-01\n---\n\n# Ambulanssjukvården i Norrland\n",
    )
    .unwrap();
    let index = index_folder(&corpus, "markup-and-titles-index");
    for word in [
        "supportlists",
        "endif",
        "span",
        "style",
        "dold",
        "kommentar",
    ] {
        let run = sokord(&index, &["search", &format!("exact:{word}")]);
        assert_eq!(run.code, 1, "{word} is indexed: {}", run.stdout);
    }
    let v = search_json(&index, &["tandvård omsorg", "--all"]);
    assert_eq!(ids(&v), BTreeSet::from(["lista".to_string()]));
    let shown = run_json(&index, &["show", "lista", "--json"]);
    let text: String = shown["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("1. Vi vill se bättre tandvård för äldre."),
        "{text}"
    );
    assert!(text.contains("a < b och c > d"), "{text}");
    assert!(!text.contains("<span") && !text.contains("<!"), "{text}");
    // A title with no body is indexed, its title the one passage.
    let v = search_json(&index, &["ambulanssjukvård"]);
    assert_eq!(ids(&v), BTreeSet::from(["bara-titel".to_string()]));
    assert_eq!(hits(&v)[0]["snippet"], "Ambulanssjukvården i Norrland");
    let all = search_json(&index, &["", "--group", "doc"]);
    assert_eq!(all["total_hits"], 2);
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn word_markup_in_the_interpellations_is_not_a_word() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let with_markup = docs_containing("supportlists");
    assert!(!with_markup.is_empty());
    let run = sokord(index, &["search", "exact:supportlists"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // The documents are there, their text without the markup.
    let some = with_markup.iter().next().unwrap();
    let shown = run_json(index, &["show", some, "--json"]);
    assert!(!shown.to_string().contains("supportLists"));
}

/// A corpus's manifest adds parties the built-in table lacks (a regional party that changed
/// its abbreviation): filters find both eras by any name, counts show today's label.
#[test]
fn the_manifest_adds_parties_to_the_table() {
    let dir = scratch("manifest-parties");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("manifest.toml"),
        "[[party]]\nabbreviation = \"SJVP\"\nname = \"Sjukvårdspartiet\"\nearlier = [\"SVP\"]\n",
    )
    .unwrap();
    for (id, party, year) in [("a", "SVP", 2010), ("b", "SJVP", 2020), ("c", "S", 2020)] {
        std::fs::write(
            corpus.join(format!("{id}.md")),
            format!(
                "---\ntitle: Motion {id}\nactor: Ledamot {id}\nparty: {party}\ndate: {year}-05-01\n---\n\n\
                 En motion om akutsjukhusen i länet och om vårdens tillgänglighet för alla.\n"
            ),
        )
        .unwrap();
    }
    let index = dir.join("index");
    let run = sokord(&index, &["index", corpus.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in ["SJVP", "svp", "Sjukvårdspartiet"] {
        let v = search_json(&index, &["akutsjukhusen", "--party", name]);
        assert_eq!(ids(&v), ["a", "b"].map(String::from).into(), "{name}");
    }
    let v = search_json(
        &index,
        &["akutsjukhusen", "--party", "SVP", "--party-history"],
    );
    assert_eq!(ids(&v), ["a"].map(String::from).into());
    let stats = run_json(
        &index,
        &[
            "stats",
            "akutsjukhusen",
            "--by",
            "party",
            "--format",
            "json",
        ],
    );
    let groups: BTreeMap<String, u64> = stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap().to_string(),
                g["documents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [("S".to_string(), 1), ("SJVP".to_string(), 2)].into()
    );
}

/// A query of filters alone scores every passage alike: a page of it is the passages in document
/// id and passage order, the same as that stretch of the whole list (collected in one page, by
/// the other way of ranking), at any offset.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_page_of_tied_passages_is_that_stretch_of_the_whole_list() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let place = |h: &serde_json::Value| {
        (
            h["doc_id"].as_str().unwrap().to_string(),
            h["passage"].as_u64().unwrap(),
        )
    };
    let all = search_json(index, &["", "--party", "SD", "--limit", "100000"]);
    let n = all["total_hits"].as_u64().unwrap() as usize;
    let all: Vec<(String, u64)> = hits(&all).iter().map(place).collect();
    assert_eq!(all.len(), n);
    assert!(n > 100, "{n} SD passages");
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "tied passages in id and passage order");
    for (offset, limit) in [(0, 10), (20, 7), (n - 5, 10)] {
        let page = search_json(
            index,
            &[
                "",
                "--party",
                "SD",
                "--limit",
                &limit.to_string(),
                "--offset",
                &offset.to_string(),
            ],
        );
        let page: Vec<(String, u64)> = hits(&page).iter().map(place).collect();
        assert_eq!(
            page,
            all[offset..(offset + limit).min(n)],
            "offset {offset}"
        );
    }
}

/// kwic's closing line counts the passages as `count` does, in words that fit the numbers.
#[test]
fn kwic_says_how_many_passages_its_lines_come_from() {
    let index = corpus_index();
    let count = run_json(index, &["count", "försörjning", "--format", "json"]);
    let n = count["passages"].as_u64().unwrap();
    assert!(n > 1, "{count}");
    let kwic = run_json(index, &["kwic", "försörjning", "--format", "json"]);
    assert_eq!(kwic["text_passages"], count["passages"]);
    assert_eq!(
        kwic["total_passages"], count["passages"],
        "no title says it"
    );
    let one = sokord(index, &["kwic", "försörjning", "-n", "1"]);
    let lines = count["hits"].as_u64().unwrap();
    assert!(lines > 1 && kwic["total_lines"] == count["hits"], "{kwic}");
    assert!(
        one.stdout
            .ends_with(&format!("1 of {lines} lines from {n} matching passages.\n")),
        "{}",
        one.stdout
    );
}

/// Pasted punctuation does not change what a compound finds, and a NOT word takes away the
/// same passages in every view: those that say the word (or whose document's title says it),
/// not those where its parts merely stand near each other.
#[test]
fn punctuation_keeps_compound_readings_and_not_means_one_thing_everywhere() {
    let dir = scratch("not-everywhere-corpus");
    let corpus = dir.join("in");
    std::fs::create_dir_all(&corpus).unwrap();
    let write = |name: &str, text: &str| std::fs::write(corpus.join(name), text).unwrap();
    write(
        "brist.md",
        "---\ntitle: A\n---\nVårdplatsbristen är akut i regionen.\n",
    );
    write(
        "platser.md",
        "---\ntitle: B\n---\nDet råder brist på vårdplatser i norr.\n",
    );
    write(
        "tolk.md",
        "---\ntitle: C\n---\nPatienten fick ingen tolk. Bristen är stor.\n",
    );
    // The title says the NOT word, the passages do not.
    write(
        "titel.md",
        "---\ntitle: Om vårdplatsbrist\n---\nBristen på platser är stor.\n\nEn annan brist gäller personal.\n",
    );
    let index = index_folder(&corpus, "not-everywhere");
    let docs = |q: &str| -> BTreeSet<String> {
        ids(&search_json(&index, &[q, "--all", "--group", "doc"]))
    };
    let set = |ids: &[&str]| -> BTreeSet<String> { ids.iter().map(|s| s.to_string()).collect() };

    let bare = docs("vårdplatsbrist");
    assert!(bare.contains("platser"), "written out: {bare:?}");
    for pasted in [
        "vårdplatsbrist.",
        "vårdplatsbrist?",
        "vårdplatsbrist,",
        "vårdplatsbrist!",
        "vårdplatsbrist;",
    ] {
        assert_eq!(docs(pasted), bare, "{pasted}");
    }

    // `search -n 0` gives the figure `count` gives, and says what a search finds besides.
    let counted = run_json(&index, &["count", "vårdplatsbrist", "--format", "json"]);
    assert_eq!(counted["passages"], 1, "{counted}");
    // The other two: titel.md's one passage (its title) and platser.md's (the parts near).
    let said = sokord(&index, &["search", "vårdplatsbrist", "-n", "0"]);
    assert_eq!(
        said.stdout.trim(),
        "1 passage matches \"vårdplatsbrist\"; 2 more found more loosely, through a document's \
         title or a compound's parts near each other (not counted).",
    );

    // *brist på vårdplatser* does not say *vårdplatsbrist*: the NOT leaves it.
    let q = "brist -vårdplatsbrist";
    assert_eq!(docs(q), set(&["platser", "tolk"]));
    let count = run_json(&index, &["count", q, "--format", "json"]);
    assert_eq!(count["passages"], 2, "{count}");
    assert_eq!(count["documents"], 2, "{count}");
    let stats = run_json(&index, &["stats", q, "--by", "type", "--format", "json"]);
    assert_eq!(stats["total"]["passages"], 2, "{stats}");
    assert_eq!(stats["total"]["documents"], 2, "{stats}");
    let kwic = run_json(&index, &["kwic", q, "--format", "json"]);
    assert_eq!(kwic["text_passages"], 2, "{kwic}");
    assert_eq!(kwic["total_passages"], 2, "{kwic}");
    // Documents whose passages together hold several words (--group doc) likewise.
    let q = "brist råder -vårdplatsbrist";
    assert_eq!(docs(q), set(&["platser"]));
    let count = run_json(&index, &["count", q, "--format", "json"]);
    assert_eq!(count["documents"], 1, "{count}");
}

/// Filters choose hits, they do not score them: each passage a filtered search finds scores what
/// it scores unfiltered, whether the filter is an option or written in the query.
#[test]
fn filters_choose_hits_and_leave_their_scores_alone() {
    let index = corpus_index();
    let scores = |args: &[&str]| -> BTreeMap<(String, u64), f64> {
        let mut all = vec!["--all", "--limit", "1000"];
        all.extend_from_slice(args);
        let v = search_json(index, &all);
        hits(&v)
            .iter()
            .map(|h| {
                (
                    (
                        h["doc_id"].as_str().unwrap().to_string(),
                        h["passage"].as_u64().unwrap(),
                    ),
                    h["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let unfiltered = scores(&["läkemedel"]);
    let first = search_json(index, &["läkemedel", "--limit", "1"]);
    let actor = hits(&first)[0]["actor"].as_str().unwrap().to_string();
    let doc_type = hits(&first)[0]["type"].as_str().unwrap().to_string();
    let typed = format!("läkemedel type:{doc_type}");
    for filtered in [
        scores(&["läkemedel", "--actor", &actor]),
        scores(&["läkemedel", "--type", &doc_type, "--from", "2000"]),
        scores(&[typed.as_str()]),
        scores(&["läkemedel date:[2000 TO *]"]),
    ] {
        assert!(!filtered.is_empty());
        for (passage, score) in &filtered {
            let alone = unfiltered[passage];
            assert!(
                (score - alone).abs() < 1e-4,
                "{passage:?}: {score} filtered, {alone} alone"
            );
        }
    }
}

/// A hit that matches by its document's title (or its heading) says so, since nothing in its
/// passage is highlighted; the others do not.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_hit_matched_by_its_title_says_so() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let args = [
        "vård",
        "--actor",
        "Göran Lindblad",
        "--from",
        "2002-11-07",
        "--to",
        "2002-11-07",
    ];
    let json = search_json(index, &args);
    let unlit: Vec<u64> = hits(&json)
        .iter()
        .filter(|h| h["highlights"].as_array().unwrap().is_empty())
        .map(|h| h["passage"].as_u64().unwrap())
        .collect();
    assert!(
        !unlit.is_empty() && unlit.len() < hits(&json).len(),
        "{json:#}"
    );
    // Found through the title alone, they are hits the counts leave out, and say so.
    let uncounted: Vec<u64> = hits(&json)
        .iter()
        .filter(|h| h["counted"] == false)
        .map(|h| h["passage"].as_u64().unwrap())
        .collect();
    assert!(unlit.iter().all(|n| uncounted.contains(n)), "{json:#}");
    let mut all = vec!["search"];
    all.extend_from_slice(&args);
    let text = sokord(index, &all).stdout;
    let note = "(found through the document's title or a compound's parts near each other; counts leave it out)";
    assert_eq!(text.matches(note).count(), uncounted.len(), "{text}");
    for block in text.split("\n\n").filter(|b| b.contains(note)) {
        assert!(
            uncounted.iter().any(|n| block.contains(&format!(" §{n}]"))),
            "{block}"
        );
    }
}

/// Operators written the way people write them: `|` and `&` are OR and AND; a lower-case `or`
/// (or `eller`, a stop word) is searched as a word, and every command says so with the column
/// and what to write instead.
#[test]
fn operator_lookalikes_are_said_and_bars_are_or() {
    let index = corpus_index();
    let count = |q: &str| {
        let run = sokord(index, &["count", q, "--format", "json"]);
        (run.json()["passages"].as_u64().unwrap(), run.stderr)
    };
    let (either, quiet) = count("läkemedel OR brist");
    let (both, _) = count("läkemedel brist");
    assert!(either > both, "{either} {both}");
    assert!(quiet.is_empty(), "{quiet}");
    assert_eq!(count("läkemedel | brist").0, either);
    assert_eq!(count("läkemedel & brist").0, both);
    let (n, note) = count("läkemedel or brist");
    assert!(n < either);
    assert!(
        note.contains("`or` (column 11) is searched as a word; write `OR` in capitals"),
        "{note}"
    );
    let (n, note) = count("läkemedel eller brist");
    assert_eq!(n, both, "`eller` is left out");
    assert!(
        note.contains("`eller` (column 11) is a stop word"),
        "{note}"
    );
    let run = sokord(index, &["search", "läkemedel not brist", "-n", "1"]);
    assert!(run.stderr.contains("write `NOT`"), "{}", run.stderr);
    let (n, note) = count("läkemedel – brist");
    assert_eq!(n, both, "a dash with a space after it leaves nothing out");
    assert!(
        note.contains("`–` (column 11) with a space after it leaves nothing out"),
        "{note}"
    );
    // OR beside words side by side says how it is read, and the counts agree with the note.
    let (mixed, note) = count("läkemedel OR brist patienter");
    assert!(
        note.contains("this is `läkemedel OR (brist patienter)`")
            && note.contains("write `(läkemedel OR brist) patienter`"),
        "{note}"
    );
    assert_eq!(mixed, count("läkemedel OR (brist patienter)").0);
    let (grouped, quiet) = count("(läkemedel OR brist) patienter");
    assert!(
        grouped < mixed && quiet.is_empty(),
        "{grouped} {mixed} {quiet}"
    );
    // A query that starts with a minus is a query, not a flag (clap took `-brist` for flags).
    let (without, _) = count("läkemedel -brist");
    assert!(without > 0 && without < count("läkemedel").0);
    assert_eq!(count("-brist läkemedel").0, without);
    for command in ["search", "kwic", "compare", "stats"] {
        let run = sokord(index, &[command, "-brist läkemedel", "--format", "json"]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
    }
    // Flags stay flags, and a misspelled one is an error, not a query.
    let run = sokord(index, &["search", "-n1", "läkemedel", "--format", "json"]);
    assert_eq!(run.json()["hits"].as_array().unwrap().len(), 1);
    let run = sokord(index, &["keywords", "--partty=KD"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--partty"), "{}", run.stderr);
}

/// A count of nothing says when a search finds something (a compound's parts near each other,
/// which counts leave out), so that zeros are not read as "nobody said it".
#[test]
fn zeros_say_when_a_search_finds_more() {
    let dir = scratch("zeros-said");
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    std::fs::write(
        dir.join("corpus/a.md"),
        "---\nid: a\ntype: tal\ntitle: Förlossningsvården\ndate: 2024-01-02\nactor: Anna\nparty: S\n---\n\nDet råder brist på barnmorskor i hela landet.\n",
    )
    .unwrap();
    let index = dir.join("index");
    let run = sokord_in(&dir, &["index", "corpus", "--index", "index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = sokord(&index, &["search", "barnmorskebrist", "--format", "json"]);
    let found = found.json();
    assert_eq!(found["total_hits"], 0, "{found}");
    assert_eq!(
        found["loose_hits"], 1,
        "search finds the parts near each other"
    );
    assert_eq!(found["hits"][0]["counted"], false);
    for args in [
        &["count", "barnmorskebrist"][..],
        &["stats", "barnmorskebrist", "--by", "party"],
        &["compare", "barnmorskebrist", "--by", "party"],
    ] {
        let run = sokord(&index, args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(
            run.stderr
                .contains("nothing counted, but `sokord search` finds 1 passage for this query"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let run = sokord(&index, &["count", "tandvård"]);
    assert_eq!(run.code, 1);
    assert!(!run.stderr.contains("nothing counted"), "{}", run.stderr);
}

/// An index of small documents (id, title, text) in a scratch folder of its own.
fn small_index(name: &str, docs: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    for (id, title, text) in docs {
        std::fs::write(
            dir.join(format!("corpus/{id}.md")),
            format!("---\nid: {id}\ntype: tal\ntitle: {title}\ndate: 2024-01-02\n---\n\n{text}\n"),
        )
        .unwrap();
    }
    let run = sokord_in(&dir, &["index", "corpus", "--index", "index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir.join("index")
}

/// The ids of the documents `search QUERY --all` finds (none is not an error).
fn doc_ids(index: &Path, query: &str) -> BTreeSet<String> {
    let run = sokord(index, &["search", query, "--all", "--format", "json"]);
    assert!(run.code < 2, "{query}: {}", run.stderr);
    hits(&run.json())
        .iter()
        .map(|h| h["doc_id"].as_str().unwrap().to_string())
        .collect()
}

/// `"a b"~N`: the two words with at most N words between them, in either order; no further.
#[test]
fn two_words_with_slop_are_near_in_either_order() {
    let index = small_index(
        "near-either-order",
        &[
            (
                "before",
                "Tal",
                "Det råder brist på läkemedel i hela landet.",
            ),
            (
                "after",
                "Tal",
                "Läkemedel saknas inte, men ingen vet om en brist kommer.",
            ),
            (
                "far",
                "Tal",
                "Läkemedel och ett två tre fyra fem sex sju brist.",
            ),
        ],
    );
    let found = |q: &str| doc_ids(&index, q);
    // *brist på läkemedel*: one word between, the other order; *Läkemedel … brist*: seven
    // words between (saknas inte men ingen vet om en); the last, eight.
    let near: BTreeSet<String> = ["before".to_string()].into();
    assert_eq!(found("\"läkemedel brist\"~1"), near);
    assert_eq!(found("\"brist läkemedel\"~1"), near);
    assert_eq!(found("\"läkemedel brist\"~0"), BTreeSet::new());
    let seven: BTreeSet<String> = ["before".to_string(), "after".to_string()].into();
    assert_eq!(found("\"läkemedel brist\"~7"), seven);
    assert_eq!(found("\"brist läkemedel\"~7"), seven);
    assert_eq!(found("\"läkemedel brist\"~6"), near);
    assert_eq!(found("\"brist läkemedel\"~6"), near);
}

/// A phrase's stop words stand where it says: `"vård och omsorg"` is not *vård, skola, omsorg*
/// (the passage text's terms leave stop words out, keeping their places), in search, counts
/// and kwic alike; its other words still match every form.
#[test]
fn a_phrase_keeps_its_stop_words_in_place() {
    let index = small_index(
        "stops-in-place",
        &[
            (
                "and",
                "Tal",
                "Kommunen ansvarar för vården och omsorgen om de äldre.",
            ),
            (
                "list",
                "Tal",
                "Kommunen ansvarar för vård, skola, omsorg och kultur.",
            ),
            ("or", "Tal", "Frågan gäller vård eller omsorg i hemmet."),
            (
                "dash",
                "Tal",
                "Vård- och omsorgsboenden saknas i glesbygden.",
            ),
            // The words only in the title, with another word between them.
            ("title", "Vård, skola, omsorg", "Inget om saken här."),
            // The words across a sentence's end.
            ("end", "Tal", "Det gäller vård. Och omsorg behövs också."),
        ],
    );
    let found = |q: &str| doc_ids(&index, q);
    let set = |ids: &[&str]| -> BTreeSet<String> { ids.iter().map(|s| s.to_string()).collect() };
    assert_eq!(found("\"vård och omsorg\""), set(&["and", "dash"]));
    assert_eq!(found("\"vård eller omsorg\""), set(&["or"]));
    // A phrase ending or starting in a stop word needs it too; no phrase runs across a
    // sentence's end.
    assert_eq!(found("\"vård och\""), set(&["and", "dash"]));
    assert_eq!(found("exact:\"vård och\""), set(&["dash"]));
    // A sentence's end takes a place: one word between is not enough there. (The title's
    // words match too, after the passages that hold them: `--all` lists these alone.)
    assert_eq!(
        found("\"vård omsorg\"~1"),
        set(&["and", "list", "or", "dash"])
    );
    let loose = search_json(&index, &["\"vård omsorg\"~1", "--limit", "10"]);
    let last = hits(&loose).last().unwrap();
    assert_eq!(
        (&last["doc_id"], &last["counted"]),
        (&serde_json::json!("title"), &serde_json::json!(false))
    );
    assert_eq!(found("\"och omsorgen\""), set(&["and", "dash", "end"]));
    // Without its stop word in place, the title does not match either, not even loosely
    // (after the counted passages); a title that has the words as a phrase without one does.
    let loosely = |q: &str| -> Vec<(String, bool)> {
        let v = search_json(&index, &[q, "--limit", "20"]);
        hits(&v)
            .iter()
            .map(|h| {
                (
                    h["doc_id"].as_str().unwrap().to_string(),
                    h["counted"] == true,
                )
            })
            .collect()
    };
    assert!(
        !loosely("\"vård och omsorg\"")
            .iter()
            .any(|(id, _)| id == "title"),
        "{:?}",
        loosely("\"vård och omsorg\"")
    );
    assert_eq!(found("\"skola omsorg\""), set(&["list"]));
    assert_eq!(
        loosely("\"skola omsorg\""),
        [("list".to_string(), true), ("title".to_string(), false)]
    );
    assert_eq!(found("title:\"skola omsorg\""), set(&["title"]));
    // Without stop words, nothing changes; with slop, the words are near each other.
    assert_eq!(
        found("\"vård omsorg\"~2"),
        set(&["and", "list", "or", "dash", "end"])
    );
    // Counts and kwic: the same passages, the phrase whole on each line.
    let count = sokord(
        &index,
        &["count", "\"vård och omsorg\"", "--format", "json"],
    )
    .json();
    assert_eq!(count["passages"], 2);
    assert_eq!(count["hits"], 2);
    let kwic = sokord(&index, &["kwic", "\"vård och omsorg\"", "--format", "json"]).json();
    let keywords: BTreeSet<String> = kwic["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["keyword"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        keywords,
        set(&["vården och omsorgen", "Vård- och omsorgsboenden"])
    );
}

/// Every hit says whether the counts count it: `search --all` lists exactly the passages
/// `count` counts; a search filling its page lists them first, then those found more loosely
/// (title matches, a compound's parts near each other), marked as not counted, in JSON and
/// CSV.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn search_hits_say_whether_the_counts_count_them() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let mut loose = 0;
    for query in [
        "cancervård",
        "vårdgaranti",
        "barnmorskebrist",
        "brist vårdpersonal",
        "\"psykisk ohälsa\" unga",
        // Every form of the language, the search's passages the counts' too.
        "vård OR omsorg",
        "tandvård -barn",
        "vårdcentral*",
        "\"vård omsorg\"~3",
        "title:tandvård vård",
        "prövnng~1",
        "(cancervård OR äldreomsorg) -\"vård och omsorg\"",
    ] {
        let count = sokord(index, &["count", query, "--format", "json"]);
        // 1: nothing counted (*barnmorskebrist* stands only as its parts near each other).
        assert!(count.code <= 1, "{query}: {}", count.stderr);
        let passages = count.json()["passages"].as_u64().unwrap() as usize;
        // With all the words: the passages `count` counts, each marked so.
        let all = sokord(
            index,
            &[
                "search", query, "--all", "--limit", "100000", "--format", "json",
            ],
        );
        assert!(all.code <= 1, "{query}: {}", all.stderr);
        let all = all.json();
        assert_eq!(
            all["total_hits"].as_u64().unwrap() as usize,
            passages,
            "{query}"
        );
        assert_eq!(hits(&all).len(), passages, "{query}");
        assert!(hits(&all).iter().all(|h| h["counted"] == true), "{query}");
        // Filled: the counted ones first, then those found more loosely (as many as
        // `loose_hits` says), then partial matches.
        let found = search_json(index, &[query, "--limit", "100000"]);
        let kinds: Vec<(bool, bool)> = hits(&found)
            .iter()
            .map(|h| (h["counted"] == true, h["partial"] == true))
            .collect();
        let mut sorted = kinds.clone();
        sorted.sort_by_key(|&(counted, partial)| (!counted, partial));
        assert_eq!(kinds, sorted, "{query}: counted, then loose, then partial");
        assert_eq!(kinds.iter().filter(|k| k.0).count(), passages, "{query}");
        let looser = kinds.iter().filter(|k| !k.0 && !k.1).count();
        assert_eq!(
            found["loose_hits"].as_u64().unwrap_or(0) as usize,
            looser,
            "{query}"
        );
        loose += looser;
        // CSV says the same, row for row.
        let csv = sokord(
            index,
            &["search", query, "--limit", "100000", "--format", "csv"],
        );
        let mut rows = csv::Reader::from_reader(csv.stdout.as_bytes());
        let column = rows
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "counted")
            .unwrap();
        let marked: Vec<bool> = rows
            .records()
            .map(|r| &r.unwrap()[column] == "true")
            .collect();
        let in_json: Vec<bool> = kinds.iter().map(|k| k.0).collect();
        assert_eq!(marked, in_json, "{query}");
        // By document: the documents `count` counts are those marked counted, and the figure
        // says how many.
        let documents = count.json()["documents"].as_u64().unwrap();
        let grouped = sokord(
            index,
            &[
                "search", query, "--group", "doc", "--all", "--limit", "100000", "--format", "json",
            ],
        );
        assert!(grouped.code <= 1, "{query}: {}", grouped.stderr);
        let grouped = grouped.json();
        let marked = hits(&grouped)
            .iter()
            .filter(|h| h["counted"] == true)
            .count() as u64;
        assert_eq!(marked, documents, "{query}: documents marked counted");
        if grouped["total_hits"].as_u64().unwrap() > 0 {
            assert_eq!(grouped["counted_hits"].as_u64(), Some(documents), "{query}");
        }
        // The facets count them too (every document has one type).
        let typed: u64 = grouped["facets"]["type"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["count"].as_u64().unwrap())
            .sum();
        assert_eq!(typed, documents, "{query}: the type facet");
    }
    assert!(
        loose > 0,
        "some hits are found through titles or parts near each other"
    );
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_prefix_in_titles_finds_at_least_its_words() {
    let Some(index) = interpellation_index() else {
        return;
    };
    // It found 2 documents: the title term `psyk` only.
    let prefix = all_ids(index, "title:psyk*");
    for word in ["title:psykisk", "title:psykiatri", "title:psyk"] {
        let found = all_ids(index, word);
        assert!(!found.is_empty() || word == "title:psyk", "{word}");
        assert!(
            found.is_subset(&prefix),
            "{word}: {found:?} not in {prefix:?}"
        );
    }
    // Nearly every title holding a word that starts with *psyk* (a few hold it mid-word, in a
    // compound the lexicon does not split).
    let files: BTreeSet<String> = files_with("title", "psyk")
        .union(&files_with("title", "Psyk"))
        .cloned()
        .collect();
    let missed = files.difference(&prefix).count();
    assert!(missed * 10 <= files.len(), "{missed} of {}", files.len());
}
