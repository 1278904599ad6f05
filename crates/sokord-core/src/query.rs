//! The query language: parsing a query string into a [`Query`] tree, with errors that name the
//! column where the problem is.
//!
//! | syntax | meaning |
//! |---|---|
//! | `kliniska prövningar` | both words (implicit AND), in any inflected form or as compound parts |
//! | `a OR b`, `a AND b` (also `a \| b`, `a & b`) | either / both |
//! | `-a`, `NOT a` | not a |
//! | `+a` | a is required (as every word is by default) |
//! | `(a OR b) c` | grouping |
//! | `"kliniska prövningar"` | phrase, inflected forms included |
//! | `"läkemedel brist"~5` | two words with at most 5 words between them, in either order |
//! | `vård*` | word forms that start with `vård` (at least 2 letters), and `vård` as a plain word |
//! | `prövnng~1` | word forms within 1 (or 2) edits: typos |
//! | `=läkemedlen` | this exact word form: no stemming, no compound parts |
//! | `exact:"vård och omsorg"` | exact forms, stop words included |
//! | `actor:Lif`, `party:S`, `recipient:Hägglund`, `type:remissvar`, `chapter:3`, `topic:hälsodata`, `year:2025` | filters |
//! | `date:[2024-01-01 TO 2025-06-30]` | a date range (`*` for an open end) |
//! | `title:strategi` | a word or phrase in the title |

use std::fmt;

use serde::{Deserialize, Serialize};

use self::lex::{lex, Tok, Token};

mod lex;

/// The most words, phrases and filters one query may hold.
pub const MAX_CLAUSES: usize = 256;
/// The largest edit distance a fuzzy word may ask for.
pub const MAX_FUZZY: u8 = 2;
/// The fewest letters a prefix (`vård*`) must have.
pub const MIN_PREFIX: usize = 2;
/// The deepest nesting of parentheses and `NOT`s a query may have.
pub const MAX_DEPTH: usize = 32;

/// Swedish endings written after a colon on abbreviations (`EU:s`, `TLV:s`, `SKR:n`, `IVO:are`):
/// such a colon belongs to the word.
fn is_genitive_ending(s: &str) -> bool {
    matches!(
        s,
        "s" | "n"
            | "en"
            | "et"
            | "ens"
            | "ets"
            | "ar"
            | "er"
            | "or"
            | "na"
            | "ns"
            | "arna"
            | "erna"
            | "are"
            | "ares"
            | "ers"
            | "t"
            | "ts"
    )
}

/// The fields a query may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldName {
    /// Words of the actor's name.
    Actor,
    /// Party.
    Party,
    /// Words of the recipient's name (the minister an interpellation is addressed to).
    Recipient,
    /// Document type.
    Type,
    /// Chapter number, sub-section or title.
    Chapter,
    /// Topic id or label.
    Topic,
    /// Year of the document's date.
    Year,
    /// Date (ranges).
    Date,
    /// Title words.
    Title,
    /// Exact word forms of the passage text, stop words included.
    Exact,
}

