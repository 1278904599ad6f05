//! The bad-input collection (`tests/bad-input/files`, its binary files made by
//! `tests/bad-input/make.py`) indexed alongside good files, plus what cannot be committed: a 100 MB
//! file, very long lines, a symbolic link loop, an unreadable file and a non-UTF-8 file name.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::util::{copy_dir, hits, root, search_json, sokord, Run};

/// Whether this process runs as root (which reads files whatever their permissions).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// How the indexer is run: as this user, or, under root, as `nobody` through `setpriv`, so that
/// a file without read permission is really unreadable to it.
struct Runner {
    binary: PathBuf,
    as_nobody: bool,
}

impl Runner {
    fn run(&self, index: &Path, args: &[&str]) -> Run {
        let mut cmd = if self.as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
            c.arg(&self.binary);
            c
        } else {
            Command::new(&self.binary)
        };
        let out = cmd
            .arg("--index")
            .arg(index)
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("SOKORD_INDEX")
            .output()
            .expect("sokord runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Open permissions on everything under `dir`, for the unprivileged indexer.
fn open_up(dir: &Path) {
    let mode = if dir.is_dir() { 0o777 } else { 0o644 };
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
    if dir.is_dir() && !dir.is_symlink() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if !e.file_type().unwrap().is_symlink() {
                open_up(&e.path());
            }
        }
    }
}

/// 100 MB of real Swedish paragraphs (the bundled speech's sentences, shuffled), with chapter
/// headings now and then and a word found nowhere else in its last paragraph.
fn write_large_file(path: &Path) {
    use std::io::Write;
    let speech =
        std::fs::read_to_string(root().join("corpus/tal/tal-forssmed-2025-02-06.md")).unwrap();
    // Words only: a `#` from the speech's Markdown would start a heading.
    let words: Vec<&str> = speech
        .split_whitespace()
        .filter(|w| w.chars().all(|c| c.is_alphabetic() || ",.-".contains(c)))
        .collect();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = 0usize;
    let mut state = 12345u64;
    let mut para = 0;
    while written < 100_000_000 {
        let mut p = String::new();
        if para % 500 == 0 {
            p.push_str(&format!(
                "Kapitel {}: Avsnitt om vården\n\n",
                para / 500 + 1
            ));
        }
        for _ in 0..150 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            p.push_str(words[(state >> 33) as usize % words.len()]);
            p.push(' ');
        }
        p.push_str(".\n\n");
        written += p.len();
        para += 1;
        f.write_all(p.as_bytes()).unwrap();
    }
    f.write_all("Sist står ordet storfilsslutet, som bara finns här.\n".as_bytes())
        .unwrap();
}

