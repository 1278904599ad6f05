//! A request's parameters: the CLI's flags by their names, checked against the server's limits,
//! and the errors a request can meet.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sokord_query::{Filters, GroupKey, Grouping, SearchRequest, SortBy};

use crate::chart::Measure;
use crate::Limits;

/// What a request can do wrong (or meet), with the status it is answered with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParamError {
    /// A malformed query or parameter (400): the message, the query's column when the query is
    /// at fault, and the parameter.
    #[error("{message}")]
    Bad {
        /// What is wrong, and what to do.
        message: String,
        /// The column of the query (1-based, in characters) where the problem is.
        column: Option<usize>,
        /// The parameter at fault.
        parameter: Option<String>,
        /// The message in Swedish, for the web page, where there is one.
        swedish: Option<String>,
    },
    /// No such document (404).
    #[error("{0}")]
    NotFound(String),
    /// Too many searches at once (503).
    #[error("the server is busy with other searches; try again in a moment")]
    Busy,
    /// The index could not be read (500): not something a request causes.
    #[error("{0}")]
    Internal(String),
}

impl ParamError {
    pub(crate) fn bad(parameter: &str, message: impl Into<String>) -> ParamError {
        ParamError::Bad {
            message: message.into(),
            column: None,
            parameter: Some(parameter.to_string()),
            swedish: None,
        }
    }

    /// What the web page says: in Swedish where the error is one a reader meets (a value the
    /// index lacks, a name remembered wrong, an unknown document), else the message as the API
    /// gives it, after a Swedish lead.
    pub fn on_page(&self) -> String {
        match self {
            ParamError::Bad {
                swedish: Some(s), ..
            } => s.clone(),
            ParamError::Bad {
                message,
                column: Some(c),
                ..
            } => format!("Sökfrågan går inte att läsa vid tecken {c} ({message})"),
            ParamError::Bad { message, .. } => message.clone(),
            ParamError::NotFound(m) if m.starts_with("no document with id") => {
                "Inget dokument med det id:t finns i indexet; sök fram dokumentet och följ länken i träffen.".to_string()
            }
            ParamError::NotFound(m) => m.clone(),
            ParamError::Busy => {
                "Servern är upptagen med andra sökningar; försök igen om en stund.".to_string()
            }
            ParamError::Internal(m) => format!("Indexet gick inte att läsa: {m}"),
        }
    }

    /// The status the error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ParamError::Bad { .. } => StatusCode::BAD_REQUEST,
            ParamError::NotFound(_) => StatusCode::NOT_FOUND,
            ParamError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ParamError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The query's column at fault, if any.
    pub fn column(&self) -> Option<usize> {
        match self {
            ParamError::Bad { column, .. } => *column,
            _ => None,
        }
    }
}

impl From<sokord_query::Error> for ParamError {
    fn from(e: sokord_query::Error) -> ParamError {
        use sokord_query::Error as E;
        let parameter = match &e {
            E::Query(_) | E::NothingToSearch { .. } => Some("q".to_string()),
            E::Filter { name, .. } | E::UnknownValue { name, .. } | E::NoSuchName { name, .. } => {
                Some(name.clone())
            }
            E::NoSuchChapter { .. } | E::UnknownChapter { .. } => Some("chapter".to_string()),
            E::Grouping(_) => Some("by".to_string()),
            E::EmptyReference { rest: false, .. } => Some("vs".to_string()),
            _ => None,
        };
        match e {
            E::Query(p) => ParamError::Bad {
                message: format!("query error: {p}"),
                column: Some(p.column),
                parameter,
                swedish: None,
            },
            E::NoSuchDocument(id) => ParamError::NotFound(format!(
                "no document with id `{id}`; a search shows the ids in its hits"
            )),
            E::Index(_) | E::Tantivy(_) => ParamError::Internal(e.to_string()),
            e => ParamError::Bad {
                message: e.to_string(),
                column: None,
                parameter,
                swedish: swedish(&e),
            },
        }
    }
}

/// The API's error body: `{"error": …, "column": …, "parameter": …}`.
impl IntoResponse for ParamError {
    fn into_response(self) -> Response {
        let parameter = match &self {
            ParamError::Bad { parameter, .. } => parameter.clone(),
            _ => None,
        };
        let body = serde_json::json!({
            "error": self.to_string(),
            "column": self.column(),
            "parameter": parameter,
        });
        (self.status(), Json(body)).into_response()
    }
}

