//! Rendering library results for people (text) and programs (JSON, JSON Lines, CSV).

use std::io::Write;

use anyhow::Result;
use sokord_core::analyzers::AnalyzedToken;
use sokord_index::IndexSummary;
use sokord_query::{Citation, DocumentView, Hit, SearchResults};

/// ANSI styles, or nothing when colour is off.
pub struct Style {
    pub color: bool,
}

impl Style {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    pub fn matched(&self, s: &str) -> String {
        self.wrap("1;31", s)
    }
    pub fn meta(&self, s: &str) -> String {
        self.wrap("36", s)
    }
}

/// The snippet with its highlighted byte ranges marked.
fn highlight(hit: &Hit, style: &Style) -> String {
    let mut out = String::new();
    let mut last = 0;
    for [from, to] in &hit.highlights {
        let (from, to) = (*from, *to);
        if from < last
            || to > hit.snippet.len()
            || !hit.snippet.is_char_boundary(from)
            || !hit.snippet.is_char_boundary(to)
        {
            continue;
        }
        out.push_str(&hit.snippet[last..from]);
        out.push_str(&style.matched(&hit.snippet[from..to]));
        last = to;
    }
    out.push_str(&hit.snippet[last..]);
    out
}

/// A query as typed, between quotation marks it does not hold itself: `"vård"`,
/// `'"kliniska prövningar"'`, or backticks when it holds both kinds.
pub fn quoted(q: &str) -> String {
    if !q.contains('"') {
        format!("\"{q}\"")
    } else if !q.contains('\'') {
        format!("'{q}'")
    } else {
        format!("`{q}`")
    }
}

/// "Kapitel 3: Title > Mål 2: Title", or nothing.
pub fn chapter_line(cite: &Citation) -> Option<String> {
    cite.chapter_line(" > ")
}

/// A score's parts as an indented tree: value, what, BM25 parts.
fn explain_text(
    out: &mut dyn Write,
    e: &sokord_query::ScorePart,
    depth: usize,
    style: &Style,
) -> Result<()> {
    let bm25 = e
        .bm25
        .as_ref()
        .map(|b| format!("  {}", style.dim(b)))
        .unwrap_or_default();
    writeln!(
        out,
        "   {}{:>7.3}  {}{bm25}",
        "  ".repeat(depth - 1),
        e.score,
        e.what
    )?;
    for p in &e.parts {
        explain_text(out, p, depth + 1, style)?;
    }
    Ok(())
}

/// "Menade du: …?" with the corrected queries, when there are any.
fn suggestions_text(out: &mut dyn Write, r: &SearchResults, style: &Style) -> Result<()> {
    if !r.suggestions.is_empty() {
        let shown: Vec<String> = r.suggestions.iter().map(|s| style.bold(s)).collect();
        writeln!(out, "Menade du: {}?", shown.join(" · "))?;
    }
    Ok(())
}

/// "1 passage matches", "2 passages match" (documents when grouped).
pub fn matching(n: usize, grouped: bool) -> String {
    match (n, grouped) {
        (1, false) => "1 passage matches".to_string(),
        (1, true) => "1 document matches".to_string(),
        (n, false) => format!("{n} passages match"),
        (n, true) => format!("{n} documents match"),
    }
}

