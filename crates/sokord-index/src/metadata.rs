//! Document metadata: from YAML front matter, from the corpus manifest, or detected from the text.
//!
//! Precedence, field by field: front matter, then the manifest, then detection. Detection only
//! fills what the user left out; it never overrides what they wrote.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use sokord_core::date::{DateError, Day};

/// Metadata as given by one source; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialMeta {
    /// Document id.
    pub id: Option<String>,
    /// Document type (remissvar, tal, strategi, interpellation, …).
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// The organisation or person who speaks.
    pub actor: Option<String>,
    /// The actor's party.
    pub party: Option<String>,
    /// To whom the document is addressed.
    pub recipient: Option<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Where the document came from.
    pub source: Option<String>,
    /// Language code (`sv`, `en`).
    pub language: Option<String>,
    /// Topic ids the user assigned.
    pub topics: Option<Vec<String>>,
    /// Any other fields, as text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl PartialMeta {
    /// Fills the fields `self` lacks from `other`.
    pub fn fill_from(&mut self, other: &PartialMeta) {
        macro_rules! fill {
            ($($f:ident),*) => {$( if self.$f.is_none() { self.$f = other.$f.clone(); } )*};
        }
        fill!(id, doc_type, title, actor, party, recipient, date, source, language, topics);
        for (k, v) in &other.extra {
            self.extra.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }

    /// Sets a field by its name (or a Swedish or common alias). Returns false for unknown names,
    /// which are kept in `extra`.
    pub fn set(&mut self, key: &str, value: String) -> bool {
        let value = value.trim().to_string();
        // An empty actor, party, recipient, date or source says "none": it is kept (as "") so
        // that nothing is guessed for it, and left out of the document's metadata.
        let (slot, may_be_empty) = match key.trim().to_lowercase().as_str() {
            "id" => (&mut self.id, false),
            "type" | "typ" | "doctype" | "document_type" | "dokumenttyp" => {
                (&mut self.doc_type, false)
            }
            "title" | "titel" | "rubrik" => (&mut self.title, false),
            "actor" | "aktör" | "author" | "författare" | "organisation" | "organization"
            | "speaker" | "talare" | "avsändare" => (&mut self.actor, true),
            "party" | "parti" => (&mut self.party, true),
            "recipient" | "mottagare" | "till" => (&mut self.recipient, true),
            "date" | "datum" => (&mut self.date, true),
            "source" | "källa" | "url" => (&mut self.source, true),
            "language" | "lang" | "språk" => (&mut self.language, false),
            "topics" | "topic" | "ämnen" | "tags" => {
                let list: Vec<String> = value
                    .trim_matches(|c| c == '[' || c == ']')
                    .split(',')
                    .map(|s| s.trim().trim_matches('"').to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                self.topics = Some(list);
                return true;
            }
            other => {
                self.extra.insert(other.to_string(), value);
                return false;
            }
        };
        if !value.is_empty() || may_be_empty {
            *slot = Some(value);
        }
        true
    }
}

/// Parses YAML front matter. On a YAML error, what can be read line by line (`key: value`) is
/// kept and the error is returned beside it, naming the line (1-based, counted in the file).
pub fn parse_front_matter(yaml: &str, first_line: usize) -> (PartialMeta, Option<String>) {
    let mut meta = PartialMeta::default();
    match serde_norway::from_str::<serde_norway::Value>(yaml) {
        Ok(serde_norway::Value::Mapping(map)) => {
            for (k, v) in map {
                let Some(key) = k.as_str() else { continue };
                match yaml_to_string(&v) {
                    Some(value) => {
                        meta.set(key, value);
                    }
                    // `actor:` with no value (YAML null) says "none", as `actor: ""` does.
                    None if v.is_null() => {
                        meta.set(key, String::new());
                    }
                    None => {}
                }
            }
            (meta, None)
        }
        Ok(serde_norway::Value::Null) => (meta, None),
        Ok(_) => (
            meta,
            Some(format!(
                "front matter at line {first_line} is not a mapping of `key: value` lines"
            )),
        ),
        Err(e) => {
            let line = e.location().map(|l| l.line() + first_line - 1);
            for l in yaml.lines() {
                if let Some((k, v)) = l.split_once(':') {
                    if !k.starts_with([' ', '-', '#']) && !k.trim().is_empty() {
                        // An unclosed `[a, b` or quote is read as far as it goes.
                        let v = v.trim().trim_matches(['"', '\'', '[', ']']);
                        meta.set(k, v.to_string());
                    }
                }
            }
            // The YAML parser counts lines from the front matter's first line; the file's lines
            // are what a user can find.
            static AT_LINE: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r"line (\d+) column (\d+)").unwrap());
            let message = e.to_string();
            let message = AT_LINE.replace_all(&message, |c: &regex::Captures| {
                let n: usize = c[1].parse().unwrap_or(1);
                format!("line {} column {}", n + first_line - 1, &c[2])
            });
            let at = match line {
                Some(l) if !message.contains("line ") => format!(" at line {l}"),
                _ => String::new(),
            };
            (
                meta,
                Some(format!(
                    "malformed YAML front matter{at}: {message}; the fields that could be read \
                     were kept"
                )),
            )
        }
    }
}

