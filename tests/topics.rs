//! Topic tagging measured against the blind judgments of `tests/topics/judgments.tsv`: precision
//! and estimated recall per topic, recomputed from the committed judgments and the tags the
//! tagger gives now (a floor, not the measurement: the figures are in `tests/topics/README.md`).
//!
//! Run `cargo test --test e2e topics_are_measured -- --nocapture` to print the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sokord_core::analyzers::Profile;
use sokord_index::corpus::{walk, Found};
use sokord_index::topics::{heading_text, Tagger};
use sokord_index::{read_document, Manifest, Taxonomy};

use serde_json::Value;

use crate::util::{interpellations, root};

/// A judged passage.
struct Judged {
    /// The samples it was drawn in: `a:TOPIC`, `b:TOPIC`, `c`.
    samples: Vec<String>,
    /// The topics the judges gave it.
    topics: BTreeSet<String>,
}

fn judgments() -> BTreeMap<String, Judged> {
    let text = std::fs::read_to_string(root().join("tests/topics/judgments.tsv")).unwrap();
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        assert_eq!(cols.len(), 4, "{line}");
        let topics = match cols[2] {
            "-" => BTreeSet::new(),
            t => t.split(',').map(str::to_string).collect(),
        };
        let samples = cols[1].split(';').map(str::to_string).collect();
        assert!(
            out.insert(cols[0].to_string(), Judged { samples, topics })
                .is_none(),
            "{} judged twice",
            cols[0]
        );
    }
    out
}

/// A passage of the corpus: its key (`doc_id#ordinal`), the topics the 2026-11 definitions
/// matched (`old`), the topics whose definitions' words it holds without matching (`words`:
/// the b strata) and the topics it gets now (`new`).
struct Tagged {
    key: String,
    /// The document's title, the passage's chapter heading and text (for `SOKORD_TOPICS_DUMP`).
    title: String,
    heading: String,
    text: String,
    /// The evidence for the topics it gets now, or holds words of, for listings.
    why: BTreeMap<String, String>,
    old: BTreeSet<String>,
    words: BTreeSet<String>,
    new: BTreeSet<String>,
}

fn tag_corpus(dir: &Path) -> Vec<Tagged> {
    let old_tax = Taxonomy::load(&root().join("tests/topics/taxonomy-2026-11.toml")).unwrap();
    let new_tax = Taxonomy::parse(sokord_core::DEFAULT_TOPICS).unwrap();
    let old = Tagger::new(&old_tax, Profile::Full);
    let new = Tagger::new(&new_tax, Profile::Full);
    let mut a = Profile::Full.text_analyzer();
    let manifest = Manifest::default();
    let mut out = Vec::new();
    for found in walk(dir, &manifest, None) {
        let Found::File { path, rel, format } = found else {
            continue;
        };
        let doc = read_document(&path, &rel, format, &manifest).unwrap();
        let headings: Vec<String> = doc
            .passages
            .iter()
            .map(|p| heading_text(&p.chapters))
            .collect();
        let passages: Vec<(&str, &str)> = doc
            .passages
            .iter()
            .zip(&headings)
            .map(|(p, h)| (p.text.as_str(), h.as_str()))
            .collect();
        let bare: Vec<(&str, &str)> = passages.iter().map(|(t, _)| (*t, "")).collect();
        let was = old.explain_document(&mut a, "", &bare);
        let now = new.explain_document(&mut a, &doc.meta.title, &passages);
        for (((p, was), now), heading) in doc.passages.iter().zip(was).zip(now).zip(&headings) {
            out.push(Tagged {
                key: format!("{}#{}", doc.meta.id, p.ordinal),
                title: doc.meta.title.clone(),
                heading: heading.clone(),
                text: p.text.clone(),
                old: was
                    .iter()
                    .filter(|e| e.definition_matches)
                    .map(|e| e.topic.clone())
                    .collect(),
                words: was
                    .iter()
                    .filter(|e| !e.definition_matches)
                    .map(|e| e.topic.clone())
                    .collect(),
                why: now
                    .iter()
                    .map(|e| {
                        let terms: Vec<String> = e
                            .terms
                            .iter()
                            .map(|t| {
                                format!(
                                    "{}×{}{}",
                                    t.term,
                                    t.mentions,
                                    if t.in_list { "(list)" } else { "" }
                                )
                            })
                            .collect();
                        (
                            e.topic.clone(),
                            format!(
                                "{:.1}/{:.1} def={} [{}] title={:?} heading={:?} doc={}",
                                e.score,
                                e.threshold,
                                e.definition_matches,
                                terms.join(" "),
                                e.title,
                                e.heading,
                                e.document
                            ),
                        )
                    })
                    .collect(),
                new: now
                    .iter()
                    .filter(|e| e.tagged)
                    .map(|e| e.topic.clone())
                    .collect(),
            });
        }
    }
    out
}

