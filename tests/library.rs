//! The libraries used as a program would: a long-lived `Searcher` while indexing runs rebuild
//! and update its index.

use std::path::Path;

use sokord_index::{build_index, IndexOptions, NewDocument, Writer};
use sokord_query::{Grouping, SearchRequest, Searcher};

use crate::util::scratch;

fn write_doc(corpus: &Path, name: &str, word: &str) {
    std::fs::write(
        corpus.join(format!("{name}.md")),
        format!(
            "---\nid: {name}\ntype: remissvar\ntitle: \"{name}\"\nactor: Testverket\ndate: 2024-01-02\n---\n\nVi skriver om {word} i detta stycke.\n"
        ),
    )
    .unwrap();
}

/// Documents matching `word`.
fn count(searcher: &Searcher, word: &str) -> usize {
    searcher
        .search(&SearchRequest::parse(word).unwrap().group(Grouping::Doc))
        .unwrap()
        .total_hits
}

fn generations(index: &Path) -> Vec<String> {
    let mut g: Vec<String> = std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    g.sort();
    g
}

#[test]
fn a_searcher_follows_rebuilds_and_updates_without_being_told() {
    let dir = scratch("library-follow");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    write_doc(&corpus, "a", "blåbärssoppa");
    let options = IndexOptions::default().threads(1);
    build_index(&corpus, &index, &options, &mut |_| {}).unwrap();
    let searcher = Searcher::open(&index).unwrap();
    assert_eq!(count(&searcher, "blåbärssoppa"), 1);
    let first = generations(&index);

    // A rebuild switches to a new generation and deletes the old one: the next search answers
    // from the new one.
    write_doc(&corpus, "b", "lingonsylt");
    build_index(&corpus, &index, &options.clone().rebuild(true), &mut |_| {}).unwrap();
    assert_ne!(generations(&index), first, "a new generation");
    assert_eq!(count(&searcher, "lingonsylt"), 1);
    assert_eq!(count(&searcher, "blåbärssoppa"), 1);
    assert!(!searcher.reload().unwrap(), "nothing new since the search");

    // An update in place: seen by the next search too.
    write_doc(&corpus, "c", "hjortronkräm");
    let before = generations(&index);
    build_index(&corpus, &index, &options, &mut |_| {}).unwrap();
    assert_eq!(generations(&index), before, "updated in place");
    assert!(
        searcher.reload().unwrap(),
        "reload says when something changed"
    );
    assert_eq!(count(&searcher, "hjortronkräm"), 1);
}

fn newsroom(id: &str, word: &str) -> NewDocument {
    NewDocument::new(id, format!("Artikel om {word}"))
        .doc_type("Artikel")
        .actor("Region Norrbotten")
        .party("S")
        .recipient("Socialminister Jakob Forssmed")
        .date("2025-03-01")
        .source(format!("https://example.org/{id}"))
        .extra("desk", "inrikes")
        .text(format!(
            "Regionen skriver om {word} i det första stycket, som är långt nog att stå för sig.\n\n\
             1. Fler vårdplatser behövs, skriver regionen i det andra stycket."
        ))
}

