//! `sokord serve`: the real binary serving a real index on a loopback port, asked over HTTP.
//! The API must answer what the CLI prints; errors a user can make are 400s and 404s naming
//! what is wrong; the server follows the index as `sokord index` changes it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::*;

/// A running `sokord serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub url: String,
}

impl Server {
    /// Serves `index` on a free loopback port; waits until it listens.
    pub fn start(index: &Path) -> Server {
        Server::start_in(&root(), &["--index", index.to_str().unwrap()])
    }

    /// Runs `sokord ARGS serve` in `cwd` on a free loopback port; waits until it listens.
    pub fn start_in(cwd: &Path, args: &[&str]) -> Server {
        Server::listening(cwd, args, &["--bind", "127.0.0.1:0"])
    }

    /// Runs `sokord ARGS serve LISTEN` in `cwd`; waits until it listens.
    pub fn listening(cwd: &Path, args: &[&str], listen: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sokord"))
            .args(args)
            .arg("serve")
            .args(listen)
            .current_dir(cwd)
            .env_remove("SOKORD_INDEX")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("sokord serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Server { child, url }
    }

    /// GETs `path_and_query` (already percent-encoded).
    pub fn get(&self, path_and_query: &str) -> Response {
        get(&self.url, path_and_query)
    }

    /// GETs `path` with the parameters encoded.
    pub fn get_with(&self, path: &str, params: &[(&str, &str)]) -> Response {
        self.get(&format!("{path}?{}", encode(params)))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parameters as a query string.
pub fn encode(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A plain HTTP/1.1 GET over a fresh connection (the server's answers have a length).
pub fn get(base: &str, path_and_query: &str) -> Response {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).expect("the server listens");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "GET {path_and_query} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete answer");
    let head = String::from_utf8(raw[..at].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[at + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status: status.parse().unwrap(),
        headers,
        body: String::from_utf8(body).expect("UTF-8"),
    }
}

/// A chunked body's bytes.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size");
        let size = std::str::from_utf8(&raw[..end]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        raw = &raw[end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// The bundled corpus's index, served for one test (a server of its own: a static one would
/// outlive the test process).
fn corpus_server() -> Server {
    Server::start(corpus_index())
}

#[test]
fn the_api_answers_what_the_cli_prints() {
    let server = corpus_server();
    let index = corpus_index();
    // (path, parameters, the CLI's arguments)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "/api/search",
            vec![("q", "läkemedel"), ("group", "doc"), ("limit", "5")],
            vec![
                "search",
                "läkemedel",
                "--group",
                "doc",
                "-n",
                "5",
                "--format",
                "json",
            ],
        ),
        (
            "/api/search",
            vec![
                ("q", "life science"),
                ("party", "KD"),
                ("offset", "2"),
                ("sort", "date"),
            ],
            vec![
                "search",
                "life science",
                "--party",
                "KD",
                "--offset",
                "2",
                "--sort",
                "date",
                "--format",
                "json",
            ],
        ),
        (
            "/api/search",
            vec![
                ("q", "hälsodata forskning"),
                ("all", "true"),
                ("type", "remissvar"),
                ("from", "2025-01"),
            ],
            vec![
                "search",
                "hälsodata forskning",
                "--all",
                "--type",
                "remissvar",
                "--from",
                "2025-01",
                "--format",
                "json",
            ],
        ),
        (
            "/api/kwic",
            vec![("q", "läkemedel"), ("limit", "7"), ("width", "30")],
            vec![
                "kwic",
                "läkemedel",
                "-n",
                "7",
                "--width",
                "30",
                "--format",
                "json",
            ],
        ),
        (
            "/api/stats",
            vec![("q", "läkemedel"), ("q", "vaccin"), ("by", "type")],
            vec![
                "stats",
                "läkemedel",
                "vaccin",
                "--by",
                "type",
                "--format",
                "json",
            ],
        ),
        (
            "/api/stats",
            vec![("q", "life science"), ("by", "type,chapter")],
            vec![
                "stats",
                "life science",
                "--by",
                "type,chapter",
                "--format",
                "json",
            ],
        ),
        (
            "/api/compare",
            vec![("q", "läkemedel"), ("by", "type"), ("top", "2")],
            vec![
                "compare",
                "läkemedel",
                "--by",
                "type",
                "--top",
                "2",
                "--format",
                "json",
            ],
        ),
        (
            "/api/count",
            vec![("q", "läkemedel"), ("chapter", "3")],
            vec!["count", "läkemedel", "--chapter", "3", "--format", "json"],
        ),
        (
            "/api/topics",
            vec![("q", ""), ("by", "type")],
            vec!["topics", "--by", "type", "--format", "json"],
        ),
        (
            "/api/documents/forssmed-2025-02-06-regulatory-summit",
            vec![],
            vec!["show", "forssmed-2025-02-06-regulatory-summit", "--json"],
        ),
        (
            "/api/documents/lif-2025-10-14-rup-stockholm",
            vec![("chapter", "3")],
            vec![
                "show",
                "lif-2025-10-14-rup-stockholm",
                "--chapter",
                "3",
                "--json",
            ],
        ),
    ];
    for (path, params, cli) in cases {
        let answer = server.get_with(path, &params);
        assert_eq!(answer.status, 200, "{path} {params:?}: {}", answer.body);
        assert!(answer
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        assert_eq!(
            answer.json(),
            crate::run_json(index, &cli),
            "{path} {params:?} vs {cli:?}"
        );
    }
    // Keywords, the subset named by its filters as the CLI names it.
    let api = server
        .get_with(
            "/api/keywords",
            &[("type", "tal"), ("top", "8"), ("min_count", "2")],
        )
        .json();
    let cli = crate::run_json(
        index,
        &[
            "keywords",
            "--type",
            "tal",
            "--top",
            "8",
            "--min-count",
            "2",
            "--format",
            "json",
        ],
    );
    assert_eq!(api["keywords"].as_array().unwrap().len(), 8);
    assert_eq!(api["subset"], "type:tal");
    assert_eq!(api, cli);
}

#[test]
fn search_downloads_as_csv_and_json_lines_with_the_clis_columns() {
    let server = corpus_server();
    let params = [("q", "läkemedel"), ("limit", "12")];
    let csv = server.get_with("/api/search", &[params[0], params[1], ("format", "csv")]);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv
        .header("content-disposition")
        .unwrap()
        .contains("attachment"));
    let cli = sokord(
        corpus_index(),
        &["search", "läkemedel", "-n", "12", "--format", "csv"],
    );
    // The download starts with a byte order mark, for spreadsheet programs; the rest is what
    // the CLI prints.
    let body = csv
        .body
        .strip_prefix('\u{feff}')
        .expect("a byte order mark");
    assert_eq!(body, cli.stdout);
    assert_eq!(body.lines().count(), 13, "a header and 12 hits");
    let jsonl = server.get_with("/api/search", &[params[0], params[1], ("format", "jsonl")]);
    let lines: Vec<Value> = jsonl
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let all = server.get_with("/api/search", &params).json();
    assert_eq!(&lines, hits(&all));
}

/// Hits found only through their document's title are marked on the page as not counted, as
/// the API's `counted` says, and only those.
#[test]
fn the_page_marks_the_hits_the_counts_leave_out() {
    let server = corpus_server();
    let params = [("q", "utvecklingsplan"), ("limit", "40")];
    let api = server.get_with("/api/search", &params).json();
    let left_out = hits(&api)
        .iter()
        .filter(|h| h["counted"] == false && h["partial"] == false)
        .count();
    assert!(
        left_out > 0 && left_out < hits(&api).len(),
        "the title has the word, few passages do: {api:#}"
    );
    let page = server.get_with("/", &params);
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("(räknas ej)").count(), left_out);
}

/// A filter given twice takes both values, as a comma does; what sites add to a shared link
/// (`fbclid`, `utm_source`) changes nothing.
#[test]
fn a_filter_given_twice_takes_both_and_tracking_parameters_are_ignored() {
    let server = corpus_server();
    let total = |params: &[(&str, &str)]| {
        let r = server.get_with("/api/search", params);
        assert_eq!(r.status, 200, "{params:?}: {}", r.body);
        r.json()["total_hits"].as_u64().unwrap()
    };
    let one = total(&[("q", "läkemedel"), ("type", "tal")]);
    let both = total(&[("q", "läkemedel"), ("type", "tal,remissvar")]);
    assert!(one > 0 && both > one, "{one} {both}");
    assert_eq!(
        total(&[("q", "läkemedel"), ("type", "tal"), ("type", "remissvar")]),
        both
    );
    let shared = [
        ("q", "läkemedel"),
        ("type", "tal"),
        ("fbclid", "IwAR0abc"),
        ("utm_source", "nyhetsbrev"),
    ];
    assert_eq!(total(&shared), one);
    let page = server.get_with("/", &shared);
    assert_eq!(page.status, 200, "{}", page.body);
}

/// The first page, with no query, lists the newest passages first (every passage matches
/// alike; in index order it began with the oldest document), and a query typed there is
/// ranked best first.
#[test]
fn the_first_page_shows_the_newest_passages() {
    let server = corpus_server();
    let newest = server
        .get_with("/api/search", &[("sort", "date"), ("limit", "1")])
        .json();
    let first = &hits(&newest)[0];
    let cited = format!(
        "{} §{}",
        first["doc_id"].as_str().unwrap(),
        first["passage"]
    );
    let oldest = server.get_with("/api/search", &[("limit", "1")]).json();
    assert_ne!(
        hits(&oldest)[0]["date"],
        first["date"],
        "the corpus has two dates"
    );
    let page = server.get_with("/", &[]);
    let at = page.body.find("class=\"id\"").expect("a hit");
    assert!(
        page.body[at..].starts_with(&format!("class=\"id\">{cited}<")),
        "{}",
        &page.body[at..at + 200]
    );
    // The order chosen in the form stays "best first".
    assert!(page
        .body
        .contains("<option value=\"\" selected>bäst först</option>"));
}

#[test]
fn mistakes_are_400s_naming_the_problem_and_unknown_documents_404s() {
    let server = corpus_server();
    // Not a mistake, but said: a lower-case `or` is searched as a word.
    let page = server.get_with("/", &[("q", "läkemedel or brist")]);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("«or» söks som ett ord") && page.body.contains("<code>OR</code>"),
        "{}",
        page.body
    );
    // The compare and statistics pages say so too (the statistics page names the query of
    // several).
    let page = server.get_with("/jamfor", &[("q", "läkemedel or brist"), ("by", "type")]);
    assert!(page.body.contains("«or» söks som ett ord"), "{}", page.body);
    let page = server.get_with(
        "/statistik",
        &[("q", "vård"), ("q", "läkemedel and brist"), ("by", "type")],
    );
    assert!(
        page.body
            .contains("«and» i «läkemedel and brist» söks som ett ord"),
        "{}",
        page.body
    );
    // The first query, with no lookalike, gets no note.
    assert!(!page.body.contains("i «vård»"), "{}", page.body);
    let page = server.get_with("/", &[("q", "läkemedel OR brist patienter")]);
    assert!(
        page.body
            .contains("<code>(läkemedel OR brist) patienter</code>"),
        "{}",
        page.body
    );
    let bad = |params: &[(&str, &str)], path: &str| {
        let r = server.get_with(path, params);
        assert_eq!(r.status, 400, "{path} {params:?}: {}", r.body);
        r.json()
    };
    let e = bad(&[("q", "läkemedel \"brist")], "/api/search");
    assert_eq!(e["column"], 11, "{e}");
    assert!(e["error"].as_str().unwrap().contains("quote"), "{e}");
    let e = bad(&[("q", "vård"), ("party", "XYZ")], "/api/search");
    assert!(
        e["error"].as_str().unwrap().contains("KD"),
        "the parties held: {e}"
    );
    assert_eq!(e["parameter"], "party");
    let e = bad(&[("q", "vård"), ("limit", "100000")], "/api/search");
    assert!(e["error"].as_str().unwrap().contains("limit 100000"), "{e}");
    let e = bad(&[("q", "vård"), ("limit", "ten")], "/api/search");
    assert!(e["error"].as_str().unwrap().contains("`ten`"), "{e}");
    let long = "vård ".repeat(300);
    let e = bad(&[("q", &long)], "/api/search");
    assert!(
        e["error"].as_str().unwrap().contains("1500 characters"),
        "{e}"
    );
    let e = bad(&[("q", "vård"), ("colour", "red")], "/api/search");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("no parameter `colour`"),
        "{e}"
    );
    let e = bad(&[("q", "vård"), ("from", "2025-13")], "/api/stats");
    assert_eq!(e["parameter"], "from", "{e}");
    let e = bad(&[("q", "vård"), ("by", "colour")], "/api/compare");
    assert!(
        e["error"].as_str().unwrap().contains("party"),
        "the keys listed: {e}"
    );
    let e = bad(
        &[("chapter", "99")],
        "/api/documents/lif-2025-10-14-rup-stockholm",
    );
    assert!(
        e["error"].as_str().unwrap().contains("no chapter `99`"),
        "{e}"
    );
    // The page shows the same error with the form, not a blank 500.
    let page = server.get_with("/", &[("q", "läkemedel \"brist")]);
    assert_eq!(page.status, 400);
    assert!(page.body.contains("unbalanced quote") && page.body.contains("id=\"q\""));
    assert!(page
        .body
        .contains("Sökfrågan går inte att läsa vid tecken 11"));
    // A parameter the page does not know is said, under a search box that keeps the query.
    let page = server.get_with("/", &[("q", "läkemedel"), ("view", "doc")]);
    assert_eq!(page.status, 400);
    assert!(
        page.body
            .contains("parameter som sidan inte känner: «view»")
            && page.body.contains("value=\"läkemedel\""),
        "{}",
        page.body
    );
    // The page says in Swedish what a reader meets (the API keeps its English, above), and a
    // request that asks for too much still has its form.
    let page = server.get_with("/", &[("q", "vård"), ("party", "XYZ")]);
    assert_eq!(page.status, 400);
    assert!(
        page.body
            .contains("Inget parti «XYZ» i indexet. Värdena är: "),
        "{}",
        page.body
    );
    let page = server.get_with("/", &[("q", "vård"), ("from", "2025-13")]);
    assert!(
        page.body.contains("Datumet «2025-13» går inte att läsa"),
        "{}",
        page.body
    );
    let page = server.get_with("/", &[("q", "vård"), ("from", "2024"), ("to", "2020")]);
    assert!(
        page.body
            .contains("Intervallet börjar (2024) efter sitt slut (2020), så inget kan matcha; byt plats på dem."),
        "{}",
        page.body
    );
    let page = server.get_with("/", &[("q", "vård"), ("type", "brev")]);
    assert!(
        page.body.contains("Ingen dokumenttyp «brev»"),
        "{}",
        page.body
    );
    let page = server.get_with("/", &[("q", "vård"), ("topic", "tandvard")]);
    assert!(
        page.body
            .contains("Inget ämne «tandvard» i indexet. Närmast: tandvård."),
        "{}",
        page.body
    );
    let page = server.get_with("/jamfor", &[("q", "vård"), ("top", "100")]);
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("value=\"vård\""),
        "the form: {}",
        page.body
    );
    let page = server.get_with("/", &[("q", "vård"), ("limit", "100000")]);
    assert_eq!(page.status, 400);
    assert!(
        page.body
            .contains("limit 100000 är mer än servern tillåter")
            && page.body.contains("id=\"q\"")
            && page.body.contains("value=\"vård\""),
        "{}",
        page.body
    );

