//! The JSON API: the library's results as the CLI prints them with `--format json`.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sokord_query::GroupKey;

use crate::params::{ParamError, Params};
use crate::App;

type Pairs = Query<Vec<(String, String)>>;
type Answer = Result<Response, ParamError>;

fn json<T: serde::Serialize>(value: &T) -> Response {
    Json(value).into_response()
}

pub(crate) async fn health(State(app): State<App>) -> Answer {
    let meta = app.run(|s| Ok(s.meta())).await?;
    Ok(json(&serde_json::json!({
        "status": "ok",
        "generation": meta.generation,
        "built_at": meta.built_at,
        "sokord_version": meta.sokord_version,
    })))
}

/// `/api/search`: `format=json` (the default), `jsonl` (one hit a line) or `csv`.
pub(crate) async fn search(State(app): State<App>, Query(pairs): Pairs) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let request = p.request()?;
    let format = p.format.clone().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "jsonl" | "csv") {
        return Err(ParamError::bad(
            "format",
            format!("format: `{format}` is none of json, jsonl, csv"),
        ));
    }
    let results = app.run(move |s| s.search(&request)).await?;
    Ok(match format.as_str() {
        "csv" => {
            // A byte order mark first: spreadsheet programs (Excel) otherwise read the file in
            // the system's code page, and å, ä and ö come out garbled.
            let mut out = "\u{feff}".as_bytes().to_vec();
            crate::export::search_csv(&mut out, &results)
                .map_err(|e| ParamError::Internal(e.to_string()))?;
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"sokord.csv\"",
                    ),
                ],
                out,
            )
                .into_response()
        }
        "jsonl" => {
            let mut out = String::new();
            for h in &results.hits {
                out.push_str(&serde_json::to_string(h).unwrap_or_default());
                out.push('\n');
            }
            ([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response()
        }
        _ => json(&results),
    })
}

pub(crate) async fn kwic(State(app): State<App>, Query(pairs): Pairs) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let request = p.request()?.limit(p.limit.unwrap_or(50));
    let width = p.width.unwrap_or(40);
    let results = app.run(move |s| s.kwic(&request, width)).await?;
    Ok(json(&results))
}

pub(crate) async fn stats(State(app): State<App>, Query(pairs): Pairs) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let (requests, by) = stats_request(&p)?;
    let stats = app.run(move |s| s.stats_of(&requests, &by)).await?;
    Ok(json(&stats))
}

/// The requests and grouping of a statistics request: every query with the same filters, by
/// one key (year by default) or two.
pub(crate) fn stats_request(
    p: &Params,
) -> Result<(Vec<sokord_query::SearchRequest>, Vec<GroupKey>), ParamError> {
    let queries: Vec<&str> = if p.q.is_empty() {
        vec![""]
    } else {
        p.q.iter().map(String::as_str).collect()
    };
    let requests = queries
        .iter()
        .map(|q| p.request_of(q))
        .collect::<Result<Vec<_>, _>>()?;
    let by = if p.by.is_empty() {
        vec![GroupKey::Year]
    } else {
        p.by.clone()
    };
    if by.len() > 2 {
        return Err(ParamError::bad(
            "by",
            "by takes one key, or two for a cross-tab (by=party,year)",
        ));
    }
    Ok((requests, by))
}

pub(crate) async fn count(State(app): State<App>, Query(pairs): Pairs) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let request = p.request()?;
    Ok(json(&app.run(move |s| s.count(&request)).await?))
}

pub(crate) async fn compare(State(app): State<App>, Query(pairs): Pairs) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let (request, by, top) = compare_request(&p)?;
    Ok(json(&app.run(move |s| s.compare(&request, by, top)).await?))
}

/// A comparison's request: by actor and three statements a group unless asked otherwise.
pub(crate) fn compare_request(
    p: &Params,
) -> Result<(sokord_query::SearchRequest, GroupKey, usize), ParamError> {
    let by = match p.by.as_slice() {
        [] => GroupKey::Actor,
        [one] => *one,
        _ => return Err(ParamError::bad("by", "compare groups by one key")),
    };
    Ok((p.request()?, by, p.top.unwrap_or(3)))
}

pub(crate) async fn keywords(State(app): State<App>, Query(pairs): Pairs) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let subset = p.request()?;
    let reference = match &p.vs {
        Some(q) => Some(sokord_query::SearchRequest::parse(q).map_err(|e| {
            let mut e = ParamError::from(e);
            if let ParamError::Bad { parameter, .. } = &mut e {
                *parameter = Some("vs".into());
            }
            e
        })?),
        None => None,
    };
    let (top, min) = (p.top.unwrap_or(20), p.min_count.unwrap_or(5));
    let filters = subset.filters.clone();
    let mut k = app
        .run(move |s| s.keywords(&subset, reference.as_ref(), top, min))
        .await?;
    k.name_subset(&filters);
    Ok(json(&k))
}

pub(crate) async fn topics(State(app): State<App>, Query(pairs): Pairs) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let request = p.request()?;
    let by = match p.by.as_slice() {
        [] => None,
        [one] => Some(*one),
        _ => return Err(ParamError::bad("by", "topics are counted by one key")),
    };
    Ok(json(&app.run(move |s| s.topics(&request, by, 5)).await?))
}

/// `/api/documents/{id}`: the id is looked up in the index, never used as a path.
pub(crate) async fn document(
    State(app): State<App>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
) -> Answer {
    let p = Params::parse(pairs, &app.limits)?;
    let chapter = p.filters.chapter.clone();
    let doc = app
        .run(move |s| s.document(&id, chapter.as_deref()))
        .await?;
    Ok(json(&doc))
}