fn yaml_to_string(v: &serde_norway::Value) -> Option<String> {
    use serde_norway::Value;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Sequence(items) => {
            let parts: Vec<String> = items.iter().filter_map(yaml_to_string).collect();
            Some(parts.join(", "))
        }
        Value::Tagged(t) => yaml_to_string(&t.value),
        Value::Null | Value::Mapping(_) => None,
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)(?:\b|T)").unwrap());
/// A date as front matter gives it: the month and day may have one digit (`2015-3-1`), as the
/// filters accept them.
static FRONT_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:\b|T)").unwrap());
static SV_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+((?:19|20)\d\d)\b").unwrap()
});

/// Parses a date: `YYYY-MM-DD` (also `YYYY-M-D`; a time after it is ignored) or Swedish
/// `6 februari 2025`. Returns `YYYY-MM-DD`, or an error saying why the date is impossible.
pub fn parse_date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let (y, m, d) = if let Some(c) = FRONT_DATE.captures(s) {
        (
            c[1].parse::<i32>().unwrap(),
            c[2].parse::<u8>().unwrap(),
            c[3].parse::<u8>().unwrap(),
        )
    } else if let Some(c) = SV_DATE.captures(s) {
        let m = MONTHS
            .iter()
            .position(|m| c[2].eq_ignore_ascii_case(m))
            .unwrap() as u8
            + 1;
        (c[3].parse().unwrap(), m, c[1].parse().unwrap())
    } else {
        return Err(format!("`{s}` is not a date; write it as YYYY-MM-DD"));
    };
    match Day::from_ymd(y, m.into(), d.into()) {
        Ok(day) => Ok(day.to_string()),
        Err(DateError::Month(..)) => Err(format!("`{s}` has no month {m}")),
        Err(_) => Err(format!("`{s}` is not a real date")),
    }
}

static ACTOR_REMISS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[^.]{2,100}?)\s+har\s+(?:genom\s+remiss\s+)?(?:beretts|getts|fått|givits)\s+(?:tillfälle|möjlighet)").unwrap()
});
static ACTOR_SPEECH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:tal|anförande)\s+(?i:av|vid)\s+(?:(?:\p{Ll}+minister|statsministern?|statsrådet|ministern|generaldirektör(?:en)?|ordförande(?:n)?|riksdagsledamot(?:en)?)\s+)?(\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+)+)").unwrap()
});

fn is_trivial_line(l: &str) -> bool {
    let low = l.to_lowercase();
    low.starts_with("dnr")
        || low.starts_with("diarienummer")
        || low.starts_with("er referens")
        || low.starts_with("vår referens")
        || low.starts_with("till:")
        || low.starts_with("från:")
        || low.starts_with("datum")
        || matches!(low.as_str(), "remissvar" | "remissyttrande" | "yttrande")
        || ISO_DATE.is_match(l) && l.split_whitespace().count() <= 3
        || l.split_whitespace().count() < 2 && l.chars().count() < 12
}

/// Detects metadata from a document's text (already normalised, before reflowing) and its path.
/// Used for the fields that neither front matter nor the manifest give.
pub fn detect(text: &str, rel_path: &Path) -> PartialMeta {
    detect_missing(text, rel_path, &PartialMeta::default())
}

