//! The web page: server-rendered HTML (maud escapes every value), in Swedish, every view a link.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use sokord_query::{
    Citation, CompareGroup, Comparison, DocumentView, FacetValue, GroupKey, Hit, SearchResults,
    Stats,
};

use crate::api::{compare_request, stats_request};
use crate::chart::{group_name, key_label, Chart, Measure};
use crate::params::{ParamError, Params};
use crate::App;

type Pairs = Query<Vec<(String, String)>>;

/// The views, for the navigation.
#[derive(Clone, Copy, PartialEq)]
enum View {
    Search,
    Document,
    Compare,
    Stats,
}

/// Every page: the header with the views (carrying the query along), then `body`.
fn layout(title: &str, view: View, q: &str, body: Markup) -> Markup {
    let with_q = |path: &str| {
        if q.is_empty() {
            path.to_string()
        } else {
            format!(
                "{path}?{}",
                serde_urlencoded::to_string([("q", q)]).unwrap_or_default()
            )
        }
    };
    let current = |v: View| (v == view).then_some("page");
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – sokord" }
                link rel="stylesheet" href="/static/sokord.css";
                script src="/static/sokord.js" defer {}
            }
            body {
                a.skip href="#main" { "Hoppa till innehållet" }
                header.top {
                    a.brand href="/" { "sokord" }
                    nav aria-label="Vyer" {
                        a href=(with_q("/")) aria-current=[current(View::Search)] { "Sök" }
                        a href=(with_q("/jamfor")) aria-current=[current(View::Compare)] { "Jämför" }
                        a href=(with_q("/statistik")) aria-current=[current(View::Stats)] { "Statistik" }
                    }
                }
                main #main { (body) }
                footer.foot {
                    p { "sokord söker i det index servern öppnade. Samma data som JSON: "
                        a href="/api/health" { "/api" } "." }
                }
            }
        }
    }
}

fn html_response(status: StatusCode, page: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page.into_string(),
    )
        .into_response()
}

/// An error shown on a page: what is wrong (and where, in the query), with the form to fix it.
fn error_box(e: &ParamError, q: &str) -> Markup {
    let column = e.column();
    html! {
        div.error role="alert" {
            p { strong { "Fel: " } (e.on_page()) }
            @if let Some(c) = column {
                @let before: String = q.chars().take(c.saturating_sub(1)).collect();
                @let after: String = q.chars().skip(c.saturating_sub(1)).collect();
                p.at { code { (before) mark.col { "▲" } (after) } }
            }
        }
    }
}

/// A view answered with an error: the form, then what is wrong.
fn error_page(title: &str, view: View, p: Option<&Params>, q: &str, e: ParamError) -> Response {
    let form = match (view, p) {
        (View::Compare, Some(p)) => compare_form(p),
        (View::Stats, Some(p)) => stats_form(p),
        (_, Some(p)) => search_form(p),
        _ => html! {},
    };
    html_response(
        e.status(),
        layout(
            title,
            view,
            q,
            html! { h1.visually-hidden { (title) } (form) (error_box(&e, q)) },
        ),
    )
}

/// A view whose parameters are wrong (a limit too high): the form as far as it can be filled
/// in, then what is wrong.
fn parameters_page(
    title: &str,
    view: View,
    pairs: Vec<(String, String)>,
    e: ParamError,
) -> Response {
    let form = Params::for_form(pairs);
    let q = form
        .as_ref()
        .map_or(String::new(), |p| p.query().to_string());
    error_page(title, view, form.as_ref(), &q, e)
}

/// A path segment with everything but letters, digits and `-._~` percent-encoded.
fn segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A source link only for web addresses: anything else (`javascript:` …) is shown as text.
fn source_link(source: &str) -> Markup {
    let web = source.starts_with("https://") || source.starts_with("http://");
    html! {
        @if web {
            a.source href=(source) rel="noopener noreferrer nofollow" { "Originalkälla" }
        } @else {
            span.source { "Källa: " (source) }
        }
    }
}

/// The snippet with its matched words in `<mark>`.
fn snippet(text: &str, highlights: &[[usize; 2]]) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut last = 0;
    for [from, to] in highlights {
        let (from, to) = (*from, *to);
        if from < last
            || to > text.len()
            || !text.is_char_boundary(from)
            || !text.is_char_boundary(to)
        {
            continue;
        }
        parts.push((false, &text[last..from]));
        parts.push((true, &text[from..to]));
        last = to;
    }
    parts.push((false, &text[last..]));
    html! {
        @for (marked, t) in parts {
            @if marked { mark { (t) } } @else { (t) }
        }
    }
}

/// "Kapitel 3: Titel › Mål 2", or nothing.
fn chapter_line(c: &Citation) -> Option<String> {
    c.chapter_line(" › ")
}