#[test]
fn documents_written_from_memory_are_searched_at_once_as_given() {
    let root = scratch("library-writer");
    let index = root.join("index");
    let mut writer = Writer::open(&index, &IndexOptions::default().threads(1)).unwrap();
    for (id, word) in [
        ("a", "blåbärssoppa"),
        ("b", "lingonsylt"),
        ("c", "hjortronkräm"),
    ] {
        writer.insert(newsroom(id, word)).unwrap();
    }
    // Not committed: nothing to see yet, and a searcher says so; the writer counts its own
    // changes.
    assert!(matches!(
        Searcher::open(&index),
        Err(sokord_query::Error::Index(
            sokord_query::IndexError::NotCommitted { .. }
        ))
    ));
    assert!(writer.contains("a").unwrap());
    assert!(matches!(
        writer.insert(newsroom("a", "x")),
        Err(sokord_index::Error::DuplicateId { .. })
    ));
    writer.commit().unwrap();

    let searcher = Searcher::open(&index).unwrap();
    assert_eq!(count(&searcher, "lingonsylt"), 1);
    // The metadata given is the metadata shown (a recipient as one name: the office in front
    // left out, as for every recipient); plain text is paragraphs, not chapters.
    let doc = searcher.document("b", None).unwrap();
    assert_eq!(
        (
            doc.title.as_str(),
            doc.doc_type.as_str(),
            doc.actor.as_deref(),
            doc.party.as_deref(),
            doc.recipient.as_deref(),
            doc.date.as_deref(),
            doc.source.as_deref(),
            doc.language.as_deref(),
        ),
        (
            "Artikel om lingonsylt",
            "artikel",
            Some("Region Norrbotten"),
            Some("S"),
            Some("Jakob Forssmed"),
            Some("2025-03-01"),
            Some("https://example.org/b"),
            Some("sv"),
        )
    );
    assert_eq!(doc.extra.get("desk").map(String::as_str), Some("inrikes"));
    assert_eq!(doc.passages.len(), 2);
    assert!(doc.passages.iter().all(|p| p.chapters.is_empty()));

    // Update one, delete one: the same searcher sees both at the next search.
    assert!(
        writer.upsert(newsroom("b", "nyponsoppa")).unwrap(),
        "replaced"
    );
    assert!(writer.delete("c").unwrap());
    assert!(!writer.delete("nonesuch").unwrap());
    writer.commit().unwrap();
    assert_eq!(count(&searcher, "lingonsylt"), 0);
    assert_eq!(count(&searcher, "nyponsoppa"), 1);
    assert_eq!(count(&searcher, "hjortronkräm"), 0);
    assert_eq!(count(&searcher, "blåbärssoppa"), 1);
    assert_eq!(count(&searcher, "vårdplatser"), 2);

    // A second writer, in this process or another, is refused while the first lives.
    assert!(matches!(
        Writer::open(&index, &IndexOptions::default()),
        Err(sokord_index::Error::Locked { .. })
    ));
    drop(writer);

    // A rebuild (here with another taxonomy) reads the documents back and tags them again.
    let topics = root.join("topics.toml");
    std::fs::write(
        &topics,
        "[[topic]]\nid = \"soppor\"\nlabel = \"Soppor\"\nquery = \"nyponsoppa OR blåbärssoppa\"\n",
    )
    .unwrap();
    let mut writer = Writer::open(
        &index,
        &IndexOptions::default()
            .threads(1)
            .rebuild(true)
            .topics(&topics),
    )
    .unwrap();
    // The documents carried over count as held before the rebuild is committed.
    assert!(writer.contains("b").unwrap());
    assert!(writer.insert(newsroom("b", "x")).is_err());
    writer.commit().unwrap();
    drop(writer);
    assert_eq!(count(&searcher, "topic:soppor"), 2);
    let after = searcher.document("b", None).unwrap();
    assert_eq!(after.title, "Artikel om nyponsoppa");
    assert_eq!(
        (after.doc_type, after.actor, after.party, after.recipient),
        (doc.doc_type, doc.actor, doc.party, doc.recipient)
    );
    assert_eq!(
        (after.date, after.language, after.extra),
        (doc.date, doc.language, doc.extra)
    );
    assert_eq!(after.source.as_deref(), Some("https://example.org/b"));
    assert_eq!(generations(&index).len(), 1, "the old generation is gone");

    // Nothing was written outside the index folder.
    let mut beside: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["index", "topics.toml"]);
}

#[test]
fn a_folder_rebuild_keeps_the_documents_a_program_wrote() {
    let dir = scratch("library-mixed");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    write_doc(&corpus, "a", "blåbärssoppa");
    let options = IndexOptions::default().threads(1);
    build_index(&corpus, &index, &options, &mut |_| {}).unwrap();
    let mut writer = Writer::open(&index, &options).unwrap();
    writer.upsert(newsroom("api", "lingonsylt")).unwrap();
    writer.commit().unwrap();
    drop(writer);
    let searcher = Searcher::open(&index).unwrap();

    // An update from the folder leaves it alone; a rebuild carries it over.
    write_doc(&corpus, "b", "hjortronkräm");
    let update = build_index(&corpus, &index, &options, &mut |_| {}).unwrap();
    assert!(update.incremental);
    assert_eq!(count(&searcher, "lingonsylt"), 1);
    let rebuild =
        build_index(&corpus, &index, &options.clone().rebuild(true), &mut |_| {}).unwrap();
    assert_eq!((rebuild.documents, rebuild.carried), (2, 1));
    for word in ["lingonsylt", "blåbärssoppa", "hjortronkräm"] {
        assert_eq!(count(&searcher, word), 1, "{word}");
    }

    // The corpus folder moved: still an update in place, of nothing.
    let moved = dir.join("moved");
    std::fs::rename(&corpus, &moved).unwrap();
    let again = build_index(&moved, &index, &options, &mut |_| {}).unwrap();
    assert!(
        again.incremental,
        "moving the folder does not force a rebuild"
    );
    assert_eq!((again.files_read, again.unchanged), (0, 2));
}