    for id in [
        "nope",
        "..%2F..%2FCargo.toml",
        "%2Fetc%2Fpasswd",
        "corpus%2Ftal%2Ftal-forssmed-2025-02-06.md",
    ] {
        let r = server.get(&format!("/api/documents/{id}"));
        assert_eq!(r.status, 404, "{id}: {}", r.body);
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("no document with id"));
        assert!(!r.body.contains("[package]") && !r.body.contains("root:"));
        let page = server.get(&format!("/dokument/{id}"));
        assert_eq!(page.status, 404, "{id}");
        assert!(
            page.body.contains("Inget dokument med det id:t")
                && !page.body.contains("sokord search"),
            "{id}: {}",
            page.body
        );
    }
    assert_eq!(server.get("/nowhere").status, 404);
}

#[test]
fn every_answer_forbids_inline_script_and_the_page_works_from_a_link() {
    let server = corpus_server();
    let page = server.get_with("/", &[("q", "läkemedel"), ("party", "KD")]);
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    // The filter in the link is applied: only KD's passages, counted as the API counts them.
    let api = server
        .get_with("/api/search", &[("q", "läkemedel"), ("party", "KD")])
        .json();
    let total = api["total_hits"].as_u64().unwrap();
    assert!(total > 0);
    assert!(
        page.body.contains(&format!("{total} passager matchar")),
        "{}",
        page.body
    );
    assert!(!page
        .body
        .contains("Läkemedelsindustriföreningen (Lif)</span> ("));
    // No script in the page but the server's own file.
    assert_eq!(page.body.matches("<script").count(), 1);
    assert!(page
        .body
        .contains("<script src=\"/static/sokord.js\" defer></script>"));
    let js = server.get("/static/sokord.js");
    assert_eq!(js.status, 200);
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    // The chart is the SVG `stats --plot` writes.
    let svg = server.get_with("/statistik.svg", &[("q", "läkemedel"), ("by", "type")]);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    let plot = scratch("web-plot").join("chart.svg");
    let run = sokord(
        corpus_index(),
        &[
            "stats",
            "läkemedel",
            "--by",
            "type",
            "--plot",
            plot.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Plotters draws a histogram's bars in hash order: the same elements, in any order.
    let elements = |svg: &str| {
        let mut lines: Vec<String> = svg.lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    assert_eq!(
        elements(&svg.body),
        elements(&std::fs::read_to_string(&plot).unwrap())
    );
    assert!(
        svg.body.contains(">\nremissvar\n</text>"),
        "the groups are named"
    );
}

/// The README's command, in a folder with a `corpus` and no index: the index is built first,
/// then served.
#[test]
fn serve_builds_the_index_from_the_corpus_when_there_is_none() {
    let dir = scratch("web-readme");
    copy_dir(&root().join("corpus"), &dir.join("corpus"));
    let server = Server::start_in(&dir, &[]);
    assert!(dir.join(".sokord").is_dir());
    let r = server.get_with(
        "/api/search",
        &[("q", "kliniska prövningar"), ("limit", "3")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(hits(&r.json()).len(), 3);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"sv\">"));
}

/// A copy of the bundled corpus to change.
fn corpus_copy(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let docs = dir.join("docs");
    copy_dir(&root().join("corpus"), &docs);
    let index = dir.join("index");
    let run = sokord(&index, &["index", docs.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (docs, index)
}

/// Asks until `check` holds, for at most `secs` seconds.
fn within(secs: u64, mut check: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn the_server_follows_updates_and_rebuilds_of_its_index() {
    let (docs, index) = corpus_copy("web-follow");
    let server = Server::start(&index);
    let q = [("q", "tandvårdsreformen")];
    assert_eq!(server.get_with("/api/search", &q).json()["total_hits"], 0);
    let generation = server.get("/api/health").json()["generation"].clone();
    std::fs::write(
        docs.join("ny.md"),
        "---\ntitle: Ny reform\nid: ny-reform\n---\nTandvårdsreformen ska göra tandvården billigare för äldre.\n",
    )
    .unwrap();
    // An update in place, from another process.
    let run = sokord(&index, &["index", docs.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        within(3, || server.get_with("/api/search", &q).json()
            ["total_hits"]
            == 1),
        "the update is searched within 3 seconds"
    );
    assert_eq!(server.get("/api/documents/ny-reform").status, 200);
    // A rebuild switches generations (and deletes the old one): the server goes on answering,
    // from the new one.
    std::fs::remove_file(docs.join("ny.md")).unwrap();
    let run = sokord(&index, &["index", docs.to_str().unwrap(), "--rebuild"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        within(3, || server.get_with("/api/search", &q).json()
            ["total_hits"]
            == 0),
        "the rebuilt index is searched within 3 seconds"
    );
    assert_eq!(server.get("/api/documents/ny-reform").status, 404);
    let health = server.get("/api/health").json();
    assert_ne!(health["generation"], generation, "{health}");
    let after = server.get_with("/api/search", &[("q", "läkemedel")]).json();
    assert_eq!(
        after,
        crate::run_json(&index, &["search", "läkemedel", "--format", "json"])
    );
}

#[test]
fn answers_stay_correct_while_the_index_is_updated() {
    let (docs, index) = corpus_copy("web-busy");
    let server = Server::start(&index);
    let queries = [
        "läkemedel",
        "life science",
        "hälsodata",
        "\"kliniska prövningar\"",
    ];
    let expected: Vec<Value> = queries
        .iter()
        .map(|q| server.get_with("/api/count", &[("q", q)]).json())
        .collect();
    std::thread::scope(|s| {
        let updater = s.spawn(|| {
            for i in 0..3 {
                // Documents on another subject: the counts asked for do not change.
                std::fs::write(
                    docs.join(format!("extra-{i}.md")),
                    format!("---\ntitle: Extra {i}\n---\nTandläkare och glasögon, del {i}.\n"),
                )
                .unwrap();
                let run = sokord(&index, &["index", docs.to_str().unwrap()]);
                assert_eq!(run.code, 0, "{}", run.stderr);
            }
        });
        let askers: Vec<_> = (0..4)
            .map(|t| {
                let (server, expected, queries) = (&server, &expected, &queries);
                s.spawn(move || {
                    let mut n = 0;
                    while n < 40 {
                        let i = (t + n) % queries.len();
                        let r = server.get_with("/api/count", &[("q", queries[i])]);
                        assert_eq!(r.status, 200, "{}", r.body);
                        assert_eq!(r.json(), expected[i]);
                        n += 1;
                    }
                })
            })
            .collect();
        for a in askers {
            a.join().unwrap();
        }
        updater.join().unwrap();
    });
    let extra = server.get_with("/api/search", &[("q", "glasögon")]).json();
    assert_eq!(extra["total_hits"], 3);
}

/// `--port N` is the port on this machine (`--bind 127.0.0.1:N`); with `--bind` it is an error.
#[test]
fn serve_takes_a_port_alone() {
    let index = corpus_index();
    let server = Server::listening(
        &root(),
        &["--index", index.to_str().unwrap()],
        &["--port", "0"],
    );
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let count = server.get("/api/count?q=vaccination");
    assert_eq!(count.status, 200);
    let both = sokord(
        index,
        &["serve", "--port", "8080", "--bind", "127.0.0.1:8081"],
    );
    assert_eq!(both.code, 2);
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );
}

/// Compared by actor, a large index has hundreds of groups: the page shows the ones with the
/// most matching documents and says how many there are; the JSON has them all.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn the_compare_page_shows_the_largest_groups_of_many() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let server = Server::start(index);
    let params = [("q", "vård"), ("by", "actor")];
    let api = server.get_with("/api/compare", &params).json();
    let mut sizes: Vec<u64> = api["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["documents"].as_u64().unwrap())
        .filter(|&d| d > 0)
        .collect();
    assert!(sizes.len() > 40, "{}", sizes.len());
    let page = server.get_with("/jamfor", &params);
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("<section class=\"group\">").count(), 40);
    assert!(
        page.body.contains(&format!(
            "Visar de 40 grupper av {} som har flest",
            sizes.len()
        )),
        "{}",
        page.body
    );
    // The 40 shown are the largest: the smallest shown is at least the largest left out.
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let shown: Vec<u64> = page
        .body
        .split("<section class=\"group\">")
        .skip(1)
        .map(|s| {
            // The group's figures: <dt>Dokument</dt><dd>N</dd>.
            let at = s.find("<dt>Dokument</dt><dd>").unwrap() + "<dt>Dokument</dt><dd>".len();
            let n = &s[at..];
            n[..n.find('<').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(shown.len(), 40);
    assert!(shown.iter().min().unwrap() >= &sizes[40], "{shown:?}");
    // Each group shown has its statements (the page asks statements of those 40 only).
    for section in page.body.split("<section class=\"group\">").skip(1) {
        assert!(section.contains("<blockquote>"), "{section}");
    }
    let stated = api["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| !g["statements"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(
        stated,
        sizes.len(),
        "the JSON gives every group its statements"
    );
    assert!(page.body.len() < 400_000, "{} bytes", page.body.len());
    // By month the latest 40 months are shown, in time order, each with its statements (the
    // largest would leave gaps in the timeline).
    let params = [("q", "vård"), ("by", "month")];
    let api = server.get_with("/api/compare", &params).json();
    let months: Vec<&str> = api["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["documents"].as_u64().unwrap() > 0)
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(months.len() > 40, "{}", months.len());
    let page = server.get_with("/jamfor", &params);
    let shown: Vec<&str> = page
        .body
        .split("<section class=\"group\"><h2>")
        .skip(1)
        .map(|s| &s[..s.find('<').unwrap()])
        .collect();
    assert_eq!(shown, months[months.len() - 40..], "the latest, in order");
    assert!(
        page.body.contains(&format!(
            "Visar de 40 senaste grupperna av {}",
            months.len()
        )),
        "{}",
        page.body
    );
    for section in page.body.split("<section class=\"group\">").skip(1) {
        assert!(section.contains("<blockquote>"), "{section}");
    }
}

/// A facet with more values than the page lists says how many more and links to the
/// statistics page, which lists them all; a page past the last hit says so and links to the
/// last page; a negative offset is an error in Swedish.
#[test]
#[cfg_attr(
    no_shared_corpora,
    ignore = "needs ../shared/corpora beside the project"
)]
fn facets_say_what_they_leave_out_and_pages_past_the_end_lead_back() {
    let Some(index) = interpellation_index() else {
        return;
    };
    let server = Server::start(index);
    let api = server
        .get_with("/api/search", &[("q", "vårdköer"), ("facets", "1")])
        .json();
    let years = api["facets"]["year"].as_array().unwrap().len();
    assert!(years > 12, "more years than a facet lists: {years}");
    let page = server.get_with("/", &[("q", "vårdköer")]);
    assert!(
        page.body
            .contains(&format!("+ {} till (statistik)", years - 12)),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("/statistik?q=v%C3%A5rdk%C3%B6er&amp;by=year"));
    let counted = server
        .get_with("/api/search", &[("q", "vårdköer"), ("limit", "0")])
        .json();
    let total = counted["total_hits"].as_u64().unwrap() + counted["loose_hits"].as_u64().unwrap();
    let past = server.get_with("/", &[("q", "vårdköer"), ("offset", "5000")]);
    assert_eq!(past.status, 200);
    let last = (total - 1) / 10 * 10;
    assert!(
        past.body.contains("Inga träffar på den här sidan")
            && past
                .body
                .contains(&format!("offset={last}\">Till sista sidan"))
            && past.body.contains(&format!("offset={last}\">← Föregående")),
        "{}",
        past.body
    );
    let bad = server.get_with("/", &[("q", "vårdköer"), ("offset", "-5")]);
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("«-5» (offset) är inget heltal"),
        "{}",
        bad.body
    );
}