pub fn results_text(
    out: &mut dyn Write,
    r: &SearchResults,
    offset: usize,
    grouped: bool,
    has_text: bool,
    style: &Style,
) -> Result<()> {
    let unit = if grouped { "documents" } else { "passages" };
    // Past the passages that count, a page goes on with those found more loosely.
    let listed = r.total_hits + r.loose_hits.unwrap_or(0);
    if r.hits.is_empty() && listed > 0 && offset >= listed {
        writeln!(
            out,
            "No hits on this page: {} {}, and --offset {offset} skips past them all (--offset {} shows the last).",
            matching(r.total_hits, grouped),
            quoted(&r.query),
            listed - 1
        )?;
        return Ok(());
    }
    if r.hits.is_empty() {
        writeln!(
            out,
            "No hits for {} ({}).",
            quoted(&r.query),
            matching(r.total_hits, grouped)
        )?;
        suggestions_text(out, r, style)?;
        return Ok(());
    }
    for (i, hit) in r.hits.iter().enumerate() {
        let partial = if hit.partial {
            style.dim(" (partial)")
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}. {}{partial}",
            offset + i + 1,
            style.bold(&hit.citation.title)
        )?;
        let mut meta = vec![hit.citation.doc_type.clone()];
        if let Some(a) = &hit.citation.actor {
            let mut who = match &hit.citation.party {
                Some(p) => format!("{a} ({p})"),
                None => a.clone(),
            };
            if let Some(r) = &hit.citation.recipient {
                who.push_str(&format!(" → {r}"));
            }
            meta.push(who);
        }
        if let Some(d) = &hit.citation.date {
            meta.push(d.clone());
        }
        if let Some(c) = chapter_line(&hit.citation) {
            meta.push(c);
        }
        writeln!(out, "   {}", style.meta(&meta.join(" · ")))?;
        let mut cite = format!(
            "{}  [{} §{}",
            hit.citation.path, hit.citation.doc_id, hit.passage
        );
        if let Some(p) = hit.page {
            cite.push_str(&format!(", p. {p}"));
        }
        cite.push(']');
        if let Some(s) = &hit.citation.source {
            cite.push_str(&format!("  {s}"));
        }
        if let Some(n) = hit.matched_passages {
            cite.push_str(&format!(
                "  {n} matching passage{}",
                if n == 1 { "" } else { "s" }
            ));
        }
        writeln!(out, "   {}", style.dim(&cite))?;
        writeln!(out, "   {}", highlight(hit, style))?;
        if has_text && !grouped && !hit.partial && !hit.counted {
            writeln!(
                out,
                "   {}",
                style.dim("(found through the document's title or a compound's parts near each other; counts leave it out)")
            )?;
        } else if has_text && grouped && !hit.partial && !hit.counted {
            writeln!(
                out,
                "   {}",
                style.dim("(found through a compound's parts near each other; counts leave this document out)")
            )?;
        } else if has_text && hit.highlights.is_empty() {
            writeln!(
                out,
                "   {}",
                style.dim("(the words are in the document's title or this passage's heading, not in the passage)")
            )?;
        }
        if let Some(e) = &hit.explain {
            explain_text(out, e, 1, style)?;
        }
        writeln!(out)?;
    }
    // After the hits that count come, when the page asks for more, those found more loosely
    // and those with some of the words.
    let partial = r.hits.iter().filter(|h| h.partial).count();
    let loose = if grouped {
        0
    } else {
        r.hits.iter().filter(|h| !h.partial && !h.counted).count()
    };
    let mut after = Vec::new();
    if loose > 0 {
        after.push(format!(
            "{loose} found more loosely (through a document's title or a compound's parts near each other; not counted)"
        ));
    }
    if partial > 0 {
        after.push(crate::views::plural(
            partial,
            "partial match",
            "partial matches",
        ));
    }
    let after = after.join(", then ");
    let counted = r.hits.len() - partial - loose;
    if r.total_hits == 0 && loose > 0 {
        // (Their words are all there, but not in the passages' own text together.)
        writeln!(
            out,
            "No {unit} have the words in their own text; showing {after}."
        )?;
    } else if r.total_hits == 0 {
        writeln!(out, "No {unit} have all the words; showing {after}.")?;
    } else if counted == 0 {
        writeln!(
            out,
            "{}; showing, after them, {after}.",
            matching(r.total_hits, grouped)
        )?;
    } else {
        let more = if after.is_empty() {
            String::new()
        } else {
            format!(", then {after}")
        };
        writeln!(
            out,
            "{}; showing {}–{}{more}.",
            matching(r.total_hits, grouped),
            offset + 1,
            offset + counted
        )?;
    }
    suggestions_text(out, r, style)?;
    Ok(())
}

/// At most this many values of each facet are shown in a terminal.
const FACET_VALUES: usize = 8;

