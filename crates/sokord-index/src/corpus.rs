//! A corpus folder: walking it, its manifest, and reading each file into a [`Document`].
//!
//! The manifest, `manifest.toml` in the corpus root, gives metadata to files that cannot carry
//! front matter (PDF, DOCX) and excludes files that are not documents:
//!
//! ```toml
//! exclude = ["README.md", "drafts/**"]
//!
//! [[document]]
//! path = "remissvar/*.pdf"      # a path relative to the corpus root, or a glob
//! type = "remissvar"
//! actor = "Region Exempel"
//! date = "2025-01-31"
//! ```
//!
//! When several entries match a file, later entries win field by field. `[[party]]` entries add
//! parties to the built-in table of Swedish parties (or names to one of them), for party filters
//! and counts: `abbreviation`, `name`, `other_names`, `earlier` (earlier abbreviations).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::chapters::{structure, Chapter};
use crate::error::{Error, ReadError, Result};
use crate::metadata::{detect_missing, parse_date, parse_front_matter, PartialMeta};
use crate::read::{read_bytes, Format, Utf8Damage, DAMAGED_UTF8};
use crate::text::reflow;
use sokord_analysis::normalize;

/// The manifest's file name in a corpus root.
pub const MANIFEST: &str = "manifest.toml";
pub use sokord_core::topics::TOPICS;

/// A document's metadata after merging front matter, manifest and detection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    /// Unique id within the index.
    pub id: String,
    /// Document type, lower-case (remissvar, tal, strategi, interpellation, …).
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Title.
    pub title: String,
    /// Who speaks: an organisation or a person.
    pub actor: Option<String>,
    /// The actor's party.
    pub party: Option<String>,
    /// To whom it is addressed.
    pub recipient: Option<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Where it came from (a URL).
    pub source: Option<String>,
    /// Language code.
    pub language: String,
    /// Topics the user assigned to the whole document.
    pub topics: Vec<String>,
    /// Other fields from front matter or manifest.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

/// One passage of a document, ready to index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// Position in the document, from 0.
    pub ordinal: u32,
    /// The text.
    pub text: String,
    /// Chapter path, outermost first.
    pub chapters: Vec<Chapter>,
    /// Page number (PDF).
    pub page: Option<u32>,
}

/// A document read from a file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Merged metadata.
    pub meta: DocMeta,
    /// Path relative to the corpus root, with `/` separators.
    pub path: String,
    /// The format it was read as.
    pub format: Format,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
    /// BLAKE3 hash of the file's bytes.
    pub hash: String,
    /// The passages.
    pub passages: Vec<Passage>,
    /// Problems met that did not stop the reading (bad front matter, impossible date).
    pub warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ManifestFile {
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default, rename = "document")]
    documents: Vec<ManifestEntry>,
    #[serde(default, rename = "party")]
    parties: Vec<sokord_core::parties::PartyEntry>,
}

#[derive(Debug, Deserialize)]
struct ManifestEntry {
    path: String,
    #[serde(flatten)]
    fields: BTreeMap<String, toml::Value>,
}

/// A corpus's manifest, compiled.
#[derive(Debug, Default)]
pub struct Manifest {
    exclude: Option<GlobSet>,
    entries: Vec<(GlobMatcher, PartialMeta)>,
    /// Parties added to the built-in table (`[[party]]`), for party filters and counts.
    pub parties: Vec<sokord_core::parties::PartyEntry>,
}

