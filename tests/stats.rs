//! Statistics checked against counts made here, independently of sokord, by a plain scan of the
//! interpellation files: paragraphs and documents holding a form of a word, documents and words
//! per group.
//!
//! The scan reads each file's front matter, drops the Markdown headings (`# Title`), the
//! soft hyphens (U+00AD) and Word's conditional markup (`<![if !supportLists]>`) that sokord's
//! reading drops too, and splits the rest into paragraphs at blank lines; a word is found in a
//! paragraph when its lower-cased text holds it (the chosen words occur only as themselves, in
//! inflections and as parts of compounds, as sokord finds them).
//!
//! What passage segmentation explains, and so what the comparison allows: sokord's passages
//! are paragraphs, except that a paragraph shorter than 60 characters joins the next one, one
//! longer than 1,500 bytes is cut at sentence ends, and a short numbered line that is not a
//! question ("1. Bakgrund"; the questions of many interpellations, "1. Avser statsrådet …?", are
//! text) is read as a numbered chapter heading, not as passage text. So a group's passages may
//! differ from its paragraphs by as many of its matching paragraphs as are short, long or
//! numbered; its documents and its population's
//! documents must be equal; and its words (the passages' text split at white space) may fall
//! short of the paragraphs' words by the numbered lines' words, under half a percent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::*;
use crate::util::*;

/// One interpellation as the scan reads it.
struct Doc {
    id: String,
    title: String,
    /// Party as written (sokord's `--party-history` labels).
    party: String,
    date: String,
    session: String,
    paragraphs: Vec<String>,
}

impl Doc {
    fn key(&self, by: &str) -> String {
        match by {
            "year" => self.date[..4].to_string(),
            "month" => self.date[..7].to_string(),
            "session" => self.session.clone(),
            "party" => self.party.clone(),
            _ => unreachable!("{by}"),
        }
    }

    fn words(&self) -> u64 {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count() as u64)
            .sum()
    }

    /// Words of the numbered lines, which sokord may read as headings.
    fn numbered_words(&self) -> u64 {
        self.paragraphs
            .iter()
            .filter(|p| numbered(p))
            .map(|p| p.split_whitespace().count() as u64)
            .sum()
    }
}

/// A numbered line that is not a question: `1. Bakgrund` (`1. Avser statsrådet …?` is text).
fn numbered(p: &str) -> bool {
    !p.ends_with('?')
        && p.split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Whether the words sokord counts (`found`) are the paragraphs' (`words`), less at most the
/// words of numbered lines read as headings (`numbered`).
fn words_agree(found: u64, words: u64, numbered: u64) -> bool {
    found <= words && words - found <= numbered
}

/// Word's conditional comments (`<![if !supportLists]>`, `<![endif]>`) removed.
fn without_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<![") {
        out.push_str(&rest[..at]);
        match rest[at..].find("]>") {
            Some(end) => rest = &rest[at + end + 2..],
            None => {
                rest = &rest[at..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fn scan(dir: &Path) -> Vec<Doc> {
    let mut files = Vec::new();
    for session in std::fs::read_dir(dir).unwrap() {
        let session = session.unwrap().path();
        if !session.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&session).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "md") {
                files.push(f);
            }
        }
    }
    let mut docs = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut parts = text.splitn(3, "---\n");
        let (_, front, body) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let mut meta = BTreeMap::new();
        for line in front.lines() {
            if let Some((k, v)) = line.split_once(':') {
                meta.insert(k.trim(), v.trim().trim_matches('"').trim().to_string());
            }
        }
        let body = without_markup(&body.replace('\u{ad}', ""));
        let paragraphs = body
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty() && !p.starts_with('#'))
            .collect();
        docs.push(Doc {
            id: meta["id"].clone(),
            title: meta["title"].clone(),
            party: meta.get("party").cloned().unwrap_or_default(),
            date: meta["date"].clone(),
            session: meta["session"].clone(),
            paragraphs,
        });
    }
    docs
}

