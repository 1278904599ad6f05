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

    // Our own words (`lexicon/own.tsv`): heads added to the lexicon, forms kept apart from the
    // lemma hunspell gives them.
    let own_path = manifest.join("lexicon/own.tsv");
    println!("cargo:rerun-if-changed={}", own_path.display());
    let own = std::fs::read_to_string(&own_path).unwrap();
    let own: Vec<Vec<&str>> = own
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let mut text = gunzip(&lexicon);
    for fields in &own {
        match fields.as_slice() {
            ["head", word, cost] => writeln!(text, "{word}\tH\t{word}\t{cost}").unwrap(),
            ["own", _] | ["body", _] | ["whole", _] => {}
            other => panic!("lexicon/own.tsv: cannot read {other:?}"),
        }
    }
    // Word lists, a word a line: last parts that make a capitalised compound a body's name
    // (`body` lines), names that stay whole wherever they stand (`whole` lines).
    for (kind, file) in [("body", "body_heads.txt"), ("whole", "whole_names.txt")] {
        let words: String = own
            .iter()
            .filter(|f| f.len() == 2 && f[0] == kind)
            .map(|f| format!("{}\n", f[1]))
            .collect();
        std::fs::write(out.join(file), words).unwrap();
    }
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

    // The lemma table and the terms of lemmas that Snowball would merge with unrelated words.
    let lemmas = manifest.join("lexicon/sv_lemma.tsv.gz");
    let apart = manifest.join("lexicon/kept_apart.txt");
    println!("cargo:rerun-if-changed={}", lemmas.display());
    println!("cargo:rerun-if-changed={}", apart.display());
    println!("cargo:rerun-if-changed=src/derivational.rs");
    let kept_own: Vec<&str> = own
        .iter()
        .filter_map(|f| match f.as_slice() {
            ["own", word] => Some(*word),
            _ => None,
        })
        .collect();
    let pairs: String = gunzip(&lemmas)
        .lines()
        .filter(|l| {
            l.split_once('\t')
                .is_none_or(|(form, _)| !kept_own.contains(&form))
        })
        .flat_map(|l| [l, "\n"])
        .collect();
    let (forms, terms) = lemma_tables(&pairs, &std::fs::read_to_string(&apart).unwrap());
    write_table(&out.join("sv_lemma.tsv"), &sorted_lines(&forms));
    write_table(&out.join("sv_term.tsv"), &sorted_lines(&terms));

    let metadata = lindera_dictionary::dictionary::metadata::Metadata::default();
    lindera_dictionary::builder::DictionaryBuilder::new(metadata)
        .build_dictionary(&src, &dest)
        .expect("building the Swedish compound dictionary");
    println!("cargo:rustc-env=LINDERA_WORKDIR={}", out.display());
}

// `DERIVATIONAL`: the endings, shared with the analysis.
include!("src/derivational.rs");

/// The lemma tables, from `form<TAB>lemma` lines and the reviewed list of words whose "-er"
/// Snowball must not cut (`kept_apart.txt`):
///
/// - `terms`: `lemma<TAB>term` for each lemma whose term is not its Snowball stem. A lemma keeps
///   its own term when Snowball would cut a derivational ending ([`DERIVATIONAL`]) or a listed
///   "-er" off it *and* that stem is another lemma's too: *billig* stays `billig` (Snowball:
///   `bil`, the car's stem), *lager* `lager` (Snowball: `lag`, the law's). The term keeps the
///   ending and drops what follows it, so *möjlighet* and *möjlig* stay together (`möjlig`).
/// - `forms`: `form<TAB>lemma` for each inflected form whose Snowball stem is not its lemma's
///   term: the forms Snowball does not bring to their lemma (*läkemedlen*), and every form of a
///   lemma kept apart (*billigare*, *lagret*).
///
/// At run time a word's term is its lemma's term (`terms`, else the lemma's stem), or its own
/// stem when the table does not know it.
fn lemma_tables(pairs: &str, apart: &str) -> (String, String) {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Swedish);
    let stem = |w: &str| stemmer.stem(w).into_owned();
    let er_words: Vec<&str> = apart
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let pairs: Vec<(&str, &str)> = pairs
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .collect();
    // Every stem and the lemmas whose base form or forms give it.
    let mut by_stem: std::collections::HashMap<String, std::collections::BTreeSet<&str>> =
        std::collections::HashMap::new();
    for &(form, lemma) in &pairs {
        by_stem.entry(stem(form)).or_default().insert(lemma);
        by_stem.entry(stem(lemma)).or_default().insert(lemma);
    }
    let mut term_of: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let mut terms = String::new();
    for &(_, lemma) in &pairs {
        if term_of.contains_key(lemma) {
            continue;
        }
        let s = stem(lemma);
        let mut term = s.clone();
        let shared = by_stem
            .get(&s)
            .is_some_and(|l| l.iter().any(|&o| o != lemma));
        if shared && s != lemma && lemma.starts_with(s.as_str()) {
            let cut = &lemma[s.len()..];
            let ending = DERIVATIONAL
                .iter()
                .find(|d| cut.starts_with(*d))
                .copied()
                .or((cut == "er" && er_words.iter().any(|w| lemma.ends_with(w))).then_some("er"));
            if let Some(ending) = ending {
                term = lemma[..s.len() + ending.len()].to_string();
            }
        }
        if term != s {
            writeln!(terms, "{lemma}\t{term}").unwrap();
        }
        term_of.insert(lemma, term);
    }
    // The term the analysis gives a word the table does not list: a kept-apart lemma's own
    // term, or the lemma kept apart whose ending Snowball cut (`kept_term_of`), or its stem.
    let kept_term = |w: &str| term_of.get(w).is_some_and(|t| t == w && stem(w) != w);
    let outside_the_table = |form: &str| -> String {
        if let Some(t) = term_of.get(form).filter(|t| **t != stem(form)) {
            return t.clone();
        }
        let s = stem(form);
        kept_term_of(form, &s, kept_term).map_or(s, str::to_string)
    };
    // A form is left out of the table only when the analysis gives it its lemma's term anyway.
    let mut forms = String::new();
    for &(form, lemma) in &pairs {
        if outside_the_table(form) != term_of[lemma] {
            writeln!(forms, "{form}\t{lemma}").unwrap();
        }
    }
    (forms, terms)
}
