//! The topic taxonomy (`topics.toml`): topics with an id, a label and a definition.
//!
//! ```toml
//! [[topic]]
//! id = "kliniska-provningar"
//! label = "Kliniska prövningar"
//! query = '"kliniska prövningar" OR prövning* OR "klinisk forskning"'
//! ```
//!
//! A definition is a query of the query language ([`crate::query`]): words (analysed like the
//! passage text, so inflected forms match), `"phrases"`, `prefix*`, `AND` (also implied between
//! words), `OR`, `NOT`/`-word` and parentheses ([`definition`]).
//!
//! A passage is tagged from the evidence it holds, not from one match: each alternative of the
//! definition (each operand of its top `OR`) that it holds is one piece of evidence. A phrase, or
//! a word listed in `strong`, counts [`STRONG`], another word [`WEAK`]; half that when its only
//! mention is one item of a list, [`REPEATED`] times that when the passage says it again. In
//! `a AND b` the passage must hold `a`; `b` may be in the title or chapter heading. The
//! document's title and the passage's chapter heading add [`SUPPORT`] each when they hold an
//! alternative too, other passages of the document that have the topic [`DOCUMENT_SUPPORT`]. A
//! passage whose evidence reaches the topic's `threshold` (default [`THRESHOLD`]) and whose
//! definition matches gets the topic. The taxonomy can say which words count only with others
//! near them (`context`) and which phrases never count (`never`):
//!
//! ```toml
//! [[topic]]
//! id = "klimat-miljö"
//! label = "Klimat och miljö"
//! query = 'klimatpåverkan OR miljöpåverkan OR miljö'
//! strong = ["klimatpåverkan", "miljöpåverkan"]
//! never = ["arbetsmiljö"]
//! threshold = 2.0
//! [topic.context]
//! "miljö" = 'vård OR läkemedel OR sjukhus'
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::query::Query;

/// The name of a corpus's own taxonomy file.
pub const TOPICS: &str = "topics.toml";

/// The taxonomy used when a corpus has no `topics.toml` of its own: the bundled one.
pub const DEFAULT_TOPICS: &str = include_str!("../topics.toml");

/// The evidence a word of a definition gives.
pub const WEAK: f32 = 1.0;
/// The evidence a phrase, or a word listed in a topic's `strong`, gives.
pub const STRONG: f32 = 1.5;
/// What an alternative said more than once gives, times its weight: a word the passage returns
/// to is more likely its subject.
pub const REPEATED: f32 = 1.5;
/// The evidence a document's title or a passage's chapter heading adds when it holds the topic's
/// words too.
pub const SUPPORT: f32 = 1.0;
/// The evidence other passages of the document add when they have the topic: less than a
/// title's, since a document touches on more than its subject.
pub const DOCUMENT_SUPPORT: f32 = 0.5;
/// The evidence a passage needs, unless its topic says otherwise.
pub const THRESHOLD: f32 = 2.0;
/// How near (in words) a word's context must be.
pub const CONTEXT_WINDOW: usize = 12;

/// One topic of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// A short stable id (`hälsodata`, `kliniska-provningar`), used in filters.
    pub id: String,
    /// The Swedish label shown to people.
    pub label: String,
    /// The definition, as a query.
    pub query: String,
    /// What the topic covers, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Words or phrases of the definition specific enough to count [`STRONG`], as written there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strong: Vec<String>,
    /// Words of the definition (as written there) that count only when a word of the given
    /// query (words, phrases, prefixes, `OR`) is within [`CONTEXT_WINDOW`] words.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, String>,
    /// Words or phrases whose words never count as evidence (`beroende på`, `arbetsmiljö`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub never: Vec<String>,
    /// The evidence a passage needs (default [`THRESHOLD`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
}

impl Topic {
    /// A topic defined by its query alone, with the default weights and threshold.
    pub fn new(id: impl Into<String>, label: impl Into<String>, query: impl Into<String>) -> Topic {
        Topic {
            id: id.into(),
            label: label.into(),
            query: query.into(),
            description: None,
            strong: Vec::new(),
            context: BTreeMap::new(),
            never: Vec::new(),
            threshold: None,
        }
    }

    /// The evidence a passage needs.
    pub fn threshold(&self) -> f32 {
        self.threshold.unwrap_or(THRESHOLD)
    }
}

/// The taxonomy file's shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    /// The topics, in the file's order.
    #[serde(rename = "topic", default)]
    pub topics: Vec<Topic>,
}

impl Taxonomy {
    /// Reads and checks a taxonomy file: ids unique, every definition parses.
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Taxonomy::parse(&text).map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses and checks taxonomy text.
    pub fn parse(text: &str) -> std::result::Result<Taxonomy, String> {
        let t: Taxonomy = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        for topic in &t.topics {
            if !seen.insert(topic.id.to_lowercase()) {
                return Err(format!("topic id `{}` is defined twice", topic.id));
            }
            definition(&topic.query).map_err(|e| format!("topic `{}`: {e}", topic.id))?;
            for (word, near) in &topic.context {
                definition(near)
                    .map_err(|e| format!("topic `{}`: the context of `{word}`: {e}", topic.id))?;
            }
            for phrase in &topic.never {
                definition(&format!("\"{}\"", phrase.replace('"', "")))
                    .map_err(|e| format!("topic `{}`: never `{phrase}`: {e}", topic.id))?;
            }
            if topic.threshold.is_some_and(|t| !(t > 0.0 && t.is_finite())) {
                return Err(format!(
                    "topic `{}`: the threshold must be above 0",
                    topic.id
                ));
            }
        }
        Ok(t)
    }
}

/// Parses a topic's definition: a query of the query language ([`crate::query`]) made of words,
/// phrases, prefixes, `AND`, `OR`, `NOT` and parentheses; fields, date ranges and an empty
/// definition are refused.
pub fn definition(query: &str) -> std::result::Result<Query, String> {
    let q = Query::parse(query).map_err(|e| e.to_string())?;
    fn check(q: &Query) -> std::result::Result<(), String> {
        match q {
            Query::Word { field: Some(f), .. } | Query::Phrase { field: Some(f), .. } => Err(
                format!("a topic definition cannot name a field (`{}:`)", f.as_str()),
            ),
            Query::DateRange { .. } => Err("a topic definition cannot hold a date range".into()),
            Query::All => Err("a topic definition needs at least one word".into()),
            Query::Word { .. } | Query::Phrase { .. } => Ok(()),
            Query::And(qs) | Query::Or(qs) => qs.iter().try_for_each(check),
            Query::Not(q) => check(q),
        }
    }
    check(&q)?;
    Ok(q)
}