/// A request's parameters, parsed. Every endpoint takes the names it needs; a name none takes
/// is an error naming those there are.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// The queries (`q`, repeated for several statistics series), blank ones dropped but the
    /// first.
    pub q: Vec<String>,
    pub filters: Filters,
    pub limit: Option<usize>,
    pub offset: usize,
    pub group: Grouping,
    pub sort: SortBy,
    pub all: bool,
    pub context: Option<usize>,
    pub facets: bool,
    pub by: Vec<GroupKey>,
    pub top: Option<usize>,
    pub width: Option<usize>,
    pub measure: Measure,
    pub vs: Option<String>,
    pub min_count: Option<u64>,
    pub format: Option<String>,
    /// The passage a document view highlights.
    pub p: Option<u32>,
    /// The parameters as given (for links that change one of them).
    pub pairs: Vec<(String, String)>,
}

/// The names every endpoint takes besides the filters.
const NAMES: [&str; 17] = [
    "q",
    "limit",
    "offset",
    "group",
    "sort",
    "all",
    "context",
    "snippet",
    "facets",
    "by",
    "top",
    "width",
    "measure",
    "vs",
    "min_count",
    "format",
    "p",
];

/// Parameters that sites, newsletters and analytics add to links.
fn is_tracking(name: &str) -> bool {
    name.starts_with("utm_")
        || [
            "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl",
        ]
        .contains(&name)
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<Option<T>, ParamError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|_| ParamError::Bad {
        message: format!("{name}: `{value}` is not a whole number"),
        column: None,
        parameter: Some(name.to_string()),
        swedish: Some(format!(
            "«{value}» ({name}) är inget heltal; skriv ett tal från 0 och uppåt."
        )),
    })
}

fn at_most(name: &str, value: Option<usize>, max: usize) -> Result<(), ParamError> {
    match value {
        Some(v) if v > max => Err(ParamError::Bad {
            message: format!("{name} {v} is more than this server allows ({max})"),
            column: None,
            parameter: Some(name.to_string()),
            swedish: Some(format!("{name} {v} är mer än servern tillåter ({max}).")),
        }),
        _ => Ok(()),
    }
}

fn yes(name: &str, value: &str) -> Result<bool, ParamError> {
    match value.trim() {
        "" | "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        v => Err(ParamError::bad(
            name,
            format!("{name}: `{v}` is neither true nor false"),
        )),
    }
}

impl Params {
    /// The parameters as far as a form can show them, whatever the server's limits: the form
    /// on the page that says a request asked for too much.
    pub(crate) fn for_form(pairs: Vec<(String, String)>) -> Option<Params> {
        let unbounded = Limits {
            max_query_chars: usize::MAX,
            max_limit: usize::MAX,
            max_offset: usize::MAX,
            max_queries: usize::MAX,
            ..Limits::default()
        };
        // Then without the settings that have fixed bounds of their own.
        let bounded = ["top", "context", "width"];
        Params::parse(pairs.clone(), &unbounded)
            .ok()
            .or_else(|| {
                let rest = pairs
                    .iter()
                    .filter(|(n, _)| !bounded.contains(&n.as_str()))
                    .cloned();
                Params::parse(rest.collect(), &unbounded).ok()
            })
            .or_else(|| {
                // Then with only the parameters that are right on their own (an unknown one,
                // `view=doc`, left out), so that the page keeps its search box.
                let right = pairs
                    .into_iter()
                    .filter(|pair| Params::parse(vec![pair.clone()], &unbounded).is_ok());
                Params::parse(right.collect(), &unbounded).ok()
            })
    }

