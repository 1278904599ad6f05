//! Builds the lindera dictionary for Swedish compound splitting from the committed lexicon
//! (`lexicon/sv_compound.tsv.gz`, made by `lexicon/build_lexicon.py`) into `OUT_DIR`, where
//! `src/compound.rs` embeds it, and the lemma table (`lexicon/sv_lemma.tsv.gz`) less what
//! Snowball already conflates. Nothing is downloaded.
//!
//! Context ids: 0 BOS/EOS, 1 HEAD (may begin or continue a compound), 2 TAIL (may end one),
//! 3 LINK (fogemorfem s, e, a, o, u), 4 UNK. The connection matrix allows BOS HEAD (LINK) …
//! TAIL EOS; a word standing alone costs more than any split, so the best path is a split
//! whenever one is allowed, and a single token (known or unknown) means "not a compound".

use std::fmt::Write as _;
use std::path::PathBuf;

const FORBIDDEN: i32 = 30000;
/// A known word standing alone: more than any allowed split.
const ALONE: i32 = 20000;
/// An unknown word: more than a known one.
const UNKNOWN: i32 = 25000;
/// Every part of a split costs this much on top of its frequency cost, so fewer parts win.
const PART: i32 = 1000;

fn gunzip(path: &std::path::Path) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text
}

/// The lines sorted by their bytes, for binary search at run time (`analysis::sorted_lookup`).
fn sorted_lines(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable_by(|a, b| a.split('\t').next().cmp(&b.split('\t').next()));
    lines.dedup_by(|a, b| a.split('\t').next() == b.split('\t').next());
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Writes a sorted table and, beside it (`.idx`), the byte offset of each of its lines as a
/// little-endian u32, so that lookups binary-search whole lines without scanning for them.
fn write_table(path: &std::path::Path, lines: &str) {
    let mut starts = Vec::new();
    let mut at = 0usize;
    for line in lines.split_inclusive('\n') {
        starts.extend_from_slice(&u32::try_from(at).unwrap().to_le_bytes());
        at += line.len();
    }
    std::fs::write(path, lines).unwrap();
    std::fs::write(path.with_extension("idx"), starts).unwrap();
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let lexicon = manifest.join("lexicon/sv_compound.tsv.gz");
    println!("cargo:rerun-if-changed={}", lexicon.display());
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let src = out.join("sv-src");
    let dest = out.join("sv");
    std::fs::create_dir_all(&src).unwrap();

    let text = gunzip(&lexicon);
    let mut whole_costs = String::new();
    let mut csv = String::with_capacity(text.len() * 2);
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut f = line.split('\t');
        let (surface, role, lemma, cost) = (
            f.next().unwrap(),
            f.next().unwrap(),
            f.next().unwrap(),
            f.next().unwrap(),
        );
        let raw: i32 = cost.parse().unwrap();
        if role == "T" {
            writeln!(whole_costs, "{surface}\t{raw}").unwrap();
        }
        let (id, cost) = match role {
            "H" => (1, PART + raw),
            "T" => (2, PART + raw),
            "L" => (3, 300),
            other => panic!("unknown role {other} in {line}"),
        };
        // Details: role, lemma, the lemma's frequency cost (for the whole-word check).
        writeln!(
            csv,
            "{surface},{id},{id},{cost},{role},{lemma},{raw},*,*,*,*,*,*"
        )
        .unwrap();
    }
    std::fs::write(src.join("lex.csv"), csv).unwrap();
    write_table(&out.join("sv_whole_cost.tsv"), &sorted_lines(&whole_costs));

    // matrix.def: "previous word's right id, next word's left id, cost".
    let allowed = |prev: usize, next: usize| -> i32 {
        match (prev, next) {
            (0, 1) | (0, 4) => 0,
            (0, 2) => ALONE,
            (1, 1) | (1, 2) | (1, 3) => 0,
            (3, 1) | (3, 2) => 0,
            (2, 0) | (4, 0) => 0,
            _ => FORBIDDEN,
        }
    };
    let mut matrix = String::from("5 5\n");
    for prev in 0..5 {
        for next in 0..5 {
            writeln!(matrix, "{prev} {next} {}", allowed(prev, next)).unwrap();
        }
    }
    std::fs::write(src.join("matrix.def"), matrix).unwrap();
    // Letters, å, ä, ö and the rest of Latin-1 form one class: unknown words stay whole.
    std::fs::write(
        src.join("char.def"),
        "DEFAULT 0 1 0\nALPHA 1 1 0\n0x0041..0x005A ALPHA\n0x0061..0x007A ALPHA\n0x00C0..0x00FF ALPHA\n",
    )
    .unwrap();
    // No trailing blank line: lindera's builder panics on one.
    std::fs::write(
        src.join("unk.def"),
        format!(
            "DEFAULT,4,4,{UNKNOWN},UNK,*,*,*,*,*,*,*,*\nALPHA,4,4,{UNKNOWN},UNK,*,*,*,*,*,*,*,*"
        ),
    )
    .unwrap();

    // The lemma table, less the pairs that the Snowball stemmer already brings together.
    let lemmas = manifest.join("lexicon/sv_lemma.tsv.gz");
    println!("cargo:rerun-if-changed={}", lemmas.display());
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Swedish);
    let mut kept = String::new();
    for line in gunzip(&lemmas).lines() {
        if let Some((form, lemma)) = line.split_once('\t').filter(|_| !line.starts_with('#')) {
            if stemmer.stem(form) != stemmer.stem(lemma) {
                writeln!(kept, "{form}\t{lemma}").unwrap();
            }
        }
    }
    write_table(&out.join("sv_lemma.tsv"), &sorted_lines(&kept));

    let metadata = lindera_dictionary::dictionary::metadata::Metadata::default();
    lindera_dictionary::builder::DictionaryBuilder::new(metadata)
        .build_dictionary(&src, &dest)
        .expect("building the Swedish compound dictionary");
    println!("cargo:rustc-env=LINDERA_WORKDIR={}", out.display());
}
