//! Search results as CSV: what `sokord search --format csv` prints and the web page downloads.

use std::io::Write;

use sokord_query::SearchResults;

/// Writes the hits as CSV, one row per hit, with a header.
pub fn search_csv<W: Write>(out: W, r: &SearchResults) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "doc_id",
        "path",
        "title",
        "type",
        "actor",
        "party",
        "date",
        "chapter_number",
        "chapter_title",
        "section",
        "topics",
        "score",
        "passage",
        "page",
        "snippet",
        "recipient",
        "source",
        "partial",
        "counted",
    ])?;
    for h in &r.hits {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        w.write_record([
            h.citation.doc_id.clone(),
            h.citation.path.clone(),
            h.citation.title.clone(),
            h.citation.doc_type.clone(),
            opt(&h.citation.actor),
            opt(&h.citation.party),
            opt(&h.citation.date),
            h.citation
                .chapter
                .as_ref()
                .and_then(|c| c.number.clone())
                .unwrap_or_default(),
            h.citation
                .chapter
                .as_ref()
                .map(|c| c.title.clone())
                .unwrap_or_default(),
            h.citation
                .section
                .as_ref()
                .map(|c| c.title.clone())
                .unwrap_or_default(),
            h.topics.join(";"),
            format!("{:.4}", h.score),
            h.passage.to_string(),
            h.page.map(|p| p.to_string()).unwrap_or_default(),
            h.snippet.clone(),
            opt(&h.citation.recipient),
            opt(&h.citation.source),
            h.partial.to_string(),
            h.counted.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