    pub fn parse(pairs: Vec<(String, String)>, limits: &Limits) -> Result<Params, ParamError> {
        let mut p = Params {
            q: Vec::new(),
            filters: Filters::default(),
            limit: None,
            offset: 0,
            group: Grouping::Passage,
            sort: SortBy::Score,
            all: false,
            context: None,
            facets: true,
            by: Vec::new(),
            top: None,
            width: None,
            measure: Measure::Per10k,
            vs: None,
            min_count: None,
            format: None,
            p: None,
            pairs: pairs.clone(),
        };
        for (name, value) in &pairs {
            // What sites and newsletters add to a shared link (`fbclid`, `utm_source`) is no
            // request of the reader's.
            if is_tracking(name) {
                continue;
            }
            // A filter given twice (`party=M&party=S`, two ticked boxes) takes both values as
            // alternatives, as `party=M,S` does.
            let given = match name.as_str() {
                "actor" => p.filters.actor.as_ref(),
                "party" => p.filters.party.as_ref(),
                "recipient" => p.filters.recipient.as_ref(),
                "type" => p.filters.doc_type.as_ref(),
                "topic" => p.filters.topic.as_ref(),
                _ => None,
            };
            let value = match given {
                Some(old) if !value.trim().is_empty() => format!("{old},{value}"),
                _ => value.clone(),
            };
            if p.filters.set(name, &value)? {
                continue;
            }
            let v = value.as_str();
            match name.as_str() {
                "q" => {
                    if v.chars().count() > limits.max_query_chars {
                        return Err(ParamError::Bad {
                            message: format!(
                                "the query is {} characters long; this server searches at most {}",
                                v.chars().count(),
                                limits.max_query_chars
                            ),
                            column: Some(limits.max_query_chars + 1),
                            parameter: Some("q".into()),
                            swedish: Some(format!(
                                "Sökfrågan är {} tecken lång; servern söker på högst {}.",
                                v.chars().count(),
                                limits.max_query_chars
                            )),
                        });
                    }
                    if p.q.is_empty() || !v.trim().is_empty() {
                        p.q.push(v.to_string());
                    }
                }
                "limit" => p.limit = number(name, v)?,
                "offset" => p.offset = number(name, v)?.unwrap_or(0),
                "group" => {
                    p.group = Grouping::from_name(v.trim()).ok_or_else(|| {
                        ParamError::bad(name, format!("group: `{v}` is neither doc nor passage"))
                    })?
                }
                "sort" => {
                    p.sort = SortBy::from_name(v.trim()).ok_or_else(|| {
                        ParamError::bad(name, format!("sort: `{v}` is neither score nor date"))
                    })?
                }
                "all" => p.all = yes(name, v)?,
                "facets" => p.facets = yes(name, v)?,
                "context" | "snippet" => p.context = number(name, v)?,
                "by" => {
                    for key in v.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                        let k = GroupKey::from_name(key).ok_or_else(|| {
                            ParamError::bad(
                                "by",
                                format!(
                                    "by: no key `{key}`; the keys are: {}",
                                    GroupKey::ALL.map(|k| k.as_str()).join(", ")
                                ),
                            )
                        })?;
                        if !p.by.contains(&k) {
                            p.by.push(k);
                        }
                    }
                }
                "top" => p.top = number(name, v)?,
                "width" => p.width = number(name, v)?,
                "measure" => {
                    p.measure = Measure::from_name(v.trim()).ok_or_else(|| {
                        ParamError::bad(
                            name,
                            format!(
                                "measure: no measure `{v}`; the measures are: {}",
                                Measure::ALL.map(|m| m.as_str()).join(", ")
                            ),
                        )
                    })?
                }
                "vs" => p.vs = (!v.trim().is_empty()).then(|| v.to_string()),
                "min_count" => p.min_count = number::<u64>(name, v)?,
                "format" => p.format = (!v.trim().is_empty()).then(|| v.trim().to_string()),
                "p" => p.p = number(name, v)?,
                other => {
                    return Err(ParamError::Bad {
                        message: format!(
                            "no parameter `{other}`; the parameters are: {}, {}",
                            NAMES.join(", "),
                            Filters::NAMES.join(", ")
                        ),
                        column: None,
                        parameter: Some(other.to_string()),
                        swedish: Some(format!(
                            "Adressen har en parameter som sidan inte känner: «{other}». Ta bort den ur adressen, eller sök på nytt i rutan."
                        )),
                    })
                }
            }
        }
        if p.q.len() > limits.max_queries {
            return Err(ParamError::bad(
                "q",
                format!(
                    "{} queries; this server counts at most {} at once",
                    p.q.len(),
                    limits.max_queries
                ),
            ));
        }
        at_most("limit", p.limit, limits.max_limit)?;
        at_most("offset", Some(p.offset), limits.max_offset)?;
        at_most("top", p.top, 50)?;
        at_most("context", p.context, 5000)?;
        at_most("width", p.width, 500)?;
        if let Some(vs) = &p.vs {
            at_most("vs", Some(vs.chars().count()), limits.max_query_chars)?;
        }
        Ok(p)
    }

    /// The first query (empty: everything the filters allow).
    pub fn query(&self) -> &str {
        self.q.first().map_or("", String::as_str)
    }

    /// The request of query `q` with the filters and the paging, order and grouping asked for.
    pub fn request_of(&self, q: &str) -> Result<SearchRequest, ParamError> {
        let mut r = SearchRequest::parse(q)?
            .filters(self.filters.clone())
            .offset(self.offset)
            .group(self.group)
            .sort(self.sort)
            .fill_partial(!self.all)
            .facets(self.facets);
        if let Some(l) = self.limit {
            r = r.limit(l);
        }
        if let Some(c) = self.context {
            r = r.snippet_chars(c);
        }
        Ok(r)
    }

    /// The request of the first query.
    pub fn request(&self) -> Result<SearchRequest, ParamError> {
        self.request_of(self.query())
    }

    /// The parameters as a link's query string, with `changes` made: `(name, Some(value))` sets
    /// (replacing every value of that name), `(name, None)` removes.
    pub fn link(&self, path: &str, changes: &[(&str, Option<&str>)]) -> String {
        let mut pairs: Vec<(String, String)> = self
            .pairs
            .iter()
            .filter(|(k, v)| !v.is_empty() && !changes.iter().any(|(c, _)| c == k))
            .cloned()
            .collect();
        for (k, v) in changes {
            if let Some(v) = v {
                pairs.push((k.to_string(), v.to_string()));
            }
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }

    /// The value given for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }
}

