//! Keyword in context: every match of a query in the best passages, with whole words around it.

use tantivy::TantivyDocument;

use crate::error::Result;
use crate::hits::{Citation, KwicLine, KwicResults};
use crate::request::SearchRequest;
use crate::searcher::Snapshot;
use crate::stored::{text_of, u64_of};

impl Snapshot {
    pub fn kwic(&self, req: &SearchRequest, width: usize) -> Result<KwicResults> {
        let f = self.fields();
        let searcher = self.reader.searcher();
        let compiled = self
            .compiler(&searcher)
            .filtered(&req.filters, Some(&req.query))?;
        if compiled.text.is_none() {
            return Ok(KwicResults {
                query: req.query.to_string(),
                total_passages: 0,
                text_passages: 0,
                total_lines: 0,
                lines: Vec::new(),
            });
        }
        let total_passages =
            searcher.search(compiled.query().as_ref(), &tantivy::collector::Count)?;
        // The lines are those of the passages that hold a match themselves, as passage counts
        // count them, and their matches as hits count them (a phrase is one line).
        let mut counting = self.compiler(&searcher).passages_only();
        let in_text = counting.filtered(&req.filters, Some(&req.query))?;
        // Ranked as a search ranks them (the title's words add to a passage's score).
        let query: Box<dyn tantivy::query::Query> =
            Box::new(tantivy::query::BooleanQuery::new(vec![
                (tantivy::query::Occur::Must, compiled.query()),
                (
                    tantivy::query::Occur::Must,
                    Box::new(tantivy::query::ConstScoreQuery::new(in_text.query(), 0.0)),
                ),
            ]));
        let units = counting.text_units(&req.query)?;
        let total_lines: u64 = self
            .passage_hits(&searcher, in_text.query().as_ref(), &units)?
            .iter()
            .flatten()
            .filter(|&&n| n != crate::stats::NOT_COUNTED)
            .map(|&n| u64::from(n))
            .sum();
        let mut highlighter = self.highlighter(&searcher, &units)?;
        let wanted = req.offset + req.limit.max(1);
        let found = self.collect_passages(&searcher, query.as_ref(), req.sort, wanted)?;
        let mut lines = Vec::new();
        'passages: for h in found.hits {
            let doc: TantivyDocument = searcher.doc(h.address)?;
            let body = text_of(&doc, f.text).unwrap_or_default();
            let citation = Citation::read(f, &doc);
            let passage = u64_of(&doc, f.ordinal).unwrap_or(0) as u32;
            for m in highlighter.highlights(&body) {
                if lines.len() >= wanted {
                    break 'passages;
                }
                lines.push(KwicLine {
                    citation: citation.clone(),
                    passage,
                    left: context_before(&body[..m.start], width),
                    keyword: body[m.clone()].to_string(),
                    right: context_after(&body[m.end..], width),
                });
            }
        }
        Ok(KwicResults {
            query: req.query.to_string(),
            total_passages,
            text_passages: found.total,
            total_lines,
            lines: lines.into_iter().skip(req.offset).collect(),
        })
    }
}

/// Up to `width` characters of whole words at the end of `text`.
fn context_before(text: &str, width: usize) -> String {
    let flat: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in flat.iter().rev() {
        if out.chars().count() + w.chars().count() + 1 > width && !out.is_empty() {
            break;
        }
        out = if out.is_empty() {
            w.to_string()
        } else {
            format!("{w} {out}")
        };
    }
    if text.ends_with(char::is_whitespace) && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// Up to `width` characters of whole words at the start of `text`.
fn context_after(text: &str, width: usize) -> String {
    let mut out = String::new();
    if text.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    let mut first = true;
    for w in text.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > width && !first {
            break;
        }
        if !first {
            out.push(' ');
        }
        out.push_str(w);
        first = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_context_keeps_whole_words() {
        assert_eq!(
            context_before("en lång rad med ord före ", 12),
            "med ord före "
        );
        assert_eq!(
            context_after(" efter ordet kommer mer text", 12),
            " efter ordet"
        );
        assert_eq!(context_after(", sa hon.", 20), ", sa hon.");
    }
}