pub fn facets_text(
    out: &mut dyn Write,
    f: &sokord_query::FacetCounts,
    style: &Style,
) -> Result<()> {
    writeln!(out, "\n{}", style.bold("Facets"))?;
    for (name, values) in [
        ("actor", &f.actor),
        ("party", &f.party),
        ("recipient", &f.recipient),
        ("type", &f.doc_type),
        ("year", &f.year),
        ("topic", &f.topic),
        ("document topic", &f.document_topic),
        ("chapter", &f.chapter),
    ] {
        let shown: Vec<String> = values
            .iter()
            .take(FACET_VALUES)
            .map(|v| format!("{} {}", v.value, style.dim(&v.count.to_string())))
            .collect();
        let more = values.len().saturating_sub(FACET_VALUES);
        let more = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {}  {}{more}",
            style.meta(&format!("{name:>14}")),
            shown.join(" · ")
        )?;
    }
    Ok(())
}

pub fn results_csv(out: &mut dyn Write, r: &SearchResults) -> Result<()> {
    sokord_serve::export::search_csv(out, r)?;
    Ok(())
}

fn pad_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{}{s}", " ".repeat(width.saturating_sub(n)))
}

pub fn kwic_text(
    out: &mut dyn Write,
    r: &sokord_query::KwicResults,
    width: usize,
    style: &Style,
) -> Result<()> {
    for l in &r.lines {
        let mut cite = vec![format!("{} §{}", l.citation.doc_id, l.passage)];
        cite.extend(l.citation.actor.clone());
        cite.extend(l.citation.date.clone());
        if let Some(c) = &l.citation.chapter {
            cite.push(match &c.number {
                Some(n) => format!("kap. {n}"),
                None => c.title.clone(),
            });
        }
        // The contexts carry their own space next to the match (none before "." or ",").
        let right: String = l.right.chars().take(width + 1).collect();
        let right_pad = (width + 1).saturating_sub(right.chars().count());
        writeln!(
            out,
            "{}{}{}{}  {}",
            pad_left(&l.left, width + 1),
            style.matched(&l.keyword),
            right,
            " ".repeat(right_pad),
            style.dim(&cite.join(" · "))
        )?;
    }
    let shown = if (r.lines.len() as u64) < r.total_lines {
        format!("{} of {} lines", r.lines.len(), r.total_lines)
    } else {
        crate::views::plural(r.lines.len(), "line", "lines")
    };
    write!(
        out,
        "{shown} from {}",
        crate::views::plural(r.text_passages, "matching passage", "matching passages")
    )?;
    // Passages match with the help of their document's title too (a query's words in the
    // title, or some in it and the rest in the passage): said apart, as counts leave them out.
    match r.total_passages.saturating_sub(r.text_passages) {
        0 => writeln!(out, ".")?,
        1 => writeln!(
            out,
            " (1 more passage matches with the help of its document's title)."
        )?,
        n => writeln!(
            out,
            " ({n} more passages match with the help of their document's title)."
        )?,
    }
    Ok(())
}

pub fn kwic_csv(out: &mut dyn Write, r: &sokord_query::KwicResults) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "doc_id",
        "path",
        "title",
        "actor",
        "party",
        "date",
        "chapter_number",
        "chapter_title",
        "passage",
        "left",
        "keyword",
        "right",
        "recipient",
        "source",
    ])?;
    for l in &r.lines {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        w.write_record([
            l.citation.doc_id.clone(),
            l.citation.path.clone(),
            l.citation.title.clone(),
            opt(&l.citation.actor),
            opt(&l.citation.party),
            opt(&l.citation.date),
            l.citation
                .chapter
                .as_ref()
                .and_then(|c| c.number.clone())
                .unwrap_or_default(),
            l.citation
                .chapter
                .as_ref()
                .map(|c| c.title.clone())
                .unwrap_or_default(),
            l.passage.to_string(),
            l.left.clone(),
            l.keyword.clone(),
            l.right.clone(),
            opt(&l.citation.recipient),
            opt(&l.citation.source),
        ])?;
    }
    w.flush()?;
    Ok(())
}