impl Manifest {
    /// Loads `manifest.toml` from a corpus root; an absent file is an empty manifest.
    pub fn load(root: &Path) -> Result<Manifest> {
        let path = root.join(MANIFEST);
        if !path.exists() {
            return Ok(Manifest::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        Manifest::parse(&text).map_err(|message| Error::Config { path, message })
    }

    /// Parses manifest text.
    pub fn parse(text: &str) -> std::result::Result<Manifest, String> {
        let file: ManifestFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let glob = |p: &str| Glob::new(p).map_err(|e| format!("bad path pattern `{p}`: {e}"));
        let mut ex = GlobSetBuilder::new();
        for p in &file.exclude {
            ex.add(glob(p)?);
        }
        let exclude = Some(ex.build().map_err(|e| e.to_string())?);
        let mut entries = Vec::new();
        for e in file.documents {
            let mut meta = PartialMeta::default();
            for (k, v) in e.fields {
                let value = match v {
                    toml::Value::String(s) => s,
                    toml::Value::Array(a) => a
                        .iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                meta.set(&k, value);
            }
            entries.push((glob(&e.path)?.compile_matcher(), meta));
        }
        Ok(Manifest {
            exclude,
            entries,
            parties: file.parties,
        })
    }

    /// Whether the manifest excludes this relative path.
    pub fn excludes(&self, rel: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
    }

    /// The metadata the manifest gives a relative path.
    pub fn lookup(&self, rel: &str) -> PartialMeta {
        let mut meta = PartialMeta::default();
        for (m, entry) in self.entries.iter().rev() {
            if m.is_match(rel) {
                meta.fill_from(entry);
            }
        }
        meta
    }
}

/// A file found in a corpus, or a problem met while walking.
#[derive(Debug)]
pub enum Found {
    /// A file to read.
    File {
        /// Absolute or root-joined path.
        path: PathBuf,
        /// Relative path with `/` separators.
        rel: String,
        /// Its format.
        format: Format,
    },
    /// A file or folder passed over, and why.
    Skipped {
        /// The path.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// Walks a corpus folder: every file sokord can read, sorted by path, plus what was passed over.
/// Hidden files and folders, the manifest and the taxonomy, the `skip` folder (an index kept
/// inside the corpus) and what the manifest excludes are left out silently.
pub fn walk(root: &Path, manifest: &Manifest, skip: Option<&Path>) -> Vec<Found> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden =
                e.depth() > 0 && e.file_name().to_str().is_some_and(|n| n.starts_with('.'));
            // Only a folder can be the index: no file is resolved (a corpus of 150,000 files
            // spent most of an up-to-date run resolving their paths).
            let is_skip = e.file_type().is_dir()
                && skip
                    .as_ref()
                    .is_some_and(|s| e.path().canonicalize().ok().as_ref() == Some(s));
            !hidden && !is_skip
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let reason = if e.loop_ancestor().is_some() {
                    "a symbolic link loop; it was not followed".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                };
                out.push(Found::Skipped { path, reason });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let Some(rel) = relative(root, &path) else {
            out.push(Found::Skipped {
                path,
                reason: "the file name is not valid UTF-8; rename the file".into(),
            });
            continue;
        };
        if entry.depth() == 1 && (rel == MANIFEST || rel == TOPICS) || manifest.excludes(&rel) {
            continue;
        }
        match Format::from_path(&path) {
            Some(format) => out.push(Found::File { path, rel, format }),
            None => out.push(Found::Skipped {
                path,
                reason: "not a format sokord reads (.txt, .md, .pdf, .html, .docx)".into(),
            }),
        }
    }
    out
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// Reads one file into a document: decode, front matter, blocks, chapters, metadata.
pub fn read_document(
    path: &Path,
    rel: &str,
    format: Format,
    manifest: &Manifest,
) -> std::result::Result<Document, ReadError> {
    let bytes = std::fs::read(path)?;
    parse_document(&bytes, rel, format, manifest)
}

/// Text and Markdown files larger than this are read in parts by [`read_document_in_parts`], so
/// that memory stays bounded whatever a file's size.
pub const LARGE_FILE: u64 = 16 << 20;

/// The size of one part of a large file, before it is extended to the next paragraph end.
const PART_BYTES: usize = 4 << 20;

/// How far a part is extended at most when looking for a paragraph end.
const PART_SLACK: usize = 1 << 20;

/// Whether a file of this format and size is read in parts.
pub fn reads_in_parts(format: Format, size: u64) -> bool {
    size > LARGE_FILE && matches!(format, Format::Txt | Format::Markdown)
}

/// BLAKE3 hash of a file's bytes, read in pieces.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

/// Reads the next part of a large file: about [`PART_BYTES`], extended to the end of a
/// paragraph (a blank line) or, failing one within [`PART_SLACK`], of a line.
fn next_part(reader: &mut impl std::io::BufRead) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut part = Vec::with_capacity(PART_BYTES + 4096);
    reader
        .by_ref()
        .take(PART_BYTES as u64)
        .read_to_end(&mut part)?;
    if part.len() < PART_BYTES {
        return Ok(part);
    }
    let limit = part.len() + PART_SLACK;
    loop {
        let before = part.len();
        let n = reader.read_until(b'\n', &mut part)?;
        let line = &part[before..];
        if n == 0 || line.iter().all(u8::is_ascii_whitespace) || part.len() > limit {
            return Ok(part);
        }
    }
}

/// Reads a large text or Markdown file in parts of a few megabytes cut at paragraph ends, and
/// hands each part to `each` as a [`Document`] with the whole file's metadata and hash and the
/// part's passages, numbered on from the previous part's; passages before a part's first heading
/// belong to the previous part's last chapter. `each` returns `false` to stop reading. Memory
/// stays bounded by the part size, whatever the file's size. Files in UTF-16 are read whole.
pub fn read_document_in_parts(
    path: &Path,
    rel: &str,
    format: Format,
    manifest: &Manifest,
    each: &mut dyn FnMut(Document) -> bool,
) -> std::result::Result<(), ReadError> {
    let hash = hash_file(path)?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let first = next_part(&mut reader)?;
    if encoding_rs::Encoding::for_bom(&first).is_some_and(|(e, _)| e != encoding_rs::UTF_8) {
        let mut doc = read_document(path, rel, format, manifest)?;
        doc.hash = hash;
        each(doc);
        return Ok(());
    }
    let (mut doc, layout) = parse_with_layout(&first, rel, format, manifest)?;
    drop(first);
    doc.hash = hash;
    let encoding =
        encoding_rs::Encoding::for_label(doc.encoding.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    let mut ordinal = doc.passages.len() as u32;
    let mut chapters = doc
        .passages
        .last()
        .map(|p| p.chapters.clone())
        .unwrap_or_default();
    let template = Document {
        passages: Vec::new(),
        warnings: Vec::new(),
        ..doc.clone()
    };
    if !each(doc) {
        return Ok(());
    }
    loop {
        let bytes = next_part(&mut reader)?;
        if bytes.is_empty() {
            return Ok(());
        }
        let (text, _, _) = encoding.decode(&bytes);
        let text = normalize(&text);
        let blocks = reflow(&text, layout);
        let mut passages = Vec::new();
        for p in structure(&blocks).passages {
            if !p.chapters.is_empty() {
                chapters.clone_from(&p.chapters);
            }
            passages.push(Passage {
                ordinal,
                text: p.text,
                chapters: chapters.clone(),
                page: p.page,
            });
            ordinal += 1;
        }
        if !passages.is_empty()
            && !each(Document {
                passages,
                ..template.clone()
            })
        {
            return Ok(());
        }
    }
}

/// Like [`read_document`], from bytes already read.
pub fn parse_document(
    bytes: &[u8],
    rel: &str,
    format: Format,
    manifest: &Manifest,
) -> std::result::Result<Document, ReadError> {
    parse_with_layout(bytes, rel, format, manifest).map(|(doc, _)| doc)
}

/// [`parse_document`], also returning how the file's lines were read.
fn parse_with_layout(
    bytes: &[u8],
    rel: &str,
    format: Format,
    manifest: &Manifest,
) -> std::result::Result<(Document, crate::text::Layout), ReadError> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let raw = read_bytes(bytes, format)?;
    let layout = raw.layout;
    let mut warnings = Vec::new();
    if raw.encoding == DAMAGED_UTF8 {
        if let Some(d) = Utf8Damage::of(bytes) {
            warnings.push(format!(
                "invalid UTF-8: {} byte sequences replaced by U+FFFD, the first at byte {}; \
                 the rest of the text was read as UTF-8",
                d.invalid, d.first
            ));
        }
    } else if !matches!(raw.encoding, "UTF-8" | "UTF-16LE" | "UTF-16BE" | "PDF") {
        // Detected, not declared: say so, so that a wrong guess can be caught.
        warnings.push(format!(
            "not UTF-8: decoded as {} (detected); save it as UTF-8 to be sure of å, ä and ö",
            raw.encoding
        ));
    }

    let mut meta = PartialMeta::default();
    if let Some((yaml, line)) = &raw.front_matter {
        let (fm, err) = parse_front_matter(yaml, *line);
        warnings.extend(err);
        meta = fm;
    }
    meta.fill_from(&manifest.lookup(rel));

    let st = structure(&raw.blocks());

    let mut detected = detect_missing(&raw.text, Path::new(rel), &meta);
    // A heading or a title the format carries names the document better than a guess.
    detected.title = st.title_heading.clone().or(raw.title).or(detected.title);
    meta.fill_from(&detected);

    // An empty value given for one of these says "none" (and stopped detection above).
    for field in [
        &mut meta.actor,
        &mut meta.party,
        &mut meta.recipient,
        &mut meta.date,
        &mut meta.source,
    ] {
        if field.as_deref() == Some("") {
            *field = None;
        }
    }
    let date = match meta.date.as_deref().map(parse_date) {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            warnings.push(format!("date ignored: {e}"));
            None
        }
        None => None,
    };
    let stem = Path::new(rel)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(rel)
        .to_string();
    let mut passages: Vec<Passage> = st
        .passages
        .into_iter()
        .enumerate()
        .map(|(i, p)| Passage {
            ordinal: i as u32,
            text: p.text,
            chapters: p.chapters,
            page: p.page,
        })
        .collect();
    if passages.is_empty() {
        // A title and no body (an interpellation whose text was never published): the title is
        // its one passage, so that the document is found and counted.
        match meta
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(title) => passages.push(Passage {
                ordinal: 0,
                text: title.to_string(),
                chapters: Vec::new(),
                page: None,
            }),
            None => return Err(ReadError::Empty),
        }
    }
    let meta = DocMeta {
        id: meta
            .id
            .unwrap_or_else(|| stem.to_lowercase().replace(' ', "-")),
        doc_type: meta
            .doc_type
            .unwrap_or_else(|| "dokument".into())
            .to_lowercase(),
        title: meta.title.unwrap_or(stem),
        actor: meta.actor,
        party: meta.party,
        recipient: meta.recipient,
        date,
        source: meta.source,
        language: meta.language.unwrap_or_else(|| "sv".into()),
        topics: meta.topics.unwrap_or_default(),
        extra: meta.extra,
    };
    let doc = Document {
        meta,
        path: rel.to_string(),
        format,
        encoding: raw.encoding,
        hash,
        passages,
        warnings,
    };
    Ok((doc, layout))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_globs_and_precedence() {
        let m = Manifest::parse(
            "exclude = [\"README.md\"]\n[[document]]\npath = \"pdf/*.pdf\"\ntype = \"strategi\"\nactor = \"A\"\n\
             [[document]]\npath = \"pdf/b.pdf\"\nactor = \"B\"\ntopics = [\"x\", \"y\"]\n",
        )
        .unwrap();
        assert!(m.excludes("README.md"));
        assert!(!m.excludes("a/README.md"));
        let a = m.lookup("pdf/a.pdf");
        assert_eq!(
            (a.doc_type.as_deref(), a.actor.as_deref()),
            (Some("strategi"), Some("A"))
        );
        let b = m.lookup("pdf/b.pdf");
        assert_eq!(
            (b.doc_type.as_deref(), b.actor.as_deref()),
            (Some("strategi"), Some("B"))
        );
        assert_eq!(b.topics, Some(vec!["x".to_string(), "y".to_string()]));
        assert!(Manifest::parse("[[document]]\npath = \"[\"\n")
            .unwrap_err()
            .contains("bad path pattern"));
    }

    #[test]
    fn a_large_file_read_in_parts_gives_the_passages_of_a_whole_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stor.txt");
        let mut text = String::from("Kapitel 1: Inledning\n\n");
        let mut n = 0;
        while text.len() as u64 <= LARGE_FILE + 2 * PART_BYTES as u64 {
            text.push_str(&format!(
                "Stycke {n} om vården i regionerna, med läkemedel och väntetider som tema.\n\n"
            ));
            n += 1;
        }
        std::fs::write(&path, &text).unwrap();
        assert!(reads_in_parts(Format::Txt, text.len() as u64));
        let whole = parse_document(
            text.as_bytes(),
            "stor.txt",
            Format::Txt,
            &Manifest::default(),
        )
        .unwrap();
        let mut parts = Vec::new();
        read_document_in_parts(
            &path,
            "stor.txt",
            Format::Txt,
            &Manifest::default(),
            &mut |d| {
                parts.push(d);
                true
            },
        )
        .unwrap();
        assert!(parts.len() >= 4, "{} parts", parts.len());
        let passages: Vec<&Passage> = parts.iter().flat_map(|d| &d.passages).collect();
        assert_eq!(passages.len(), whole.passages.len());
        for (i, (a, b)) in passages.iter().zip(&whole.passages).enumerate() {
            assert_eq!(a.ordinal as usize, i);
            assert_eq!(a.text, b.text, "passage {i}");
            // Later parts carry on the chapter begun in the first.
            assert_eq!(a.chapters, b.chapters, "passage {i}");
            assert_eq!(a.chapters[0].number.as_deref(), Some("1"));
        }
        for d in &parts {
            assert_eq!(d.hash, whole.hash);
            assert_eq!(d.meta, whole.meta);
        }
        // Stopping early reads no further.
        let mut calls = 0;
        read_document_in_parts(
            &path,
            "stor.txt",
            Format::Txt,
            &Manifest::default(),
            &mut |_| {
                calls += 1;
                false
            },
        )
        .unwrap();
        assert_eq!(calls, 1);
    }

