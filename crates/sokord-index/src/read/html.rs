//! HTML to blocks: all visible text of the body, site chrome and hidden elements left out.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use crate::blocks::Block;
use crate::chapters::marked_heading;

/// Elements whose content is not text a reader sees on the page: scripts, styles, templates,
/// embedded objects, form controls' option lists, navigation and asides.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "nav", "aside",
    "iframe", "object", "embed", "canvas", "svg", "math", "select", "datalist", "audio", "video",
];

/// Elements that start and end a block; every other element (`span`, `a`, `b`, …) is inline.
const BLOCK_LEVEL: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Sectioning elements: a `<header>` or `<footer>` inside one belongs to it, not to the site.
const SECTIONING: &[&str] = &["article", "section", "main", "dialog", "blockquote"];

/// What the text being gathered belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Paragraph,
    Heading(u8, ego_tree::NodeId),
    Item(ego_tree::NodeId),
    Cell(ego_tree::NodeId),
}

#[derive(Default)]
struct Blocks {
    blocks: Vec<Block>,
    /// The element the last block came from, when text of the same heading, list item or cell
    /// goes on after a nested block (`<li><p>a</p><p>b</p></li>`): it is added to that block.
    last: Option<ego_tree::NodeId>,
    /// The next list item opens a list; the next cell opens a row.
    list_start: bool,
    row_start: bool,
}

impl Blocks {
    fn flush(&mut self, text: &mut String, owner: Owner) {
        let t = squash(&sokord_analysis::normalize(text));
        text.clear();
        if t.is_empty() {
            return;
        }
        let id = match owner {
            Owner::Paragraph => None,
            Owner::Heading(_, id) | Owner::Item(id) | Owner::Cell(id) => Some(id),
        };
        if id.is_some() && id == self.last {
            match self.blocks.last_mut() {
                Some(Block::ListItem { text, .. } | Block::TableCell { text, .. }) => {
                    text.push(' ');
                    text.push_str(&t);
                    return;
                }
                Some(Block::Heading(h)) => {
                    let joined = format!("{} {t}", h.title);
                    if let Some(joined) = marked_heading(h.level, &joined) {
                        *h = joined;
                    }
                    return;
                }
                _ => {}
            }
        }
        self.last = id;
        self.blocks.push(match owner {
            Owner::Paragraph => Block::Paragraph {
                text: t,
                page: None,
            },
            Owner::Heading(level, _) => match marked_heading(level, &t) {
                Some(h) => Block::Heading(h),
                None => return,
            },
            Owner::Item(_) => Block::ListItem {
                text: t,
                marker: None,
                first: std::mem::take(&mut self.list_start),
            },
            Owner::Cell(_) => Block::TableCell {
                text: t,
                row_start: std::mem::take(&mut self.row_start),
            },
        });
    }
}

