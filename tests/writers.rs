//! Concurrent writers and searchers on one index: processes of the real binary and threads of
//! the library, rebuilding, updating and writing documents from memory at the same time. After
//! every round the index opens and holds exactly what the writers that ran left, and no writer
//! or searcher ever meets an error other than "another writer holds this index".

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use sokord_index::{build_index, IndexOptions, NewDocument, Writer};
use sokord_query::{Grouping, SearchRequest, Searcher};

use crate::util::scratch;

/// Documents matching `q`.
fn docs(searcher: &Searcher, q: &str) -> usize {
    searcher
        .search(&SearchRequest::parse(q).unwrap().group(Grouping::Doc))
        .unwrap()
        .total_hits
}

/// One writer of a round.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `sokord index CORPUS --rebuild`, a process.
    ProcessRebuild,
    /// `sokord index CORPUS`, a process (waits for the lock).
    ProcessUpdate,
    /// `build_index`, a thread (rebuilds in odd rounds, updates in even ones).
    ThreadFolder,
    /// `Writer`: a document from memory, a thread.
    ThreadDocument,
}

impl Kind {
    fn reads_the_folder(self) -> bool {
        !matches!(self, Kind::ThreadDocument)
    }

    fn is_thread(self) -> bool {
        matches!(self, Kind::ThreadFolder | Kind::ThreadDocument)
    }
}

/// The writers of round `r`: two to four, varied.
fn writers(r: usize) -> Vec<Kind> {
    use Kind::*;
    let all = [ProcessRebuild, ThreadDocument, ProcessUpdate, ThreadFolder];
    (0..2 + r % 3).map(|i| all[(r + i) % all.len()]).collect()
}

fn spawn(index: &Path, corpus: &Path, kind: Kind) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sokord"));
    cmd.arg("--index")
        .arg(index)
        .arg("index")
        .arg(corpus)
        .args(["--threads", "1"]);
    match kind {
        Kind::ProcessRebuild => cmd.arg("--rebuild"),
        _ => cmd.arg("--wait"),
    };
    cmd.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn write_round_file(corpus: &Path, r: usize) {
    std::fs::write(
        corpus.join("runda.md"),
        format!(
            "---\nid: runda\ntitle: Runda\nactor: Testverket\ndate: 2024-01-02\n---\n\n\
             Den här filen skrivs om inför varje runda och nämner korpusord{r} i sitt stycke.\n"
        ),
    )
    .unwrap();
}

