//! A hit's score explained as a short tree: which terms matched in which fields, their BM25
//! parts, the boosts, and how they add up (tantivy's own explanation is hundreds of lines with
//! fields as numbers).

use serde::{Deserialize, Serialize};
use tantivy::schema::{Field, Schema};

/// One part of a score: what it is, how much it adds, and the parts it is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScorePart {
    /// Its value.
    pub score: f32,
    /// What it is: `sum`, `body:"läkemedel"`, `title:"läkemedel" ×2`, `words near each other
    /// ×1.5` …
    pub what: String,
    /// For a matched term, its BM25 parts: `idf 2.57 (431 of 5622 passages) × tf 0.52 (2 times
    /// in 60 words, 35.3 on average) × (k1+1) 2.2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bm25: Option<String>,
    /// The parts it adds up, largest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ScorePart>,
}

/// tantivy's explanation, as its JSON has it.
#[derive(Deserialize)]
struct Raw {
    value: f32,
    description: String,
    #[serde(default)]
    details: Vec<Raw>,
    #[serde(default)]
    context: Vec<String>,
}

impl Raw {
    fn find(&self, starts: &str) -> Option<&Raw> {
        self.details
            .iter()
            .find(|d| d.description.starts_with(starts))
    }
}

/// The field name and term of `Term=Term(field=17, type=Str, "läkemedel")`.
fn term_of(context: &[String], schema: &Schema) -> Option<String> {
    let c = context.iter().find(|c| c.starts_with("Term="))?;
    let id: u32 = c.split("field=").nth(1)?.split(',').next()?.parse().ok()?;
    let name = schema.get_field_name(Field::from_field_id(id));
    let text = c
        .split(", \"")
        .nth(1)
        .map(|t| t.trim_end_matches(['"', ')']));
    Some(match text {
        Some(t) => format!("{name}:\"{t}\""),
        None => name.to_string(),
    })
}

fn bm25(raw: &Raw) -> Option<String> {
    let k1 = raw.find("(K1+1)")?.value;
    let idf = raw.find("idf")?;
    let tf = raw.find("freq / (freq")?;
    let of = |r: &Raw, starts: &str| r.find(starts).map(|d| d.value);
    let mut s = format!("idf {:.2}", idf.value);
    if let (Some(n), Some(all)) = (of(idf, "n,"), of(idf, "N,")) {
        s.push_str(&format!(" ({n} of {all} passages)"));
    }
    s.push_str(&format!(" × tf {:.2}", tf.value));
    if let (Some(f), Some(dl), Some(avg)) = (of(tf, "freq,"), of(tf, "dl,"), of(tf, "avgdl,")) {
        let times = if f == 1.0 {
            "once".to_string()
        } else {
            format!("{f} times")
        };
        s.push_str(&format!(" ({times} in {dl} terms, {avg:.1} on average)"));
    }
    s.push_str(&format!(" × (k1+1) {k1:.1}"));
    Some(s)
}

fn part(raw: &Raw, schema: &Schema) -> ScorePart {
    let d = raw.description.as_str();
    if d.starts_with("TermQuery") {
        return ScorePart {
            score: raw.value,
            what: term_of(&raw.context, schema).unwrap_or_else(|| "term".into()),
            bm25: bm25(raw),
            parts: Vec::new(),
        };
    }
    if let Some(rest) = d.strip_prefix("Boost x") {
        let by = rest.trim_end_matches(" of ...").trim();
        if let [only] = raw.details.as_slice() {
            let mut inner = part(only, schema);
            inner.score = raw.value;
            inner.what = format!("{} ×{by}", inner.what);
            return inner;
        }
    }
    if let Some(reading) = d.strip_prefix(crate::labelled::NEAR) {
        // The best order of the parts that matched (one phrase per order, summed or alone).
        let mut inner = raw.details.first().map(|r| part(r, schema));
        while let Some(p) = inner.take() {
            if p.bm25.is_some() || p.parts.is_empty() {
                inner = Some(p);
                break;
            }
            inner = p.parts.into_iter().next();
        }
        return ScorePart {
            score: raw.value,
            what: format!("parts of the compound near each other: {reading}"),
            bm25: inner.and_then(|p| p.bm25),
            parts: Vec::new(),
        };
    }
    if d.starts_with("Phrase Scorer") {
        return ScorePart {
            score: raw.value,
            what: "words near each other (a phrase or proximity)".into(),
            bm25: raw.details.first().and_then(bm25),
            parts: Vec::new(),
        };
    }
    let mut parts: Vec<ScorePart> = raw
        .details
        .iter()
        .filter(|r| r.value != 0.0 || !r.details.is_empty())
        .map(|r| part(r, schema))
        .collect();
    if d.starts_with("BooleanClause") {
        if parts.len() == 1 {
            return parts.pop().unwrap();
        }
        parts.sort_by(|a, b| b.score.total_cmp(&a.score));
        // One word in several fields: name the word.
        let quoted = |p: &ScorePart| {
            p.what
                .split_once(':')
                .filter(|(_, t)| t.starts_with('"'))
                .map(|(_, t)| t.split(' ').next().unwrap_or(t).to_string())
        };
        let first = parts.first().and_then(quoted);
        let what = match first {
            Some(w) if parts.iter().all(|p| quoted(p).as_ref() == Some(&w)) => {
                format!("{w} in {} fields, summed", parts.len())
            }
            _ => "sum".into(),
        };
        return ScorePart {
            score: raw.value,
            what,
            bm25: None,
            parts,
        };
    }
    ScorePart {
        score: raw.value,
        what: d.trim_end_matches(" of ...").to_string(),
        bm25: None,
        parts,
    }
}

/// A tantivy explanation as a short tree.
pub(crate) fn explained(e: &tantivy::query::Explanation, schema: &Schema) -> Option<ScorePart> {
    let raw: Raw = serde_json::from_str(&e.to_pretty_json()).ok()?;
    Some(part(&raw, schema))
}