/// An HTML page's title (`<title>`) and the blocks of its body: the text of every element a
/// reader sees, block-level elements (`p`, `div`, `li`, `td`, `h1`–`h6`, …, and `br`) starting
/// new blocks and inline ones joining. Left out: scripts, styles, templates, `noscript`, `nav`,
/// `aside`, the page's own `header` and `footer` (not those of an article or section) and elements
/// with `hidden` or `aria-hidden="true"`.
pub fn html_to_blocks(html: &str) -> (Option<String>, Vec<Block>) {
    let doc = Html::parse_document(html);
    let title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| squash(&sokord_analysis::normalize(&t.text().collect::<String>())))
        .filter(|t| !t.is_empty());
    let body = Selector::parse("body")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .unwrap_or_else(|| doc.root_element());

    let mut out = Blocks::default();
    let mut text = String::new();
    // The owners of the elements open around the text, innermost last.
    let mut owners: Vec<(ego_tree::NodeId, Owner)> = Vec::new();
    let owner =
        |owners: &[(ego_tree::NodeId, Owner)]| owners.last().map_or(Owner::Paragraph, |o| o.1);
    let mut skipping: Option<ego_tree::NodeId> = None;
    let mut sections = 0usize;
    let mut lists = 0usize;
    for edge in body.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => text.push_str(t),
                    Node::Element(el) => {
                        let name = el.name();
                        let chrome = matches!(name, "header" | "footer") && sections == 0;
                        let hidden = el.attr("hidden").is_some()
                            || el
                                .attr("aria-hidden")
                                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
                        if HIDDEN.contains(&name) || chrome || hidden {
                            skipping = Some(node.id());
                            continue;
                        }
                        if !BLOCK_LEVEL.contains(&name) {
                            continue;
                        }
                        // A line break inside a heading, list item or cell is a space: it goes on.
                        if name == "br" && owner(&owners) != Owner::Paragraph {
                            text.push(' ');
                            continue;
                        }
                        out.flush(&mut text, owner(&owners));
                        if SECTIONING.contains(&name) {
                            sections += 1;
                        }
                        let id = node.id();
                        match name {
                            "ul" | "ol" | "menu" | "dir" => {
                                if lists == 0 {
                                    out.list_start = true;
                                }
                                lists += 1;
                            }
                            "tr" => out.row_start = true,
                            "li" => owners.push((id, Owner::Item(id))),
                            "td" | "th" => owners.push((id, Owner::Cell(id))),
                            "table" => owners.push((id, Owner::Paragraph)),
                            _ => {
                                if let Some(level) = heading_level(name) {
                                    owners.push((id, Owner::Heading(level, id)));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                let name = el.value().name();
                if !BLOCK_LEVEL.contains(&name) || name == "br" {
                    continue;
                }
                out.flush(&mut text, owner(&owners));
                if owners.last().is_some_and(|o| o.0 == node.id()) {
                    owners.pop();
                }
                if SECTIONING.contains(&name) {
                    sections -= 1;
                }
                if matches!(name, "ul" | "ol" | "menu" | "dir") {
                    lists -= 1;
                }
            }
        }
    }
    out.flush(&mut text, owner(&owners));
    (title, out.blocks)
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// Text on one line with single spaces.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Heading(h) => format!("h{} {}", h.level, h.title),
                Block::Paragraph { text, .. } => format!("p {text}"),
                Block::ListItem { text, first, .. } => {
                    format!("li{} {text}", if *first { "*" } else { "" })
                }
                Block::TableCell { text, row_start } => {
                    format!("td{} {text}", if *row_start { "*" } else { "" })
                }
            })
            .collect()
    }

    #[test]
    fn blocks_become_paragraphs_headings_items_and_cells() {
        let html = "<html><head><title>Strategi</title></head><body><h1>Strategi för hälsa</h1>\
                    <p>Första <b>stycket</b>.</p><ul><li><p>Punkt ett</p><p>fortsätter</p></li><li>Punkt två</li></ul>\
                    <h2>Kapitel 2:<br>Mål</h2><p>Andra.<br>Tredje.</p>\
                    <table><tr><th>Region</th><th>Antal</th></tr><tr><td>Norrbotten</td><td>12</td></tr></table></body></html>";
        let (title, blocks) = html_to_blocks(html);
        assert_eq!(title.as_deref(), Some("Strategi"));
        assert_eq!(
            kinds(&blocks),
            [
                "h1 Strategi för hälsa",
                "p Första stycket.",
                "li* Punkt ett fortsätter",
                "li Punkt två",
                "h2 Mål",
                "p Andra.",
                "p Tredje.",
                "td* Region",
                "td Antal",
                "td* Norrbotten",
                "td 12",
            ]
        );
        assert!(matches!(&blocks[4], Block::Heading(h) if h.number.as_deref() == Some("2")));
    }

    #[test]
    fn h2_and_h3_become_the_chapter_path() {
        let html = "<body><div><h1>Vårdplan</h1><h2>Primärvård</h2><div>Fler vårdcentraler öppnar i glesbygden under året.</div>\
                    <h3>2.1 Jour</h3><div>Kvällsjouren förlängs till klockan tjugo på vardagar.</div>\
                    <h2>Psykiatri</h2><div>Väntetiderna till barn- och ungdomspsykiatrin ska halveras.</div></div></body>";
        let (_, blocks) = html_to_blocks(html);
        let s = crate::chapters::structure(&blocks);
        assert_eq!(s.title_heading.as_deref(), Some("Vårdplan"));
        let paths: Vec<Vec<String>> = s
            .passages
            .iter()
            .map(|p| p.chapters.iter().map(|c| c.display()).collect())
            .collect();
        assert_eq!(s.passages.len(), 3, "{:#?}", s.passages);
        assert_eq!(paths[0], ["Primärvård"]);
        assert_eq!(paths[1], ["Primärvård", "2.1: Jour"]);
        assert_eq!(paths[2], ["Psykiatri"]);
    }

    #[test]
    fn text_in_divs_and_spans_is_kept_and_chrome_left_out() {
        let html = "<html><head><style>.x{color:red}</style><script>var meny = 1;</script></head><body>\
                    <header><div>Webbplatsens sidhuvud</div></header>\
                    <nav><ul><li>Startsida</li><li>Kontakt</li></ul></nav>\
                    <div class=\"main\"><div>Läkemedelsförsörjningen <span>ska</span> stärkas.</div>\
                    <div>Andra<div>inre</div>yttre</div>\
                    <section><h3>Vårdgaranti</h3><span>Väntetiderna ska kortas.</span></section>\
                    <article><header>Artikelns rubrikrad</header>Brödtext</article>\
                    <div hidden>Dold text</div><p aria-hidden=\"true\">Ikontext</p>\
                    <aside>Relaterat innehåll</aside><noscript>Aktivera skript</noscript>\
                    <template><p>Mall</p></template><script>document.write('skript')</script></div>\
                    <footer>Sidfot med adress</footer></body></html>";
        let (title, blocks) = html_to_blocks(html);
        assert_eq!(title, None);
        assert_eq!(
            kinds(&blocks),
            [
                "p Läkemedelsförsörjningen ska stärkas.",
                "p Andra",
                "p inre",
                "p yttre",
                "h3 Vårdgaranti",
                "p Väntetiderna ska kortas.",
                "p Artikelns rubrikrad",
                "p Brödtext",
            ]
        );
    }
}