/// Whether a paragraph may be a passage of its own or not (see the module).
fn segmentation_may_change(p: &str) -> u64 {
    u64::from(p.chars().count() < 60 || numbered(p)) + (p.len() / 1500) as u64
}

/// What the scan counts for one word in one group.
#[derive(Default, Debug)]
struct Scanned {
    paragraphs: u64,
    slack: u64,
    documents: BTreeSet<String>,
    population: BTreeSet<String>,
    words: u64,
    numbered_words: u64,
}

fn scan_counts(docs: &[Doc], word: &str, by: &str) -> BTreeMap<String, Scanned> {
    let mut out: BTreeMap<String, Scanned> = BTreeMap::new();
    for d in docs {
        let s = out.entry(d.key(by)).or_default();
        s.population.insert(d.id.clone());
        s.words += d.words();
        s.numbered_words += d.numbered_words();
        let holding: Vec<&String> = d
            .paragraphs
            .iter()
            .filter(|p| p.to_lowercase().contains(word))
            .collect();
        s.paragraphs += holding.len() as u64;
        s.slack += holding
            .iter()
            .map(|p| segmentation_may_change(p))
            .sum::<u64>();
        if !holding.is_empty() || d.title.to_lowercase().contains(word) {
            s.documents.insert(d.id.clone());
        }
    }
    out
}

