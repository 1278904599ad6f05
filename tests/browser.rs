//! The web page in a real browser: Debian's headless Chromium driven through chromedriver
//! (WebDriver, with fantoccini), against the real `sokord serve`. Skipped, with a message, where
//! chromedriver is not installed (`.ci/run` installs it, so CI runs these).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::util::*;
use crate::web::{encode, Server};

/// chromedriver: `SOKORD_CHROMEDRIVER`, or Debian's.
fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("SOKORD_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent on CI; .ci/run installs chromium and chromium-driver",
        path.display()
    );
    eprintln!(
        "skipped: no chromedriver at {} (apt-get install chromium chromium-driver, or set SOKORD_CHROMEDRIVER)",
        path.display()
    );
    None
}

/// A running chromedriver and a headless browser session, ended when dropped.
struct Browser {
    driver: Child,
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = self.runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(10), client.close()).await
        });
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    fn start(width: u32, height: u32) -> Option<Browser> {
        let driver_path = chromedriver()?;
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let until = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut caps = serde_json::Map::new();
        let mut options = json!({
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                format!("--window-size={width},{height}"),
            ]
        });
        if std::path::Path::new("/usr/bin/chromium").is_file() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        caps.insert("goog:chromeOptions".into(), options);
        // Chromium may fail to start while the machine is busy (the whole suite at once): a
        // session is asked for again, a few times, before the test fails with the last error.
        let mut attempt = 1;
        let client = loop {
            let session = runtime.block_on(
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.clone())
                    .connect(&format!("http://127.0.0.1:{port}")),
            );
            match session {
                Ok(client) => break client,
                Err(e) if attempt < 3 => {
                    eprintln!("no browser session yet ({e}); trying again");
                    attempt += 1;
                    std::thread::sleep(Duration::from_secs(1));
                }
                Err(e) => panic!("a browser session: {e}"),
            }
        };
        Some(Browser {
            driver,
            client,
            runtime,
        })
    }

    fn run<T>(
        &self,
        f: impl std::future::Future<Output = Result<T, fantoccini::error::CmdError>>,
    ) -> T {
        self.runtime.block_on(f).expect("the browser does it")
    }

    fn goto(&self, url: &str) {
        self.run(self.client.goto(url));
    }

    fn url(&self) -> String {
        self.run(self.client.current_url()).to_string()
    }

    /// Clicks `css` and waits until a new page has loaded in place of this one (the address
    /// may not change: a form sent again with the same query).
    fn click_and_load(&self, css: &str) {
        self.js("window.sokordOldPage = true; return null;");
        self.click(css);
        let until = Instant::now() + Duration::from_secs(15);
        loop {
            // A script run while the page is being replaced may fail: asked again.
            let state = self.runtime.block_on(self.client.execute(
                "return window.sokordOldPage === undefined && document.readyState === 'complete';",
                vec![],
            ));
            if matches!(state, Ok(Value::Bool(true))) {
                return;
            }
            assert!(Instant::now() < until, "no new page after clicking {css}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the address holds `part` (after a click that loads a page).
    fn wait_for_url(&self, part: &str) {
        let until = Instant::now() + Duration::from_secs(15);
        while !self.url().contains(part) {
            assert!(
                Instant::now() < until,
                "the address never held {part:?}: {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn texts(&self, css: &str) -> Vec<String> {
        self.run(async {
            let mut out = Vec::new();
            for e in self.client.find_all(Locator::Css(css)).await? {
                out.push(e.text().await?);
            }
            Ok(out)
        })
    }

    fn text(&self, css: &str) -> String {
        self.run(async { self.client.find(Locator::Css(css)).await?.text().await })
    }

    fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.run(async { self.client.find(Locator::Css(css)).await?.attr(name).await })
    }

    /// Chooses `value` in the `select` under `css`.
    fn select(&self, css: &str, value: &str) {
        self.run(async {
            self.client
                .find(Locator::Css(css))
                .await?
                .select_by_value(value)
                .await
        })
    }

    fn click(&self, css: &str) {
        self.run(async { self.client.find(Locator::Css(css)).await?.click().await })
    }

    fn type_into(&self, css: &str, text: &str) {
        self.run(async {
            let e = self.client.find(Locator::Css(css)).await?;
            e.clear().await?;
            e.send_keys(text).await
        })
    }

    fn js(&self, script: &str) -> Value {
        self.run(self.client.execute(script, vec![]))
    }

    /// Clicks the first link under `css` whose text holds `text`.
    fn click_link(&self, css: &str, text: &str) {
        self.run(async {
            for e in self.client.find_all(Locator::Css(css)).await? {
                if e.text().await?.contains(text) {
                    return e.click().await;
                }
            }
            panic!("no link {text:?} under {css}");
        })
    }
}

fn api(server: &Server, path: &str, params: &[(&str, &str)]) -> Value {
    let r = server.get_with(path, params);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

#[test]
fn a_journalist_searches_filters_pages_reads_compares_counts_and_downloads() {
    let Some(b) = Browser::start(1280, 900) else {
        return;
    };
    let server = Server::start(corpus_index());
    let base = &server.url;
    b.goto(&format!("{base}/"));
    // "/" puts the cursor in the query box (the page's own script).
    b.run(async {
        b.client
            .find(Locator::Css("body"))
            .await?
            .send_keys("/")
            .await
    });
    assert_eq!(b.js("return document.activeElement.id"), json!("q"));

    // Type a query.
    b.type_into("#q", "läkemedel");
    b.click("form.search .query button");
    b.wait_for_url("q=l%C3%A4kemedel");
    let all = api(&server, "/api/search", &[("q", "läkemedel")]);
    let total = all["total_hits"].as_u64().unwrap();
    assert!(total > 10, "more than a page: {total}");
    let summary = b.text("#summary");
    assert!(
        summary.starts_with(&format!("{total} passager matchar")),
        "{summary}"
    );
    let shown: Vec<String> = b.texts("li.hit .id");
    let expected: Vec<String> = hits(&all)
        .iter()
        .map(|h| format!("{} §{}", h["doc_id"].as_str().unwrap(), h["passage"]))
        .collect();
    assert_eq!(shown, expected);
    assert!(
        !b.texts("li.hit mark").is_empty(),
        "matched words are marked"
    );

    // Click a facet: the speech's party.
    b.click_link("section[data-facet=party] a", "KD");
    b.wait_for_url("party=KD");
    let kd = api(
        &server,
        "/api/search",
        &[("q", "läkemedel"), ("party", "KD")],
    );
    let parties = b.texts("li.hit .party");
    assert_eq!(parties.len(), hits(&kd).len());
    assert!(parties.iter().all(|p| p == "KD"), "{parties:?}");
    assert!(b
        .text("#summary")
        .starts_with(&format!("{} passager matchar", kd["total_hits"])));
    // Remove it again.
    b.click("ul.active a");
    b.run(async {
        let until = Instant::now() + Duration::from_secs(10);
        while b.client.current_url().await?.as_str().contains("party=") {
            assert!(Instant::now() < until);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    });

    // Page.
    b.click("a[rel=next]");
    b.wait_for_url("offset=10");
    assert_eq!(b.attr("ol.hits", "start").as_deref(), Some("11"));
    let page2 = api(
        &server,
        "/api/search",
        &[("q", "läkemedel"), ("offset", "10")],
    );
    let first = &hits(&page2)[0];
    assert_eq!(
        b.texts("li.hit .id")[0],
        format!(
            "{} §{}",
            first["doc_id"].as_str().unwrap(),
            first["passage"]
        )
    );

    // Download the result as CSV: the page's link, fetched by the page.
    let href = b.attr("a[download]", "href").unwrap();
    let csv = b.run(b.client.execute_async(
        "const [href, done] = arguments; fetch(href).then(r => r.text()).then(done);",
        vec![json!(href)],
    ));
    let csv = csv.as_str().unwrap().to_string();
    let cli = sokord(
        corpus_index(),
        &[
            "search",
            "läkemedel",
            "-n",
            "500",
            "--all",
            "--format",
            "csv",
        ],
    );
    assert_eq!(csv, cli.stdout);
    assert_eq!(
        csv.lines().count() as u64,
        total + 1,
        "every hit and a header"
    );

    // Open a document from its hit: the passage is marked and scrolled into view.
    let link = b.attr("li.hit h2 a", "href").unwrap();
    b.click("li.hit h2 a");
    b.wait_for_url("/dokument/");
    let passage = link.rsplit_once("#p").unwrap().1.to_string();
    assert_eq!(b.attr(".passage.hit", "id"), Some(format!("p{passage}")));
    assert_eq!(b.text("article h1"), first["title"].as_str().unwrap());
    assert_eq!(
        b.js("const r = document.querySelector('.passage.hit').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;"),
        json!(true),
        "the hit's passage is in view"
    );
    let doc = api(
        &server,
        &format!("/api/documents/{}", first["doc_id"].as_str().unwrap()),
        &[],
    );
    assert_eq!(
        b.texts(".passage .text").len(),
        doc["passages"].as_array().unwrap().len()
    );
    // Its table of contents leads to the chapters.
    let toc = b.texts("nav.toc a");
    assert!(toc.len() > 3, "{toc:?}");
    b.click_link("nav.toc a", &toc[1]);
    b.wait_for_url("#k");

    // Compare: the query goes along; the groups are the API's.
    b.click_link("header nav a", "Jämför");
    b.wait_for_url("/jamfor");
    assert_eq!(b.attr("#q", "value").as_deref(), Some("läkemedel"));
    // The address already holds the query: wait for the new page itself.
    b.click_and_load("form.search .query button");
    b.wait_for_url("jamfor?q=");
    // Choosing another grouping searches again (the page's script submits the form).
    b.select("select[name=by]", "type");
    b.wait_for_url("by=type");
    let c = api(
        &server,
        "/api/compare",
        &[("q", "läkemedel"), ("by", "type")],
    );
    let groups: Vec<String> = c["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["passages"].as_u64() > Some(0))
        .map(|g| g["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(b.texts("section.group h2"), groups);
    assert_eq!(
        b.texts("section.group ol.statements > li").len(),
        6,
        "three each"
    );

    // Statistics: two queries by type, the chart drawn and the table filled.
    b.click_link("header nav a", "Statistik");
    b.wait_for_url("/statistik");
    b.type_into("#q2", "vaccin");
    b.select("form.stats select[name=by]", "type");
    b.wait_for_url("by=type");
    let s = api(
        &server,
        "/api/stats",
        &[("q", "läkemedel"), ("q", "vaccin"), ("by", "type")],
    );
    let until = Instant::now() + Duration::from_secs(10);
    while b.js("return document.querySelector('figure.chart img').naturalWidth") != json!(1000) {
        assert!(Instant::now() < until, "the chart never loaded");
        std::thread::sleep(Duration::from_millis(100));
    }
    let heads = b.texts("table.figures thead th");
    assert_eq!(&heads[1..3], ["«läkemedel»", "«vaccin»"]);
    let rows = b.texts("table.figures tbody th");
    let mut expected: Vec<String> = s["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap().to_string())
        .collect();
    expected.push("Totalt".into());
    assert_eq!(rows, expected);
    let first_row = b.texts("table.figures tbody tr:first-child td");
    assert_eq!(
        first_row[0],
        format!(
            "{:.2}",
            s["series"][0]["groups"][0]["per_10k_words"]
                .as_f64()
                .unwrap()
        )
    );
    assert_eq!(
        first_row[1],
        format!(
            "{:.2}",
            s["series"][1]["groups"][0]["per_10k_words"]
                .as_f64()
                .unwrap()
        )
    );
}

#[test]
fn a_hostile_document_is_shown_as_text_and_runs_nothing() {
    let Some(b) = Browser::start(1280, 900) else {
        return;
    };
    let dir = scratch("web-hostile");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let title = "<script>document.title='pwned'</script><img src=x onerror=\"window.pwned=1\"> Farlig titel";
    std::fs::write(
        docs.join("manifest.toml"),
        format!(
            "[[document]]\npath = \"fientlig.txt\"\nid = \"fientlig\"\ntype = \"remissvar\"\ntitle = {}\nactor = {}\nsource = \"javascript:window.pwned=2\"\ndate = \"2025-01-01\"\n",
            toml_string(title),
            toml_string("<b onmouseover=\"window.pwned=6\">Aktör</b>"),
        ),
    )
    .unwrap();
    let text = "Texten <script>window.pwned=3</script> har <img src=x onerror=\"window.pwned=4\"> och <a href=\"javascript:window.pwned=5\">länk</a> om farmaceutisk fientlighet.";
    std::fs::write(docs.join("fientlig.txt"), format!("{text}\n")).unwrap();
    let index = index_folder(&docs, "web-hostile/index");
    let server = Server::start(&index);
    for path in [
        format!("/?{}", encode(&[("q", "fientlighet")])),
        format!("/?{}", encode(&[("q", "script onerror")])),
        "/dokument/fientlig?p=0#p0".to_string(),
        format!(
            "/jamfor?{}",
            encode(&[("q", "fientlighet"), ("by", "actor")])
        ),
        format!(
            "/statistik?{}",
            encode(&[("q", "<script>window.pwned=7</script>"), ("by", "actor")])
        ),
        format!(
            "/?{}",
            encode(&[("q", "\"<script>window.pwned=8</script>")])
        ),
    ] {
        b.goto(&format!("{}{path}", server.url));
        // Give anything that could run a moment to run.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            b.js("return typeof window.pwned"),
            json!("undefined"),
            "{path}"
        );
        let title = b.js("return document.title");
        assert!(
            !title.as_str().unwrap().starts_with("pwned"),
            "{path}: {title}"
        );
        assert_eq!(
            b.js("return document.querySelectorAll('main img:not(figure.chart img), main script, main b, a[href^=\"javascript:\"]').length"),
            json!(0),
            "{path}: no element from the document's text"
        );
    }
    // What the document says is there, as text.
    b.goto(&format!("{}/dokument/fientlig", server.url));
    assert_eq!(b.text("article h1"), title);
    assert_eq!(b.text(".passage .text"), text);
    assert!(b.text("dl.meta").contains("javascript:window.pwned=2"));
    b.goto(&format!(
        "{}/?{}",
        server.url,
        encode(&[("q", "fientlighet")])
    ));
    assert_eq!(b.text("li.hit h2 a"), title);
    assert!(b
        .text("li.hit .cite")
        .contains("<b onmouseover=\"window.pwned=6\">Aktör</b>"));
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
