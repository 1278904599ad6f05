//! The tagging of passages with the topics of a taxonomy ([`sokord_core::topics`]) at index
//! time, from evidence.
//!
//! For each topic, the distinct words and phrases of its definition that a passage holds count
//! (their weights: [`sokord_core::topics::WEAK`], [`sokord_core::topics::STRONG`]), half when a
//! word's only mention is one item of a list; a word that needs context counts only with its
//! context near, and the words of a topic's `never` phrases never count. The document's title
//! and the passage's chapter heading add support when they hold the topic's words. The passage
//! gets the topic when the evidence reaches the topic's threshold and the definition matches.
//! [`Tagger::evidence`] gives the reasons, for `topics --explain`.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use sokord_core::analyzers::{tokens, Profile};
use sokord_core::query::Query;
use sokord_core::topics::{
    definition, Taxonomy, CONTEXT_WINDOW, DOCUMENT_SUPPORT, REPEATED, STRONG, SUPPORT, WEAK,
};
use tantivy::tokenizer::TextAnalyzer;

/// A passage's terms with their positions and byte offsets, for matching.
#[derive(Debug, Default)]
pub struct TermPositions {
    terms: FxHashMap<String, Vec<(usize, usize)>>,
    /// The text, lower-cased, where it is kept (titles and headings, for `never`).
    text: Option<String>,
}

impl TermPositions {
    /// Analyses `text` with `analyzer` (all its terms).
    pub fn new(analyzer: &mut TextAnalyzer, text: &str) -> TermPositions {
        let mut terms: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for t in tokens(analyzer, text) {
            terms
                .entry(t.text)
                .or_default()
                .push((t.position, t.offset_from));
        }
        TermPositions { terms, text: None }
    }

    /// Keeps the text these terms are of (a title, a heading), so that `never` phrases are
    /// seen in it.
    pub fn with_text(mut self, text: &str) -> TermPositions {
        let lower = text.to_lowercase();
        self.text = (lower.len() == text.len()).then_some(lower);
        self
    }