    #[test]
    fn front_matter_wins_over_detection_and_bad_dates_warn() {
        let md = "---\ntype: strategi\nactor: Regionen\ndate: 2025-02-30\n---\n# Tal av ministern Anna Svensson\n\nText om vården som är lång nog att bli ett eget stycke i dokumentet.\n";
        let d = parse_document(
            md.as_bytes(),
            "x/y.md",
            Format::Markdown,
            &Manifest::default(),
        )
        .unwrap();
        assert_eq!(d.meta.doc_type, "strategi");
        assert_eq!(d.meta.actor.as_deref(), Some("Regionen"));
        assert_eq!(d.meta.date, None);
        assert_eq!(d.meta.title, "Tal av ministern Anna Svensson");
        assert_eq!(d.meta.id, "y");
        assert!(
            d.warnings[0].contains("not a real date"),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn an_empty_actor_or_date_says_none_and_nothing_is_guessed() {
        let body = "# Tal av socialminister Anna Svensson\n\nStockholm den 3 mars 2019. \
                    Socialstyrelsen har i uppdrag att följa vården i hela landet och rapportera.\n";
        let guessed = parse_document(
            body.as_bytes(),
            "t.md",
            Format::Markdown,
            &Manifest::default(),
        )
        .unwrap();
        // Without front matter, detection fills them in from the text.
        assert!(guessed.meta.date.is_some(), "{:?}", guessed.meta);
        for front in ["actor: \"\"\ndate: \"\"", "actor:\ndate:"] {
            let md = format!("---\n{front}\n---\n{body}");
            let d = parse_document(
                md.as_bytes(),
                "t.md",
                Format::Markdown,
                &Manifest::default(),
            )
            .unwrap();
            assert_eq!((d.meta.actor, d.meta.date), (None, None), "{front}");
            assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        }
    }
}