/// The figures for one topic.
#[derive(Debug, Default)]
struct Figures {
    /// Passages tagged now and then.
    tagged: usize,
    tagged_before: usize,
    /// Blindly judged passages tagged now, and how many of them the judges gave the topic.
    judged: usize,
    right: usize,
    /// The same for the passages judged knowing they were tagged (`d:` samples).
    checked: usize,
    checked_right: usize,
    /// Of the blindly judged tagged passages, those drawn after the taxonomy was last tuned
    /// (`e:` samples, among its tags that no judgment covered then): held out from the tuning.
    held_out: usize,
    held_out_right: usize,
    /// Tagged passages no judgment covers.
    unjudged: usize,
    /// Precision estimated over the corpus (each stratum weighted by its size).
    precision: Option<f64>,
    /// Recall estimated over the corpus, now and with the 2026-11 tagger.
    recall: Option<f64>,
    recall_before: Option<f64>,
}

/// Which stratum of a topic's sampling a passage is in: 0 tagged in 2026-11 (sample a), 1
/// untagged holding a word of the definition (b), 2 the rest.
fn stratum(p: &Tagged, topic: &str) -> usize {
    if p.old.contains(topic) {
        0
    } else if p.words.contains(topic) {
        1
    } else {
        2
    }
}

/// Precision and recall per topic. Within each stratum of a topic, the judged passages drawn
/// for that topic (`a:`/`b:` of it) and the uniform sample (`c`) are uniform draws from the
/// stratum; each stratum's rates are weighted by its size in the corpus.
fn measure(
    corpus: &[Tagged],
    judged: &BTreeMap<String, Judged>,
    topics: &[String],
) -> BTreeMap<String, Figures> {
    let mut out = BTreeMap::new();
    for topic in topics {
        let mut f = Figures::default();
        let mut size = [0usize; 3];
        let mut tagged_in = [0usize; 3];
        // Per stratum: judged, judged positive, judged positive tagged now, judged tagged now,
        // judged tagged now and positive.
        let mut j = [[0usize; 5]; 3];
        for p in corpus {
            let s = stratum(p, topic);
            size[s] += 1;
            let now = p.new.contains(topic);
            f.tagged += usize::from(now);
            f.tagged_before += usize::from(s == 0);
            tagged_in[s] += usize::from(now);
            let Some(judgment) = judged.get(&p.key) else {
                f.unjudged += usize::from(now);
                continue;
            };
            let yes = judgment.topics.contains(topic);
            let blind = judgment.samples.iter().any(|x| !x.starts_with("d:"));
            if now && blind {
                f.judged += 1;
                f.right += usize::from(yes);
                if judgment.samples.iter().any(|x| x.starts_with("e:")) {
                    f.held_out += 1;
                    f.held_out_right += usize::from(yes);
                }
            } else if now {
                f.checked += 1;
                f.checked_right += usize::from(yes);
            }
            let drawn_here = judgment.samples.iter().any(|x| {
                x == "c"
                    || x.split_once(':').is_some_and(|(_, t)| t == topic)
                        && (x.starts_with("a:") && s == 0 || x.starts_with("b:") && s == 1)
            });
            if drawn_here {
                let c = &mut j[s];
                c[0] += 1;
                c[1] += usize::from(yes);
                c[2] += usize::from(yes && now);
                c[3] += usize::from(now);
                c[4] += usize::from(yes && now);
            }
        }
        let rate = |num: usize, den: usize| (den > 0).then(|| num as f64 / den as f64);
        // Recall: estimated positives per stratum.
        let positives: Vec<f64> = (0..3)
            .map(|s| rate(j[s][1], j[s][0]).unwrap_or(0.0) * size[s] as f64)
            .collect();
        let found: Vec<f64> = (0..3)
            .map(|s| rate(j[s][2], j[s][0]).unwrap_or(0.0) * size[s] as f64)
            .collect();
        let total: f64 = positives.iter().sum();
        if total > 0.0 {
            f.recall = Some(found.iter().sum::<f64>() / total);
            f.recall_before = Some(positives[0] / total);
        }
        // Precision: each stratum's tagged passages weighted by its judged precision.
        let mut right = 0.0;
        let mut weighed = 0usize;
        for s in 0..3 {
            if let Some(r) = rate(j[s][4], j[s][3]) {
                right += r * tagged_in[s] as f64;
                weighed += tagged_in[s];
            }
        }
        f.precision = rate(1, 1).and_then(|_| (weighed > 0).then(|| right / weighed as f64));
        out.insert(topic.clone(), f);
    }
    out
}