/// The link to a hit's passage in its document.
fn passage_link(doc_id: &str, passage: u32, q: &str) -> String {
    let mut query = vec![("p", passage.to_string())];
    if !q.is_empty() {
        query.push(("q", q.to_string()));
    }
    format!(
        "/dokument/{}?{}#p{passage}",
        segment(doc_id),
        serde_urlencoded::to_string(&query).unwrap_or_default()
    )
}

/// A hit's full citation: who, what, when, where in the document, and the original.
fn citation(h: &Hit) -> Markup {
    let c = &h.citation;
    html! {
        p.cite {
            @if let Some(a) = &c.actor {
                span.actor { (a) }
                @if let Some(p) = &c.party { " (" span.party { (p) } ")" }
                " · "
            } @else if let Some(p) = &c.party {
                span.party { (p) } " · "
            }
            @if let Some(r) = &c.recipient { "till " (r) " · " }
            span.type { (c.doc_type) }
            @if let Some(d) = &c.date { " · " time datetime=(d) { (d) } }
            @if let Some(ch) = chapter_line(c) { " · " span.chapter { (ch) } }
            " · " span.id { (c.doc_id) " §" (h.passage) }
            @if let Some(p) = h.page { " · s. " (p) }
            @if let Some(s) = &c.source { " · " (source_link(s)) }
        }
    }
}

const CHEAT_SHEET: [(&str, &str); 12] = [
    (
        "kliniska prövningar",
        "båda orden, i alla böjningsformer och som delar av sammansättningar",
    ),
    ("\"kliniska prövningar\"", "orden som fras"),
    ("\"läkemedel brist\"~5", "orden inom fem ords avstånd"),
    ("vaccin OR vaccination", "något av orden (även |)"),
    ("vård -tandvård", "vård men inte tandvård (även NOT)"),
    ("(a OR b) c", "gruppering"),
    ("vård*", "ordformer som börjar på vård, och vad vård hittar"),
    ("prövnng~1", "ordformer inom en bokstavs ändring: stavfel"),
    ("=läkemedlen", "exakt denna ordform"),
    ("title:strategi", "ett ord i titeln"),
    ("party:S type:remissvar year:2025", "filter i frågan"),
    (
        "date:[2024-01-01 TO 2025-06-30]",
        "ett datumintervall (* för öppet slut)",
    ),
];

fn cheat_sheet() -> Markup {
    html! {
        details.cheat {
            summary { "Frågespråket" }
            table {
                caption.visually-hidden { "Exempel på sökfrågor" }
                thead { tr { th scope="col" { "Skriv" } th scope="col" { "för att hitta" } } }
                tbody {
                    @for (example, what) in CHEAT_SHEET {
                        tr { td { code { (example) } } td { (what) } }
                    }
                }
            }
        }
    }
}

/// The filters kept as hidden fields, so a new query keeps them.
fn hidden_filters(p: &Params) -> Markup {
    html! {
        @for (k, v) in &p.pairs {
            @if sokord_query::Filters::NAMES.contains(&k.as_str()) && !v.is_empty() {
                input type="hidden" name=(k) value=(v);
            }
        }
    }
}

fn search_form(p: &Params) -> Markup {
    let doc = p.group == sokord_query::Grouping::Doc;
    // (Without a query the newest come first whatever the choice: see `search`. The choice
    // stays "best first", for the query typed next.)
    let date = p.sort == sokord_query::SortBy::Date;
    html! {
        form.search role="search" action="/" method="get" {
            div.query {
                label for="q" { "Sökfråga" }
                input #q type="search" name="q" value=(p.query()) autocomplete="off"
                    placeholder="t.ex. läkemedelsförsörjning";
                button type="submit" { "Sök" }
            }
            div.options {
                label { "Visa "
                    select name="group" {
                        option value="" selected[!doc] { "passager" }
                        option value="doc" selected[doc] { "dokument" }
                    }
                }
                label { "Ordning "
                    select name="sort" {
                        option value="" selected[!date] { "bäst först" }
                        option value="date" selected[date] { "nyast först" }
                    }
                }
                label { input type="checkbox" name="all" value="1" checked[p.all]; " bara passager som räknas" }
            }
            (hidden_filters(p))
        }
        (cheat_sheet())
    }
}

/// The value a facet's link filters by: a year as a date range, a chapter by its number.
fn facet_filter(name: &str, value: &str) -> Vec<(&'static str, String)> {
    match name {
        "year" => vec![("from", value.to_string()), ("to", value.to_string())],
        "chapter" => {
            let v = match value.split_once(": ") {
                Some((n, _)) if !n.is_empty() => n,
                _ => value,
            };
            vec![("chapter", v.to_string())]
        }
        "party" => vec![("party", value.to_string())],
        "actor" => vec![("actor", value.to_string())],
        "recipient" => vec![("recipient", value.to_string())],
        "type" => vec![("type", value.to_string())],
        _ => vec![("topic", value.to_string())],
    }
}