    /// Where `pattern` occurs: (position, byte offset) of its first word.
    fn occurrences(&self, pattern: &Pattern) -> Vec<(usize, usize)> {
        match pattern {
            Pattern::Prefix(pre) => {
                let mut out: Vec<(usize, usize)> = self
                    .terms
                    .iter()
                    .filter(|(t, _)| t.starts_with(pre.as_str()))
                    .flat_map(|(_, ps)| ps.iter().copied())
                    .collect();
                out.sort_unstable();
                out.dedup_by_key(|o| o.0);
                out
            }
            Pattern::Terms(words) => {
                let Some((first, first_pos)) = words.first() else {
                    return Vec::new();
                };
                let Some(starts) = self.terms.get(first) else {
                    return Vec::new();
                };
                let mut out: Vec<(usize, usize)> = starts
                    .iter()
                    .copied()
                    .filter(|&(s, _)| {
                        words.iter().skip(1).all(|(w, p)| {
                            self.terms
                                .get(w)
                                .is_some_and(|ps| ps.iter().any(|&(q, _)| q + first_pos == s + p))
                        })
                    })
                    .collect();
                out.sort_unstable();
                out.dedup_by_key(|o| o.0);
                out
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Pattern {
    /// Words at relative positions (one word, or a phrase).
    Terms(Vec<(String, usize)>),
    /// The beginning of a term, lower-cased.
    Prefix(String),
}

/// A word, phrase or prefix of a definition.
struct Leaf {
    /// As written in the definition.
    label: String,
    pattern: Pattern,
    weight: f32,
    /// Words one of which must be near for the leaf to count.
    context: Option<Vec<Pattern>>,
}

#[derive(Clone)]
enum Node {
    Leaf(usize),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

struct Compiled {
    id: String,
    threshold: f32,
    tree: Node,
    /// The alternatives of the definition (the operands of its top OR), each one piece of
    /// evidence.
    units: Vec<Node>,
    leaves: Vec<Leaf>,
    /// The leaves, weightiest and longest first: the order in which they claim words.
    order: Vec<usize>,
    /// Phrases whose words never count, lower-cased.
    never: Vec<String>,
}

/// Why a term of a topic's definition counted (or not) in a passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermEvidence {
    /// The word, phrase or prefix as the definition writes it.
    pub term: String,
    /// Its weight.
    pub weight: f32,
    /// Its mentions that count.
    pub mentions: usize,
    /// Its mentions that do not count: in a `never` phrase, or without the context it needs.
    pub passed_over: usize,
    /// Whether its only counting mention is one item of a list (it then counts half).
    pub in_list: bool,
    /// What it added to the score.
    pub points: f32,
}

/// The evidence for one topic in one passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicEvidence {
    /// The topic's id.
    pub topic: String,
    /// The sum of the terms' points and the support.
    pub score: f32,
    /// The score the topic needs.
    pub threshold: f32,
    /// Whether the definition matches (the passage's words, with the title's and heading's).
    pub definition_matches: bool,
    /// Whether the passage gets the topic.
    pub tagged: bool,
    /// The terms found in the passage.
    pub terms: Vec<TermEvidence>,
    /// The topic's terms found in the document's title (support when not empty).
    pub title: Vec<String>,
    /// The topic's terms found in the passage's chapter heading (support when not empty).
    pub heading: Vec<String>,
    /// Whether other passages of the document have the topic from their own evidence
    /// (support).
    pub document: bool,
}

/// Topic definitions compiled against an analyzer, ready to tag passages.
pub struct Tagger {
    topics: Vec<Compiled>,
    /// Every term the definitions and contexts name, and every prefix: the only terms of a
    /// passage that can decide a topic.
    words: FxHashSet<String>,
    prefixes: Vec<String>,
}

/// Passages of a document tagged with a topic for it to be one of the document's topics when
/// its title does not name the topic: at least this many, and at least a third of them.
pub const DOCUMENT_PASSAGES: usize = 2;

impl Tagger {
    /// Compiles a taxonomy's definitions. Their words are analysed as query words are
    /// ([`sokord_core::analyzers::SV_QUERY`]), so that a word matches itself and the compounds it is a
    /// part of in passages analysed with [`sokord_core::analyzers::SV`].
    pub fn new(taxonomy: &Taxonomy, profile: Profile) -> Tagger {
        let mut analyzer = profile.query_analyzer();
        let mut topics = Vec::new();
        for t in &taxonomy.topics {
            let Ok(q) = definition(&t.query) else {
                continue;
            };
            let mut leaves = Vec::new();
            let tree = compile(&q, &mut analyzer, &mut leaves);
            for leaf in &mut leaves {
                let strong = t
                    .strong
                    .iter()
                    .any(|w| w.trim_matches('"').eq_ignore_ascii_case(&leaf.label));
                if strong {
                    leaf.weight = STRONG;
                }
                if let Some(near) = t.context.iter().find_map(|(w, near)| {
                    w.trim_matches('"')
                        .eq_ignore_ascii_case(&leaf.label)
                        .then_some(near)
                }) {
                    let mut ctx = Vec::new();
                    if let Ok(q) = definition(near) {
                        compile(&q, &mut analyzer, &mut ctx);
                    }
                    leaf.context = Some(ctx.into_iter().map(|l| l.pattern).collect());
                }
            }
            let mut units = Vec::new();
            alternatives(&tree, &mut units);
            let mut order: Vec<usize> = (0..leaves.len()).collect();
            order.sort_by(|&a, &b| {
                let (a, b) = (&leaves[a], &leaves[b]);
                b.weight
                    .total_cmp(&a.weight)
                    .then(b.label.chars().count().cmp(&a.label.chars().count()))
            });
            topics.push(Compiled {
                order,
                id: t.id.clone(),
                threshold: t.threshold(),
                units,
                tree,
                leaves,
                never: t
                    .never
                    .iter()
                    .map(|n| n.trim_matches('"').to_lowercase())
                    .filter(|n| !n.is_empty())
                    .collect(),
            });
        }
        let mut words = FxHashSet::default();
        let mut prefixes = Vec::new();
        let mut gather = |p: &Pattern| match p {
            Pattern::Terms(ws) => words.extend(ws.iter().map(|(w, _)| w.clone())),
            Pattern::Prefix(p) => prefixes.push(p.clone()),
        };
        for t in &topics {
            for leaf in &t.leaves {
                gather(&leaf.pattern);
                leaf.context.iter().flatten().for_each(&mut gather);
            }
        }
        prefixes.sort_unstable();
        prefixes.dedup();
        Tagger {
            topics,
            words,
            prefixes,
        }
    }

    /// The terms of analysed tokens that can decide a topic, with their positions: what
    /// [`TermPositions::new`] gives, but only the terms the definitions name.
    pub fn positions(&self, tokens: &[tantivy::tokenizer::Token]) -> TermPositions {
        let mut terms: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for t in tokens {
            let text = t.text.as_str();
            if !self.words.contains(text)
                && !self.prefixes.iter().any(|p| text.starts_with(p.as_str()))
            {
                continue;
            }
            match terms.get_mut(text) {
                Some(v) => v.push((t.position, t.offset_from)),
                None => {
                    terms.insert(t.text.clone(), vec![(t.position, t.offset_from)]);
                }
            }
        }
        TermPositions { terms, text: None }
    }

    /// The ids of the topics a passage gets: see [`Tagger::evidence`].
    pub fn tag(
        &self,
        passage: &TermPositions,
        text: &str,
        title: &TermPositions,
        heading: &TermPositions,
    ) -> Vec<String> {
        self.evidence(passage, text, title, heading)
            .into_iter()
            .filter(|e| e.tagged)
            .map(|e| e.topic)
            .collect()
    }

    /// The evidence for each topic whose terms the passage holds, in the taxonomy's order:
    /// `passage` the passage's terms, `text` its text (where lists are seen), `title` and
    /// `heading` the terms of its document's title and of its chapter heading.
    pub fn evidence(
        &self,
        passage: &TermPositions,
        text: &str,
        title: &TermPositions,
        heading: &TermPositions,
    ) -> Vec<TopicEvidence> {
        let mut out = Vec::new();
        if passage.terms.is_empty() {
            return out;
        }
        // Lower-cased once, and only when a topic with `never` phrases has words here.
        let lower: std::cell::OnceCell<Option<String>> = std::cell::OnceCell::new();
        for t in &self.topics {
            let occurrences: Vec<Vec<(usize, usize)>> = t
                .leaves
                .iter()
                .map(|leaf| passage.occurrences(&leaf.pattern))
                .collect();
            if occurrences.iter().all(Vec::is_empty) {
                continue;
            }
            let blocked = if t.never.is_empty() {
                Vec::new()
            } else {
                let lower = lower.get_or_init(|| {
                    let lower = text.to_lowercase();
                    (lower.len() == text.len()).then_some(lower)
                });
                never_spans(&t.never, lower.as_deref())
            };
            // Each leaf's counting mentions in the passage. A word counts for one leaf only:
            // the weightiest, longest one that holds it (`äldreomsorg`, not `äldre` too).
            let mut hit = vec![false; t.leaves.len()];
            let mut mentions = vec![(0usize, 0usize, false); t.leaves.len()];
            let mut claimed: Vec<usize> = Vec::new();
            for &i in &t.order {
                let leaf = &t.leaves[i];
                let all = &occurrences[i];
                if all.is_empty() {
                    continue;
                }
                let counting: Vec<(usize, usize)> = all
                    .iter()
                    .copied()
                    .filter(|&(pos, off)| {
                        !blocked.iter().any(|&(a, b)| a <= off && off < b)
                            && has_context(leaf, passage, pos)
                    })
                    .collect();
                hit[i] = !counting.is_empty();
                let own: Vec<(usize, usize)> = counting
                    .iter()
                    .copied()
                    .filter(|(pos, _)| leaf.weight == 0.0 || !claimed.contains(pos))
                    .collect();
                if leaf.weight > 0.0 {
                    claimed.extend(own.iter().map(|o| o.0));
                }
                let listed = own.len() == 1 && in_list(text, own[0].1);
                mentions[i] = (own.len(), all.len() - own.len(), listed);
            }
            if !hit.iter().any(|&h| h) && mentions.iter().all(|m| m.1 == 0) {
                continue;
            }
            let in_title = leaves_in(t, title);
            let in_heading = leaves_in(t, heading);
            let with_support: Vec<bool> = (0..hit.len())
                .map(|i| hit[i] || in_title[i] || in_heading[i])
                .collect();
            // Each alternative of the definition is one piece of evidence.
            let mut terms = Vec::new();
            let mut score = 0.0;
            for unit in &t.units {
                // The word that must be the passage's own: a word, or the first operand of an
                // AND (the others may be in the title or heading).
                let (head, found) = match unit {
                    Node::And(ns) => (
                        ns.iter().find(|n| !matches!(n, Node::Not(_))),
                        eval(unit, &with_support),
                    ),
                    n => (Some(n), eval(n, &hit)),
                };
                let Some(head) = head else {
                    continue;
                };
                let (weight, (count, passed, listed)) = match head {
                    Node::Leaf(i) => (t.leaves[*i].weight, mentions[*i]),
                    n => (WEAK, (usize::from(eval(n, &hit)), 0, false)),
                };
                if weight == 0.0 || count + passed == 0 {
                    continue;
                }
                let counted = if found && eval(head, &hit) { count } else { 0 };
                let points = match counted {
                    0 => 0.0,
                    1 if listed => weight / 2.0,
                    1 => weight,
                    _ => weight * REPEATED,
                };
                score += points;
                terms.push(TermEvidence {
                    term: label(unit, &t.leaves),
                    weight,
                    mentions: counted,
                    passed_over: count + passed - counted,
                    in_list: listed && counted == 1,
                    points,
                });
            }
            if terms.is_empty() {
                continue;
            }
            let supporting = |hits: &[bool]| -> Vec<String> {
                t.units
                    .iter()
                    .filter(|u| eval(u, hits))
                    .map(|u| label(u, &t.leaves))
                    .collect()
            };
            let in_title = supporting(&in_title);
            let in_heading = supporting(&in_heading);
            let own = score > 0.0;
            if own {
                score += SUPPORT
                    * (f32::from(u8::from(!in_title.is_empty()))
                        + f32::from(u8::from(!in_heading.is_empty())));
            }
            let definition_matches = own && (eval(&t.tree, &hit) || eval(&t.tree, &with_support));
            out.push(TopicEvidence {
                topic: t.id.clone(),
                score,
                threshold: t.threshold,
                definition_matches,
                tagged: definition_matches && score >= t.threshold,
                terms,
                title: in_title,
                heading: in_heading,
                document: false,
            });
        }
        out
    }

    /// The evidence for each passage of a document, analysed with `analyzer` (the index's text
    /// analyzer) as indexing does: `passages` are each passage's text and chapter heading
    /// ([`heading_text`]). For explanations and measurements; indexing tags from the tokens it
    /// has already.
    pub fn explain_document(
        &self,
        analyzer: &mut TextAnalyzer,
        title: &str,
        passages: &[(&str, &str)],
    ) -> Vec<Vec<TopicEvidence>> {
        let title = TermPositions::new(analyzer, title).with_text(title);
        let mut out: Vec<Vec<TopicEvidence>> = passages
            .iter()
            .map(|(text, heading)| {
                let heading = TermPositions::new(analyzer, heading).with_text(heading);
                self.evidence(&TermPositions::new(analyzer, text), text, &title, &heading)
            })
            .collect();
        self.support_from_document(&mut out);
        out
    }

    /// Adds the document's support to its passages' evidence ([`Tagger::evidence`] of each):
    /// a passage whose own words give a topic evidence gets [`DOCUMENT_SUPPORT`] more when another
    /// passage of the document has the topic without it.
    pub fn support_from_document(&self, passages: &mut [Vec<TopicEvidence>]) {
        let mut tagged: FxHashMap<String, usize> = FxHashMap::default();
        for p in passages.iter() {
            for e in p.iter().filter(|e| e.tagged) {
                *tagged.entry(e.topic.clone()).or_default() += 1;
            }
        }
        for p in passages.iter_mut() {
            for e in p.iter_mut() {
                let others = tagged.get(&e.topic).copied().unwrap_or(0) - usize::from(e.tagged);
                if others > 0 && e.score > 0.0 {
                    e.document = true;
                    e.score += DOCUMENT_SUPPORT;
                    e.tagged = e.definition_matches && e.score >= e.threshold;
                }
            }
        }
    }

    /// The topics of the taxonomy, in its order, with their thresholds.
    pub fn topics(&self) -> impl Iterator<Item = (&str, f32)> {
        self.topics.iter().map(|t| (t.id.as_str(), t.threshold))
    }

    /// A document's topics from its title and its passages' topics: those whose definition's
    /// alternatives its title holds one of and at least one passage has, and those at least [`DOCUMENT_PASSAGES`]
    /// passages and a third of them have; in the taxonomy's order.
    pub fn document_topics(&self, title: &TermPositions, passages: &[Vec<String>]) -> Vec<String> {
        let n = passages.len();
        self.topics
            .iter()
            .filter(|t| {
                let tagged = passages.iter().filter(|p| p.contains(&t.id)).count();
                let hits = leaves_in(t, title);
                let titled = t.units.iter().any(|u| eval(u, &hits));
                (titled && tagged > 0) || (tagged >= DOCUMENT_PASSAGES && tagged * 3 >= n)
            })
            .map(|t| t.id.clone())
            .collect()
    }
}

/// The text of a passage's chapter heading, as tagging reads it: its chapters' titles.
pub fn heading_text(chapters: &[sokord_core::Chapter]) -> String {
    chapters
        .iter()
        .map(|c| c.title.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which leaves of a topic a title or heading holds (with their context, outside `never`
/// phrases).
fn leaves_in(t: &Compiled, p: &TermPositions) -> Vec<bool> {
    let blocked = never_spans(&t.never, p.text.as_deref());
    t.leaves
        .iter()
        .map(|leaf| {
            p.occurrences(&leaf.pattern).iter().any(|&(pos, off)| {
                has_context(leaf, p, pos) && !blocked.iter().any(|&(a, b)| a <= off && off < b)
            })
        })
        .collect()
}

/// Whether a leaf's mention at `pos` has the context it needs.
fn has_context(leaf: &Leaf, p: &TermPositions, pos: usize) -> bool {
    let Some(ctx) = &leaf.context else {
        return true;
    };
    ctx.iter().any(|c| {
        p.occurrences(c)
            .iter()
            .any(|&(q, _)| q != pos && q.abs_diff(pos) <= CONTEXT_WINDOW)
    })
}

/// The byte spans of `text` (lower-cased) that begin with one of the `never` phrases at the
/// start of a word and run to the end of that word.
fn never_spans(never: &[String], lower: Option<&str>) -> Vec<(usize, usize)> {
    let Some(text) = lower else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for n in never {
        for (start, _) in text.match_indices(n.as_str()) {
            let word_start = text[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if !word_start {
                continue;
            }
            let end = text[start + n.len()..]
                .find(|c: char| !c.is_alphanumeric() && c != '-')
                .map_or(text.len(), |i| start + n.len() + i);
            out.push((start, end));
        }
    }
    out
}

/// Whether the word at byte `offset` of `text` is one item of a list: its sentence holds three
/// comma-separated items or more, the last joined by *och*, *eller* or *samt*, and the stretch
/// between commas around the word is short.
pub fn in_list(text: &str, offset: usize) -> bool {
    let Some(before) = text.get(..offset) else {
        return false;
    };
    let ends = |c: char| matches!(c, '.' | '!' | '?' | ';' | ':' | '\n');
    let start = before.rfind(ends).map_or(0, |i| i + 1);
    let end = text[offset..].find(ends).map_or(text.len(), |i| offset + i);
    // A list: three items or more, the last joined by och, eller or samt.
    let sentence = &text[start..end];
    let items = sentence.split(',').count();
    let joined = sentence.rsplit(',').next().is_some_and(|last| {
        last.split_whitespace()
            .take(4)
            .any(|w| matches!(w, "och" | "eller" | "samt"))
    });
    if items < 3 || !joined {
        return false;
    }
    let seg_start = text[start..offset]
        .rfind(',')
        .map_or(start, |i| start + i + 1);
    let seg_end = text[offset..end].find(',').map_or(end, |i| offset + i);
    text[seg_start..seg_end].split_whitespace().count() <= 4
}

/// The operands of a definition's top OR (nested ORs opened), or the definition itself.
fn alternatives(n: &Node, out: &mut Vec<Node>) {
    match n {
        Node::Or(ns) => ns.iter().for_each(|n| alternatives(n, out)),
        n => out.push(n.clone()),
    }
}

/// An alternative as the definition writes it.
fn label(n: &Node, leaves: &[Leaf]) -> String {
    match n {
        Node::Leaf(i) => leaves[*i].label.clone(),
        Node::And(ns) => ns
            .iter()
            .map(|n| label(n, leaves))
            .collect::<Vec<_>>()
            .join(" AND "),
        Node::Or(ns) => format!(
            "({})",
            ns.iter()
                .map(|n| label(n, leaves))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
        Node::Not(n) => format!("NOT {}", label(n, leaves)),
    }
}

fn eval(n: &Node, hit: &[bool]) -> bool {
    match n {
        Node::Leaf(i) => hit[*i],
        Node::And(ns) => {
            ns.iter().any(|n| !matches!(n, Node::Not(_))) && ns.iter().all(|n| eval(n, hit))
        }
        Node::Or(ns) => ns.iter().any(|n| eval(n, hit)),
        Node::Not(n) => !eval(n, hit),
    }
}

fn compile(q: &Query, analyzer: &mut TextAnalyzer, leaves: &mut Vec<Leaf>) -> Node {
    let terms = |analyzer: &mut TextAnalyzer, text: &str| {
        tokens(analyzer, text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect::<Vec<_>>()
    };
    let mut leaf = |label: &str, pattern: Pattern| {
        let weight = match &pattern {
            Pattern::Terms(ws) if ws.len() > 1 => STRONG,
            _ => WEAK,
        };
        leaves.push(Leaf {
            label: label.to_string(),
            pattern,
            weight,
            context: None,
        });
        Node::Leaf(leaves.len() - 1)
    };
    match q {
        // A prefix is matched against the analysed terms as written, lower-cased, unstemmed.
        Query::Word {
            text, prefix: true, ..
        } => leaf(&format!("{text}*"), Pattern::Prefix(text.to_lowercase())),
        Query::Word { text, .. } | Query::Phrase { text, slop: 0, .. } => {
            let ws = terms(analyzer, text);
            leaf(text, Pattern::Terms(ws))
        }
        // Words within a distance: each of them.
        Query::Phrase { text, .. } => Node::And(
            terms(analyzer, text)
                .into_iter()
                .map(|(t, _)| {
                    let label = t.clone();
                    leaf(&label, Pattern::Terms(vec![(t, 0)]))
                })
                .collect(),
        ),
        Query::And(qs) => Node::And(qs.iter().map(|q| compile(q, analyzer, leaves)).collect()),
        Query::Or(qs) => Node::Or(qs.iter().map(|q| compile(q, analyzer, leaves)).collect()),
        Query::Not(q) => {
            // Words under NOT are not evidence: they only exclude.
            let first = leaves.len();
            let n = compile(q, analyzer, leaves);
            for l in &mut leaves[first..] {
                l.weight = 0.0;
            }
            Node::Not(Box::new(n))
        }
        // Refused by `definition`.
        Query::DateRange { .. } | Query::All => Node::Or(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sokord_core::analyzers::{analyzer, SV};
    use sokord_core::Topic;
    use std::path::Path;

    fn tagger(q: &str) -> (Tagger, TextAnalyzer) {
        let mut t = Topic::new("t", "T", q);
        // One mention is enough here: these tests are about what matches.
        t.threshold = Some(WEAK);
        with(t)
    }

    fn with(topic: Topic) -> (Tagger, TextAnalyzer) {
        let a = analyzer(SV).unwrap();
        let tax = Taxonomy {
            topics: vec![topic],
        };
        (Tagger::new(&tax, Profile::Full), a)
    }

    fn evidence(t: &Tagger, a: &mut TextAnalyzer, title: &str, text: &str) -> TopicEvidence {
        let title = TermPositions::new(a, title);
        let found = t.evidence(
            &TermPositions::new(a, text),
            text,
            &title,
            &TermPositions::default(),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].clone()
    }

    fn all_tokens(a: &mut TextAnalyzer, text: &str) -> Vec<tantivy::tokenizer::Token> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.clone());
        }
        out
    }

    fn hit(q: &str, text: &str) -> bool {
        let (t, mut a) = tagger(q);
        let none = TermPositions::default();
        let found = t.tag(&TermPositions::new(&mut a, text), text, &none, &none);
        // Tagging from tokens (what indexing does) gathers only the terms the definitions
        // name: it must find the same.
        assert_eq!(
            t.tag(&t.positions(&all_tokens(&mut a, text)), text, &none, &none),
            found,
            "{q} / {text}"
        );
        !found.is_empty()
    }

    #[test]
    fn definitions_match_inflected_words_phrases_and_prefixes() {
        assert!(hit(
            "\"kliniska prövningar\"",
            "Fler kliniska prövningar behövs."
        ));
        assert!(hit(
            "\"klinisk prövning\"",
            "Den kliniska prövningen startade."
        ));
        assert!(!hit(
            "\"kliniska prövningar\"",
            "Prövningar som inte är kliniska."
        ));
        assert!(hit(
            "antibiotika* OR resistens",
            "Antibiotikaresistens ökar."
        ));
        // A word finds the compounds it is part of.
        assert!(hit("resistens", "Om antibiotikaresistensen i vården."));
        assert!(hit(
            "\"läkemedelsförsörjning\"",
            "Läkemedelsförsörjningen brister."
        ));
        assert!(hit("vaccin AND barn", "Barnen fick vaccinet."));
        assert!(!hit("vaccin AND barn", "Vaccinet gavs."));
        assert!(hit("vård -tandvård", "Vården blir bättre."));
        assert!(!hit("vård -tandvård", "Vården och tandvården."));
    }

    #[test]
    fn evidence_counts_distinct_terms_lists_repetition_and_the_title() {
        let (t, mut a) = with(Topic::new("t", "T", "tandvård OR tandläkare OR tandhälsa"));
        // One mention of one word: not enough.
        let e = evidence(&t, &mut a, "Om skatter", "Tandvården behöver mer resurser.");
        assert!(!e.tagged && e.definition_matches, "{e:?}");
        assert_eq!(e.score, WEAK);
        // Two distinct words: enough.
        let e = evidence(&t, &mut a, "Om skatter", "Tandvården saknar tandläkare.");
        assert!(e.tagged, "{e:?}");
        assert_eq!(e.terms.len(), 2);
        // One word, but the title backs it.
        let e = evidence(
            &t,
            &mut a,
            "Tandvård för äldre",
            "Tandvården behöver mer resurser.",
        );
        assert!(e.tagged, "{e:?}");
        assert_eq!(e.title, ["tandvård"]);
        // One item of a list counts half, even with the title's support.
        let text = "Vi behöver satsa på skolan, vården, tandvården, polisen och kulturen.";
        let e = evidence(&t, &mut a, "Tandvård för äldre", text);
        assert!(e.terms[0].in_list && !e.tagged, "{e:?}");
        assert_eq!(e.score, WEAK / 2.0 + SUPPORT);
        // Said again, the word counts more.
        let e = evidence(
            &t,
            &mut a,
            "Om skatter",
            "Tandvården är dyr. Tandvården måste bli billigare.",
        );
        assert_eq!(e.score, WEAK * REPEATED);
    }

    #[test]
    fn strong_words_context_never_and_thresholds() {
        let mut topic = Topic::new(
            "m",
            "Miljö",
            "miljö OR klimat OR läkemedelsrester OR \"beroende\"",
        );
        topic.strong = vec!["läkemedelsrester".into()];
        topic
            .context
            .insert("miljö".into(), "vård OR läkemedel".into());
        topic.never = vec!["arbetsmiljö".into(), "beroende på".into()];
        let (t, mut a) = with(topic.clone());
        let e = evidence(
            &t,
            &mut a,
            "",
            "Läkemedelsrester hamnar i vattnet. Läkemedelsresterna stannar.",
        );
        assert!(e.tagged, "{e:?}");
        assert_eq!(e.terms[0].weight, STRONG);
        assert_eq!(e.score, STRONG * REPEATED);
        // miljö without care or medicines near does not count; with them near it does.
        let e = evidence(&t, &mut a, "", "Skogens miljö och klimatet påverkas.");
        assert_eq!(
            (e.terms[0].mentions, e.terms[0].passed_over),
            (0, 1),
            "{e:?}"
        );
        assert!(!e.tagged);
        let e = evidence(&t, &mut a, "", "Vårdens miljöpåverkan och klimatet.");
        assert!(e.tagged, "{e:?}");
        // Words of a never phrase do not count.
        let e = evidence(&t, &mut a, "", "Arbetsmiljön i vården och klimatet.");
        assert_eq!(e.score, WEAK, "{e:?}");
        let e = evidence(&t, &mut a, "", "Det varierar beroende på klimatet.");
        assert_eq!(e.score, WEAK, "{e:?}");
        // A higher threshold asks for more.
        topic.threshold = Some(3.0);
        let (t, mut a) = with(topic);
        let e = evidence(
            &t,
            &mut a,
            "",
            "Läkemedelsrester hamnar i vattnet. Läkemedelsresterna stannar.",
        );
        assert!(!e.tagged && e.threshold == 3.0, "{e:?}");
    }

    #[test]
    fn lists_are_seen_in_the_text() {
        let text = "Kraven gäller kvalitet, tillgänglighet, kostnader och jämlikhet. Kvaliteten i vården är god.";
        assert!(in_list(text, text.find("tillgänglighet").unwrap()));
        assert!(in_list(text, text.find("kostnader").unwrap()));
        assert!(!in_list(text, text.find("Kvaliteten").unwrap()));
        assert!(!in_list(
            "Tillgängligheten, sa hon, är dålig i hela landet.",
            0
        ));
    }

    #[test]
    fn document_topics_come_from_the_title_or_many_passages() {
        let (t, mut a) = tagger("tandvård");
        let title = TermPositions::new(&mut a, "Tandvårdens kostnader");
        let other = TermPositions::new(&mut a, "Om skatter");
        let one = vec![vec!["t".to_string()], vec![], vec![], vec![]];
        assert_eq!(t.document_topics(&title, &one), ["t"]);
        assert!(t.document_topics(&other, &one).is_empty());
        let two = vec![vec!["t".to_string()], vec!["t".to_string()], vec![], vec![]];
        assert_eq!(t.document_topics(&other, &two), ["t"]);
        assert!(t.document_topics(&title, &[vec![], vec![]]).is_empty());
    }

    #[test]
    fn bad_definitions_are_refused_with_a_reason() {
        assert!(definition("\"öppen").unwrap_err().contains("column 1"));
        assert!(definition("(a OR b").is_err());
        assert!(definition("*").is_err());
        assert!(definition("party:S").unwrap_err().contains("field"));
        assert!(Taxonomy::parse(
            "[[topic]]\nid='a'\nlabel='A'\nquery='x'\n[[topic]]\nid='a'\nlabel='B'\nquery='y'\n"
        )
        .unwrap_err()
        .contains("twice"));
    }

    #[test]
    fn the_bundled_taxonomy_is_valid_and_large_enough() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/topics.toml");
        let tax = Taxonomy::load(&path).unwrap();
        assert!(tax.topics.len() >= 15, "{} topics", tax.topics.len());
        // On the bundled documents' paragraphs, tagging from tokens finds what tagging all
        // terms finds, and finds something.
        let tagger = Tagger::new(&tax, Profile::Full);
        let mut a = analyzer(SV).unwrap();
        let mut tagged = 0;
        for dir in ["remissvar", "tal"] {
            for e in std::fs::read_dir(path.parent().unwrap().join(dir)).unwrap() {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap_or_default();
                for para in text.split("\n\n") {
                    let none = TermPositions::default();
                    let found = tagger.tag(&TermPositions::new(&mut a, para), para, &none, &none);
                    assert_eq!(
                        tagger.tag(
                            &tagger.positions(&all_tokens(&mut a, para)),
                            para,
                            &none,
                            &none
                        ),
                        found,
                        "{para}"
                    );
                    tagged += usize::from(!found.is_empty());
                }
            }
        }
        assert!(tagged >= 10, "only {tagged} paragraphs tagged");
    }
}
