//! Rendering of the comparison views: compare, stats, keywords, topics.

use std::io::Write;

use anyhow::Result;
use sokord_core::topics::{DOCUMENT_SUPPORT, SUPPORT};
use sokord_index::topics::TopicEvidence;
use sokord_query::{Comparison, GroupKey, Keywords, Stats, TopicOverview};

use crate::render::{chapter_line, Style};

/// A group's value as shown: the empty value is "(none)".
fn shown(key: &str) -> &str {
    if key.is_empty() {
        "(none)"
    } else {
        key
    }
}

/// The group key in Swedish, for chart axes.
pub fn key_label(by: GroupKey) -> &'static str {
    match by {
        GroupKey::Year => "År",
        GroupKey::Actor => "Aktör",
        GroupKey::Party => "Parti",
        GroupKey::Type => "Dokumenttyp",
        GroupKey::Topic => "Ämne",
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn compare_text(out: &mut dyn Write, c: &Comparison, style: &Style) -> Result<()> {
    writeln!(
        out,
        "{} by {}: {} in {}\n",
        style.bold(&format!("{:?}", c.query)),
        c.by.as_str(),
        plural(c.total_passages, "passage", "passages"),
        plural(c.total_documents, "document", "documents")
    )?;
    for g in &c.groups {
        let s = &g.stats;
        if s.passages == 0 {
            continue;
        }
        writeln!(
            out,
            "{}  {} in {} · {:.2} per 10,000 words",
            style.bold(shown(&s.key)),
            plural(s.passages, "passage", "passages"),
            plural(s.documents, "document", "documents"),
            s.per_10k_words
        )?;
        for (i, h) in g.statements.iter().enumerate() {
            let mut cite = vec![h.citation.title.clone()];
            cite.extend(h.citation.date.clone());
            cite.extend(chapter_line(&h.citation));
            cite.push(format!("{} §{}", h.citation.doc_id, h.passage));
            writeln!(out, "  {}. «{}»", i + 1, h.snippet)?;
            writeln!(out, "     {}", style.dim(&cite.join(" · ")))?;
        }
        writeln!(out)?;
    }
    let none: Vec<&str> = c
        .groups
        .iter()
        .filter(|g| g.stats.passages == 0)
        .map(|g| shown(&g.stats.key))
        .collect();
    if !none.is_empty() {
        writeln!(out, "{} {}", style.dim("No match:"), none.join(", "))?;
    }
    Ok(())
}

pub fn compare_markdown(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    writeln!(out, "# {:?} by {}\n", c.query, c.by.as_str())?;
    writeln!(
        out,
        "| {} | documents | passages | per 10,000 words |",
        c.by.as_str()
    )?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for g in &c.groups {
        let s = &g.stats;
        writeln!(
            out,
            "| {} | {} | {} | {:.2} |",
            shown(&s.key),
            s.documents,
            s.passages,
            s.per_10k_words
        )?;
    }
    for g in c.groups.iter().filter(|g| !g.statements.is_empty()) {
        writeln!(out, "\n## {}\n", shown(&g.stats.key))?;
        for h in &g.statements {
            let mut cite = vec![format!("*{}*", h.citation.title)];
            cite.extend(h.citation.date.clone());
            cite.extend(chapter_line(&h.citation));
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
        "words",
        "per_10k_words",
        "rank",
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
            s.words.to_string(),
            format!("{:.4}", s.per_10k_words),
        ];
        if g.statements.is_empty() {
            let mut row = head.to_vec();
            row.extend(std::iter::repeat_n(String::new(), 7));
            w.write_record(row)?;
        }
        for (i, h) in g.statements.iter().enumerate() {
            let mut row = head.to_vec();
            row.extend([
                (i + 1).to_string(),
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

pub fn stats_text(out: &mut dyn Write, s: &Stats, style: &Style) -> Result<()> {
    writeln!(
        out,
        "{} by {}: {} in {}",
        style.bold(&format!("{:?}", s.query)),
        s.by.as_str(),
        plural(s.total_passages, "passage", "passages"),
        plural(s.total_documents, "document", "documents")
    )?;
    let width = s
        .groups
        .iter()
        .map(|g| shown(&g.key).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let max = s.groups.iter().map(|g| g.per_10k_words).fold(0.0, f64::max);
    writeln!(
        out,
        "{:<width$}  {:>9}  {:>8}  {:>10}  {:>9}",
        s.by.as_str(),
        "documents",
        "passages",
        "words",
        "per 10k"
    )?;
    for g in &s.groups {
        let key: String = shown(&g.key).chars().take(width).collect();
        writeln!(
            out,
            "{key:<width$}  {:>9}  {:>8}  {:>10}  {:>9.2}  {}",
            g.documents,
            g.passages,
            g.words,
            g.per_10k_words,
            style.meta(&bar(g.per_10k_words, max, 30))
        )?;
    }
    Ok(())
}

/// A table's header and rows, written as CSV or as a Markdown table.
pub struct Table {
    pub header: Vec<&'static str>,
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

pub fn stats_table(s: &Stats) -> Table {
    Table {
        header: vec!["key", "documents", "passages", "words", "per_10k_words"],
        rows: s
            .groups
            .iter()
            .map(|g| {
                vec![
                    g.key.clone(),
                    g.documents.to_string(),
                    g.passages.to_string(),
                    g.words.to_string(),
                    format!("{:.4}", g.per_10k_words),
                ]
            })
            .collect(),
    }
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
        header: vec![
            "word",
            "term",
            "subset_count",
            "reference_count",
            "subset_per_10k",
            "reference_per_10k",
            "log_likelihood",
            "log_ratio",
        ],
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
        header: vec![
            "id",
            "label",
            "passages",
            "documents",
            "group",
            "group_passages",
            "group_documents",
        ],
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
