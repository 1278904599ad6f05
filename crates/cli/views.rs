//! Rendering of the comparison views: compare, stats, keywords, topics.

use std::io::Write;

use anyhow::Result;
use sokord_core::topics::{DOCUMENT_SUPPORT, SUPPORT};
use sokord_index::topics::TopicEvidence;
use sokord_query::{
    Citation, Comparison, FilterRoles, GroupKey, GroupStats, Hit, Keywords, Series, Stats,
    TopicOverview,
};

use crate::render::{chapter_line, Style};
pub use sokord_serve::chart::Measure;

/// A group's value as shown: the empty value is "(none)".
fn shown(key: &str) -> &str {
    if key.is_empty() {
        "(none)"
    } else {
        key
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The grouping's name: `party` or `party × year`.
pub fn by_name(by: &[GroupKey]) -> String {
    by.iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(" × ")
}

/// The filters as `party=S, from=2010`, by role.
fn roles(f: &FilterRoles) -> Option<String> {
    let side = |m: &std::collections::BTreeMap<String, String>| {
        m.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !f.population.is_empty() {
        parts.push(format!("population: {}", side(&f.population)));
    }
    if !f.counted.is_empty() {
        parts.push(format!("counted within: {}", side(&f.counted)));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Who said it: `Actor (Party)`, or what is known of it.
fn speaker(c: &Citation) -> Option<String> {
    match (&c.actor, &c.party) {
        (Some(a), Some(p)) => Some(format!("{a} ({p})")),
        (Some(a), None) => Some(a.clone()),
        (None, Some(p)) => Some(format!("({p})")),
        (None, None) => None,
    }
}

/// A full citation: actor (party), title, date, chapter, document and passage.
fn citation(h: &Hit, title: String) -> Vec<String> {
    let c = &h.citation;
    let mut cite = Vec::new();
    cite.extend(speaker(c));
    cite.push(title);
    cite.extend(c.date.clone());
    cite.extend(chapter_line(c));
    cite.push(format!("{} §{}", c.doc_id, h.passage));
    cite
}

fn share(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// What the figures of `stats` and `compare` count, said under them (the README has it whole).
const LEGEND: &str = "passages: own text or heading matches · documents: a passage, the passages together (several words) or the title matches, so a group can have more documents than passages · hits: occurrences, a phrase once (kwic lines) · words: all running words of the population · doc share: matching / all documents of the group";

pub fn compare_text(out: &mut dyn Write, c: &Comparison, style: &Style) -> Result<()> {
    writeln!(
        out,
        "{} by {}: {} in {}",
        style.bold(&crate::render::quoted(&c.query)),
        c.by.as_str(),
        plural(c.total_passages, "passage", "passages"),
        plural(c.total_documents, "document", "documents")
    )?;
    if let Some(r) = roles(&c.filters) {
        writeln!(out, "{}", style.dim(&r))?;
    }
    writeln!(out)?;
    for g in &c.groups {
        let s = &g.stats;
        if s.passages == 0 && s.documents == 0 {
            continue;
        }
        writeln!(
            out,
            "{}  {} in {} · {} · {:.2} passages per 10,000 words · {:.1} hits per million · {} of its documents",
            style.bold(shown(&s.key)),
            plural(s.passages, "passage", "passages"),
            plural(s.documents, "document", "documents"),
            plural(s.hits as usize, "hit", "hits"),
            s.per_10k_words,
            s.per_million_words,
            share(s.document_share)
        )?;
        for (i, h) in g.statements.iter().enumerate() {
            writeln!(out, "  {}. «{}»", i + 1, h.snippet)?;
            writeln!(
                out,
                "     {}",
                style.dim(&citation(h, h.citation.title.clone()).join(" · "))
            )?;
        }
        writeln!(out)?;
    }
    let none: Vec<&str> = c
        .groups
        .iter()
        .filter(|g| g.stats.passages == 0 && g.stats.documents == 0)
        .map(|g| shown(&g.stats.key))
        .collect();
    if !none.is_empty() {
        writeln!(out, "{} {}", style.dim("No match:"), none.join(", "))?;
    }
    writeln!(out, "{}", style.dim(LEGEND))?;
    Ok(())
}

/// A comparison ready to paste into an article: a table of the groups' figures, then each
/// group's quotations with full citations.
pub fn compare_markdown(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    writeln!(
        out,
        "# {} by {}\n",
        crate::render::quoted(&c.query),
        c.by.as_str()
    )?;
    if let Some(r) = roles(&c.filters) {
        writeln!(out, "Filters: {r}.\n")?;
    }
    writeln!(
        out,
        "| {} | documents | passages | hits | words | passages per 10,000 words | hits per million words | share of documents |",
        c.by.as_str()
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|")?;
    for g in &c.groups {
        let s = &g.stats;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.2} | {:.1} | {} |",
            shown(&s.key).replace('|', "\\|"),
            s.documents,
            s.passages,
            s.hits,
            s.words,
            s.per_10k_words,
            s.per_million_words,
            share(s.document_share)
        )?;
    }
    writeln!(
        out,
        "\nPassages are counted when their own text matches; documents when a passage or the title does. Words are all running words of the group's passages within the population filters (actor, party, recipient, type, dates)."
    )?;
    for g in c.groups.iter().filter(|g| !g.statements.is_empty()) {
        writeln!(out, "\n## {}\n", shown(&g.stats.key))?;
        for h in &g.statements {
            let mut cite = citation(h, format!("*{}*", h.citation.title));
            if let Some(src) = &h.citation.source {
                cite.push(format!("<{src}>"));
            }
            writeln!(out, "> {}\n>\n> — {}\n", h.snippet, cite.join(", "))?;
        }
    }
    Ok(())
}

pub fn compare_csv(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "group",
        "documents",
        "passages",
        "hits",
        "words",
        "per_10k_words",
        "per_million_words",
        "document_share",
        "rank",
        "actor",
        "party",
        "doc_id",
        "title",
        "date",
        "chapter",
        "passage",
        "statement",
    ])?;
    for g in &c.groups {
        let s = &g.stats;
        let head = [
            s.key.clone(),
            s.documents.to_string(),
            s.passages.to_string(),
            s.hits.to_string(),
            s.words.to_string(),
            format!("{:.4}", s.per_10k_words),
            format!("{:.4}", s.per_million_words),
            format!("{:.4}", s.document_share),
        ];
        if g.statements.is_empty() {
            let mut row = head.to_vec();
            row.extend(std::iter::repeat_n(String::new(), 9));
            w.write_record(row)?;
        }
        for (i, h) in g.statements.iter().enumerate() {
            let mut row = head.to_vec();
            row.extend([
                (i + 1).to_string(),
                h.citation.actor.clone().unwrap_or_default(),
                h.citation.party.clone().unwrap_or_default(),
                h.citation.doc_id.clone(),
                h.citation.title.clone(),
                h.citation.date.clone().unwrap_or_default(),
                chapter_line(&h.citation).unwrap_or_default(),
                h.passage.to_string(),
                h.snippet.clone(),
            ]);
            w.write_record(row)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// A bar of `value` against `max`, `width` cells wide, with eighths.
fn bar(value: f64, max: f64, width: usize) -> String {
    if max <= 0.0 {
        return String::new();
    }
    let eighths = ((value / max) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
    }
    s
}

fn stats_group_table(
    out: &mut dyn Write,
    by: GroupKey,
    groups: &[GroupStats],
    total: &GroupStats,
    style: &Style,
) -> Result<()> {
    let width = groups
        .iter()
        .map(|g| shown(&g.key).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(5, 40);
    let max = groups.iter().map(|g| g.per_10k_words).fold(0.0, f64::max);
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>8}  {:>6}  {:>10}  {:>8}  {:>8}  {:>9}",
        by.as_str(),
        "documents",
        "passages",
        "hits",
        "words",
        "per 10k",
        "per 1M",
        "doc share"
    )?;
    for g in groups.iter().chain(std::iter::once(total)) {
        let key: String = if g.keys.is_empty() {
            "total".to_string()
        } else {
            shown(&g.key).chars().take(width).collect()
        };
        writeln!(
            out,
            "{key:<width$}  {:>9}  {:>8}  {:>6}  {:>10}  {:>8.2}  {:>8.1}  {:>9}  {}",
            g.documents,
            g.passages,
            g.hits,
            g.words,
            g.per_10k_words,
            g.per_million_words,
            share(g.document_share),
            if g.keys.is_empty() {
                String::new()
            } else {
                style.meta(&bar(g.per_10k_words, max, 24))
            }
        )?;
    }
    Ok(())
}

pub fn stats_text(out: &mut dyn Write, s: &Stats, measure: Measure, style: &Style) -> Result<()> {
    let all: Vec<Series> = if s.series.is_empty() {
        vec![s.first_series()]
    } else {
        s.series.clone()
    };
    for (i, series) in all.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{} by {}: {} in {}, {}",
            style.bold(&crate::render::quoted(&series.query)),
            by_name(&s.by),
            plural(series.total.passages, "passage", "passages"),
            plural(series.total.documents, "document", "documents"),
            plural(series.total.hits as usize, "hit", "hits"),
        )?;
        if let Some(r) = roles(&s.filters) {
            writeln!(out, "{}", style.dim(&r))?;
        }
        match s.by.as_slice() {
            [by] => stats_group_table(out, *by, &series.groups, &series.total, style)?,
            [down, across] => crosstab(out, *down, *across, &series.groups, measure)?,
            _ => {}
        }
    }
    if s.by.contains(&GroupKey::Topic) {
        writeln!(
            out,
            "{}",
            style.dim(
                "Topics overlap: a passage with several topics counts in each, once in the total."
            )
        )?;
    }
    let independents = s.by.contains(&GroupKey::Party)
        && all
            .iter()
            .any(|x| x.groups.iter().any(|g| g.keys.iter().any(|k| k == "-")));
    if independents {
        writeln!(
            out,
            "{}",
            style.dim("-: members who left their party (politiska vildar; --party vilde)")
        )?;
    }
    writeln!(out, "{}", style.dim(LEGEND))?;
    Ok(())
}

/// A cross-tab: the first key's values down, the second's across, `measure` in the cells.
fn crosstab(
    out: &mut dyn Write,
    down: GroupKey,
    across: GroupKey,
    groups: &[GroupStats],
    measure: Measure,
) -> Result<()> {
    let (rows, cols, cells) = sokord_query::GroupStats::cross_tab(groups);
    let cells: Vec<Vec<String>> = cells
        .iter()
        .map(|row| {
            row.iter()
                .map(|g| g.map_or_else(|| "·".to_string(), |g| measure.shown(g)))
                .collect()
        })
        .collect();
    let width = rows
        .iter()
        .map(|r| shown(r).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(5, 30);
    let cw = cols
        .iter()
        .map(|c| shown(c).chars().count())
        .chain(cells.iter().flatten().map(|c| c.chars().count()))
        .max()
        .unwrap_or(4);
    writeln!(
        out,
        "{} ({} down, {} across)",
        measure.name(),
        down.as_str(),
        across.as_str()
    )?;
    let mut head = format!("{:<width$}", "");
    for c in &cols {
        head.push_str(&format!("  {:>cw$}", shown(c)));
    }
    writeln!(out, "{}", head.trim_end())?;
    for (r, row) in rows.iter().zip(&cells) {
        let name: String = shown(r).chars().take(width).collect();
        let mut line = format!("{name:<width$}");
        for cell in row {
            line.push_str(&format!("  {cell:>cw$}"));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// A table's header and rows, written as CSV or as a Markdown table.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.header)?;
        for r in &self.rows {
            w.write_record(r)?;
        }
        w.flush()?;
        Ok(())
    }

    /// A Markdown table under a heading; numbers are right-aligned, `|` in cells escaped.
    pub fn markdown(&self, out: &mut dyn Write, heading: &str) -> Result<()> {
        writeln!(out, "# {heading}\n")?;
        writeln!(out, "| {} |", self.header.join(" | "))?;
        let numeric = |i: usize| {
            self.rows
                .iter()
                .all(|r| r[i].is_empty() || r[i].parse::<f64>().is_ok())
                && self.rows.iter().any(|r| !r[i].is_empty())
        };
        let align: Vec<&str> = (0..self.header.len())
            .map(|i| if numeric(i) { "---:" } else { "---" })
            .collect();
        writeln!(out, "|{}|", align.join("|"))?;
        for r in &self.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| c.replace('|', "\\|").replace('\n', " "))
                .collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        Ok(())
    }
}

/// Statistics in long form: one row per query and group, a column per key.
pub fn stats_table(s: &Stats) -> Table {
    let several = !s.series.is_empty();
    let mut header: Vec<String> = Vec::new();
    if several {
        header.push("query".into());
    }
    header.extend(s.by.iter().map(|k| k.as_str().to_string()));
    header.extend(
        [
            "documents",
            "passages",
            "hits",
            "words",
            "population_documents",
            "per_10k_words",
            "per_million_words",
            "document_share",
        ]
        .map(String::from),
    );
    let all: Vec<Series> = if several {
        s.series.clone()
    } else {
        vec![s.first_series()]
    };
    let mut rows = Vec::new();
    for series in &all {
        for g in &series.groups {
            let mut row = Vec::new();
            if several {
                row.push(series.query.clone());
            }
            row.extend(g.keys.iter().cloned());
            row.extend([
                g.documents.to_string(),
                g.passages.to_string(),
                g.hits.to_string(),
                g.words.to_string(),
                g.population_documents.to_string(),
                format!("{:.4}", g.per_10k_words),
                format!("{:.4}", g.per_million_words),
                format!("{:.4}", g.document_share),
            ]);
            rows.push(row);
        }
    }
    Table { header, rows }
}

pub fn keywords_text(out: &mut dyn Write, k: &Keywords, style: &Style) -> Result<()> {
    writeln!(
        out,
        "Words most distinctive of {} ({} words) against {} ({} words)",
        style.bold(&k.subset),
        k.subset_words,
        k.reference,
        k.reference_words
    )?;
    writeln!(
        out,
        "{:<24} {:>8} {:>10} {:>9} {:>9} {:>9} {:>7}",
        "word", "subset", "reference", "sub/10k", "ref/10k", "LL", "log2 r"
    )?;
    for w in &k.keywords {
        writeln!(
            out,
            "{:<24} {:>8} {:>10} {:>9.2} {:>9.2} {:>9.1} {:>7.2}",
            w.word,
            w.subset_count,
            w.reference_count,
            w.subset_per_10k,
            w.reference_per_10k,
            w.log_likelihood,
            w.log_ratio
        )?;
    }
    Ok(())
}

pub fn keywords_table(k: &Keywords) -> Table {
    Table {
        header: strings(&[
            "word",
            "term",
            "subset_count",
            "reference_count",
            "subset_per_10k",
            "reference_per_10k",
            "log_likelihood",
            "log_ratio",
        ]),
        rows: k
            .keywords
            .iter()
            .map(|x| {
                vec![
                    x.word.clone(),
                    x.term.clone(),
                    x.subset_count.to_string(),
                    x.reference_count.to_string(),
                    format!("{:.4}", x.subset_per_10k),
                    format!("{:.4}", x.reference_per_10k),
                    format!("{:.4}", x.log_likelihood),
                    format!("{:.4}", x.log_ratio),
                ]
            })
            .collect(),
    }
}

pub fn topics_text(out: &mut dyn Write, t: &TopicOverview, style: &Style) -> Result<()> {
    for topic in &t.topics {
        writeln!(
            out,
            "{} {}  {} in {}",
            style.bold(&topic.label),
            style.dim(&format!("({})", topic.id)),
            plural(topic.passages, "passage", "passages"),
            plural(topic.documents, "document", "documents")
        )?;
        if !topic.top_actors.is_empty() {
            let actors: Vec<String> = topic
                .top_actors
                .iter()
                .map(|a| format!("{} {}", shown(&a.key), style.dim(&a.passages.to_string())))
                .collect();
            writeln!(out, "    most: {}", actors.join(" · "))?;
        }
        if !topic.groups.is_empty() {
            let groups: Vec<String> = topic
                .groups
                .iter()
                .map(|g| format!("{} {}", shown(&g.key), style.dim(&g.passages.to_string())))
                .collect();
            writeln!(
                out,
                "    by {}: {}",
                t.by.map_or("", |b| b.as_str()),
                groups.join(" · ")
            )?;
        }
    }
    Ok(())
}

/// Why a document's passages have their topics (`topics --explain`).
#[derive(Debug, serde::Serialize)]
pub struct TopicsExplained {
    pub doc_id: String,
    pub title: String,
    /// The document's topics, as indexed.
    pub document_topics: Vec<String>,
    pub passages: Vec<PassageExplained>,
}

/// One passage of [`TopicsExplained`].
#[derive(Debug, serde::Serialize)]
pub struct PassageExplained {
    pub passage: u32,
    pub heading: Option<String>,
    /// Its topics as indexed (with those given for the whole document).
    pub topics: Vec<String>,
    /// The evidence for each topic it holds words of.
    pub evidence: Vec<TopicEvidence>,
}

pub fn topics_explained_text(
    out: &mut dyn Write,
    e: &TopicsExplained,
    style: &Style,
) -> Result<()> {
    writeln!(out, "{}  {}", style.bold(&e.doc_id), e.title)?;
    let listed = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    writeln!(out, "document topics: {}", listed(&e.document_topics))?;
    for p in &e.passages {
        writeln!(out)?;
        let heading = p
            .heading
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}{heading}: {}",
            style.bold(&format!("passage {}", p.passage)),
            listed(&p.topics)
        )?;
        if p.evidence.is_empty() {
            writeln!(out, "    {}", style.dim("no words of any topic"))?;
        }
        for t in &p.evidence {
            let verdict = if t.tagged {
                "tagged".to_string()
            } else if !t.definition_matches {
                "not tagged: the definition does not match".to_string()
            } else {
                "not tagged: below the threshold".to_string()
            };
            writeln!(
                out,
                "    {}  {:.2} of {:.2}  {verdict}",
                style.bold(&t.topic),
                t.score,
                t.threshold
            )?;
            let mut why: Vec<String> = t
                .terms
                .iter()
                .map(|x| {
                    let mut s = format!("{} ×{} (weight {:.1}", x.term, x.mentions, x.weight);
                    if x.in_list {
                        s.push_str(", one list item");
                    }
                    if x.passed_over > 0 {
                        s.push_str(&format!(", {} not counted", x.passed_over));
                    }
                    s.push_str(&format!(") +{:.2}", x.points));
                    s
                })
                .collect();
            if !t.title.is_empty() {
                why.push(format!("title: {} +{:.1}", t.title.join(", "), SUPPORT));
            }
            if !t.heading.is_empty() {
                why.push(format!("heading: {} +{:.1}", t.heading.join(", "), SUPPORT));
            }
            if t.document {
                why.push(format!("other passages +{DOCUMENT_SUPPORT:.1}"));
            }
            writeln!(out, "        {}", style.dim(&why.join(" · ")))?;
        }
    }
    Ok(())
}

pub fn topics_table(t: &TopicOverview) -> Table {
    let mut rows = Vec::new();
    for topic in &t.topics {
        let head = [
            topic.id.clone(),
            topic.label.clone(),
            topic.passages.to_string(),
            topic.documents.to_string(),
        ];
        if topic.groups.is_empty() {
            let mut row = head.to_vec();
            row.extend([String::new(), String::new(), String::new()]);
            rows.push(row);
        }
        for g in &topic.groups {
            let mut row = head.to_vec();
            row.extend([
                g.key.clone(),
                g.passages.to_string(),
                g.documents.to_string(),
            ]);
            rows.push(row);
        }
    }
    Table {
        header: strings(&[
            "id",
            "label",
            "passages",
            "documents",
            "group",
            "group_passages",
            "group_documents",
        ]),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_with_eighths() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██");
        assert_eq!(bar(1.0, 8.0, 1), "▏");
        assert_eq!(bar(0.0, 10.0, 4), "");
    }
}