/// "No such" a filter's value, as the web page says it (the article follows the noun's gender).
fn none_such(name: &str) -> String {
    match name {
        "party" => "Inget parti".into(),
        "type" => "Ingen dokumenttyp".into(),
        "topic" => "Inget ämne".into(),
        "recipient" => "Ingen mottagare".into(),
        "actor" => "Ingen aktör".into(),
        "chapter" => "Inget kapitel".into(),
        "year" => "Inget år".into(),
        other => format!("Inget värde för {other}"),
    }
}

/// The web page's words for the errors a reader meets; `None` for the others.
fn swedish(e: &sokord_query::Error) -> Option<String> {
    use sokord_query::Error as E;
    let list = |values: &[String]| {
        const SHOWN: usize = 40;
        let mut l = values
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if values.len() > SHOWN {
            l.push_str(&format!(" … ({} i allt)", values.len()));
        }
        l
    };
    Some(match e {
        E::UnknownValue { name, value, known } if known.is_empty() => format!(
            "{} «{value}» i indexet: det har inga sådana värden alls.",
            none_such(name)
        ),
        E::UnknownValue { name, value, known } => {
            let closest = sokord_query::closest_names(value, known, 3);
            let near = if closest.is_empty() {
                String::new()
            } else {
                format!(" Närmast: {}.", closest.join(", "))
            };
            format!(
                "{} «{value}» i indexet.{near} Värdena är: {}.",
                none_such(name),
                list(known)
            )
        }
        E::NoSuchName {
            name,
            value,
            closest,
        } if closest.is_empty() => format!(
            "{} i indexet matchar «{value}», och inget namn ligger nära; söksidans fasetter visar namnen.",
            none_such(name)
        ),
        E::NoSuchName {
            name,
            value,
            closest,
        } => format!(
            "{} i indexet matchar «{value}». Närmast: {}.",
            none_such(name),
            closest.join(", ")
        ),
        E::UnknownChapter { value, closest } => {
            let near = if closest.is_empty() {
                String::new()
            } else {
                format!(" Närmast: {}.", closest.join("; "))
            };
            format!(
                "Inget kapitel i indexet heter «{value}». Ett kapitel anges med nummer (3, 2.3), rubrik eller som träffarna citerar det (Kapitel 3: Rubrik).{near}"
            )
        }
        E::NoSuchChapter {
            doc_id,
            chapter,
            chapters,
        } => format!(
            "Dokumentet {doc_id} har inget kapitel «{chapter}». Dess kapitel: {}.",
            chapters.join("; ")
        ),
        // Dates (`from`, `to`, `date:`, `year:`): the values the message quotes, said again.
        E::Filter { message, .. } => {
            let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
            match quoted.as_slice() {
                [from, to] if message.starts_with("the range starts at") => format!(
                    "Intervallet börjar ({from}) efter sitt slut ({to}), så inget kan matcha; byt plats på dem."
                ),
                [value, ..] if message.contains("write YYYY") => format!(
                    "Datumet «{value}» går inte att läsa; skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD (2024, 2024-03, 2024-03-15), med fyrsiffrigt år."
                ),
                _ => return None,
            }
        }
        _ => return None,
    })
}
