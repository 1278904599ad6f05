//! The libraries used as a program would: a long-lived `Searcher` while indexing runs rebuild
//! and update its index.

use std::path::Path;

use sokord_index::{build_index, IndexOptions};
use sokord_query::{SearchRequest, Searcher};

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

fn count(searcher: &Searcher, word: &str) -> usize {
    searcher
        .search(&SearchRequest::parse(word).unwrap())
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
fn a_searcher_reads_across_a_rebuild_and_an_update() {
    let dir = scratch("library-reload");
    let corpus = dir.join("corpus");
    let index = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    write_doc(&corpus, "a", "blåbärssoppa");
    let options = IndexOptions::default().threads(1);
    build_index(&corpus, &index, &options, &mut |_| {}).unwrap();
    let mut searcher = Searcher::open(&index).unwrap();
    assert_eq!(count(&searcher, "blåbärssoppa"), 1);
    let first = generations(&index);

    // A rebuild switches to a new generation and deletes the old one, whose files the
    // searcher still holds open: it goes on answering from them until it reloads.
    write_doc(&corpus, "b", "lingonsylt");
    build_index(&corpus, &index, &options.clone().rebuild(true), &mut |_| {}).unwrap();
    assert_ne!(generations(&index), first, "a new generation");
    assert_eq!(count(&searcher, "blåbärssoppa"), 1);
    assert_eq!(count(&searcher, "lingonsylt"), 0, "not reloaded yet");
    assert!(searcher.reload().unwrap());
    assert_eq!(count(&searcher, "lingonsylt"), 1);
    assert_eq!(count(&searcher, "blåbärssoppa"), 1);
    assert!(!searcher.reload().unwrap(), "nothing new");

    // An update in place: the reload shows the new commit at once.
    write_doc(&corpus, "c", "hjortronkräm");
    let before = generations(&index);
    build_index(&corpus, &index, &options, &mut |_| {}).unwrap();
    assert_eq!(generations(&index), before, "updated in place");
    assert!(searcher.reload().unwrap());
    assert_eq!(count(&searcher, "hjortronkräm"), 1);
}
