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
//! words), `OR`, `NOT`/`-word` and parentheses ([`definition`]). Indexing tags each passage with every topic whose definition it matches.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::query::Query;

/// The name of a corpus's own taxonomy file.
pub const TOPICS: &str = "topics.toml";

/// The taxonomy used when a corpus has no `topics.toml` of its own: the bundled one.
pub const DEFAULT_TOPICS: &str = include_str!("../topics.toml");

/// One topic of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// The taxonomy file's shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