impl FieldName {
    /// All field names, as written in queries.
    pub const ALL: &'static [(&'static str, FieldName)] = &[
        ("actor", FieldName::Actor),
        ("party", FieldName::Party),
        ("recipient", FieldName::Recipient),
        ("type", FieldName::Type),
        ("chapter", FieldName::Chapter),
        ("topic", FieldName::Topic),
        ("year", FieldName::Year),
        ("date", FieldName::Date),
        ("title", FieldName::Title),
        ("exact", FieldName::Exact),
    ];

    fn from_name(name: &str) -> Option<FieldName> {
        FieldName::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)
    }

    /// The name as written in queries.
    pub fn as_str(self) -> &'static str {
        FieldName::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }

    /// Whether the field filters (metadata) rather than matching text.
    pub fn is_filter(self) -> bool {
        !matches!(self, FieldName::Title | FieldName::Exact)
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Query {
    /// A word: in the passage text, title and headings unless a field is named.
    Word {
        /// The word as written.
        text: String,
        /// A field to search instead of the text.
        field: Option<FieldName>,
        /// `word*`: forms starting with the word.
        prefix: bool,
        /// `word~N`: forms within N edits.
        fuzzy: Option<u8>,
        /// `=word`: this exact form.
        exact: bool,
    },
    /// Words in order, or with at most `slop` words between them (two words: in either order).
    Phrase {
        /// The phrase's words.
        text: String,
        /// A field to search instead of the text.
        field: Option<FieldName>,
        /// How many positions apart the words may stand (0: adjacent, in order).
        slop: u32,
    },
    /// A date range, both ends included; `None` is open.
    DateRange {
        /// First date, `YYYY-MM-DD` (or `YYYY`, `YYYY-MM`).
        from: Option<String>,
        /// Last date.
        to: Option<String>,
    },
    /// All must match.
    And(Vec<Query>),
    /// Any must match.
    Or(Vec<Query>),
    /// Must not match.
    Not(Box<Query>),
    /// Everything (an empty query).
    All,
}

impl Query {
    /// A plain word.
    pub fn word(text: impl Into<String>) -> Query {
        Query::Word {
            text: text.into(),
            field: None,
            prefix: false,
            fuzzy: None,
            exact: false,
        }
    }

    /// A phrase; `slop` 0 for adjacent words.
    pub fn phrase(text: impl Into<String>, slop: u32) -> Query {
        Query::Phrase {
            text: text.into(),
            field: None,
            slop,
        }
    }

    /// A filter on a field (`actor`, `party`, …).
    pub fn field(field: FieldName, value: impl Into<String>) -> Query {
        Query::Word {
            text: value.into(),
            field: Some(field),
            prefix: false,
            fuzzy: None,
            exact: false,
        }
    }

    /// Parses a query string.
    pub fn parse(input: &str) -> Result<Query, ParseError> {
        let tokens = lex(input)?;
        let mut p = Parser {
            tokens: &tokens,
            pos: 0,
            input,
            clauses: 0,
            depth: 0,
        };
        if tokens.is_empty() {
            return Ok(Query::All);
        }
        let q = p.or()?;
        if let Some(t) = p.tokens.get(p.pos) {
            return Err(ParseError::at(
                input,
                t.start,
                "unexpected `)`: no `(` opens it",
            ));
        }
        Ok(q)
    }

    /// The positive words and phrases of a top-level conjunction, for filling results with
    /// partial matches; empty when the query is not such a conjunction.
    pub fn conjuncts(&self) -> Vec<&Query> {
        match self {
            Query::And(parts) => parts.iter().filter(|q| q.is_text()).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the query has a word or phrase to find in the text (not only filters, dates or
    /// words it takes away): what a hit's highlights can show.
    pub fn has_text(&self) -> bool {
        match self {
            Query::And(parts) | Query::Or(parts) => parts.iter().any(Query::has_text),
            Query::Word { .. } | Query::Phrase { .. } => self.is_text(),
            Query::Not(_) | Query::DateRange { .. } | Query::All => false,
        }
    }

    fn is_text(&self) -> bool {
        match self {
            Query::Word { field, .. } | Query::Phrase { field, .. } => {
                field.is_none_or(|f| !f.is_filter())
            }
            _ => false,
        }
    }
}

fn quote(s: &str) -> String {
    if s.is_empty() || s.contains(|c: char| c.is_whitespace() || "()\":".contains(c)) {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Word {
                text,
                field,
                prefix,
                fuzzy,
                exact,
            } => {
                if let Some(field) = field {
                    write!(f, "{}:", field.as_str())?;
                }
                if *exact {
                    write!(f, "=")?;
                }
                write!(f, "{}", quote(text))?;
                if *prefix {
                    write!(f, "*")?;
                }
                if let Some(n) = fuzzy {
                    write!(f, "~{n}")?;
                }
                Ok(())
            }
            Query::Phrase { text, field, slop } => {
                if let Some(field) = field {
                    write!(f, "{}:", field.as_str())?;
                }
                write!(f, "\"{text}\"")?;
                if *slop > 0 {
                    write!(f, "~{slop}")?;
                }
                Ok(())
            }
            Query::DateRange { from, to } => write!(
                f,
                "date:[{} TO {}]",
                from.as_deref().unwrap_or("*"),
                to.as_deref().unwrap_or("*")
            ),
            Query::And(parts) => join(f, parts, " "),
            Query::Or(parts) => join(f, parts, " OR "),
            Query::Not(q) => write!(f, "-{q}"),
            Query::All => Ok(()),
        }
    }
}

fn join(f: &mut fmt::Formatter<'_>, parts: &[Query], sep: &str) -> fmt::Result {
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            write!(f, "{sep}")?;
        }
        match p {
            Query::And(_) | Query::Or(_) => write!(f, "({p})")?,
            _ => write!(f, "{p}")?,
        }
    }
    Ok(())
}

/// A malformed query, with the column (1-based, in characters) where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// The column, counted in characters from 1.
    pub column: usize,
    /// The byte offset in the query.
    pub offset: usize,
}