/// The whole index's facets (a web page's first view) are counted once and kept: a long-lived
/// searcher still answers with what a fresh one counts after documents are added and deleted.
#[test]
fn the_whole_index_facets_follow_every_commit() {
    let root = scratch("library-facets");
    let index = root.join("index");
    let mut writer = Writer::open(&index, &IndexOptions::default().threads(1)).unwrap();
    writer.insert(newsroom("a", "blåbärssoppa")).unwrap();
    writer.commit().unwrap();
    let searcher = Searcher::open(&index).unwrap();
    let all = |s: &Searcher, group: Grouping| {
        s.search(&SearchRequest::parse("").unwrap().group(group).facets(true))
            .unwrap()
            .facets
    };
    let actors = |f: &sokord_query::FacetCounts| -> Vec<(String, usize)> {
        f.actor.iter().map(|v| (v.value.clone(), v.count)).collect()
    };
    let first = all(&searcher, Grouping::Passage);
    assert_eq!(actors(&first), [("Region Norrbotten".to_string(), 2)]);
    assert_eq!(all(&searcher, Grouping::Passage), first, "asked again");
    assert_eq!(
        actors(&all(&searcher, Grouping::Doc)),
        [("Region Norrbotten".to_string(), 1)]
    );

    let mut other = newsroom("b", "lingonsylt").actor("Socialstyrelsen");
    other = other.party("M");
    writer.insert(other).unwrap();
    writer.commit().unwrap();
    let fresh = Searcher::open(&index).unwrap();
    for group in [Grouping::Passage, Grouping::Doc] {
        assert_eq!(all(&searcher, group), all(&fresh, group), "{group:?}");
    }
    assert_eq!(actors(&all(&searcher, Grouping::Doc)).len(), 2);

    assert!(writer.delete("a").unwrap());
    writer.commit().unwrap();
    assert_eq!(
        actors(&all(&searcher, Grouping::Doc)),
        [("Socialstyrelsen".to_string(), 1)]
    );
}

/// A program that ends its batch with `finish` gets what `sokord index` writes at the end of a
/// run (the lemma totals and document numbers that keep `keywords` and the views quick on a
/// large index), and every view answers as after a plain commit.
#[test]
fn a_program_that_finishes_gets_the_statistics_a_folder_run_writes() {
    let root = scratch("library-finish");
    let docs = || {
        let parties = ["S", "M", "SD", "KD"];
        let words = [
            "vårdplatser och ambulanser",
            "läkemedel och apotek",
            "tandvård och tandläkare",
            "väntetider",
        ];
        // Each party its own words, one document in five about something else.
        (0..20).map(move |i| {
            let word = if i % 5 == 4 {
                "barnmorskor"
            } else {
                words[i % 4]
            };
            newsroom(&format!("d{i}"), word).party(parties[i % parties.len()])
        })
    };
    let files = |index: &Path| -> Vec<String> {
        let generation = generations(index).pop().unwrap();
        let mut names: Vec<String> = std::fs::read_dir(index.join(generation))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".bin"))
            .collect();
        names.sort();
        names
    };
    let committed = root.join("committed");
    let finished = root.join("finished");
    for (index, finish) in [(&committed, false), (&finished, true)] {
        let mut writer = Writer::open(index, &IndexOptions::default().threads(1)).unwrap();
        // Two commits: the totals cover more than one segment.
        for (i, doc) in docs().enumerate() {
            writer.insert(doc).unwrap();
            if i == 9 {
                writer.commit().unwrap();
            }
        }
        if finish {
            writer.finish().unwrap();
        } else {
            writer.commit().unwrap();
        }
    }
    assert!(files(&committed).is_empty(), "{:?}", files(&committed));
    assert_eq!(
        files(&finished),
        ["doc-numbers.bin", "lemma-totals.bin", "party-totals.bin"]
    );

    // The files fit the segments as they are (so views read them), until the next commit.
    let fit = |index: &Path| -> (bool, bool) {
        let dir = index.join(generations(index).pop().unwrap());
        let searcher = tantivy::Index::open_in_dir(&dir)
            .unwrap()
            .reader()
            .unwrap()
            .searcher();
        let terms = sokord_core::totals::TermTotals::read(&dir)
            .unwrap()
            .is_some_and(|t| t.segment_order(&searcher).is_some());
        let party = sokord_core::totals::PartyTotals::read(&dir)
            .unwrap()
            .is_some_and(|p| p.fits(&searcher));
        (terms, party)
    };
    assert_eq!(fit(&finished), (true, true));

    let (a, b) = (
        Searcher::open(&committed).unwrap(),
        Searcher::open(&finished).unwrap(),
    );
    let party = |p: &str| {
        SearchRequest::parse("")
            .unwrap()
            .filters(sokord_query::Filters::default().party(p))
    };
    for p in ["S", "SD"] {
        let (ka, kb) = (
            a.keywords(&party(p), None, 20, 1).unwrap(),
            b.keywords(&party(p), None, 20, 1).unwrap(),
        );
        assert!(!kb.keywords.is_empty(), "{p}");
        assert_eq!(ka, kb, "{p}");
        // Against another party: from the counts by party, or from the postings.
        let vs = SearchRequest::parse("party:KD").unwrap();
        let (ka, kb) = (
            a.keywords(&party(p), Some(&vs), 20, 1).unwrap(),
            b.keywords(&party(p), Some(&vs), 20, 1).unwrap(),
        );
        assert!(!kb.keywords.is_empty(), "{p} against KD");
        assert_eq!(ka, kb, "{p} against KD");
    }
    let q = SearchRequest::parse("vårdplatser").unwrap();
    assert_eq!(
        a.stats(&q, sokord_query::GroupKey::Party).unwrap(),
        b.stats(&q, sokord_query::GroupKey::Party).unwrap()
    );

    let mut writer = Writer::open(&finished, &IndexOptions::default().threads(1)).unwrap();
    writer.insert(newsroom("d20", "apotek")).unwrap();
    writer.commit().unwrap();
    assert_eq!(fit(&finished), (false, false));
}

