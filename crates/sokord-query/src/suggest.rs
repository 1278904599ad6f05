//! "Menade du": corrections for a query that found nothing, from the index's own word forms.

use tantivy::collector::Count;

use sokord_core::query::Query;

use tantivy::schema::Field;

use crate::compile::Compiler;
use crate::error::Result;
use crate::request::SearchRequest;
use crate::values::edit_distance;

/// The most suggestions made for one query.
const MAX_SUGGESTIONS: usize = 3;
/// A correction must be a word form found in at least this many passages.
const MIN_PASSAGES: u64 = 2;

/// The plain words of a query (no field, prefix, typo or exact mark), as written.
fn plain_words(q: &Query, out: &mut Vec<String>) {
    match q {
        Query::Word {
            text,
            field: None,
            prefix: false,
            fuzzy: None,
            exact: false,
        } => out.push(text.clone()),
        Query::And(parts) | Query::Or(parts) => parts.iter().for_each(|p| plain_words(p, out)),
        _ => {}
    }
}

/// The query with every plain word `from` written `to` instead.
fn replaced(q: &Query, from: &str, to: &str) -> Query {
    match q {
        Query::Word {
            text,
            field: None,
            prefix: false,
            fuzzy: None,
            exact: false,
        } if text == from => Query::word(to),
        Query::And(parts) => Query::And(parts.iter().map(|p| replaced(p, from, to)).collect()),
        Query::Or(parts) => Query::Or(parts.iter().map(|p| replaced(p, from, to)).collect()),
        other => other.clone(),
    }
}

/// Corrections of a query that found nothing: each word that finds nothing on its own is
/// replaced by the word forms of the index within one edit (two for words of six letters or
/// more) that are most common, closest first; a suggestion is kept only when it finds
/// something within the request's filters. At most three, best first. `forms` is the field
/// of exact word forms.
pub(crate) fn suggestions(
    mut compiler: Compiler<'_>,
    forms: Field,
    searcher: &tantivy::Searcher,
    req: &SearchRequest,
) -> Result<Vec<String>> {
    let mut words = Vec::new();
    plain_words(&req.query, &mut words);
    words.dedup();
    // Each missing word's candidates, best first.
    let mut missing: Vec<(String, Vec<String>)> = Vec::new();
    for w in words {
        let found = match compiler.filtered(&Default::default(), Some(&Query::word(&w))) {
            Ok(c) if c.text.is_some() => searcher.search(c.query().as_ref(), &Count)?,
            _ => continue,
        };
        if found > 0 {
            continue;
        }
        let candidates = near_forms(searcher, forms, &w.to_lowercase())?;
        if !candidates.is_empty() {
            missing.push((w, candidates));
        }
    }
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    // The best correction of every missing word; then the next ones of the first.
    let mut tries: Vec<Query> = Vec::new();
    let mut best = req.query.clone();
    for (w, c) in &missing {
        best = replaced(&best, w, &c[0]);
    }
    tries.push(best.clone());
    let (first, alternatives) = &missing[0];
    for alt in alternatives.iter().skip(1) {
        let mut q = replaced(&req.query, first, alt);
        for (w, c) in missing.iter().skip(1) {
            q = replaced(&q, w, &c[0]);
        }
        tries.push(q);
    }
    let mut out: Vec<String> = Vec::new();
    for q in tries {
        let compiled = compiler.filtered(&req.filters, Some(&q));
        let Ok(compiled) = compiled else { continue };
        if searcher.search(compiled.query().as_ref(), &Count)? > 0 {
            let s = q.to_string();
            if !out.contains(&s) {
                out.push(s);
            }
        }
        if out.len() == MAX_SUGGESTIONS {
            break;
        }
    }
    Ok(out)
}

/// The word forms of the passage text within one or two edits of `word` (sharing its first
/// letter: typos rarely hit it), in at least [`MIN_PASSAGES`] passages, closest and then most
/// common first.
fn near_forms(searcher: &tantivy::Searcher, field: Field, word: &str) -> Result<Vec<String>> {
    let letters = word.chars().count();
    if letters < 3 {
        return Ok(Vec::new());
    }
    let distance: u8 = if letters >= 6 { 2 } else { 1 };
    // The first letter as typed, and its Swedish letters typed without their marks (a keyboard
    // without å, ä, ö gives *aldreomsorg* for *äldreomsorg*).
    let first = word.chars().next().unwrap_or('a');
    let firsts: &[char] = match first {
        'a' | 'å' | 'ä' => &['a', 'å', 'ä'],
        'o' | 'ö' => &['o', 'ö'],
        _ => std::slice::from_ref(&first),
    };
    let found = crate::compile::fuzzy_terms(searcher, field, word, distance, firsts)?;
    let mut forms: Vec<(usize, u64, String)> = found
        .into_iter()
        .filter(|(t, n)| *n >= MIN_PASSAGES && t != word)
        .map(|(t, n)| (edit_distance(word, &t), n, t))
        .collect();
    forms.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok(forms
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, t)| t)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_replaced_where_they_stand() {
        let q = Query::parse("prövnng (läkemedel OR prövnng) -vård party:S").unwrap();
        let mut words = Vec::new();
        plain_words(&q, &mut words);
        assert_eq!(words, ["prövnng", "läkemedel", "prövnng"]);
        assert_eq!(
            replaced(&q, "prövnng", "prövning").to_string(),
            "prövning (läkemedel OR prövning) -vård party:S"
        );
    }
}