impl ParseError {
    fn at(input: &str, offset: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            column: input[..offset.min(input.len())].chars().count() + 1,
            offset,
        }
    }
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    input: &'a str,
    clauses: usize,
    /// How deep in parentheses and `NOT`s the parser is.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.input.len(), |t| t.start)
    }

    fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError::at(self.input, self.offset(), message)
    }

    fn or(&mut self) -> Result<Query, ParseError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            if matches!(
                self.peek(),
                None | Some(Tok::Close) | Some(Tok::Or) | Some(Tok::And)
            ) {
                return Err(self.err("`OR` needs a word on both sides"));
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap()
        } else {
            Query::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Query, ParseError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::Close) => break,
                Some(Tok::And) => {
                    if parts.is_empty() {
                        return Err(self.err("`AND` needs a word on both sides"));
                    }
                    self.pos += 1;
                    if matches!(
                        self.peek(),
                        None | Some(Tok::Close) | Some(Tok::Or) | Some(Tok::And)
                    ) {
                        return Err(self.err("`AND` needs a word on both sides"));
                    }
                }
                _ => parts.push(self.unary()?),
            }
        }
        match parts.len() {
            0 => Err(self.err("expected a word here")),
            1 => Ok(parts.pop().unwrap()),
            _ => Ok(Query::And(parts)),
        }
    }

    /// Goes one level deeper (a parenthesis, a `NOT`), refusing past [`MAX_DEPTH`].
    fn deeper(&mut self, at: usize) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::at(
                self.input,
                at,
                format!("nested too deep: at most {MAX_DEPTH} levels of parentheses and NOT"),
            ));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Query, ParseError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                if matches!(
                    self.peek(),
                    None | Some(Tok::Close) | Some(Tok::Or) | Some(Tok::And)
                ) {
                    return Err(self.err("`NOT` (or `-`) needs a word after it"));
                }
                self.deeper(self.offset())?;
                let q = Query::Not(Box::new(self.unary()?));
                self.depth -= 1;
                Ok(q)
            }
            Some(Tok::Plus) => {
                self.pos += 1;
                self.unary()
            }
            _ => self.primary(),
        }
    }

    fn count_clause(&mut self, at: usize) -> Result<(), ParseError> {
        self.clauses += 1;
        if self.clauses > MAX_CLAUSES {
            return Err(ParseError::at(
                self.input,
                at,
                format!("too many terms: a query may hold at most {MAX_CLAUSES}"),
            ));
        }
        Ok(())
    }

    fn primary(&mut self) -> Result<Query, ParseError> {
        let Some(token) = self.tokens.get(self.pos).cloned() else {
            return Err(self.err("expected a word here"));
        };
        let at = token.start;
        self.pos += 1;
        match token.tok {
            Tok::Open => {
                if self.peek() == Some(&Tok::Close) {
                    return Err(ParseError::at(self.input, at, "empty parentheses"));
                }
                self.deeper(at)?;
                let q = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::Close) {
                    return Err(ParseError::at(
                        self.input,
                        at,
                        "unbalanced parenthesis: this `(` is not closed",
                    ));
                }
                self.pos += 1;
                Ok(q)
            }
            Tok::Close => Err(ParseError::at(
                self.input,
                at,
                "unexpected `)`: no `(` opens it",
            )),
            Tok::Phrase { field, text, slop } => {
                self.count_clause(at)?;
                let field = match field {
                    Some(f) => Some(self.field(&f, at)?),
                    None => None,
                };
                if text.trim().is_empty() {
                    return Err(ParseError::at(self.input, at, "empty phrase"));
                }
                let slop = match slop {
                    None => 0,
                    Some(s) if s.is_empty() => 2,
                    Some(s) => s.parse::<u32>().ok().filter(|n| *n <= 50).ok_or_else(|| {
                        ParseError::at(self.input, at, "proximity is at most ~50")
                    })?,
                };
                if let Some(f) = field.filter(|f| f.is_filter()) {
                    // A quoted filter value: `actor:"Jakob Forssmed"`.
                    return Ok(Query::field(f, text));
                }
                Ok(Query::Phrase { text, field, slop })
            }
            Tok::Range { field, from, to } => {
                self.count_clause(at)?;
                if self.field(&field, at)? != FieldName::Date {
                    return Err(ParseError::at(
                        self.input,
                        at,
                        "ranges work on `date:` only",
                    ));
                }
                let open = |s: String| (s != "*").then_some(s);
                Ok(Query::DateRange {
                    from: open(from),
                    to: open(to),
                })
            }
            Tok::Word(w) => {
                self.count_clause(at)?;
                self.word(&w, at)
            }
            Tok::And | Tok::Or | Tok::Not | Tok::Plus => {
                Err(ParseError::at(self.input, at, "expected a word here"))
            }
        }
    }

    fn field(&self, name: &str, at: usize) -> Result<FieldName, ParseError> {
        FieldName::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = FieldName::ALL.iter().map(|(n, _)| *n).collect();
            ParseError::at(
                self.input,
                at,
                format!(
                    "unknown field `{name}`; the fields are {}",
                    names.join(", ")
                ),
            )
        })
    }

    fn word(&self, w: &str, at: usize) -> Result<Query, ParseError> {
        let (field, value, value_at) = match w.split_once(':') {
            // `EU:s`, `TLV:s`: a genitive, not a field (unless it names one).
            Some((f, v)) if FieldName::from_name(f).is_none() && is_genitive_ending(v) => {
                (None, w, at)
            }
            Some((f, v))
                if !f.is_empty() && !v.is_empty() && f.chars().all(char::is_alphabetic) =>
            {
                (Some(self.field(f, at)?), v, at + f.len() + 1)
            }
            _ => (None, w, at),
        };
        let (exact, value) = match value.strip_prefix('=') {
            Some(v) => (true, v),
            None => (false, value),
        };
        let (value, fuzzy) = match value.rsplit_once('~') {
            // `~5` apart from its phrase (`"vård omsorg" ~5`): it belongs right after it.
            Some(("", n)) if n.chars().all(|c| c.is_ascii_digit()) => {
                return Err(ParseError::at(
                    self.input,
                    value_at,
                    format!("`~{n}` stands apart: write it right after the phrase or word, with no space (`\"vård omsorg\"~{n}`, `prövning~1`)"),
                ));
            }
            // `vård~x`: a typo's distance is a number.
            Some((v, n))
                if !v.is_empty()
                    && field.is_none_or(|f| !f.is_filter())
                    && n.chars().any(char::is_alphabetic) =>
            {
                return Err(ParseError::at(
                    self.input,
                    value_at,
                    format!("`~{n}`: `~` takes a number of edits, 1 or 2 (`{v}~1`)"),
                ));
            }
            Some((v, n)) if n.chars().all(|c| c.is_ascii_digit()) => {
                let d: u8 = if n.is_empty() {
                    1
                } else {
                    n.parse().unwrap_or(u8::MAX)
                };
                if d > MAX_FUZZY {
                    return Err(ParseError::at(
                        self.input,
                        value_at,
                        format!("fuzzy distance {n} is too large; use ~1 or ~2"),
                    ));
                }
                (v, Some(d))
            }
            _ => (value, None),
        };
        let (value, prefix) = match value.strip_suffix('*') {
            Some(v) => {
                if v.chars().filter(|c| c.is_alphanumeric()).count() < MIN_PREFIX {
                    return Err(ParseError::at(
                        self.input,
                        value_at,
                        format!("a prefix needs at least {MIN_PREFIX} letters before `*`; a lone `*` would match everything"),
                    ));
                }
                (v, true)
            }
            None => (value, false),
        };
        if value.is_empty() && exact {
            // `="vård och omsorg"`, `= vården`: `=` stands before one word.
            return Err(ParseError::at(
                self.input,
                value_at,
                "`=` marks one word's exact form, written right before it: `=vården`; a phrase's exact forms: `exact:\"vård och omsorg\"`",
            ));
        }
        if value.is_empty() || value.contains('*') {
            return Err(ParseError::at(
                self.input,
                value_at,
                "`*` may only end a word",
            ));
        }
        if fuzzy.is_some_and(|d| value.chars().count() < 3 * d as usize) {
            return Err(ParseError::at(
                self.input,
                value_at,
                "a fuzzy word needs at least 3 letters for ~1 and 6 for ~2; shorter ones match too much",
            ));
        }
        if fuzzy.is_some() && prefix {
            return Err(ParseError::at(
                self.input,
                value_at,
                "a word cannot be both a prefix and fuzzy",
            ));
        }
        if field.is_some_and(FieldName::is_filter) && (prefix || fuzzy.is_some() || exact) {
            return Err(ParseError::at(self.input, at, "filters take plain values"));
        }
        Ok(Query::Word {
            text: value.to_string(),
            field,
            prefix,
            fuzzy,
            exact,
        })
    }
}