/// A topic a program gives a document, outside the taxonomy, is one the index holds: a filter
/// finds it (it was refused as unknown, listing the taxonomy); a topic nobody gave stays unknown.
#[test]
fn a_topic_given_to_a_document_is_a_filter() {
    let root = scratch("library-own-topic");
    let index = root.join("index");
    let mut writer = Writer::open(&index, &IndexOptions::default().threads(1)).unwrap();
    writer
        .insert(newsroom("a", "blåbärssoppa").topic("egen-bevakning"))
        .unwrap();
    writer.insert(newsroom("b", "lingonsylt")).unwrap();
    writer.commit().unwrap();
    let searcher = Searcher::open(&index).unwrap();
    let with = |topic: &str| {
        searcher.search(
            &SearchRequest::parse("")
                .unwrap()
                .filters(sokord_query::Filters::default().topic(topic)),
        )
    };
    let found = with("egen-bevakning").unwrap();
    assert_eq!(found.total_hits, 2, "both passages of a");
    assert!(found.hits.iter().all(|h| h.citation.doc_id == "a"));
    assert!(matches!(
        with("ingen-gav-den"),
        Err(sokord_query::Error::UnknownValue { .. })
    ));
}

/// A folder of other things is no place for an index (a program pointing the writer at its
/// documents); a folder a first run left half-built (its lock, a generation) is.
#[test]
fn the_writer_builds_no_index_among_other_files() {
    let root = scratch("library-not-empty");
    let docs = root.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("notes.txt"), "hej").unwrap();
    let e = Writer::open(&docs, &IndexOptions::default()).unwrap_err();
    assert!(
        matches!(e, sokord_index::Error::NotEmpty { ref path } if *path == docs),
        "{e}"
    );
    let names: Vec<_> = std::fs::read_dir(&docs).unwrap().flatten().collect();
    assert_eq!(names.len(), 1, "nothing written");
    // What an interrupted first run leaves: the lock and a generation folder.
    let half = root.join("half");
    std::fs::create_dir_all(half.join("gen-1")).unwrap();
    std::fs::write(half.join("lock"), "").unwrap();
    // And what a file browser leaves in any folder it shows.
    std::fs::write(half.join(".DS_Store"), "").unwrap();
    let mut w = Writer::open(&half, &IndexOptions::default().threads(1)).unwrap();
    w.insert(newsroom("a", "blåbärssoppa")).unwrap();
    w.commit().unwrap();
    assert_eq!(count(&Searcher::open(&half).unwrap(), "blåbärssoppa"), 1);
}