/// At most this many values of a facet are shown.
const FACET_VALUES: usize = 12;

fn facets(p: &Params, r: &SearchResults) -> Markup {
    let f = &r.facets;
    let groups: [(&str, &str, &Vec<FacetValue>); 7] = [
        ("party", "Parti", &f.party),
        ("actor", "Aktör", &f.actor),
        ("recipient", "Mottagare", &f.recipient),
        ("type", "Dokumenttyp", &f.doc_type),
        ("year", "År", &f.year),
        ("topic", "Ämne", &f.topic),
        ("chapter", "Kapitel", &f.chapter),
    ];
    html! {
        aside.facets aria-label="Filter" {
            h2 { "Filtrera" }
            @for (name, label, values) in groups {
                @if !values.is_empty() {
                    section.facet data-facet=(name) {
                        h3 { (label) }
                        ul {
                            @for v in values.iter().filter(|v| !v.value.is_empty()).take(FACET_VALUES) {
                                @let set = facet_filter(name, &v.value);
                                @let changes: Vec<(&str, Option<&str>)> = set
                                    .iter()
                                    .map(|(k, x)| (*k, Some(x.as_str())))
                                    .chain([("offset", None)])
                                    .collect();
                                @let chosen = set.iter().all(|(k, x)| p.get(k) == Some(x.as_str()));
                                li {
                                    a href=(p.link("/", &changes)) aria-current=[chosen.then_some("true")] {
                                        span.value { (v.value) }
                                        " "
                                        span.count aria-label=(format!("{} träffar", v.count)) { (v.count) }
                                    }
                                }
                            }
                        }
                        // The values not shown are said (the years of a long span were left
                        // out without a word): the statistics page lists them all.
                        @let shown = values.iter().filter(|v| !v.value.is_empty()).count();
                        @if shown > FACET_VALUES {
                            p.more {
                                a href=(p.link("/statistik", &[("by", Some(name)), ("offset", None), ("limit", None), ("all", None), ("group", None), ("sort", None)])) {
                                    "+ " (shown - FACET_VALUES) " till (statistik)"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The filters in force, each with a link that removes it.
fn active_filters(p: &Params, path: &str) -> Markup {
    let set: Vec<(&String, &String)> = p
        .pairs
        .iter()
        .filter(|(k, v)| sokord_query::Filters::NAMES.contains(&k.as_str()) && !v.is_empty())
        .map(|(k, v)| (k, v))
        .collect();
    html! {
        @if !set.is_empty() {
            ul.active aria-label="Valda filter" {
                @for (k, v) in set {
                    li {
                        (k) ": " strong { (v) } " "
                        a href=(p.link(path, &[(k.as_str(), None), ("offset", None)]))
                            aria-label=(format!("Ta bort filtret {k}: {v}")) { "✕" }
                    }
                }
            }
        }
    }
}

pub(crate) async fn search(State(app): State<App>, Query(pairs): Pairs) -> Response {
    let title = "Sök";
    let p = match Params::parse(pairs.clone(), &app.limits) {
        Ok(p) => p,
        Err(e) => return parameters_page(title, View::Search, pairs, e),
    };
    let q = p.query().to_string();
    let request = match p.request() {
        Ok(r) => r,
        Err(e) => return error_page(title, View::Search, Some(&p), &q, e),
    };
    // Without a query every passage matches alike: the newest come first (in index order the
    // first page was the oldest scans' letterheads).
    let newest_first = q.trim().is_empty() && p.get("sort").is_none();
    let request = if newest_first {
        request.sort(sokord_query::SortBy::Date)
    } else {
        request
    };
    let newest = newest_first.then_some("date");
    let (limit, offset) = (request.limit, request.offset);
    let results = match app.run(move |s| s.search(&request)).await {
        Ok(r) => r,
        Err(e) => return error_page(title, View::Search, Some(&p), &q, e),
    };
    let unit = if p.group == sokord_query::Grouping::Doc {
        "dokument"
    } else {
        "passager"
    };
    // The hits that count first; after them, when the page asks for more, those found more
    // loosely (passages only: their document's title, a compound's parts near each other) and
    // those with some of the words.
    let loose = if p.group == sokord_query::Grouping::Passage {
        results
            .hits
            .iter()
            .filter(|h| !h.partial && !h.counted)
            .count()
    } else {
        0
    };
    let counted = results.hits.iter().filter(|h| !h.partial).count() - loose;
    // Past the last hit, the page before is the last one.
    let listed = results.total_hits + results.loose_hits.unwrap_or(0);
    let last_page = (listed.max(1) - 1) / limit.max(1) * limit.max(1);
    let prev = (offset > 0).then(|| {
        let at = offset.saturating_sub(limit).min(last_page).to_string();
        p.link("/", &[("offset", Some(at.as_str()))])
    });
    let next = (limit > 0
        // More counted passages, or more found loosely after them (partial matches only
        // fill a page).
        && offset + counted + loose < results.total_hits + results.loose_hits.unwrap_or(0)
        && offset + limit <= app.limits.max_offset)
        .then(|| {
            let at = (offset + limit).to_string();
            p.link("/", &[("offset", Some(at.as_str()))])
        });
    let max = app.limits.max_limit.to_string();
    // The downloads hold the passages the page's figure counts, not those found more loosely
    // or partly, in the page's order.
    let mut download = vec![
        ("limit", Some(max.as_str())),
        ("offset", None),
        ("all", Some("1")),
    ];
    if newest.is_some() {
        download.push(("sort", newest));
    }
    let json = p.link("/api/search", &download);
    download.push(("format", Some("csv")));
    let csv = p.link("/api/search", &download);
    let body = html! {
        h1.visually-hidden { "Sök" }
        (search_form(&p))
        div.layout {
            (facets(&p, &results))
            section.results aria-labelledby="summary" {
                p #summary.summary aria-live="polite" {
                    @if q.is_empty() {
                        (results.total_hits) " " (unit) " i indexet"
                    } @else {
                        (results.total_hits) " " (unit) " matchar "
                        q { (q) }
                    }
                    // Documents matched only through a compound's parts near each other are
                    // listed with the rest but not counted: said, with the figure the
                    // statistics give.
                    @if let Some(n) = results.counted_hits.filter(|&n| n < results.total_hits) {
                        span title="Dokument där orden bara finns som ett sammansatt ords delar nära varandra räknas inte av statistiken; deras träffar är märkta räknas ej." {
                            " (" (n) " som statistiken räknar)"
                        }
                    }
                    @if counted > 0 {
                        ", visar " (offset + 1) "–" (offset + counted)
                    }
                    @if loose > 0 {
                        @if counted > 0 { ", därefter " }
                        @else if results.total_hits > 0 { ", visar efter dem " }
                        @else { ", visar " }
                        span title="Genom dokumentets titel eller ett sammansatt ords delar nära varandra, inte i passagens egen text: statistiken räknar dem inte." {
                            (loose) " som hittats lösare och inte räknas"
                        }
                    }
                }
                (active_filters(&p, "/"))
                @if !results.suggestions.is_empty() {
                    p.suggest { "Menade du: "
                        @for (i, s) in results.suggestions.iter().enumerate() {
                            @if i > 0 { " · " }
                            a href=(p.link("/", &[("q", Some(s.as_str())), ("offset", None)])) { (s) }
                        }
                        "?"
                    }
                }
                (lookalike_notes(&[q.as_str()]))
                @for t in &results.truncated_expansions {
                    p.note { code { (t.word) } " matchar " (t.forms) " ordformer; de " (t.searched) " vanligaste söks." }
                }
                // A page past the last hit (an edited address, a bookmark): says so and links
                // to the last page.
                @if results.hits.is_empty() && listed > 0 && offset >= listed && limit > 0 {
                    @let last = last_page.to_string();
                    p.note {
                        "Inga träffar på den här sidan: den börjar efter den sista. "
                        a href=(p.link("/", &[("offset", Some(last.as_str()))])) { "Till sista sidan" }
                    }
                }
                ol.hits start=(offset + 1) {
                    @for h in &results.hits {
                        li.hit {
                            h2 {
                                a href=(passage_link(&h.citation.doc_id, h.passage, &q)) { (h.citation.title) }
                                @if h.partial { " " span.partial { "(delvis träff)" } }
                                @else if !h.counted && p.group == sokord_query::Grouping::Passage {
                                    " " span.partial title="Orden står i dokumentets titel eller som delar av ett sammansatt ord nära varandra, inte i passagen: statistiken räknar den inte." { "(räknas ej)" }
                                }
                                @else if !h.counted && !q.trim().is_empty() {
                                    " " span.partial title="Orden finns i dokumentet bara som ett sammansatt ords delar nära varandra: statistiken räknar det inte." { "(räknas ej)" }
                                }
                            }
                            (citation(h))
                            p.snippet { (snippet(&h.snippet, &h.highlights)) }
                            @if let Some(n) = h.matched_passages {
                                p.matched { (n) " matchande passager i dokumentet" }
                            }
                        }
                    }
                }
                nav.paging aria-label="Sidor" {
                    @if let Some(l) = &prev { a rel="prev" href=(l) { "← Föregående" } }
                    @if let Some(l) = &next { a rel="next" href=(l) { "Nästa →" } }
                }
                p.downloads {
                    "Ladda ner de " (results.total_hits) " " (unit) " som matchar (upp till " (max) "): "
                    a href=(csv) download="sokord.csv" { "CSV" } " · "
                    a href=(json) { "JSON" }
                }
            }
        }
    };
    html_response(StatusCode::OK, layout(title, View::Search, &q, body))
}

pub(crate) async fn document(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
) -> Response {
    let title = "Dokument";
    let p = match Params::parse(pairs, &app.limits) {
        Ok(p) => p,
        Err(e) => return error_page(title, View::Document, None, "", e),
    };
    let chapter = p.filters.chapter.clone();
    let doc = match app.run(move |s| s.document(&id, chapter.as_deref())).await {
        Ok(d) => d,
        Err(e) => return error_page(title, View::Document, None, "", e),
    };
    let q = p.query().to_string();
    html_response(
        StatusCode::OK,
        layout(&doc.title, View::Document, &q, document_body(&doc, &p)),
    )
}

fn document_body(doc: &DocumentView, p: &Params) -> Markup {
    // The chapters as a table of contents: each heading where it first starts.
    let mut toc: Vec<(usize, String, u32)> = Vec::new();
    let mut last: Vec<sokord_core::Chapter> = Vec::new();
    let mut headings: Vec<Vec<(usize, String)>> = Vec::new();
    for passage in &doc.passages {
        let same = last
            .iter()
            .zip(&passage.chapters)
            .take_while(|(a, b)| a == b)
            .count();
        let mut here = Vec::new();
        if passage.chapters != last {
            for (depth, c) in passage.chapters.iter().enumerate().skip(same) {
                toc.push((depth, c.display(), passage.ordinal));
                here.push((depth, c.display()));
            }
            last = passage.chapters.clone();
        }
        headings.push(here);
    }
    let back = if p.query().is_empty() {
        "/".to_string()
    } else {
        p.link("/", &[("p", None), ("chapter", None)])
    };
    html! {
        article.document {
            p.back { a href=(back) { "← Till sökningen" } }
            h1 { (doc.title) }
            dl.meta {
                dt { "Typ" } dd { (doc.doc_type) }
                @if let Some(a) = &doc.actor { dt { "Aktör" } dd { (a) } }
                @if let Some(x) = &doc.party { dt { "Parti" } dd { (x) } }
                @if let Some(r) = &doc.recipient { dt { "Mottagare" } dd { (r) } }
                @if let Some(d) = &doc.date { dt { "Datum" } dd { time datetime=(d) { (d) } } }
                @if let Some(s) = &doc.source { dt { "Källa" } dd { (source_link(s)) } }
                @if !doc.doc_topics.is_empty() { dt { "Ämnen" } dd { (doc.doc_topics.join(", ")) } }
                dt { "Dokument-id" } dd { code { (doc.doc_id) } }
            }
            @if !toc.is_empty() {
                nav.toc aria-labelledby="toc-title" {
                    h2 #toc-title { "Innehåll" }
                    ol {
                        @for (depth, name, at) in &toc {
                            li class=(format!("depth{depth}")) { a href=(format!("#k{at}")) { (name) } }
                        }
                    }
                }
            }
            div.passages {
                @for (passage, here) in doc.passages.iter().zip(&headings) {
                    @for (i, (depth, name)) in here.iter().enumerate() {
                        @let id = (i == 0).then(|| format!("k{}", passage.ordinal));
                        @match depth {
                            0 => h2 id=[id] { (name) },
                            1 => h3 id=[id] { (name) },
                            _ => h4 id=[id] { (name) },
                        }
                    }
                    @let hit = p.p == Some(passage.ordinal);
                    div.passage.hit[hit] id=(format!("p{}", passage.ordinal)) {
                        @if hit { p.marker { "Träffen" } }
                        p.text { (passage.text) }
                        p.pmeta { "§" (passage.ordinal)
                            @if let Some(pg) = passage.page { " · s. " (pg) }
                            @if !passage.topics.is_empty() { " · " (passage.topics.join(", ")) }
                        }
                    }
                }
            }
        }
    }
}

fn by_select(name: &str, label: &str, chosen: Option<GroupKey>, none: bool) -> Markup {
    html! {
        label { (label) " "
            select name=(name) {
                @if none { option value="" selected[chosen.is_none()] { "—" } }
                @for k in GroupKey::ALL {
                    option value=(k.as_str()) selected[chosen == Some(k)] { (key_label(k).to_lowercase()) }
                }
            }
        }
    }
}

fn compare_form(p: &Params) -> Markup {
    let top = p.top.unwrap_or(3).to_string();
    html! {
        form.search action="/jamfor" method="get" {
            div.query {
                label for="q" { "Sökfråga" }
                input #q type="search" name="q" value=(p.query()) autocomplete="off";
                button type="submit" { "Jämför" }
            }
            div.options {
                (by_select("by", "Grupper efter", Some(p.by.first().copied().unwrap_or(GroupKey::Actor)), false))
                label { "Citat per grupp "
                    input type="number" name="top" min="0" max="10" value=(top);
                }
            }
            (hidden_filters(p))
        }
    }
}

fn figures(g: &CompareGroup) -> Markup {
    let s = &g.stats;
    html! {
        dl.figures {
            dt { "Dokument" } dd { (s.documents) }
            dt { "Passager" } dd { (s.passages) }
            dt { "Träffar" } dd { (s.hits) }
            dt { "Per 10 000 ord" } dd { (format!("{:.2}", s.per_10k_words)) }
            dt { "Andel dokument" } dd { (format!("{:.1} %", s.document_share * 100.0)) }
        }
    }
}

/// What the figures of the comparison and the statistics count (the README's "What the
/// statistics count", in short).
fn counting_note() -> Markup {
    html! {
        p.note.counting {
            "Passager: stycken vars egen text (eller rubrik) matchar. Dokument: dokument där en passage, "
            "passagerna tillsammans (frågor med flera ord) eller titeln matchar, så en grupp kan ha fler dokument än passager. "
            "Träffar: förekomster i passagerna, en fras en gång. Sök räknar samma passager; när de inte fyller "
            "en sida visar den efter dem passager som hittats lösare (genom titeln eller en sammansättnings delar "
            "nära varandra), märkta räknas ej."
        }
    }
}

/// The most groups side by side on the page (by actor, a large index has a thousand); the
/// JSON has them all.
const SHOWN_GROUPS: usize = 40;

fn compare_body(p: &Params, c: &Comparison) -> Markup {
    let q = p.query();
    let (some, none): (Vec<&CompareGroup>, Vec<&CompareGroup>) = c
        .groups
        .iter()
        .partition(|g| g.stats.passages > 0 || g.stats.documents > 0);
    let with_hits = some.len();
    // The groups with the most matching documents (those given statements), in the
    // comparison's own order; of years, months and sessions the latest, in time order.
    let latest = c.by.is_time();
    let some: Vec<&CompareGroup> = if latest {
        let skip = some.len().saturating_sub(SHOWN_GROUPS);
        some.into_iter().skip(skip).collect()
    } else {
        c.largest(SHOWN_GROUPS)
            .into_iter()
            .map(|i| &c.groups[i])
            .collect()
    };
    let json = p.link("/api/compare", &[]);
    html! {
        p.summary {
            "«" (c.query) "» efter " (key_label(c.by).to_lowercase()) ": "
            (c.total_passages) " passager i " (c.total_documents) " dokument"
        }
        (active_filters(p, "/jamfor"))
        @if with_hits > some.len() {
            p.note {
                @if latest { "Visar de " (some.len()) " senaste grupperna av " (with_hits) "; " }
                @else { "Visar de " (some.len()) " grupper av " (with_hits) " som har flest träffade dokument; " }
                a href=(json) { "alla finns som JSON" } "." }
        }
        div.groups {
            @for g in some {
                section.group {
                    h2 { (group_name(&g.stats.key)) }
                    (figures(g))
                    ol.statements {
                        @for h in &g.statements {
                            li {
                                blockquote { (snippet(&h.snippet, &h.highlights)) }
                                p.title { a href=(passage_link(&h.citation.doc_id, h.passage, q)) { (h.citation.title) } }
                                (citation(h))
                            }
                        }
                    }
                }
            }
        }
        @if !none.is_empty() && none.len() <= SHOWN_GROUPS {
            p.none { "Ingen träff: "
                (none.iter().map(|g| group_name(&g.stats.key)).collect::<Vec<_>>().join(", ")) }
        } @else if !none.is_empty() {
            p.none { "Ingen träff hos " (none.len()) " grupper till." }
        }
        (counting_note())
        p.downloads { a href=(json) { "Som JSON" } }
    }
}

pub(crate) async fn compare(State(app): State<App>, Query(pairs): Pairs) -> Response {
    let title = "Jämför";
    let p = match Params::parse(pairs.clone(), &app.limits) {
        Ok(p) => p,
        Err(e) => return parameters_page(title, View::Compare, pairs, e),
    };
    let q = p.query().to_string();
    let body = if p.pairs.is_empty() {
        html! {
            h1.visually-hidden { (title) }
            (compare_form(&p))
            p.intro { "Skriv en sökfråga och välj grupper: partier, aktörer, år … sida vid sida, med sina siffror och sina mest representativa citat." }
        }
    } else {
        let (request, by, top) = match compare_request(&p) {
            Ok(x) => x,
            Err(e) => return error_page(title, View::Compare, Some(&p), &q, e),
        };
        let c = match app
            .run(move |s| {
                // Years, months and sessions: the latest groups are shown (a timeline without
                // gaps), so every group gets its statements.
                if by.is_time() {
                    s.compare(&request, by, top)
                } else {
                    s.compare_largest(&request, by, top, SHOWN_GROUPS)
                }
            })
            .await
        {
            Ok(c) => c,
            Err(e) => return error_page(title, View::Compare, Some(&p), &q, e),
        };
        html! {
            h1.visually-hidden { (title) }
            (compare_form(&p))
            (lookalike_notes(&[q.as_str()]))
            (compare_body(&p, &c))
        }
    };
    html_response(StatusCode::OK, layout(title, View::Compare, &q, body))
}

/// A note for each lower-case `or`/`and`/`not` (or `eller`) between words of the queries: it
/// is searched as a word (or left out as a stop word), not taken as the operator.
fn lookalike_notes(queries: &[&str]) -> Markup {
    html! {
        @for q in queries {
            @for l in sokord_core::query::operator_lookalikes(q) {
                @if !l.word.chars().any(char::is_alphabetic) {
                    p.note {
                        "«" (l.word) "» "
                        @if queries.len() > 1 { "i «" (q) "» " }
                        "med ett mellanslag efter utesluter inget; skriv det direkt före ordet ("
                        code { "-tandvård" } ") eller " code { "NOT" } "."
                    }
                } @else {
                    p.note {
                        "«" (l.word) "» "
                        @if queries.len() > 1 { "i «" (q) "» " }
                        @if l.word.eq_ignore_ascii_case("eller") { "är ett stoppord och utelämnas, så orden runt det måste alla finnas" } @else { "söks som ett ord" }
                        "; skriv " code { (l.operator) } " med versaler för operatorn."
                    }
                }
            }
            @if let Some(n) = sokord_core::query::or_beside_and(q) {
                p.note {
                    "Ord sida vid sida binds före " code { "OR" } ": frågan läses som "
                    code { (n.read_as) } ". För något av alternativen tillsammans med de andra orden, skriv "
                    code { (n.alternatives) } "."
                }
            }
        }
    }
}

/// Query fields on the statistics page.
const STATS_QUERIES: usize = 3;

fn stats_form(p: &Params) -> Markup {
    let by = p.by.first().copied().unwrap_or(GroupKey::Year);
    let by2 = p.by.get(1).copied();
    html! {
        form.search.stats action="/statistik" method="get" {
            fieldset {
                legend { "Sökfrågor (en serie var)" }
                @for i in 0..STATS_QUERIES.max(p.q.len()) {
                    @let id = format!("q{}", i + 1);
                    label for=(id) { "Fråga " (i + 1) }
                    input id=(id) type="search" name="q" value=(p.q.get(i).map_or("", String::as_str)) autocomplete="off";
                }
            }
            div.options {
                (by_select("by", "Grupper efter", Some(by), false))
                (by_select("by", "och (korstabell)", by2, true))
                label { "Mått "
                    select name="measure" {
                        @for m in Measure::ALL {
                            option value=(m.as_str()) selected[m == p.measure] { (m.label()) }
                        }
                    }
                }
                button type="submit" { "Visa" }
            }
            (hidden_filters(p))
        }
    }
}

fn stats_table(s: &Stats, m: Measure) -> Markup {
    let all = if s.series.is_empty() {
        vec![s.first_series()]
    } else {
        s.series.clone()
    };
    match s.by.as_slice() {
        [down, across] => {
            let one = &all[0];
            let (rows, cols, cells) = sokord_query::GroupStats::cross_tab(&one.groups);
            let cell = |g: &Option<&sokord_query::GroupStats>| {
                g.map_or_else(|| "·".to_string(), |g| m.shown(g))
            };
            let shown = group_name;
            html! {
                table.figures {
                    caption { "«" (one.query) "»: " (m.label().to_lowercase()) ", "
                        (key_label(*down).to_lowercase()) " nedåt, " (key_label(*across).to_lowercase()) " bortåt" }
                    thead { tr { th scope="col" { (key_label(*down)) } @for c in &cols { th scope="col" { (shown(c)) } } } }
                    tbody { @for (r, row) in rows.iter().zip(&cells) { tr { th scope="row" { (shown(r)) } @for g in row { td { (cell(g)) } } } } }
                }
            }
        }
        _ => {
            let key = s.by.first().copied().unwrap_or(GroupKey::Year);
            let groups = &all[0].groups;
            html! {
                table.figures {
                    caption { (m.label()) " efter " (key_label(key).to_lowercase()) }
                    thead {
                        tr {
                            th scope="col" { (key_label(key)) }
                            @for x in &all { th scope="col" { "«" (x.query) "»" } }
                            th scope="col" { "Dokument (" (all[0].query) ")" }
                            th scope="col" { "Ord" }
                        }
                    }
                    tbody {
                        @for (i, g) in groups.iter().enumerate() {
                            tr {
                                th scope="row" { (group_name(&g.key)) }
                                @for x in &all { td { (x.groups.get(i).map_or_else(String::new, |g| m.shown(g))) } }
                                td { (g.documents) " av " (g.population_documents) }
                                td { (g.words) }
                            }
                        }
                        tr.total {
                            th scope="row" { "Totalt" }
                            @for x in &all { td { (m.shown(&x.total)) } }
                            td { (all[0].total.documents) " av " (all[0].total.population_documents) }
                            td { (all[0].total.words) }
                        }
                    }
                }
            }
        }
    }
}

pub(crate) async fn stats(State(app): State<App>, Query(pairs): Pairs) -> Response {
    let title = "Statistik";
    let p = match Params::parse(pairs.clone(), &app.limits) {
        Ok(p) => p,
        Err(e) => return parameters_page(title, View::Stats, pairs, e),
    };
    let q = p.query().to_string();
    if p.pairs.is_empty() {
        let body = html! {
            h1.visually-hidden { (title) }
            (stats_form(&p))
            p.intro { "Hur ofta något sägs, per år, parti, aktör …: skriv en eller flera sökfrågor och välj gruppering och mått." }
        };
        return html_response(StatusCode::OK, layout(title, View::Stats, &q, body));
    }
    let (requests, by) = match stats_request(&p) {
        Ok(x) => x,
        Err(e) => return error_page(title, View::Stats, Some(&p), &q, e),
    };
    let s = match app.run(move |s| s.stats_of(&requests, &by)).await {
        Ok(s) => s,
        Err(e) => return error_page(title, View::Stats, Some(&p), &q, e),
    };
    let all_groups = s.groups.len();
    let (s, left_out) = shown_stats(&s);
    let chart = p.link("/statistik.svg", &[]);
    let json = p.link("/api/stats", &[("measure", None)]);
    let several_crosstab = s.by.len() == 2 && s.series.len() > 1;
    // The image's size, so that the page does not jump when it comes (bars laid across are
    // taller).
    let (width, height) = Chart::of_stats(&s, p.measure).map_or(crate::chart::SIZE, |c| c.size());
    let alt = format!(
        "Diagram: {} efter {}",
        p.measure.label().to_lowercase(),
        s.by.iter()
            .map(|k| key_label(*k).to_lowercase())
            .collect::<Vec<_>>()
            .join(" och ")
    );
    let body = html! {
        h1.visually-hidden { (title) }
        (stats_form(&p))
        (lookalike_notes(&p.q.iter().map(String::as_str).collect::<Vec<_>>()))
        (active_filters(&p, "/statistik"))
        @if several_crosstab {
            p.note { "En korstabell ritas för en fråga: diagrammet och tabellen visar den första." }
        } @else {
            figure.chart { img src=(chart) alt=(alt) width=(width) height=(height); }
        }
        @if left_out > 0 {
            p.note { "Visar " (all_groups - left_out) " grupper av " (all_groups) ": "
                @if s.by.len() == 2 { "de " (CROSS_TAB_VALUES) } @else { "de " (SHOWN_GROUPS) }
                " med flest träffade dokument; totalen räknar alla. "
                a href=(json) { "Alla finns som JSON" } "." }
        }
        (stats_table(&s, p.measure))
        (counting_note())
        p.downloads { a href=(json) { "Som JSON" } }
    };
    html_response(StatusCode::OK, layout(title, View::Stats, &q, body))
}

/// The most values of a key a cross-tab shows on the page and in its chart (a line each).
pub(crate) const CROSS_TAB_VALUES: usize = 12;

/// The groups the statistics page and its chart show: of a key that is not a time key, the
/// [`SHOWN_GROUPS`] values with the most matching documents ([`CROSS_TAB_VALUES`] in a
/// cross-tab); by actor a large index has a thousand, which no chart can label. The JSON has
/// them all. Also how many groups were left out.
fn shown_stats(s: &sokord_query::Stats) -> (sokord_query::Stats, usize) {
    s.largest(if s.by.len() == 2 {
        CROSS_TAB_VALUES
    } else {
        SHOWN_GROUPS
    })
}

/// The statistics chart as SVG: the same chart `sokord stats --plot` draws.
pub(crate) async fn stats_svg(State(app): State<App>, Query(pairs): Pairs) -> Response {
    let answer = async {
        let p = Params::parse(pairs, &app.limits)?;
        let (requests, by) = stats_request(&p)?;
        let measure = p.measure;
        app.run(move |s| {
            let stats = shown_stats(&s.stats_of(&requests, &by)?).0;
            Ok(Chart::of_stats(&stats, measure).and_then(|c| c.svg()))
        })
        .await?
        .map_err(|e| ParamError::bad("by", e.to_string()))
    };
    match answer.await {
        Ok(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/sokord.css"),
    )
        .into_response()
}

pub(crate) async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../assets/sokord.js"),
    )
        .into_response()
}

pub(crate) async fn not_found() -> Response {
    let e = ParamError::NotFound("ingen sida här".into());
    let page = layout(
        "Hittades inte",
        View::Search,
        "",
        html! { h1 { "Sidan finns inte" } p { a href="/" { "Till sökningen" } } },
    );
    html_response(e.status(), page)
}