pub fn summary_text(out: &mut dyn Write, s: &IndexSummary) -> Result<()> {
    for n in &s.skipped {
        writeln!(out, "skipped {}: {}", n.path, n.reason)?;
    }
    for n in &s.warnings {
        writeln!(out, "warning {}: {}", n.path, n.reason)?;
    }
    let secs = s.elapsed_ms as f64 / 1000.0;
    if s.incremental && s.files_read == 0 && s.removed == 0 {
        writeln!(
            out,
            "The index is up to date: {} files unchanged, nothing re-indexed ({secs:.1} s). Index: {}",
            s.unchanged,
            s.index.display()
        )?;
        return Ok(());
    }
    if s.incremental {
        writeln!(
            out,
            "Updated the index: {} added, {} changed, {} removed, {} unchanged; {} files read ({} documents, {} passages) \
             in {secs:.1} s; {} skipped, {} warnings. Index: {}",
            s.added_files.len(),
            s.changed_files.len(),
            s.removed,
            s.unchanged,
            s.files_read,
            s.documents,
            s.passages,
            s.skipped.len(),
            s.warnings.len(),
            s.index.display()
        )?;
        // Which files, the first few of each (the JSON summary has them all).
        const NAMED: usize = 10;
        for (what, files) in [
            ("added", &s.added_files),
            ("changed", &s.changed_files),
            ("removed", &s.removed_files),
        ] {
            for f in files.iter().take(NAMED) {
                writeln!(out, "  {what} {f}")?;
            }
            if files.len() > NAMED {
                writeln!(out, "  … and {} more {what}", files.len() - NAMED)?;
            }
        }
        return Ok(());
    }
    writeln!(
        out,
        "Indexed {} documents ({} passages) from {} files in {secs:.1} s; {} skipped, {} warnings. Index: {}",
        s.documents,
        s.passages,
        s.files_read,
        s.skipped.len(),
        s.warnings.len(),
        s.index.display()
    )?;
    if s.carried > 0 {
        writeln!(
            out,
            "Kept {} documents that programs wrote into the index (no file gives them).",
            s.carried
        )?;
    }
    Ok(())
}

pub fn document_text(out: &mut dyn Write, d: &DocumentView, style: &Style) -> Result<()> {
    writeln!(out, "{}", style.bold(&d.title))?;
    let fields = [
        ("id", Some(d.doc_id.clone())),
        ("type", Some(d.doc_type.clone())),
        ("actor", d.actor.clone()),
        ("party", d.party.clone()),
        ("recipient", d.recipient.clone()),
        ("date", d.date.clone()),
        ("source", d.source.clone()),
        ("path", Some(d.path.clone())),
    ];
    for (k, v) in fields {
        if let Some(v) = v {
            writeln!(out, "{}", style.meta(&format!("{k:>9}: {v}")))?;
        }
    }
    let mut current: Option<Vec<sokord_index::Chapter>> = None;
    for p in &d.passages {
        if current.as_ref() != Some(&p.chapters) {
            let shown = current.as_ref().map_or(0, |c| {
                c.iter()
                    .zip(&p.chapters)
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            for (depth, c) in p.chapters.iter().enumerate().skip(shown) {
                writeln!(
                    out,
                    "\n{} {}",
                    "#".repeat(depth + 1),
                    style.bold(&c.display())
                )?;
            }
            current = Some(p.chapters.clone());
        }
        // The number a hit's citation gives (`[ID §5]`), to find the passage by.
        writeln!(
            out,
            "\n{} {}",
            style.meta(&format!("§{}", p.ordinal)),
            p.text
        )?;
    }
    Ok(())
}

pub fn tokens_text(out: &mut dyn Write, tokens: &[AnalyzedToken]) -> Result<()> {
    for t in tokens {
        writeln!(
            out,
            "{:>4}  {:>5}..{:<5}  {}",
            t.position, t.offset_from, t.offset_to, t.text
        )?;
    }
    Ok(())
}
