//! Searching the health interpellations: filters, Swedish analysis, the query language, ranking.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;
use crate::util::*;

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
    // NOT takes a passage away when its own text or its document's title has the word (as the
    // counts count): at most the passages with both words in their own text, and no more than
    // those together with the ones whose title has it.
    let minus = total("vård -omsorg");
    assert!(minus <= vård - both, "{minus} {vård} {both}");
    assert!(minus + both + total("vård title:omsorg") >= vård);
    assert_eq!(total("vård NOT omsorg"), minus);
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
    // Two words near each other, in either order.
    assert_eq!(total("\"prövningar kliniska\"~5"), near);
    assert_eq!(total("\"vård omsorg\"~3"), total("\"omsorg vård\"~3"));
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
    // vård* finds forms starting with vård in their exact spelling, and the word as a plain
    // word finds it (in the title too, as a plain word does): each hit shows it.
    let v = search_json(index, &["vårdcentral*", "--limit", "50"]);
    assert!(!hits(&v).is_empty());
    for h in hits(&v) {
        let s = h["snippet"].as_str().unwrap().to_lowercase();
        let t = h["title"].as_str().unwrap().to_lowercase();
        // (*mödravårdscentral* holds the word with its linking s.)
        assert!(
            s.contains("vårdcentral") || s.contains("vårdscentral") || t.contains("vårdcentral"),
            "{t}: {s}"
        );
    }
    // An exact prefix is exact forms only: no compounds, no inflections of the word.
    let exact = search_json(index, &["=vård*", "--all", "--limit", "1000"]);
    assert!(!hits(&exact).is_empty());
    for h in hits(&exact) {
        let s = h["snippet"].as_str().unwrap();
        for r in h["highlights"].as_array().unwrap() {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let m = s[a..b].to_lowercase();
            assert!(m.starts_with("vård"), "{m} in {s}");
        }
    }
    let plain_prefix = run_json(index, &["count", "vård*", "--format", "json"]);
    let exact_prefix = run_json(index, &["count", "=vård*", "--format", "json"]);
    assert!(exact_prefix["passages"].as_u64() < plain_prefix["passages"].as_u64());
    // A prefix counts at least what its word counts (it missed the compounds: sjukvården); a
    // search by it does not add the word's parts near each other.
    for word in ["vård", "tandvård", "läkemedel"] {
        let plain = run_json(index, &["count", word, "--format", "json"]);
        let prefix = run_json(index, &["count", &format!("{word}*"), "--format", "json"]);
        assert!(
            prefix["passages"].as_u64() >= plain["passages"].as_u64(),
            "{word}"
        );
        assert!(prefix["hits"].as_u64() >= plain["hits"].as_u64(), "{word}");
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
    // Documents by date (dates read from the fast field, not the stored passages): newest
    // first, the newest of all first, ties by score.
    let docs = search_json(
        index,
        &[
            "läkemedel",
            "--sort",
            "date",
            "--group",
            "doc",
            "--all",
            "--limit",
            "5000",
        ],
    );
    let docs = hits(&docs);
    assert!(docs.len() > 50, "{}", docs.len());
    let key = |h: &Value| {
        (
            h["date"].as_str().unwrap().to_string(),
            h["score"].as_f64().unwrap(),
        )
    };
    assert!(
        docs.windows(2).all(|w| {
            let (a, b) = (key(&w[0]), key(&w[1]));
            a.0 > b.0 || (a.0 == b.0 && a.1 >= b.1)
        }),
        "documents not newest first"
    );
    assert_eq!(key(&docs[0]).0, max);
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
    // Each line leads back to its document: the recipient and the source, as in search (the
    // remissvar names its recipient).
    assert_eq!(&r.headers().unwrap()[12], "recipient");
    assert_eq!(&r.headers().unwrap()[13], "source");
    let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), lines.len());
    for (record, l) in records.iter().zip(lines) {
        assert_eq!(
            &record[12],
            l["recipient"].as_str().unwrap_or(""),
            "{record:?}"
        );
        assert_eq!(
            &record[13],
            l["source"].as_str().unwrap_or(""),
            "{record:?}"
        );
    }
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
    // Years as people write them: a span, both ends included.
    same(
        "läkemedel year:2024-2025",
        &["--from", "2024", "--to", "2025"],
    );
    same(
        "läkemedel year:2024–2025",
        &["--from", "2024", "--to", "2025"],
    );
    for (bad, says) in [
        (
            "läkemedel year:2025-2024",
            "ends before it starts: write `year:2024-2025`",
        ),
        (
            "läkemedel year:25",
            "write `year:2015`, years `year:2015-2020`",
        ),
    ] {
        let run = sokord(index, &["search", bad]);
        assert_eq!(run.code, 2, "{bad}");
        assert!(run.stderr.contains(says), "{bad}: {}", run.stderr);
    }
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
