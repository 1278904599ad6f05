//! The topic taxonomy (`topics.toml`): topics with an id, a label and a definition.
//!
//! ```toml
//! [[topic]]
//! id = "kliniska-provningar"
//! label = "Kliniska prövningar"
//! query = '"kliniska prövningar" OR prövning* OR "klinisk forskning"'
//! ```
//!
//! A definition is a small query: words (analysed like the passage text, so inflected forms
//! match), `"phrases"`, `prefix*`, `AND` (also implied between words), `OR`, `NOT`/`-word` and
//! parentheses. Indexing tags each passage with every topic whose definition it matches.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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
            Expr::parse(&topic.query).map_err(|e| format!("topic `{}`: {e}", topic.id))?;
        }
        Ok(t)
    }
}

/// A parsed topic definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A word as written.
    Word(String),
    /// Words that must stand in this order.
    Phrase(String),
    /// A prefix of a word (lower-cased, not stemmed).
    Prefix(String),
    /// All must match.
    And(Vec<Expr>),
    /// Any must match.
    Or(Vec<Expr>),
    /// Must not match.
    Not(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    Open,
    Close,
    And,
    Or,
    Not,
}

fn lex(q: &str) -> std::result::Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = q.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Tok::Open);
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
            }
            '-' => {
                chars.next();
                out.push(Tok::Not);
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '"' {
                        closed = true;
                        break;
                    }
                    s.push(c);
                }
                if !closed {
                    return Err(format!("unbalanced quote at column {}", i + 1));
                }
                out.push(Tok::Phrase(s));
            }
            _ => {
                let mut s = String::new();
                while let Some(&(_, c)) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                        break;
                    }
                    s.push(c);
                    chars.next();
                }
                out.push(match s.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(s),
                });
            }
        }
    }
    Ok(out)
}

impl Expr {
    /// Parses a definition.
    pub fn parse(q: &str) -> std::result::Result<Expr, String> {
        let toks = lex(q)?;
        let mut pos = 0;
        let e = parse_or(&toks, &mut pos)?;
        if pos < toks.len() {
            return Err("unbalanced `)`".into());
        }
        Ok(e)
    }
}

fn parse_or(t: &[Tok], pos: &mut usize) -> std::result::Result<Expr, String> {
    let mut parts = vec![parse_and(t, pos)?];
    while t.get(*pos) == Some(&Tok::Or) {
        *pos += 1;
        parts.push(parse_and(t, pos)?);
    }
    Ok(if parts.len() == 1 {
        parts.pop().unwrap()
    } else {
        Expr::Or(parts)
    })
}

fn parse_and(t: &[Tok], pos: &mut usize) -> std::result::Result<Expr, String> {
    let mut parts = Vec::new();
    loop {
        match t.get(*pos) {
            None | Some(Tok::Or) | Some(Tok::Close) => break,
            Some(Tok::And) => *pos += 1,
            _ => parts.push(parse_unary(t, pos)?),
        }
    }
    match parts.len() {
        0 => Err("empty expression".into()),
        1 => Ok(parts.pop().unwrap()),
        _ => Ok(Expr::And(parts)),
    }
}

fn parse_unary(t: &[Tok], pos: &mut usize) -> std::result::Result<Expr, String> {
    let tok = t.get(*pos).cloned();
    *pos += 1;
    match tok {
        Some(Tok::Not) => Ok(Expr::Not(Box::new(parse_unary(t, pos)?))),
        Some(Tok::Open) => {
            let e = parse_or(t, pos)?;
            if t.get(*pos) != Some(&Tok::Close) {
                return Err("unbalanced `(`".into());
            }
            *pos += 1;
            Ok(e)
        }
        Some(Tok::Word(w)) => Ok(match w.strip_suffix('*') {
            Some(p) if !p.is_empty() => Expr::Prefix(p.to_lowercase()),
            Some(_) => return Err("a lone `*` matches everything; give a prefix".into()),
            None => Expr::Word(w),
        }),
        Some(Tok::Phrase(p)) => Ok(Expr::Phrase(p)),
        _ => Err("expected a word, a phrase or `(`".into()),
    }
}