/// Like [`detect`], but only for the fields `known` lacks (type, actor, date, recipient, title,
/// language): the others are left empty, and the work of guessing them is saved.
pub fn detect_missing(text: &str, rel_path: &Path, known: &PartialMeta) -> PartialMeta {
    let mut meta = PartialMeta::default();
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take(40)
        .collect();
    let head = &lines[..lines.len().min(25)];

    // Type: a "Remissvar" line, a speech title, an interpellation, or the folder it sits in.
    for l in head.iter().filter(|_| known.doc_type.is_none()) {
        let low = l.trim_start_matches('#').trim().to_lowercase();
        let t = if matches!(
            low.as_str(),
            "remissvar" | "remissyttrande" | "yttrande över remiss"
        ) {
            Some("remissvar")
        } else if low.starts_with("tal av ")
            || low.starts_with("tal vid ")
            || low.starts_with("anförande av ")
        {
            Some("tal")
        } else if low.starts_with("interpellation ") {
            Some("interpellation")
        } else {
            None
        };
        if let Some(t) = t {
            meta.doc_type = Some(t.to_string());
            break;
        }
    }
    if meta.doc_type.is_none() && known.doc_type.is_none() {
        meta.doc_type = type_from_path(rel_path);
    }

    // Actor: who "har beretts tillfälle" (remissvar), who gives the speech.
    let joined = lines.join(" ");
    if known.actor.is_some() {
        // Given.
    } else if let Some(c) = lines.iter().find_map(|l| ACTOR_REMISS.captures(l)) {
        meta.actor = Some(c[1].trim().to_string());
    } else if let Some(c) = ACTOR_SPEECH.captures(&joined) {
        meta.actor = Some(c[1].to_string());
    } else if let Some(first) = lines.first() {
        // A letterhead's first line, "Organisation/English name".
        if let Some((org, _)) = first.split_once('/') {
            if org.chars().count() > 3
                && org.chars().next().is_some_and(char::is_uppercase)
                && !org.contains(' ')
            {
                meta.actor = Some(org.trim().to_string());
            }
        }
    }

    // Date: the first ISO or Swedish date near the top.
    if known.date.is_none() {
        let head_text = head.join("\n");
        let date_candidates = ISO_DATE
            .find_iter(&head_text)
            .map(|m| (m.start(), m.as_str().to_string()))
            .chain(
                SV_DATE
                    .find_iter(&head_text)
                    .map(|m| (m.start(), m.as_str().to_string())),
            );
        if let Some(d) = date_candidates
            .filter_map(|(pos, s)| parse_date(&s).ok().map(|d| (pos, d)))
            .min_by_key(|(pos, _)| *pos)
            .map(|(_, d)| d)
        {
            meta.date = Some(d);
        }
    }

    // Recipient: "Till: X via …".
    let till = |l: &&&str| l.to_lowercase().starts_with("till:");
    if let Some(l) = head.iter().filter(|_| known.recipient.is_none()).find(till) {
        let r = l[l.find(':').unwrap() + 1..].trim();
        let r = r.split(" via ").next().unwrap_or(r).trim();
        if !r.is_empty() {
            meta.recipient = Some(r.to_string());
        }
    }

    // Title: a Markdown heading, or the first line that is neither letterhead nor formalia.
    if known.title.is_some() {
        // Given.
    } else if let Some(h) = head.iter().find(|l| l.starts_with("# ")) {
        meta.title = Some(h[2..].trim().to_string());
    } else {
        let start = head
            .iter()
            .rposition(|l| l.to_lowercase().starts_with("till:") || is_contact(l))
            .map_or(0, |i| i + 1);
        let mut i = start;
        while i < head.len() && (is_trivial_line(head[i]) || is_contact(head[i])) {
            i += 1;
        }
        if i < head.len() && !ACTOR_REMISS.is_match(head[i]) && head[i].chars().count() <= 140 {
            let mut title = head[i].trim_end_matches(['.', ' ']).to_string();
            if let Some(next) = head.get(i + 1) {
                let continues = crate::chapters::parse_heading(next).is_none()
                    && !is_trivial_line(next)
                    && !ACTOR_REMISS.is_match(next)
                    && next.chars().count() < 60
                    && !next.ends_with('.');
                if continues {
                    title.push(' ');
                    title.push_str(next);
                }
            }
            meta.title = Some(title);
        }
    }

    if known.language.is_none() {
        meta.language = Some(detect_language(&joined).to_string());
    }
    meta
}

fn is_contact(l: &str) -> bool {
    let low = l.to_lowercase();
    low.contains("postadress")
        || low.starts_with("tel")
        || low.contains("e-post")
        || low.contains("e mail")
        || low.contains("www.")
}

/// The document type suggested by the folder a file sits in or its name's first part
/// (`remissvar/x.txt`, `tal-forssmed.md`).
fn type_from_path(rel_path: &Path) -> Option<String> {
    const KNOWN: &[&str] = &[
        "remissvar",
        "tal",
        "strategi",
        "interpellation",
        "fråga",
        "motion",
        "proposition",
        "rapport",
        "debattartikel",
        "pressmeddelande",
        "utredning",
    ];
    let parent = rel_path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str())
        .map(|s| s.to_lowercase());
    let stem_head = rel_path
        .file_stem()
        .and_then(|s| s.to_str())
        .map(|s| s.split(['-', '_']).next().unwrap_or("").to_lowercase());
    [parent, stem_head]
        .into_iter()
        .flatten()
        .find(|w| KNOWN.contains(&w.as_str()))
}