#[test]
fn the_bad_input_collection_is_reported_and_the_good_files_indexed() {
    use std::os::unix::ffi::OsStrExt;
    // Under root the indexer runs as nobody, who must reach the folder: a fresh one in /tmp.
    let as_nobody = is_root() && Command::new("setpriv").arg("--version").output().is_ok();
    let dir = tempfile::Builder::new()
        .prefix("sokord-bad-input-")
        .tempdir()
        .unwrap();
    let corpus = dir.path().join("in");
    copy_dir(&root().join("tests/bad-input/files"), &corpus);

    // What cannot be committed is made here.
    let long = format!(
        "Glesbygdsmedicinen kräver egna lösningar. {} {}\n",
        "x".repeat(300_000),
        "ord ".repeat(50_000)
    );
    std::fs::write(corpus.join("långa-rader.txt"), long).unwrap();
    write_large_file(&corpus.join("stor.txt"));
    std::fs::create_dir_all(corpus.join("slinga")).unwrap();
    std::os::unix::fs::symlink(&corpus, corpus.join("slinga/tillbaka")).unwrap();
    let bad_name = std::ffi::OsStr::from_bytes(b"namn-\xff.txt");
    std::fs::write(
        corpus.join(bad_name),
        "Text om vården under ett trasigt filnamn.",
    )
    .unwrap();
    std::fs::write(
        corpus.join("oläsbar.txt"),
        "Denna fil om sjukhusvård får ingen läsa.",
    )
    .unwrap();

    let binary = if as_nobody {
        let b = dir.path().join("sokord");
        std::fs::copy(env!("CARGO_BIN_EXE_sokord"), &b).unwrap();
        b
    } else {
        PathBuf::from(env!("CARGO_BIN_EXE_sokord"))
    };
    if as_nobody {
        open_up(dir.path());
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(
        corpus.join("oläsbar.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let unreadable_tested = as_nobody || !is_root();
    if !unreadable_tested {
        eprintln!(
            "note: running as root without setpriv: the unreadable file is readable to this run"
        );
    }
    let runner = Runner { binary, as_nobody };
    let index = dir.path().join("index");

    let run = runner.run(
        &index,
        &["index", corpus.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let s = run.json();
    let notes = |key: &str| -> Vec<(String, String)> {
        s[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["path"].as_str().unwrap().to_string(),
                    n["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let skipped = notes("skipped");
    let warnings = notes("warnings");
    let reason = |list: &[(String, String)], path: &str| -> String {
        list.iter()
            .find(|(p, _)| p == path || (path.is_empty() && p.contains("namn-")))
            .unwrap_or_else(|| panic!("{path} not reported: {s:#}"))
            .1
            .clone()
    };
    // Skipped, each with its reason and the fix.
    assert_eq!(reason(&skipped, "tom.txt"), "empty file");
    assert!(reason(&skipped, "binär.txt").contains("binary data"));
    assert!(reason(&skipped, "skannad.pdf").contains("run OCR"));
    assert!(reason(&skipped, "krypterad.pdf").contains("encrypted with a password"));
    assert!(reason(&skipped, "trunkerad.pdf").contains("cut short"));
    assert!(reason(&skipped, "trasig.docx").contains("DOCX XML is malformed"));
    assert!(reason(&skipped, "inte-zip.docx").contains("not a valid ZIP"));
    assert!(reason(&skipped, "bild.png").contains("not a format sokord reads"));
    assert_eq!(
        reason(&skipped, "bra/vaccination.md"),
        "the same content as bra/vaccination-kopia.md; indexed once"
    );
    assert!(reason(&skipped, "").contains("not valid UTF-8; rename the file"));
    assert!(
        skipped
            .iter()
            .any(|(p, r)| p.starts_with("slinga") && r.contains("symbolic link loop")),
        "{skipped:#?}"
    );
    if unreadable_tested {
        assert!(
            reason(&skipped, "oläsbar.txt").contains("Permission denied"),
            "{skipped:#?}"
        );
    }
    // Indexed with a warning that names the problem.
    assert!(reason(&warnings, "felaktig-yaml.md")
        .contains("malformed YAML front matter: did not find expected ',' or ']' at line 4"));
    assert!(reason(&warnings, "omöjligt-datum.md").contains("`2024-02-30` is not a real date"));
    assert!(reason(&warnings, "latin1.txt").contains("decoded as windows-1252"));
    assert!(reason(&warnings, "windows-1252.txt").contains("decoded as windows-1252"));
    assert!(reason(&warnings, "ogiltig-utf8.txt")
        .contains("invalid UTF-8: 3 byte sequences replaced by U+FFFD, the first at byte 107"));
    assert!(
        !warnings.iter().any(|(p, _)| p == "utf16.txt"),
        "{warnings:#?}"
    );
    // The counts add up: every file found is indexed, skipped, or (the loop) passed over.
    let expected_skipped = if unreadable_tested { 12 } else { 11 };
    assert_eq!(skipped.len(), expected_skipped, "{skipped:#?}");
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    let indexed = [
        "bra/vaccination-kopia.md",
        "bra/läkemedel.txt",
        "felaktig-yaml.md",
        "omöjligt-datum.md",
        "latin1.txt",
        "windows-1252.txt",
        "ogiltig-utf8.txt",
        "utf16.txt",
        "långa-rader.txt",
        "stor.txt",
    ];
    let documents = indexed.len() + usize::from(!unreadable_tested);
    assert_eq!(s["documents"], documents, "{s:#}");
    // The 100 MB file went through in parts, in bounded memory. Read whole it took 1.44 GB; in
    // parts the debug binary measures 600–630 MB from run to run (the release binary 390–490 MB),
    // so the bound leaves room for that noise, not for reading the file whole.
    let peak = s["peak_memory_bytes"]
        .as_u64()
        .expect("peak memory on Linux");
    assert!(
        peak < 720 << 20,
        "indexing a 100 MB file took {} MB",
        peak >> 20
    );

    // The good files and the repaired ones are searchable, with their text decoded right.
    let find = |query: &str| -> Value {
        let v = search_json(&index, &[query]);
        assert!(!hits(&v).is_empty(), "{query}: nothing found");
        v
    };
    // The duplicate is counted once.
    let vaccination = find("vaccinationstäckningen");
    assert_eq!(vaccination["total_hits"], 1);
    assert_eq!(hits(&vaccination)[0]["path"], "bra/vaccination-kopia.md");
    assert_eq!(hits(&find("lagerhållning"))[0]["path"], "bra/läkemedel.txt");
    assert_eq!(hits(&find("tandvårdsstödet"))[0]["path"], "latin1.txt");
    let quote = find("förlossningsvården");
    assert!(
        hits(&quote)[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("”Förlossningsvården"),
        "{quote:#}"
    );
    assert_eq!(hits(&find("ambulanssjukvården"))[0]["path"], "utf16.txt");
    assert_eq!(hits(&find("väntetiderna"))[0]["path"], "ogiltig-utf8.txt");
    assert_eq!(hits(&find("vårdköer"))[0]["path"], "ogiltig-utf8.txt");
    let yaml = find("ungdomspsykiatrin");
    assert_eq!(hits(&yaml)[0]["title"], "Strategi för psykisk hälsa");
    assert_eq!(hits(&yaml)[0]["date"], "2024-05-02");
    assert_eq!(hits(&yaml)[0]["actor"], "Region Exempel");
    assert_eq!(hits(&find("hemsjukvården"))[0]["path"], "omöjligt-datum.md");
    assert_eq!(
        hits(&find("glesbygdsmedicinen"))[0]["path"],
        "långa-rader.txt"
    );
    let last = find("storfilsslutet");
    assert_eq!(hits(&last)[0]["path"], "stor.txt");
    assert_eq!(
        hits(&last)[0]["chapter"]["title"],
        "Avsnitt om vården",
        "{last:#}"
    );
    if unreadable_tested {
        let none = sokord(&index, &["search", "sjukhusvård", "--format", "json"]);
        assert_eq!(none.code, 1, "the unreadable file's text: {}", none.stdout);
        assert_eq!(none.json()["total_hits"], 0);
    }

    // --strict: the same run fails when anything was skipped or warned about.
    let strict = runner.run(&index, &["index", corpus.to_str().unwrap(), "--strict"]);
    assert_eq!(strict.code, 2, "{}\n{}", strict.stdout, strict.stderr);
    assert!(strict.stderr.contains("--strict"), "{}", strict.stderr);

    // Let the temporary folder be removed.
    let _ = std::fs::set_permissions(
        corpus.join("oläsbar.txt"),
        std::fs::Permissions::from_mode(0o644),
    );
}