#[test]
fn concurrent_writers_never_damage_the_index_and_searchers_never_fail() {
    const ROUNDS: usize = 24;
    let dir = scratch("writers");
    let corpus = dir.join("corpus");
    let index: PathBuf = dir.join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    for (name, word) in [("a", "blåbärssoppa"), ("b", "lingonsylt")] {
        std::fs::write(
            corpus.join(format!("{name}.md")),
            format!("---\nid: {name}\ntitle: {name}\n---\n\nEtt stycke om {word} och vården.\n"),
        )
        .unwrap();
    }
    write_round_file(&corpus, 0);
    let options = IndexOptions::default().threads(1);
    build_index(&corpus, &index, &options, &mut |_| {}).unwrap();

    // Searchers run all the time, in this process, and must never fail.
    let stop = Arc::new(AtomicBool::new(false));
    let searches = Arc::new(AtomicUsize::new(0));
    let searcher_thread = {
        let (stop, searches, index) = (stop.clone(), searches.clone(), index.clone());
        std::thread::spawn(move || {
            let searcher = Searcher::open(&index).unwrap();
            while !stop.load(Ordering::Relaxed) {
                let n = docs(&searcher, "blåbärssoppa");
                assert_eq!(n, 1, "a search during the writes");
                searches.fetch_add(1, Ordering::Relaxed);
            }
        })
    };

    let mut documents_written = 0;
    let (mut ran, mut refused) = (0, 0);
    for r in 1..=ROUNDS {
        write_round_file(&corpus, r);
        let kinds = writers(r);
        // The threads and this one (which starts the processes) set off together.
        let in_threads = kinds.iter().filter(|k| k.is_thread()).count();
        let barrier = Arc::new(Barrier::new(in_threads + 1));
        let mut threads = Vec::new();
        for &kind in kinds.iter().filter(|k| k.is_thread()) {
            let (barrier, index, corpus) = (barrier.clone(), index.clone(), corpus.clone());
            let run = move || -> sokord_index::Result<()> {
                barrier.wait();
                if kind.reads_the_folder() {
                    let options = IndexOptions::default().threads(1).rebuild(r % 2 == 1);
                    return build_index(&corpus, &index, &options, &mut |_| {}).map(|_| ());
                }
                let mut w = Writer::open(&index, &IndexOptions::default().threads(1))?;
                w.upsert(
                    NewDocument::new(format!("api-{r}"), format!("Program {r}"))
                        .text(format!("Skrivet av ett program: programord{r}.")),
                )?;
                w.commit()
            };
            threads.push((kind, std::thread::spawn(run)));
        }
        barrier.wait();
        let children: Vec<(Kind, Child)> = kinds
            .iter()
            .filter(|k| !k.is_thread())
            .map(|&k| (k, spawn(&index, &corpus, k)))
            .collect();
        // A searcher in another process, meanwhile.
        let search = Command::new(env!("CARGO_BIN_EXE_sokord"))
            .arg("--index")
            .arg(&index)
            .args([
                "search",
                "blåbärssoppa",
                "--group",
                "doc",
                "--format",
                "json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut succeeded = Vec::new();
        for (kind, child) in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                succeeded.push(kind);
            } else {
                assert!(
                    stderr.contains("another writer holds this index"),
                    "round {r}, {kind:?}: {stderr}"
                );
            }
        }
        for (kind, t) in threads {
            match t.join().unwrap() {
                Ok(()) => succeeded.push(kind),
                Err(sokord_index::Error::Locked { .. }) => {}
                Err(e) => panic!("round {r}, {kind:?}: {e}"),
            }
        }
        let search = search.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&search.stderr);
        assert!(
            search.status.success(),
            "round {r}: a search failed: {stderr}"
        );
        let found: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
        assert_eq!(found["total_hits"], 1, "round {r}");
        // At least the waiting writers got their turn.
        assert!(!succeeded.is_empty(), "round {r}: no writer ran");
        ran += succeeded.len();
        refused += kinds.len() - succeeded.len();

        // The index opens, and holds what the writers that ran left.
        let searcher = Searcher::open(&index).unwrap();
        let folder_ran = succeeded.iter().any(|k| k.reads_the_folder());
        assert_eq!(
            docs(&searcher, &format!("korpusord{r}")),
            usize::from(folder_ran),
            "round {r}: {succeeded:?}"
        );
        if folder_ran {
            assert_eq!(docs(&searcher, &format!("korpusord{}", r - 1)), 0);
        }
        if succeeded.iter().any(|k| !k.reads_the_folder()) {
            documents_written += 1;
        }
        assert_eq!(
            docs(&searcher, "skrivet program"),
            documents_written,
            "round {r}: every document a program wrote is kept ({succeeded:?})"
        );
        assert_eq!(docs(&searcher, "blåbärssoppa OR lingonsylt"), 2);
        // One generation, and no half-written one left beside it.
        let generations = std::fs::read_dir(&index)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("gen-")
            })
            .count();
        assert_eq!(generations, 1, "round {r}");
    }
    stop.store(true, Ordering::Relaxed);
    searcher_thread.join().unwrap();
    assert!(searches.load(Ordering::Relaxed) > 0);
    eprintln!(
        "{ROUNDS} rounds: {ran} writers ran, {refused} were refused, {} searches meanwhile",
        searches.load(Ordering::Relaxed)
    );
}