/// "sv" unless English function words clearly outnumber Swedish ones.
fn detect_language(text: &str) -> &'static str {
    const SV: &[&str] = &[
        "och", "att", "det", "som", "för", "med", "är", "av", "på", "inte",
    ];
    const EN: &[&str] = &[
        "the", "and", "of", "to", "is", "that", "for", "with", "are", "not",
    ];
    let (mut sv, mut en) = (0, 0);
    // Every marker word is at most five bytes long: longer words need no lower-casing.
    for w in text.split_whitespace().filter(|w| w.len() <= 5) {
        let w = w.to_lowercase();
        sv += usize::from(SV.contains(&w.as_str()));
        en += usize::from(EN.contains(&w.as_str()));
    }
    if en > sv * 2 && en > 5 {
        "en"
    } else {
        "sv"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_impossible_ones_are_refused() {
        assert_eq!(parse_date("2025-10-14").unwrap(), "2025-10-14");
        assert_eq!(parse_date("2024-03-18T10:00:00").unwrap(), "2024-03-18");
        assert_eq!(parse_date("2015-3-1").unwrap(), "2015-03-01");
        assert!(parse_date("15-03-01").is_err());
        assert_eq!(parse_date("den 6 februari 2025").unwrap(), "2025-02-06");
        assert!(parse_date("2025-02-30")
            .unwrap_err()
            .contains("not a real date"));
        assert!(parse_date("2025-13-01").is_err());
        assert!(parse_date("igår").is_err());
    }

    #[test]
    fn front_matter_fields_and_aliases() {
        let (m, err) = parse_front_matter(
            "id: ipq-1\ntype: interpellation\ntitle: \"Vård\"\nactor: \"A B\"\nparti: S\ndate: 2024-03-18\nnumber: 635\n",
            2,
        );
        assert_eq!(err, None);
        assert_eq!(m.id.as_deref(), Some("ipq-1"));
        assert_eq!(m.party.as_deref(), Some("S"));
        assert_eq!(m.date.as_deref(), Some("2024-03-18"));
        assert_eq!(m.extra.get("number").map(String::as_str), Some("635"));
    }

    #[test]
    fn malformed_front_matter_keeps_what_it_can_and_names_the_line() {
        let (m, err) =
            parse_front_matter("title: Bra titel\nactor: [oavslutad\ndate: 2024-01-02\n", 2);
        let err = err.expect("an error");
        assert!(err.contains("line"), "{err}");
        assert_eq!(m.title.as_deref(), Some("Bra titel"));
        assert_eq!(m.date.as_deref(), Some("2024-01-02"));
    }

    #[test]
    fn detects_a_remissvar_from_its_letterhead_and_wording() {
        let text = "Föreningen X/The X Association\nPostadress: Box 1\nRemissvar\nStockholm 2025-10-14\n\
                    Till: Region Stockholm via webbformulär\nFörslag till ny plan för\nStockholmsregionen\n\
                    Dnr: 1\nFöreningen X (FX) har genom remiss beretts tillfälle att lämna synpunkter.\n";
        let m = detect(text, Path::new("a.txt"));
        assert_eq!(m.doc_type.as_deref(), Some("remissvar"));
        assert_eq!(m.actor.as_deref(), Some("Föreningen X (FX)"));
        assert_eq!(m.date.as_deref(), Some("2025-10-14"));
        assert_eq!(m.recipient.as_deref(), Some("Region Stockholm"));
        assert_eq!(
            m.title.as_deref(),
            Some("Förslag till ny plan för Stockholmsregionen")
        );
    }

    #[test]
    fn detects_a_speech() {
        let text = "# Tal av socialminister Jakob Forssmed på Regulatory Summit 2025\n\n\
                    Tal av socialminister Jakob Forssmed på Regulatory Summit 2025 den 6 februari 2025.\n";
        let m = detect(text, Path::new("x.md"));
        assert_eq!(m.doc_type.as_deref(), Some("tal"));
        assert_eq!(m.actor.as_deref(), Some("Jakob Forssmed"));
        assert_eq!(m.date.as_deref(), Some("2025-02-06"));
    }

    #[test]
    fn type_comes_from_the_folder_when_the_text_says_nothing() {
        assert_eq!(
            type_from_path(Path::new("strategi/plan.pdf")).as_deref(),
            Some("strategi")
        );
        assert_eq!(
            type_from_path(Path::new("tal-x.md")).as_deref(),
            Some("tal")
        );
        assert_eq!(type_from_path(Path::new("misc/a.md")), None);
    }
}
