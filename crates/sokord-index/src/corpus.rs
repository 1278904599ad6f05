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
//! When several entries match a file, later entries win field by field.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::chapters::{structure, Chapter};
use crate::error::{Error, ReadError, Result};
use crate::metadata::{detect, parse_date, parse_front_matter, PartialMeta};
use crate::read::{read_bytes, Format};
use crate::text::{normalize, reflow};

/// The manifest's file name in a corpus root.
pub const MANIFEST: &str = "manifest.toml";
/// The topic taxonomy's file name in a corpus root.
pub const TOPICS: &str = "topics.toml";

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
        Ok(Manifest { exclude, entries })
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
            let is_skip = skip
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

/// Reads one file into a document: decode, front matter, reflow, chapters, metadata.
pub fn read_document(
    path: &Path,
    rel: &str,
    format: Format,
    manifest: &Manifest,
) -> std::result::Result<Document, ReadError> {
    let bytes = std::fs::read(path)?;
    parse_document(&bytes, rel, format, manifest)
}

/// Like [`read_document`], from bytes already read.
pub fn parse_document(
    bytes: &[u8],
    rel: &str,
    format: Format,
    manifest: &Manifest,
) -> std::result::Result<Document, ReadError> {
    let hash = blake3::hash(bytes).to_hex().to_string();
    let raw = read_bytes(bytes, format)?;
    let mut warnings = Vec::new();
    if !matches!(raw.encoding, "UTF-8" | "UTF-16LE" | "UTF-16BE" | "PDF") {
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

    let text = normalize(&raw.text);
    let blocks = reflow(&text, raw.layout);
    let st = structure(&blocks);

    let mut detected = detect(&text, Path::new(rel));
    // A heading or a title the format carries names the document better than a guess.
    detected.title = st.title_heading.clone().or(raw.title).or(detected.title);
    meta.fill_from(&detected);

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
    let passages: Vec<Passage> = st
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
        return Err(ReadError::Empty);
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
    Ok(Document {
        meta,
        path: rel.to_string(),
        format,
        encoding: raw.encoding,
        hash,
        passages,
        warnings,
    })
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
}