#[test]
fn topics_are_measured_against_the_judgments() {
    let Some(dir) = interpellations() else {
        return;
    };
    let judged = judgments();
    let corpus = tag_corpus(&dir);
    // Every judged passage is a passage of the corpus as indexed.
    let keys: BTreeSet<&str> = corpus.iter().map(|p| p.key.as_str()).collect();
    let missing: Vec<&String> = judged
        .keys()
        .filter(|k| !keys.contains(k.as_str()))
        .collect();
    assert!(missing.is_empty(), "judged passages not found: {missing:?}");
    let topics: Vec<String> = Taxonomy::parse(sokord_core::DEFAULT_TOPICS)
        .unwrap()
        .topics
        .into_iter()
        .map(|t| t.id)
        .collect();
    let figures = measure(&corpus, &judged, &topics);
    // SOKORD_TOPICS_DUMP=FILE writes every passage with the topics it gets now, as JSON lines,
    // for drawing new samples to judge.
    if let Ok(file) = std::env::var("SOKORD_TOPICS_DUMP") {
        let lines: Vec<String> = corpus
            .iter()
            .map(|p| {
                serde_json::json!({
                    "key": p.key, "title": p.title, "heading": p.heading, "text": p.text,
                    "topics": p.new, "judged": judged.contains_key(&p.key),
                })
                .to_string()
            })
            .collect();
        std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    }
    // SOKORD_TOPICS_LIST=TOPIC lists the judged passages the tagger gets wrong for a topic.
    if let Ok(topic) = std::env::var("SOKORD_TOPICS_LIST") {
        for p in &corpus {
            let Some(j) = judged.get(&p.key) else {
                continue;
            };
            let (now, yes) = (p.new.contains(&topic), j.topics.contains(&topic));
            if now != yes {
                println!(
                    "{} {} [{}] judged={:?} {}",
                    if now { "FALSE+" } else { "MISSED" },
                    p.key,
                    j.samples.join(";"),
                    j.topics,
                    p.why.get(&topic).map_or("", String::as_str)
                );
            }
        }
    }
    let pct = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{:.2}", x));
    println!("| topic | tagged (2026-11) | judged tagged | precision (judged) | of which held out (`e:`) right | precision (est.) | recall 2026-11 (est.) | recall now (est.) | unjudged tagged | checked (d:) right |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let (mut judged_all, mut right_all, mut checked, mut checked_right) = (0, 0, 0, 0);
    let (mut held_out, mut held_out_right) = (0, 0);
    let (mut found_w, mut before_w) = (0.0, 0.0);
    for (topic, f) in &figures {
        judged_all += f.judged;
        checked += f.checked;
        checked_right += f.checked_right;
        right_all += f.right;
        held_out += f.held_out;
        held_out_right += f.held_out_right;
        let p = (f.judged > 0).then(|| f.right as f64 / f.judged as f64);
        println!(
            "| {topic} | {} ({}) | {} | {} | {}/{} | {} | {} | {} | {} | {}/{} |",
            f.tagged,
            f.tagged_before,
            f.judged,
            pct(p),
            f.held_out_right,
            f.held_out,
            pct(f.precision),
            pct(f.recall_before),
            pct(f.recall),
            f.unjudged,
            f.checked_right,
            f.checked
        );
        found_w += f.recall.unwrap_or(0.0);
        before_w += f.recall_before.unwrap_or(0.0);
    }
    let overall = right_all as f64 / judged_all as f64;
    let n = figures.len() as f64;
    println!(
        "overall: precision {overall:.3} ({right_all}/{judged_all}); held out (e:) {:.3} ({held_out_right}/{held_out}); with the d: checks {:.3}; mean estimated recall {:.3} (2026-11: {:.3})",
        held_out_right as f64 / held_out.max(1) as f64,
        (right_all + checked_right) as f64 / (judged_all + checked) as f64,
        found_w / n,
        before_w / n
    );
    // Floors, a little under the figures measured when the tagger changed (see the README):
    // a regression test, not the measurement.
    assert!(overall >= 0.90, "precision {overall:.3}");
    for (topic, f) in &figures {
        if f.judged >= 10 {
            let p = f.right as f64 / f.judged as f64;
            assert!(
                p >= 0.75,
                "{topic}: precision {p:.2} ({}/{})",
                f.right,
                f.judged
            );
        }
    }
    assert!(
        found_w / n >= 0.46,
        "mean estimated recall {:.3} (2026-11: {:.3})",
        found_w / n,
        before_w / n
    );
    // The environment's footprint, not any environment: the health interpellations hold
    // almost none, and none of the judged passages.
    let klimat = &figures["klimat-miljö"];
    assert!(klimat.judged == 0 && klimat.tagged <= 5, "{klimat:?}");
}

#[test]
fn explain_shows_the_evidence_indexing_used() {
    let Some(index) = crate::util::interpellation_index() else {
        return;
    };
    let id = "ipq-199596--0116";
    let run = crate::util::sokord(index, &["topics", "--explain", id, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let passages = v["passages"].as_array().unwrap();
    assert!(passages.len() > 3);
    let mut tagged_somewhere = false;
    for p in passages {
        // What the explanation calls tagged is what the index holds.
        let mut stored: Vec<&str> = p["topics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let mut tagged: Vec<&str> = p["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["tagged"] == true)
            .map(|e| e["topic"].as_str().unwrap())
            .collect();
        stored.sort_unstable();
        tagged.sort_unstable();
        assert_eq!(stored, tagged, "passage {}", p["passage"]);
        for e in p["evidence"].as_array().unwrap() {
            let (score, threshold) = (
                e["score"].as_f64().unwrap(),
                e["threshold"].as_f64().unwrap(),
            );
            assert_eq!(
                e["tagged"] == true,
                e["definition_matches"] == true && score >= threshold,
                "{e}"
            );
            if e["tagged"] == true {
                tagged_somewhere = true;
                assert!(
                    e["terms"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| t["points"].as_f64().unwrap() > 0.0),
                    "{e}"
                );
            }
        }
    }
    assert!(tagged_somewhere);
    // Its title names antibiotics, and its passages are about them: a document topic.
    assert!(
        v["document_topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "antibiotikaresistens"),
        "{v}"
    );
    // One passage; a passage it does not have is an error that says how many it has.
    let one = crate::util::sokord(
        index,
        &[
            "topics",
            "--explain",
            id,
            "--passage",
            "3",
            "--format",
            "json",
        ],
    );
    assert_eq!(one.json()["passages"].as_array().unwrap().len(), 1);
    let text = crate::util::sokord(index, &["topics", "--explain", id, "--passage", "3"]);
    assert!(
        text.stdout.contains("passage 3") && text.stdout.contains("of 1.50"),
        "{}",
        text.stdout
    );
    let bad = crate::util::sokord(index, &["topics", "--explain", id, "--passage", "999"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("no passage 999"), "{}", bad.stderr);
}

#[test]
fn topic_filters_select_passages_or_documents() {
    let Some(index) = crate::util::interpellation_index() else {
        return;
    };
    let count = |scope: &str| {
        let v = crate::util::search_json(
            index,
            &[
                "tandvård",
                "--topic",
                "tandvård",
                "--topic-scope",
                scope,
                "-n",
                "1000",
            ],
        );
        let hits = crate::util::hits(&v).clone();
        let docs: BTreeSet<String> = hits
            .iter()
            .map(|h| h["doc_id"].as_str().unwrap().to_string())
            .collect();
        (hits, docs)
    };
    let (passages, _) = count("passage");
    let (in_docs, docs) = count("document");
    // Passage scope: every hit is tagged; document scope: every hit's document has the topic,
    // and passages that are not tagged themselves are found too.
    assert!(passages.iter().all(|h| h["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "tandvård")));
    assert!(in_docs.iter().any(|h| !h["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "tandvård")));
    assert!(!docs.is_empty());
    for id in docs.iter().take(5) {
        let show = crate::util::sokord(index, &["show", id, "--json"]).json();
        assert!(
            show["doc_topics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "tandvård"),
            "{id}"
        );
    }
}

/// A taxonomy given once with `--topics` stays the index's: a later run that names none updates
/// in place with it (it does not rebuild with the corpus's own); when the file is gone, the run
/// says so and tags with the corpus's taxonomy.
#[test]
fn a_topics_file_given_once_is_used_again() {
    let dir = crate::util::scratch("topics-file");
    let corpus = dir.join("in");
    crate::util::copy_dir(&crate::util::root().join("corpus"), &corpus);
    let own = dir.join("egen.toml");
    std::fs::write(
        &own,
        "[[topic]]\nid = \"egen-prövning\"\nlabel = \"Egen prövning\"\nquery = '\"kliniska prövningar\" OR \"klinisk prövning\" OR \"kliniska studier\"'\n",
    )
    .unwrap();
    let index = dir.join("index");
    let run = |args: &[&str]| -> Value {
        let mut all = vec!["index", corpus.to_str().unwrap(), "--format", "json"];
        all.extend_from_slice(args);
        let r = crate::util::sokord(&index, &all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.json()
    };
    let ids = || -> Vec<(String, u64)> {
        let r = crate::util::sokord(&index, &["topics", "--format", "json"]);
        r.json()["topics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_string(),
                    t["passages"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    run(&["--topics", own.to_str().unwrap()]);
    let tagged = ids();
    assert_eq!(tagged.len(), 1, "{tagged:?}");
    assert_eq!(tagged[0].0, "egen-prövning");
    assert!(tagged[0].1 > 0, "{tagged:?}");

    let again = run(&[]);
    assert_eq!(again["incremental"], true, "{again}");
    assert_eq!(again["files_read"], 0, "{again}");
    assert_eq!(ids(), tagged);

    std::fs::remove_file(&own).unwrap();
    let gone = run(&[]);
    let warnings = gone["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["reason"]
            .as_str()
            .unwrap()
            .contains("the topics file this index was built with (--topics) is gone")),
        "{gone}"
    );
    let now = ids();
    assert!(
        now.iter().any(|(id, _)| id == "kliniska-prövningar")
            && !now.iter().any(|(id, _)| id == "egen-prövning"),
        "{now:?}"
    );
}
