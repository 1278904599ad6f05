//! Indexing runs: updates in place, searches during a run, killed runs, one writer; ranking references.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;
use crate::util::*;

/// `sokord index CORPUS --format json ARGS` into `index`; its summary.
fn index_json(corpus: &std::path::Path, index: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["index", corpus.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let r = sokord(index, &all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

/// The current generation's file list of the index in `index`.
fn file_list(index: &std::path::Path) -> std::path::PathBuf {
    generation_dir(index).join("files.json")
}

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
    let run = |args: &[&str]| index_json(&corpus, &index, args);
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
    let text = sokord(&index, &["index", corpus.to_str().unwrap()]);
    assert!(
        text.stdout.starts_with(
            "Updated the index: 1 added, 1 changed, 1 removed, 1 unchanged; 2 files read"
        ) && text
            .stdout
            .contains("\n  added d.md\n  changed a.md\n  removed c.md\n"),
        "{}",
        text.stdout
    );
    // The same again, as JSON, from the same changes (the text run above was the update).
    std::fs::remove_file(corpus.join("d.md")).unwrap();
    let gone = run(&[]);
    assert_eq!(
        gone["removed_files"],
        serde_json::json!(["d.md"]),
        "{gone:#}"
    );
    write(
        "d.md",
        "---\ntitle: D\n---\nPsykiatrin för barn och unga behöver kortare köer.\n",
    );
    let third = run(&[]);
    assert_eq!(
        third["added_files"],
        serde_json::json!(["d.md"]),
        "{third:#}"
    );
    assert_eq!(third["changed_files"], serde_json::json!([]), "{third:#}");
    assert_eq!(third["files_read"], 1, "{third:#}");
    assert_eq!(
        (third["unchanged"].as_u64(), third["removed"].as_u64()),
        (Some(2), Some(0))
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
    let files_path = file_list(&index);
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

/// A file whose size, times and inode are as the last run recorded them is not read again, and
/// a file list from before they were kept gains them; `--check-contents` reads every file; a file
/// rewritten with its old time put back is read; one changed moments before a run is hashed by
/// the next.
#[test]
#[cfg(unix)]
fn a_file_is_known_unchanged_by_its_size_and_time() {
    let dir = scratch("stamps");
    let corpus = dir.join("in");
    std::fs::create_dir_all(&corpus).unwrap();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    // Written, then dated (as files are that were not touched lately, or from the future).
    let write_dated = |name: &str, text: &str, time: std::time::SystemTime| {
        let path = corpus.join(name);
        std::fs::write(&path, text).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(time).unwrap();
    };
    let a_text = "---\ntitle: A\n---\nVårdcentralerna i glesbygden behöver fler läkare.\n";
    write_dated("a.md", a_text, an_hour_ago);
    write_dated(
        "b.md",
        "---\ntitle: B\n---\nTandvården för äldre ska bli billigare.\n",
        an_hour_ago,
    );
    // A file's status-change time is now, whatever its modification time says: it is stamped
    // once that is 3 s behind.
    std::thread::sleep(std::time::Duration::from_millis(3100));
    let index = dir.join("index");
    let run = |args: &[&str]| index_json(&corpus, &index, args);
    let files_path = || file_list(&index);
    let records = || -> Vec<Value> {
        serde_json::from_str(&std::fs::read_to_string(files_path()).unwrap()).unwrap()
    };
    // Edits the file list by hand, record by record.
    let edit = |f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut list = records();
        for r in &mut list {
            f(r.as_object_mut().unwrap());
        }
        std::fs::write(files_path(), serde_json::to_string(&list).unwrap()).unwrap();
    };
    let read_and_unchanged = |v: &Value| (v["files_read"].as_u64(), v["unchanged"].as_u64());
    assert_eq!(run(&[])["documents"], 2);
    let size_a = std::fs::metadata(corpus.join("a.md")).unwrap().len();
    let sizes: Vec<(String, Value)> = records()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["stamp"]["size"].clone(),
            )
        })
        .collect();
    assert_eq!(sizes.len(), 2);
    assert_eq!(sizes[0], ("a.md".to_string(), Value::from(size_a)));
    assert!(sizes[1].1.is_u64(), "{sizes:?}");

    // A file list written before stamps were kept: the files are hashed, found unchanged, and
    // the list is written again with their stamps.
    edit(&|r| {
        r.remove("stamp");
    });
    assert_eq!(read_and_unchanged(&run(&[])), (Some(0), Some(2)));
    assert!(records().iter().all(|r| r["stamp"]["size"].is_u64()));

    // A stamp as recorded is trusted: with another hash in the list (as if the content had
    // changed behind the file system's back), the file is not read, unless every file is.
    edit(&|r| {
        if r["path"] == "a.md" {
            r.insert("hash".into(), Value::from("0".repeat(64)));
        }
    });
    assert_eq!(read_and_unchanged(&run(&[])), (Some(0), Some(2)));
    assert_eq!(
        read_and_unchanged(&run(&["--check-contents"])),
        (Some(1), Some(1))
    );

    // Same length, other words, the old modification time put back: its status-change time
    // moved, so it is read.
    let storstaden = a_text.replace("glesbygden", "storstaden");
    write_dated("a.md", &storstaden, an_hour_ago);
    assert_eq!(
        std::fs::metadata(corpus.join("a.md")).unwrap().len(),
        size_a
    );
    assert_eq!(read_and_unchanged(&run(&[])), (Some(1), Some(1)));
    assert_eq!(search_json(&index, &["storstaden"])["total_hits"], 1);
    assert_eq!(sokord(&index, &["search", "glesbygden"]).code, 1);

    // Changed moments before it was read (here: dated in the future): no stamp, so the next run
    // hashes it, and reads it again when its hash differs.
    let future = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    write_dated(
        "b.md",
        "---\ntitle: B\n---\nTandvården för unga ska bli avgiftsfri.\n",
        future,
    );
    assert_eq!(run(&[])["files_read"], 1);
    assert_eq!(search_json(&index, &["avgiftsfri"])["total_hits"], 1);
    let b = records().into_iter().find(|r| r["path"] == "b.md").unwrap();
    assert!(b.get("stamp").is_none(), "{b}");
    edit(&|r| {
        if r["path"] == "b.md" {
            r.insert("hash".into(), Value::from("0".repeat(64)));
        }
    });
    assert_eq!(run(&[])["files_read"], 1, "hashed, not trusted");
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
        // Every search answers from one whole index, the last committed or (once the run
        // switches to its result, which can happen a moment before the process exits) the new
        // one, never from a half-written one; and once one has seen the new index, none goes
        // back to the old.
        let mut during = 0;
        let mut switched = false;
        while child.try_wait().unwrap().is_none() {
            let running = indexing(&index);
            let new_word = count("nyordsvården");
            let drug = count("läkemedel");
            let seen_new = [new_word == round, drug == before + round];
            let seen_old = [new_word == committed, drug == before + committed];
            for (i, what) in ["nyordsvården", "läkemedel"].iter().enumerate() {
                assert!(
                    seen_new[i] || seen_old[i],
                    "round {round}: {what} counted {} during the run, neither the committed \
                     index nor the new one",
                    [new_word, drug][i]
                );
                assert!(
                    !(switched && seen_old[i] && !seen_new[i]),
                    "round {round}: {what} went back to the old index after the switch"
                );
            }
            switched |= seen_new.iter().any(|&b| b);
            if running && seen_old.iter().all(|&b| b) {
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

    // A full rebuild in the background, its error output kept.
    let rebuild = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_sokord"))
            .args([
                "--index",
                index.to_str().unwrap(),
                "index",
                health.to_str().unwrap(),
                "--rebuild",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Kill full rebuilds at several moments; every time the last index answers as before.
    let mut cut_short = 0;
    for millis in [50u64, 300, 900, 2000] {
        let mut child = rebuild();
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
    // Ctrl-C (SIGINT) says that the index is safe, and exits as a shell expects.
    let child = rebuild();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let interrupted = child.wait_with_output().unwrap();
    assert_eq!(interrupted.status.code(), Some(130));
    let said = String::from_utf8_lossy(&interrupted.stderr);
    assert!(
        said.contains("interrupted; the index at")
            && said.contains("as the last finished run left it"),
        "{said}"
    );
    let now = search_json(&index, &["läkemedel", "--all", "--limit", "1"]);
    assert_eq!(now["total_hits"], before, "after Ctrl-C");
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
            .contains("another writer (a `sokord index` run, or a program writing documents) holds this index"),
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

/// `sokord index FILE` indexes that one file (its folder's other files are left out), and the
/// index follows the file when it changes.
#[test]
fn one_file_is_a_corpus() {
    let dir = scratch("one-file");
    let file = dir.join("tal.md");
    let write = |word: &str| {
        std::fs::write(
            &file,
            format!("---\ntitle: Ett tal\nactor: Ministern\n---\n\nTalet handlar om {word} och om vården i hela landet.\n"),
        )
        .unwrap()
    };
    write("smultronställen");
    std::fs::write(
        dir.join("annat.md"),
        "---\ntitle: Annat\n---\n\nEtt annat dokument om hallonbuskar och om vården.\n",
    )
    .unwrap();
    let index = dir.join("index");
    let run = sokord(&index, &["index", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = search_json(&index, &["smultronställen"]);
    assert_eq!(v["total_hits"], 1);
    assert_eq!(hits(&v)[0]["title"], "Ett tal");
    assert_eq!(sokord(&index, &["search", "hallonbuskar"]).code, 1);

    write("blåbärsris");
    let run = sokord(&index, &["index", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(search_json(&index, &["blåbärsris"])["total_hits"], 1);
    assert_eq!(sokord(&index, &["search", "smultronställen"]).code, 1);

    let other = dir.join("bild.png");
    std::fs::write(&other, b"\x89PNG").unwrap();
    let run = sokord(
        &scratch("one-file-png").join("index"),
        &["index", other.to_str().unwrap()],
    );
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("not a format sokord reads"),
        "{}",
        run.stderr
    );
}

/// `--memory` bounds what indexing holds, not what it finds: the bundled corpus indexed with the
/// smallest budget (more segments, tokens handed over in smaller batches) searches and counts
/// as with the default. A size sokord cannot read is an error that says how to write one.
#[test]
fn the_memory_setting_changes_nothing_found() {
    let corpus = root().join("corpus");
    let small = scratch("memory-32m").join("index");
    let default = scratch("memory-default").join("index");
    for (index, extra) in [(&small, &["--memory", "32M"][..]), (&default, &[][..])] {
        let mut args = vec!["index", corpus.to_str().unwrap(), "--threads", "2"];
        args.extend_from_slice(extra);
        let run = sokord(index, &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    for args in [
        &["search", "läkemedel", "--limit", "50", "--format", "json"][..],
        &["search", "vård", "--group", "doc", "--format", "json"][..],
        &["stats", "vård", "--by", "actor", "--format", "json"][..],
    ] {
        let (a, b) = (sokord(&small, args), sokord(&default, args));
        assert_eq!(a.code, 0, "{args:?}: {}", a.stderr);
        assert!(!nothing_in(&a.json()), "{args:?}: nothing found");
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
    let bad = sokord(
        &small,
        &["index", corpus.to_str().unwrap(), "--memory", "lots"],
    );
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("`lots`") && bad.stderr.contains("512M"),
        "{}",
        bad.stderr
    );
    let tiny = sokord(
        &small,
        &["index", corpus.to_str().unwrap(), "--memory", "1M"],
    );
    assert_ne!(tiny.code, 0);
    assert!(tiny.stderr.contains("at least 32M"), "{}", tiny.stderr);
}

/// Whether a search's or a view's JSON is empty: no hits and no groups.
fn nothing_in(v: &Value) -> bool {
    let empty = |k: &str| v.get(k).and_then(Value::as_array).is_none_or(Vec::is_empty);
    empty("hits") && empty("groups")
}

/// A file indexed despite a problem keeps it while it is unchanged: every later run says so, and
/// `--strict` fails until the file is fixed (or gone).
#[test]
fn a_warning_is_said_again_until_the_file_is_fixed() {
    let dir = scratch("warnings-kept");
    let corpus = dir.join("in");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(
        corpus.join("bra.md"),
        "---\ntitle: Bra\n---\nEtt stycke om vården.\n",
    )
    .unwrap();
    let broken = corpus.join("trasig.md");
    std::fs::write(
        &broken,
        "---\ntitle: [trasig\n---\nEtt stycke om tandvården.\n",
    )
    .unwrap();
    let index = dir.join("index");
    let first = index_json(&corpus, &index, &[]);
    assert_eq!(first["warnings"].as_array().unwrap().len(), 1, "{first}");

    for _ in 0..2 {
        let again = index_json(&corpus, &index, &[]);
        assert_eq!(again["files_read"], 0, "{again}");
        let warnings = again["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 1, "{again}");
        assert_eq!(warnings[0]["path"], "trasig.md");
        let reason = warnings[0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("malformed YAML")
                && reason.ends_with("(unchanged since it was indexed)"),
            "{reason}"
        );
        let strict = sokord(&index, &["index", corpus.to_str().unwrap(), "--strict"]);
        assert_eq!(strict.code, 2, "{}\n{}", strict.stdout, strict.stderr);
        assert!(
            strict.stdout.contains("warning trasig.md"),
            "{}",
            strict.stdout
        );
    }

    std::fs::write(&broken, "---\ntitle: Hel\n---\nEtt stycke om tandvården.\n").unwrap();
    let fixed = sokord(&index, &["index", corpus.to_str().unwrap(), "--strict"]);
    assert_eq!(fixed.code, 0, "{}\n{}", fixed.stdout, fixed.stderr);
    let after = index_json(&corpus, &index, &["--strict"]);
    assert_eq!(after["warnings"].as_array().unwrap().len(), 0, "{after}");
}