fn groups(v: &Value) -> BTreeMap<String, Value> {
    v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap().to_string(), g.clone()))
        .collect()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn stats_agree_with_a_plain_scan_of_the_files() {
    let (Some(dir), Some(index)) = (interpellations(), interpellation_index()) else {
        return;
    };
    let docs = scan(&dir);
    assert!(docs.len() > 700, "{} files", docs.len());
    for word in ["vårdgaranti", "vårdval", "antibiotika"] {
        for by in ["year", "party", "session"] {
            let v = run_json(
                index,
                &[
                    "stats",
                    word,
                    "--by",
                    by,
                    "--party-history",
                    "--format",
                    "json",
                ],
            );
            let found = groups(&v);
            let expected = scan_counts(&docs, word, by);
            assert_eq!(
                found.keys().collect::<Vec<_>>(),
                expected.keys().collect::<Vec<_>>(),
                "{word} by {by}: the groups"
            );
            let (mut passages, mut paragraphs, mut slack) = (0, 0, 0);
            for (key, s) in &expected {
                let g = &found[key];
                let at = format!("{word} by {by}, {key}");
                assert_eq!(u(&g["documents"]), s.documents.len() as u64, "{at}");
                assert_eq!(
                    u(&g["population_documents"]),
                    s.population.len() as u64,
                    "{at}"
                );
                let p = u(&g["passages"]);
                assert!(
                    p.abs_diff(s.paragraphs) <= s.slack,
                    "{at}: {p} passages, {} paragraphs hold the word ({} may be segmented otherwise)",
                    s.paragraphs,
                    s.slack
                );
                let w = u(&g["words"]);
                assert!(
                    words_agree(w, s.words, s.numbered_words),
                    "{at}: {w} words, the paragraphs have {} ({} in numbered lines)",
                    s.words,
                    s.numbered_words
                );
                // The rates are the counts over the group's own population.
                let rate = p as f64 * 10_000.0 / w as f64;
                assert!((g["per_10k_words"].as_f64().unwrap() - rate).abs() < 1e-9);
                let per_million = u(&g["hits"]) as f64 * 1e6 / w as f64;
                assert!((g["per_million_words"].as_f64().unwrap() - per_million).abs() < 1e-6);
                let share = s.documents.len() as f64 / s.population.len() as f64;
                assert!((g["document_share"].as_f64().unwrap() - share).abs() < 1e-12);
                passages += p;
                paragraphs += s.paragraphs;
                slack += s.slack;
            }
            // The groups add up to the totals.
            assert_eq!(u(&v["total_passages"]), passages, "{word} by {by}");
            let all_docs: BTreeSet<&String> =
                expected.values().flat_map(|s| &s.documents).collect();
            assert_eq!(u(&v["total_documents"]), all_docs.len() as u64);
            assert!(passages.abs_diff(paragraphs) <= slack);
        }
    }
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn one_word_count_and_filters_that_choose_the_population() {
    let (Some(dir), Some(index)) = (interpellations(), interpellation_index()) else {
        return;
    };
    let docs = scan(&dir);
    // Words per party, counted here.
    let mut words: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for d in &docs {
        let e = words.entry(d.party.clone()).or_default();
        e.0 += d.words();
        e.1 += d.numbered_words();
    }
    let all = run_json(
        index,
        &[
            "stats",
            "",
            "--by",
            "party",
            "--party-history",
            "--format",
            "json",
        ],
    );
    let by_party = groups(&all);
    for (party, (w, numbered)) in &words {
        let found = u(&by_party[party]["words"]);
        assert!(
            words_agree(found, *w, *numbered),
            "{party}: {found} words, the paragraphs have {w} ({numbered} in numbered lines)"
        );
    }
    // SD's numbered lines are all read as text: their words are exactly the paragraphs' (the
    // 12,675 that `keywords --party SD` counted as 6,922 before it counted running words).
    assert_eq!(words["SD"].0, u(&by_party["SD"]["words"]));
    assert_eq!(words["SD"].0, 12_675);
    // keywords counts the same words as stats.
    let sd = run_json(
        index,
        &[
            "keywords",
            "--party",
            "SD",
            "--party-history",
            "--format",
            "json",
        ],
    );
    assert_eq!(sd["subset_words"], by_party["SD"]["words"]);
    let total: u64 = by_party.values().map(|g| u(&g["words"])).sum();
    assert_eq!(
        u(&sd["reference_words"]),
        total - u(&by_party["SD"]["words"])
    );
    // A topic filter chooses what is counted, not the population: each party's words are all
    // its words, whatever the topic.
    let topic = run_json(
        index,
        &[
            "stats",
            "vård",
            "--by",
            "party",
            "--party-history",
            "--topic",
            "psykisk-hälsa",
            "--format",
            "json",
        ],
    );
    assert_eq!(topic["filters"]["counted"]["topic"], "psykisk-hälsa");
    assert!(topic["filters"]["population"]
        .as_object()
        .unwrap()
        .is_empty());
    let without = run_json(
        index,
        &[
            "stats",
            "vård",
            "--by",
            "party",
            "--party-history",
            "--format",
            "json",
        ],
    );
    let (t, w) = (groups(&topic), groups(&without));
    for (party, g) in &t {
        assert_eq!(g["words"], by_party[party]["words"], "{party}");
        assert!(u(&g["passages"]) <= u(&w[party]["passages"]), "{party}");
    }
    assert!(u(&topic["total_passages"]) < u(&without["total_passages"]));
    // A party filter chooses the population: the words are the party's alone.
    let s = run_json(
        index,
        &[
            "stats", "vård", "--by", "year", "--party", "S", "--format", "json",
        ],
    );
    assert_eq!(s["filters"]["population"]["party"], "S");
    let s_words: u64 = groups(&s).values().map(|g| u(&g["words"])).sum();
    let s_default = run_json(index, &["stats", "", "--by", "party", "--format", "json"]);
    assert_eq!(s_words, u(&groups(&s_default)["S"]["words"]));
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn titles_make_documents_match_not_passages_and_documents_are_units() {
    let (Some(dir), Some(index)) = (interpellations(), interpellation_index()) else {
        return;
    };
    let docs = scan(&dir);
    // vårdval: some documents say it only in their title.
    let title_only: Vec<&Doc> = docs
        .iter()
        .filter(|d| {
            d.title.to_lowercase().contains("vårdval")
                && !d
                    .paragraphs
                    .iter()
                    .any(|p| p.to_lowercase().contains("vårdval"))
        })
        .collect();
    assert!(!title_only.is_empty());
    let count = run_json(index, &["count", "vårdval", "--format", "json"]);
    let paragraphs: u64 = docs
        .iter()
        .flat_map(|d| &d.paragraphs)
        .filter(|p| p.to_lowercase().contains("vårdval"))
        .count() as u64;
    assert_eq!(u(&count["passages"]), paragraphs);
    let with_word = docs
        .iter()
        .filter(|d| {
            d.title.to_lowercase().contains("vårdval")
                || d.paragraphs
                    .iter()
                    .any(|p| p.to_lowercase().contains("vårdval"))
        })
        .count() as u64;
    assert_eq!(u(&count["documents"]), with_word);
    // Hits are the kwic lines of the counted passages.
    let kwic = run_json(
        index,
        &["kwic", "vårdval", "-n", "100000", "--format", "json"],
    );
    let lines = kwic["lines"].as_array().unwrap();
    let in_title_only = lines
        .iter()
        .filter(|l| title_only.iter().any(|d| l["doc_id"] == d.id.as_str()))
        .count();
    assert_eq!(in_title_only, 0, "a title-only document has no lines");
    assert_eq!(u(&count["hits"]), lines.len() as u64);
    // kwic says how many passages hold the word (those that give lines), as counted, apart
    // from those that match only by their document's title.
    assert_eq!(u(&kwic["text_passages"]), paragraphs);
    let by_title = u(&kwic["total_passages"]) - paragraphs;
    assert!(by_title >= title_only.len() as u64, "{kwic:#}");
    let text = sokord(index, &["kwic", "vårdval", "-n", "3"]);
    assert!(
        text.stdout.ends_with(&format!(
            "3 of {} lines from {paragraphs} matching passages ({by_title} more passages match \
             with the help of their document's title).\n",
            u(&count["hits"])
        )),
        "{}",
        text.stdout
    );
    // The count command agrees with stats.
    let stats = run_json(index, &["stats", "vårdval", "--format", "json"]);
    assert_eq!(stats["total_passages"], count["passages"]);
    assert_eq!(stats["total_documents"], count["documents"]);
    assert_eq!(stats["total_hits"], count["hits"]);
    let text = sokord(index, &["count", "vårdval"]);
    assert_eq!(text.code, 0);
    assert_eq!(
        text.stdout.trim(),
        format!(
            "{} passages\t{} documents\t{} hits",
            count["passages"], count["documents"], count["hits"]
        )
    );
    assert_eq!(sokord(index, &["count", "zzyzxqq"]).code, 1);
    // Several words: a document matches when its passages (and title) together hold them all;
    // a passage only when it holds them all itself.
    for (q, words) in [
        ("vårdgaranti kömiljard", ["vårdgaranti", "kömiljard"]),
        ("antibiotika resistens", ["antibiotika", "resistens"]),
    ] {
        let holds = |t: &str| {
            let t = t.to_lowercase();
            words.iter().all(|w| t.contains(w))
        };
        let documents = docs
            .iter()
            .filter(|d| holds(&format!("{} {}", d.title, d.paragraphs.join(" "))))
            .count() as u64;
        let passages = docs
            .iter()
            .flat_map(|d| &d.paragraphs)
            .filter(|p| holds(p))
            .count() as u64;
        let c = run_json(index, &["count", q, "--format", "json"]);
        assert_eq!(u(&c["documents"]), documents, "{q}");
        assert_eq!(u(&c["passages"]), passages, "{q}");
        let s = run_json(index, &["stats", q, "--by", "party", "--format", "json"]);
        assert_eq!(s["total_documents"], c["documents"], "{q}");
        let sum: u64 = groups(&s).values().map(|g| u(&g["documents"])).sum();
        assert_eq!(sum, documents, "{q}: the groups add up");
    }
    // vårdgaranti kömiljard: documents that say both, never in one paragraph.
    let c = run_json(
        index,
        &["count", "vårdgaranti kömiljard", "--format", "json"],
    );
    assert!(u(&c["documents"]) >= 2 && u(&c["passages"]) == 0, "{c}");
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn cross_tabs_months_sessions_and_several_queries() {
    let (Some(dir), Some(index)) = (interpellations(), interpellation_index()) else {
        return;
    };
    let docs = scan(&dir);
    // party × year: each cell as counted here; the cells add up to the totals.
    let v = run_json(
        index,
        &[
            "stats",
            "vårdgaranti",
            "--by",
            "party,year",
            "--party-history",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["by"], serde_json::json!(["party", "year"]));
    let mut cells: BTreeMap<(String, String), (BTreeSet<&str>, u64, u64)> = BTreeMap::new();
    for d in &docs {
        let cell = cells.entry((d.party.clone(), d.key("year"))).or_default();
        cell.0.insert(&d.id);
        cell.1 += d.words();
        cell.2 += d.numbered_words();
    }
    let found = v["groups"].as_array().unwrap();
    assert_eq!(found.len(), cells.len());
    let mut passages = 0;
    for g in found {
        let keys = g["keys"].as_array().unwrap();
        let key = (
            keys[0].as_str().unwrap().to_string(),
            keys[1].as_str().unwrap().to_string(),
        );
        let (population, words, numbered) = &cells[&key];
        assert_eq!(u(&g["population_documents"]), population.len() as u64);
        assert!(words_agree(u(&g["words"]), *words, *numbered), "{key:?}");
        passages += u(&g["passages"]);
    }
    assert_eq!(passages, u(&v["total_passages"]));
    let csv = sokord(
        index,
        &[
            "stats",
            "vårdgaranti",
            "--by",
            "party,year",
            "--format",
            "csv",
        ],
    );
    assert!(csv
        .stdout
        .starts_with("party,year,documents,passages,hits,words,"));
    let text = sokord(
        index,
        &[
            "stats",
            "vårdgaranti",
            "--by",
            "party,year",
            "--measure",
            "passages",
        ],
    );
    assert!(
        text.stdout.contains("passages (party down, year across)"),
        "{}",
        text.stdout
    );
    // Its chart: years along the axis, one line per party (a break where a party has no
    // interpellations).
    let chart = scratch("stats-crosstab").join("party-year.svg");
    let run = sokord(
        index,
        &[
            "stats",
            "vård",
            "--by",
            "party,year",
            "--party",
            "S,SD",
            "--plot",
            chart.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.contains("«vård» efter parti och år"), "the title");
    for (party, colour) in [("S", "#0072B2"), ("SD", "#D55E00")] {
        assert!(
            svg.contains(&format!(">\n{party}\n</text>")),
            "{party} in the legend"
        );
        assert!(
            svg.contains(&format!("stroke=\"{colour}\"")),
            "{party}'s line"
        );
    }
    // Months and sessions: documents of each as the files date them.
    for by in ["month", "session"] {
        let v = run_json(index, &["stats", "", "--by", by, "--format", "json"]);
        let mut expected: BTreeMap<String, u64> = BTreeMap::new();
        for d in &docs {
            *expected.entry(d.key(by)).or_default() += 1;
        }
        let found: BTreeMap<String, u64> = groups(&v)
            .into_iter()
            .map(|(k, g)| (k, u(&g["documents"])))
            .collect();
        assert_eq!(found, expected, "{by}");
    }
    // Several queries: one series each, over the same groups.
    let v = run_json(
        index,
        &[
            "stats",
            "vårdgaranti",
            "vårdval",
            "--by",
            "year",
            "--format",
            "json",
        ],
    );
    let series = v["series"].as_array().unwrap();
    assert_eq!(series.len(), 2);
    assert_eq!(series[0]["query"], "vårdgaranti");
    assert_eq!(series[1]["query"], "vårdval");
    let years = |s: &Value| {
        s["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["key"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(years(&series[0]), years(&series[1]));
    let one = run_json(
        index,
        &["stats", "vårdval", "--by", "year", "--format", "json"],
    );
    assert_eq!(series[1]["groups"], one["groups"]);
    // A chart of the two, with a legend naming each.
    let out = scratch("stats-series");
    for ext in ["svg", "png"] {
        let path = out.join(format!("two.{ext}"));
        let run = sokord(
            index,
            &[
                "stats",
                "vårdgaranti",
                "vårdval",
                "--by",
                "year",
                "--measure",
                "per-million",
                "--plot",
                path.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let bytes = std::fs::read(&path).unwrap();
        if ext == "svg" {
            let svg = String::from_utf8(bytes).unwrap();
            for label in ["vårdgaranti", "vårdval", "Träffar per miljon ord", "1994"] {
                assert!(svg.contains(label), "{label} missing");
            }
            // One line per query in its own colour, and its mark in the legend.
            for colour in ["#0072B2", "#D55E00"] {
                let drawn = format!("stroke=\"{colour}\" stroke-width=\"3\"");
                assert_eq!(
                    svg.matches(&drawn).count(),
                    2,
                    "{colour}: a line and its legend"
                );
            }
        } else {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
            assert!(bytes.len() > 10_000);
        }
    }
}

#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn compare_names_who_said_it_and_keeps_time_in_order() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let v = run_json(
        index,
        &[
            "compare",
            "vårdgaranti",
            "--by",
            "year",
            "--top",
            "1",
            "--format",
            "json",
        ],
    );
    let years: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    let mut sorted = years.clone();
    sorted.sort();
    assert_eq!(years, sorted, "years in time order");
    let quoted: Vec<&Value> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["statements"].as_array().unwrap())
        .collect();
    assert!(!quoted.is_empty());
    for format in ["text", "markdown", "csv"] {
        let run = sokord(
            index,
            &[
                "compare",
                "vårdgaranti",
                "--by",
                "year",
                "--top",
                "1",
                "--format",
                format,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        for s in &quoted {
            let actor = s["actor"].as_str().unwrap();
            let party = s["party"].as_str().unwrap();
            match format {
                "csv" => assert!(
                    run.stdout.contains(&format!("{actor},{party},")),
                    "{format}: {actor} ({party}) missing"
                ),
                _ => assert!(
                    run.stdout.contains(&format!("{actor} ({party})")),
                    "{format}: {actor} ({party}) missing"
                ),
            }
            assert!(
                run.stdout.contains(s["doc_id"].as_str().unwrap()),
                "{format}"
            );
        }
    }
    // Markdown: the figures' table first, then the quotations.
    let md = sokord(
        index,
        &[
            "compare",
            "vårdgaranti",
            "--by",
            "party",
            "--format",
            "markdown",
        ],
    );
    let table = md
        .stdout
        .find("| party | documents | passages | hits |")
        .unwrap();
    let quote = md.stdout.find("\n> ").unwrap();
    assert!(table < quote);
    // Every quoted statement shows the word: a passage counts by its own text.
    for s in &quoted {
        assert!(!s["highlights"].as_array().unwrap().is_empty(), "{s}");
    }
}

/// Sessions as the metadata gives them, else from the date (sessions begin on 15 September): an
/// interpellation dated 10 September 2019 whose front matter says 2019/20 counts in 2019/20,
/// one with no session that day in 2018/19.
#[test]
fn sessions_come_from_the_metadata_before_the_date() {
    let dir = scratch("sessions");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (id, date, session) in [
        ("a", "2019-09-10", Some("2019/20")),
        ("b", "2019-09-10", None),
        ("c", "2019-10-01", None),
        ("d", "2019-10-01", Some("2019/20")),
    ] {
        let session = session.map_or(String::new(), |s| format!("session: \"{s}\"\n"));
        std::fs::write(
            corpus.join(format!("{id}.md")),
            format!(
                "---\ntitle: Interpellation {id}\nactor: Ledamot {id}\nparty: S\ndate: {date}\n{session}---\n\n\
                 En fråga om väntetider i vården och om vårdens tillgänglighet.\n"
            ),
        )
        .unwrap();
    }
    let index = dir.join("index");
    let run = sokord(&index, &["index", corpus.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run_json(
        &index,
        &["stats", "", "--by", "session", "--format", "json"],
    );
    let found: BTreeMap<String, u64> = groups(&v)
        .into_iter()
        .map(|(k, g)| (k, u(&g["documents"])))
        .collect();
    assert_eq!(
        found,
        [("2018/19".to_string(), 1), ("2019/20".to_string(), 3)].into()
    );
}

/// A phrase, and a word the analysis cuts in two (*TLV:s*, *LSS-reformen*), is one hit each
/// time it stands whole, not a hit for each of its words wherever they stand; `kwic` shows
/// one line for each, the phrase whole: checked against the files' own text.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn a_phrase_is_one_hit_where_it_stands_whole() {
    let (Some(dir), Some(index)) = (interpellations(), interpellation_index()) else {
        return;
    };
    let docs = scan(&dir);
    let paragraphs: Vec<String> = docs
        .iter()
        .flat_map(|d| &d.paragraphs)
        .map(|p| p.to_lowercase())
        .collect();
    let mut checked = 0;
    for word in ["tlv:s", "lss-reformen", "eu:s"] {
        let holding = paragraphs.iter().filter(|p| p.contains(word)).count() as u64;
        let occurrences: u64 = paragraphs
            .iter()
            .map(|p| p.matches(word).count() as u64)
            .sum();
        if holding == 0 {
            continue;
        }
        let count = run_json(index, &["count", word, "--format", "json"]);
        checked += 1;
        assert_eq!(u(&count["passages"]), holding, "{word}");
        assert_eq!(u(&count["hits"]), occurrences, "{word}");
        let kwic = run_json(index, &["kwic", word, "-n", "100000", "--format", "json"]);
        let lines = kwic["lines"].as_array().unwrap();
        assert_eq!(lines.len() as u64, occurrences, "{word}");
        for l in lines {
            assert_eq!(l["keyword"].as_str().unwrap().to_lowercase(), word, "{l}");
        }
    }
    assert!(checked >= 2, "too few of the words are in the corpus");
    // A phrase in any inflection: between its literal occurrences and those of its words' stems
    // in a row; every kwic line is the phrase whole, one per hit.
    let count = run_json(index, &["count", "\"psykisk ohälsa\"", "--format", "json"]);
    let hits = u(&count["hits"]);
    let literal: u64 = paragraphs
        .iter()
        .map(|p| p.matches("psykisk ohälsa").count() as u64)
        .sum();
    let stems: u64 = paragraphs
        .iter()
        .map(|p| {
            let words: Vec<&str> = p
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            words
                .windows(2)
                .filter(|w| w[0].starts_with("psykisk") && w[1].starts_with("ohäls"))
                .count() as u64
        })
        .sum();
    assert!(literal > 20, "{literal}");
    assert!(
        literal <= hits && hits <= stems,
        "{literal} ≤ {hits} ≤ {stems}"
    );
    let kwic = run_json(
        index,
        &[
            "kwic",
            "\"psykisk ohälsa\"",
            "-n",
            "100000",
            "--format",
            "json",
        ],
    );
    let lines = kwic["lines"].as_array().unwrap();
    assert_eq!(lines.len() as u64, hits);
    assert_eq!(u(&kwic["text_passages"]), u(&count["passages"]));
    for l in lines {
        let k = l["keyword"].as_str().unwrap().to_lowercase();
        assert!(k.starts_with("psykisk") && k.contains(" ohäls"), "{l}");
    }
    // Hits are kwic's lines however the query is made: a word and its exact form at the same
    // places, a prefix with the word, a word whose exact form has a stop word (`i-länder`: the
    // `i`s are not hits), a phrase and one of its words, phrases with stop words, slop.
    for q in [
        "vård =vård",
        "vård* vård",
        "läkemedel exact:läkemedel",
        "i-länder",
        "vård/och",
        "\"psykisk ohälsa\" psykisk",
        "\"vård och omsorg\"",
        "\"vård omsorg\"~3",
        "\"psykisk ohälsa\" OR ohälsa",
    ] {
        let count = run_json(index, &["count", q, "--format", "json"]);
        let kwic = run_json(index, &["kwic", q, "-n", "1000000", "--format", "json"]);
        let lines = kwic["lines"].as_array().unwrap().len() as u64;
        assert_eq!(u(&count["hits"]), lines, "{q}");
        assert_eq!(u(&kwic["total_lines"]), lines, "{q}");
        assert_eq!(u(&kwic["text_passages"]), u(&count["passages"]), "{q}");
    }
}