/// A word of a query that people write meaning an operator, searched as a word: `or`, `and`,
/// `not` in lower case, `eller` ("or", a stop word, left out: the words around it must then
/// all match), and a dash with a space after it (`vård – tandvård`: a minus only before a word,
/// with no space). See [`operator_lookalikes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Lookalike {
    /// The word as written.
    pub word: String,
    /// Its column in the query (1-based, in characters).
    pub column: usize,
    /// The operator meant: `OR`, `AND` or `NOT`.
    pub operator: String,
}

/// The words of `input` between two others that look like operators but are searched as words
/// (see [`Lookalike`]); none in phrases. A query that does not parse has none.
pub fn operator_lookalikes(input: &str) -> Vec<Lookalike> {
    let Ok(tokens) = lex(input) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let Tok::Word(w) = &t.tok else { continue };
        if i == 0 || i + 1 == tokens.len() {
            continue;
        }
        let operator = match w.as_str() {
            "or" | "Or" | "eller" | "Eller" => "OR",
            "and" | "And" => "AND",
            "not" | "Not" => "NOT",
            // A dash with a space after it before a word (`vård – tandvård`) is no minus:
            // nothing is left out (`2020 - 2021` and `covid - 19` are not meant as one).
            "-" | "–" | "—" | "−" if matches!(&tokens[i + 1].tok, Tok::Word(w) if w.starts_with(char::is_alphabetic)) => {
                "NOT"
            }
            "-" | "–" | "—" | "−" => continue,
            _ => continue,
        };
        out.push(Lookalike {
            word: w.clone(),
            column: input[..t.start].chars().count() + 1,
            operator: operator.to_string(),
        });
    }
    out
}

/// A query where `OR` stands beside words joined without an operator, which bind first:
/// `covid OR corona äldreomsorg` is `covid OR (corona äldreomsorg)`. See [`or_beside_and`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrBesideAnd {
    /// The column of the first such `OR` (1-based, in characters).
    pub column: usize,
    /// How the query is read, with the parentheses it implies around the words beside the `OR`.
    pub read_as: String,
    /// The query with parentheses around the alternatives instead: what a reader who meant
    /// either alternative together with the other words writes.
    pub alternatives: String,
}

/// Whether `input` has an `OR` (or `|`) outside parentheses with words joined to it without an
/// operator, where the reading is easy to mistake: the words beside each other bind first
/// (`a OR b c` is `a OR (b c)`), not the `OR` as in a web search engine. Only the first chain of
/// `OR`s outside parentheses is looked at. Meant for a query that parses.
pub fn or_beside_and(input: &str) -> Option<OrBesideAnd> {
    let tokens = lex(input).ok()?;
    // Depth of parentheses at each token (a group's own parentheses at the outer depth).
    let mut depth = Vec::with_capacity(tokens.len());
    let mut d = 0usize;
    for t in &tokens {
        if t.tok == Tok::Close {
            d = d.saturating_sub(1);
        }
        depth.push(d);
        if t.tok == Tok::Open {
            d += 1;
        }
    }
    let top = |i: usize| depth[i] == 0;
    let ends = |t: &Tok| {
        matches!(
            t,
            Tok::Word(_) | Tok::Phrase { .. } | Tok::Range { .. } | Tok::Close
        )
    };
    let begins = |t: &Tok| {
        matches!(
            t,
            Tok::Word(_)
                | Tok::Phrase { .. }
                | Tok::Range { .. }
                | Tok::Open
                | Tok::Not
                | Tok::Plus
        )
    };
    // The first token of the operand that ends at token `k` (a group, with `-`/`+`/NOT before).
    let operand_start = |k: usize| -> usize {
        let mut i = k;
        if tokens[i].tok == Tok::Close {
            while i > 0 && !(tokens[i].tok == Tok::Open && top(i)) {
                i -= 1;
            }
        }
        while i > 0 && matches!(tokens[i - 1].tok, Tok::Not | Tok::Plus) && top(i - 1) {
            i -= 1;
        }
        i
    };
    // The last token of the operand that starts at token `k`.
    let operand_end = |k: usize| -> Option<usize> {
        let mut i = k;
        while i < tokens.len() && matches!(tokens[i].tok, Tok::Not | Tok::Plus) {
            i += 1;
        }
        if i < tokens.len() && tokens[i].tok == Tok::Open {
            while i < tokens.len() && !(tokens[i].tok == Tok::Close && top(i)) {
                i += 1;
            }
        }
        (i < tokens.len()).then_some(i)
    };
    // Two operands side by side outside parentheses: token `i` begins one right after another.
    let joined = |i: usize| {
        i > 0
            && i < tokens.len()
            && top(i)
            && top(i - 1)
            && ends(&tokens[i - 1].tok)
            && begins(&tokens[i].tok)
    };
    let or_at = (0..tokens.len()).find(|&i| tokens[i].tok == Tok::Or && top(i))?;
    // The chain: the operand before the first OR through the one after the last.
    let before_or = operand_start(or_at.checked_sub(1)?);
    let mut last_or = or_at;
    let mut after_or = operand_end(or_at + 1)?;
    while after_or + 1 < tokens.len() && tokens[after_or + 1].tok == Tok::Or && top(after_or + 1) {
        last_or = after_or + 1;
        after_or = operand_end(last_or + 1)?;
    }
    // The operand after the last OR begins right after it (its prefixes with it).
    let last_start = last_or + 1;
    // The operands joined to the chain's ends.
    let mut run_start = before_or;
    while joined(run_start) {
        run_start = operand_start(run_start - 1);
    }
    let mut run_end = after_or;
    while joined(run_end + 1) {
        match operand_end(run_end + 1) {
            Some(e) => run_end = e,
            None => break,
        }
    }
    if run_start == before_or && run_end == after_or {
        return None;
    }
    let at = |i: usize| tokens[i].start;
    let end = |i: usize| -> usize {
        let e = tokens.get(i + 1).map_or(input.len(), |t| t.start);
        input[..e].trim_end().len()
    };
    let wrapped = |from: usize, to: usize, wrap: bool| -> String {
        let text = &input[at(from)..end(to)];
        if wrap {
            format!("({text})")
        } else {
            text.to_string()
        }
    };
    let first_end = or_at - 1;
    let read_as = format!(
        "{}{}{}{}{}",
        &input[..at(run_start)],
        wrapped(run_start, first_end, run_start < before_or),
        &input[end(first_end)..at(last_start)],
        wrapped(last_start, run_end, run_end > after_or),
        &input[end(run_end)..],
    );
    Some(OrBesideAnd {
        column: input[..at(or_at)].chars().count() + 1,
        read_as,
        alternatives: format!(
            "{}({}){}",
            &input[..at(before_or)],
            &input[at(before_or)..end(after_or)],
            &input[end(after_or)..]
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn or_beside_words_joined_without_an_operator_is_noted() {
        let n = or_beside_and("covid OR corona äldreomsorg").unwrap();
        assert_eq!(n.read_as, "covid OR (corona äldreomsorg)");
        assert_eq!(n.alternatives, "(covid OR corona) äldreomsorg");
        assert_eq!(n.column, 7);
        let n = or_beside_and("äldreomsorg covid | corona").unwrap();
        assert_eq!(n.read_as, "(äldreomsorg covid) | corona");
        assert_eq!(n.alternatives, "äldreomsorg (covid | corona)");
        let n = or_beside_and("vård \"psykisk ohälsa\" OR ångest").unwrap();
        assert_eq!(n.alternatives, "vård (\"psykisk ohälsa\" OR ångest)");
        // Operands of several tokens: a NOT, a group, a group earlier in the run.
        let n = or_beside_and("a -b OR c").unwrap();
        assert_eq!(n.read_as, "(a -b) OR c");
        assert_eq!(n.alternatives, "a (-b OR c)");
        let n = or_beside_and("x (a b) OR c").unwrap();
        assert_eq!(n.read_as, "(x (a b)) OR c");
        let n = or_beside_and("(covid OR corona) äldreomsorg OR hemtjänst").unwrap();
        assert_eq!(n.read_as, "((covid OR corona) äldreomsorg) OR hemtjänst");
        assert_eq!(
            n.alternatives,
            "(covid OR corona) (äldreomsorg OR hemtjänst)"
        );
        let n = or_beside_and("a OR b OR c d").unwrap();
        assert_eq!(n.read_as, "a OR b OR (c d)");
        assert_eq!(n.alternatives, "(a OR b OR c) d");
        // Both alternatives' readings agree with the parser's.
        for q in [
            "covid OR corona äldreomsorg",
            "äldreomsorg covid | corona",
            "a -b OR c",
            "x (a b) OR c",
            "(covid OR corona) äldreomsorg OR hemtjänst",
            "a OR b OR c d",
            "a NOT b OR c",
        ] {
            let n = or_beside_and(q).unwrap();
            assert_eq!(
                Query::parse(q).unwrap(),
                Query::parse(&n.read_as).unwrap(),
                "{q}"
            );
            assert_ne!(
                Query::parse(q).unwrap(),
                Query::parse(&n.alternatives).unwrap(),
                "{q}"
            );
        }
        // Nothing to note: OR alone, parentheses written, explicit AND, OR inside a group.
        for q in [
            "covid OR corona",
            "(covid OR corona) äldreomsorg",
            "covid OR corona AND äldreomsorg",
            "äldreomsorg (covid OR corona)",
            "\"covid OR corona äldreomsorg\"",
            "covid or corona äldreomsorg",
            "a b AND c OR d",
            "a OR",
        ] {
            assert_eq!(or_beside_and(q), None, "{q}");
        }
    }

    #[test]
    fn lookalike_operators_are_found_between_words_only() {
        let found = |q: &str| -> Vec<(String, usize, String)> {
            operator_lookalikes(q)
                .into_iter()
                .map(|l| (l.word, l.column, l.operator))
                .collect()
        };
        assert_eq!(
            found("vaccin or vaccination"),
            [("or".to_string(), 8, "OR".to_string())]
        );
        assert_eq!(
            found("vård eller omsorg not barn"),
            [
                ("eller".to_string(), 6, "OR".to_string()),
                ("not".to_string(), 19, "NOT".to_string())
            ]
        );
        // Operators, phrases, the ends of the query and other words are not.
        for q in [
            "vaccin OR vaccination",
            "\"vaccin or vaccination\"",
            "or vaccin",
            "vaccin and",
            "vård och omsorg",
            "vård | omsorg",
        ] {
            assert!(found(q).is_empty(), "{q}");
        }
        assert_eq!(found("å or b"), [("or".to_string(), 3, "OR".to_string())]);
        assert_eq!(
            found("vård – tandvård"),
            [("–".to_string(), 6, "NOT".to_string())]
        );
        assert!(found("vård –tandvård").is_empty());
        assert!(found("budget 2020 - 2021").is_empty());
        assert!(found("covid - 19").is_empty());
    }

    #[test]
    fn a_bar_and_an_ampersand_are_operators() {
        assert_eq!(
            Query::parse("vaccin | vaccination").unwrap(),
            Query::parse("vaccin OR vaccination").unwrap()
        );
        assert_eq!(
            Query::parse("vård & omsorg").unwrap(),
            Query::parse("vård omsorg").unwrap()
        );
        // A bar is an operator also without spaces around it; `||` is one.
        for q in [
            "vaccin|vaccination",
            "vaccin||vaccination",
            "vaccin |vaccination",
        ] {
            assert_eq!(
                Query::parse(q).unwrap(),
                Query::parse("vaccin OR vaccination").unwrap(),
                "{q}"
            );
        }
        assert_eq!(
            Query::parse("(tandvård|\"psykisk ohälsa\")").unwrap(),
            Query::parse("(tandvård OR \"psykisk ohälsa\")").unwrap()
        );
        // An ampersand inside a word stays in it (H&M, AT&T).
        assert_ne!(Query::parse("H&M").unwrap(), Query::parse("H M").unwrap());
    }

    fn err(q: &str) -> String {
        Query::parse(q).unwrap_err().to_string()
    }

    #[test]
    fn a_field_without_its_value_says_how_to_write_it() {
        let e = err("title:");
        assert!(
            e.contains("`title:` has no value") && e.contains("title:WORD"),
            "{e}"
        );
        let e = err("vård actor: Forssmed");
        assert!(
            e.contains("`actor:` has no value") && e.contains("column 6"),
            "{e}"
        );
        let e = err("title:(psykisk OR psykiatri)");
        assert!(e.contains("(title:a OR title:b)"), "{e}");
        // A word that merely ends in a colon is a word; so is a field with its value.
        assert!(Query::parse("vård: omsorg").is_ok());
        assert!(Query::parse("title:vård").is_ok());
    }

    #[test]
    fn a_bracket_before_a_range_is_not_taken_for_its_end() {
        // Found by the query_parser fuzz target: `]` before `:[` once sliced the input backwards.
        let q = Query::parse("x]date:[2020 TO 2021]").unwrap_err();
        assert_eq!(q.column, 1, "{q}");
        let q = Query::parse("a]:[").unwrap_err();
        assert!(q.message.contains("unclosed `[`"), "{q}");
    }

    #[test]
    fn parses_the_language() {
        let q = Query::parse("kliniska prövningar").unwrap();
        assert_eq!(
            q,
            Query::And(vec![Query::word("kliniska"), Query::word("prövningar")])
        );
        let q = Query::parse(
            "(vaccin OR vaccination) -barn \"läkemedel brist\"~5 vård* prövnng~1 =läkemedlen",
        )
        .unwrap();
        assert_eq!(
            q.to_string(),
            "(vaccin OR vaccination) -barn \"läkemedel brist\"~5 vård* prövnng~1 =läkemedlen"
        );
        let q = Query::parse(
            "actor:Lif party:S date:[2024-01-01 TO *] actor:\"Jakob Forssmed\" title:strategi",
        )
        .unwrap();
        assert_eq!(
            q.to_string(),
            "actor:Lif party:S date:[2024-01-01 TO *] actor:\"Jakob Forssmed\" title:strategi"
        );
        assert_eq!(Query::parse("   ").unwrap(), Query::All);
        assert_eq!(
            Query::parse("a AND b").unwrap(),
            Query::parse("a b").unwrap()
        );
        assert_eq!(Query::parse("+a").unwrap(), Query::word("a"));
        assert_eq!(
            Query::parse("NOT a").unwrap(),
            Query::Not(Box::new(Query::word("a")))
        );
        // A hyphen inside a word is not NOT.
        assert_eq!(Query::parse("covid-19").unwrap(), Query::word("covid-19"));
    }

    #[test]
    fn typographic_quotes_and_dashes_read_as_quotes_and_minus() {
        let phrase = Query::Phrase {
            text: "omsorg vård".into(),
            field: None,
            slop: 0,
        };
        for q in [
            "\u{201d}omsorg vård\u{201d}",
            "\u{201c}omsorg vård\u{201d}",
            "\u{201e}omsorg vård\u{201c}",
            "\u{bb}omsorg vård\u{ab}",
            "\"omsorg vård\u{201d}",
        ] {
            assert_eq!(Query::parse(q).unwrap(), phrase, "{q}");
        }
        let not = Query::And(vec![
            Query::word("vård"),
            Query::Not(Box::new(Query::word("omsorg"))),
        ]);
        for q in [
            "vård -omsorg",
            "vård \u{2013}omsorg",
            "vård \u{2014}omsorg",
            "vård \u{2212}omsorg",
        ] {
            assert_eq!(Query::parse(q).unwrap(), not, "{q}");
        }
        // A dash between words or standing alone is not a minus.
        assert_eq!(
            Query::parse("hälso- och sjukvård")
                .unwrap()
                .conjuncts()
                .len(),
            3
        );
        assert!(matches!(
            Query::parse("vård \u{2013} omsorg"),
            Ok(Query::And(_))
        ));
        assert!(Query::parse("\u{201d}öppen")
            .unwrap_err()
            .message
            .contains("unbalanced quote"));
        // Field phrases with typographic quotes.
        assert_eq!(
            Query::parse("actor:\u{201d}Jakob Forssmed\u{201d}").unwrap(),
            Query::field(FieldName::Actor, "Jakob Forssmed")
        );
    }

    #[test]
    fn genitives_with_a_colon_are_words_and_field_names_still_open_fields() {
        for w in ["EU:s", "TLV:s", "IVO:s", "SKR:s", "SKR:n", "WHO:s"] {
            assert_eq!(Query::parse(w).unwrap(), Query::word(w), "{w}");
        }
        assert_eq!(
            Query::parse("EU:s läkemedelsmyndighet").unwrap(),
            Query::And(vec![
                Query::word("EU:s"),
                Query::word("läkemedelsmyndighet")
            ])
        );
        assert_eq!(
            Query::parse("party:s").unwrap(),
            Query::field(FieldName::Party, "s")
        );
        assert!(Query::parse("foo:bar")
            .unwrap_err()
            .message
            .starts_with("unknown field `foo`"));
    }

    #[test]
    fn deep_nesting_is_refused_with_a_position_not_a_crash() {
        let deep = "(".repeat(100_000) + "vård" + &")".repeat(100_000);
        let e = Query::parse(&deep).unwrap_err();
        assert!(e.message.contains("nested too deep"), "{}", e.message);
        assert_eq!(e.column, MAX_DEPTH + 1);
        let nots = "NOT ".repeat(100_000) + "vård";
        assert!(Query::parse(&nots)
            .unwrap_err()
            .message
            .contains("nested too deep"));
        let ok = "(".repeat(MAX_DEPTH) + "vård" + &")".repeat(MAX_DEPTH);
        assert_eq!(Query::parse(&ok).unwrap(), Query::word("vård"));
    }

    /// Generated queries from an alphabet of quotes, dashes, parentheses, operators, colons and
    /// Swedish letters: parsing never panics, and an error's position is on a character boundary
    /// inside the query.
    #[test]
    fn generated_queries_parse_or_fail_at_a_character() {
        let pieces = [
            "vård", "EU:s", "å", "ö", ":", "party:", "\"", "\u{201d}", "\u{201c}", "\u{201e}",
            "\u{bb}", "\u{ab}", "-", "\u{2013}", "\u{2014}", "\u{2212}", "+", "(", ")", " ", "OR",
            "AND", "NOT", "*", "~", "~2", "=", "[", "]", " TO ", "date:[", "\u{ad}", "2024",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            let mut q = String::new();
            let n = (state >> 60) as usize + 1;
            for _ in 0..n {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                q.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            if let Err(e) = Query::parse(&q) {
                assert!(
                    e.offset <= q.len() && q.is_char_boundary(e.offset),
                    "{q:?}: {e:?}"
                );
                assert!(
                    e.column >= 1 && e.column <= q.chars().count() + 1,
                    "{q:?}: {e:?}"
                );
            }
        }
    }

    #[test]
    fn errors_name_the_column() {
        assert_eq!(
            err("kliniska \"prövningar"),
            "unbalanced quote: no closing `\"` at column 10"
        );
        assert_eq!(
            err("(vård OR omsorg"),
            "unbalanced parenthesis: this `(` is not closed at column 1"
        );
        assert_eq!(err("vård)"), "unexpected `)`: no `(` opens it at column 5");
        assert!(err("*").contains("a lone `*`"));
        assert!(err("vård a*").contains("column 6"));
        assert!(err("prövning~3").contains("fuzzy distance 3 is too large"));
        // A proximity or a distance written apart from its phrase, or with a letter.
        assert_eq!(
            err("\"vård omsorg\" ~5"),
            "`~5` stands apart: write it right after the phrase or word, with no space (`\"vård omsorg\"~5`, `prövning~1`) at column 15"
        );
        assert!(err("\"vård omsorg\"~ 5").contains("no space between `~` and its number"));
        assert!(err("\"vård omsorg\"~x").contains("takes a number of words"));
        assert!(err("\"vård omsorg\"~x").contains("column 14"));
        assert!(err("vård~x").contains("`~` takes a number of edits"));
        assert!(err("vård~1x").contains("`~` takes a number of edits"));
        assert!(err("\"vård omsorg\"~5x").contains("takes a number of words"));
        assert!(err("vård~ 1").contains("no space between `~` and its number"));
        assert!(err("vård ~").contains("`~` stands apart"));
        assert!(err("\"läkemedel brist\"~5.5").contains("a whole number"));
        assert!(err("\"läkemedel brist\"~5,5").contains("a whole number"));
        for q in ["=\"vård och omsorg\"", "= vården"] {
            assert!(err(q).contains("`=` marks one word's exact form"), "{q}");
        }
        assert!(err("vård~2").contains("6 for ~2"));
        assert!(Query::parse("vård~1").is_ok());
        assert!(err("foo:bar").starts_with("unknown field `foo`"));
        assert!(err("vård OR").contains("`OR` needs a word"));
        assert!(err("title:[a TO b]").contains("date:"));
        let many = vec!["ord"; MAX_CLAUSES + 1].join(" ");
        assert!(err(&many).contains("too many terms"));
    }

    #[test]
    fn conjuncts_are_the_positive_text_clauses() {
        let q = Query::parse("vård omsorg -tandvård party:S").unwrap();
        let c: Vec<String> = q.conjuncts().iter().map(|q| q.to_string()).collect();
        assert_eq!(c, ["vård", "omsorg"]);
    }
}
