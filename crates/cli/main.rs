//! The `sokord` command: parses arguments, calls `sokord-index` and `sokord-query`, renders.

mod args;
mod render;
mod views;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

/// mimalloc rather than the system allocator: indexing makes and frees millions of small
/// strings (one per token) across threads, and glibc's allocator took about a seventh of its
/// time; with mimalloc the whole run is faster (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use sokord_core::analyzers::Profile;
use sokord_index::{build_index, index_exists, IndexOptions, IndexSummary, Progress};
use sokord_query::{Filters, GroupKey, Grouping, SearchRequest, Searcher, SortBy};

use crate::args::{
    AnalysisArg, AnalyzeArgs, ByArg, Cli, ColorChoice, Command, CompareArgs, CountArgs, FilterArgs,
    GroupBy, IndexArgs, KeywordsArgs, KwicArgs, KwicFormat, Measure, OutputFormat, SearchArgs,
    ServeArgs, ShowArgs, SortArg, StatsArgs, SummaryFormat, TableFormat, TopicScopeArg, TopicsArgs,
};
use crate::render::Style;

/// The arguments with a query that starts with a minus (`-tandvård vård`, pasted) kept from
/// being read as flags: an argument of one dash that holds a space or a letter beyond ASCII is
/// no flag, so its minus becomes `−` (U+2212), which the query language reads as a minus too.
/// Flags (`-n5`, `--limit`) and misspelled ones stay as they are, for clap to judge.
fn queries_kept_from_flags(
    args: impl Iterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    args.map(|a| match a.to_str() {
        Some(s)
            if s.starts_with('-')
                && !s.starts_with("--")
                && s.chars().any(|c| c.is_whitespace() || !c.is_ascii()) =>
        {
            format!("−{}", &s[1..]).into()
        }
        _ => a,
    })
    .collect()
}

/// The corpus indexed when no folder is named: the bundled one, when run from the project root.
const DEFAULT_CORPUS: &str = "corpus";

fn main() -> ExitCode {
    let cli = Cli::parse_from(queries_kept_from_flags(std::env::args_os()));
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Output cut short by its reader (`| head`): done, as for ripgrep. The csv crate's
            // error does not give its io error as a source.
            let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(broken)
                    || c.downcast_ref::<csv::Error>()
                        .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io)))
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("sokord: error: {e:#}");
            if let Some(hint) = hint(&e) {
                eprintln!("sokord: {hint}");
            }
            ExitCode::from(2)
        }
    }
}

/// What to do about an index error, in the CLI's terms (the libraries' errors say what is wrong,
/// not which command fixes it).
fn hint(e: &anyhow::Error) -> Option<String> {
    use sokord_core::Error as E;
    let index_error = e.chain().find_map(|c| {
        c.downcast_ref::<E>()
            .or_else(|| match c.downcast_ref::<sokord_query::Error>() {
                Some(sokord_query::Error::Index(e)) => Some(e),
                _ => None,
            })
    })?;
    Some(match index_error {
        E::NoCorpus { .. } => {
            "give the folder of documents to index, e.g. `sokord index corpus`".to_string()
        }
        E::NotAnIndex { .. } => "build one with `sokord index DIR --index PATH`".to_string(),
        E::NotCommitted { .. } => {
            "wait for the indexing run to end, or run `sokord index` again if it was stopped"
                .to_string()
        }
        E::SchemaVersion { path, .. } | E::Corrupt { path, .. } => match indexed_corpus(path) {
            // The folder it was built from and its analysis, as the index recorded them.
            Some((corpus, index, analysis)) => format!(
                "rebuild it with `sokord index {} --index {}{}`",
                shell_word(&corpus),
                shell_word(&index.display().to_string()),
                analysis.map_or(String::new(), |a| format!(" --analysis {a}"))
            ),
            None => "rebuild it with `sokord index DIR --index PATH`".to_string(),
        },
        E::Locked { .. } => {
            "another writer (a `sokord index` run, or a program writing documents) holds this index; wait for it to finish, or run with --wait".to_string()
        }
        _ => return None,
    })
}

/// The corpus folder an index records in its `sokord.json`, when it still exists, the index
/// folder, and its analysis when not the default. `path` is the index or a file in it (a
/// damaged file of a generation names itself).
fn indexed_corpus(path: &Path) -> Option<(String, &Path, Option<String>)> {
    let index = path
        .ancestors()
        .take(3)
        .find(|p| p.join(sokord_core::META_FILE).is_file())?;
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(index.join(sokord_core::META_FILE)).ok()?).ok()?;
    let corpus = meta["corpus"].as_str()?;
    let analysis = meta["analysis"]
        .as_str()
        .filter(|a| *a != "full")
        .map(str::to_string);
    Path::new(corpus)
        .is_dir()
        .then(|| (corpus.to_string(), index, analysis))
}

/// A path as one word for a POSIX shell: quoted when it holds anything but plain characters.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "/._-+,:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn style(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    Style { color }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let style = style(cli.color);
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Index(args) => cmd_index(&cli.index, args, &mut out),
        Command::Search(args) => cmd_search(&cli.index, args, &style, &mut out),
        Command::Kwic(args) => cmd_kwic(&cli.index, args, &style, &mut out),
        Command::Compare(args) => cmd_compare(&cli.index, args, &style, &mut out),
        Command::Stats(args) => cmd_stats(&cli.index, args, &style, &mut out),
        Command::Count(args) => cmd_count(&cli.index, args, &mut out),
        Command::Keywords(args) => cmd_keywords(&cli.index, args, &style, &mut out),
        Command::Topics(args) => cmd_topics(&cli.index, args, &style, &mut out),
        Command::Show(args) => cmd_show(&cli.index, args, &style, &mut out),
        Command::Analyze(args) => cmd_analyze(args, &mut out),
        Command::Serve(args) => cmd_serve(&cli.index, args),
    }
}

fn default_corpus() -> Result<PathBuf> {
    let p = PathBuf::from(DEFAULT_CORPUS);
    if p.is_dir() {
        Ok(p)
    } else {
        bail!("no folder given and no `{DEFAULT_CORPUS}` folder here; name the folder to index, e.g. `sokord index ~/dokument`")
    }
}

/// Runs an indexing run with a progress bar on a terminal.
fn index_with_progress(
    corpus: &Path,
    index: &Path,
    options: &IndexOptions,
) -> Result<IndexSummary> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} indexing [{bar:30}] {pos}/{len} {wide_msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let summary = build_index(corpus, index, options, &mut |p| match p {
        Progress::Found(n) => bar.set_length(n as u64),
        Progress::Read { done, path } => {
            bar.set_position(done as u64);
            bar.set_message(path);
        }
        Progress::Committing => bar.set_message("committing"),
    })
    .with_context(|| format!("indexing {} into {}", corpus.display(), index.display()));
    if summary.is_ok() {
        // What `stats`, `compare` and `topics` over the whole index would otherwise count each
        // time.
        bar.set_message("counting the population by key");
        let written = Searcher::open(index).and_then(|s| s.write_populations());
        if let Err(e) = written {
            eprintln!(
                "sokord: warning: the index's population by key and its topics were not kept ({e}); stats, compare and topics will count them each time"
            );
        }
    }
    bar.finish_and_clear();
    summary
}

/// The peak resident set size of this process (`VmHWM` in `/proc/self/status`), on Linux.
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn cmd_index(index: &Path, args: IndexArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let corpus = match args.dir {
        Some(d) => d,
        None => default_corpus()?,
    };
    let mut options = IndexOptions::default()
        .rebuild(args.rebuild)
        .wait(args.wait)
        .check_contents(args.check_contents)
        .analysis(match args.analysis {
            AnalysisArg::Full => Profile::Full,
            AnalysisArg::Snowball => Profile::Snowball,
        });
    if let Some(topics) = args.topics {
        options = options.topics(topics);
    }
    if let Some(t) = args.threads {
        options = options.threads(t);
    }
    options = options.memory_budget(usize::try_from(args.memory).unwrap_or(usize::MAX));
    // Interrupted, the run leaves the index as the last finished run did (the switch to a new
    // one is atomic): say so, and exit as a shell expects of Ctrl-C.
    let shown = index.display().to_string();
    let _ = ctrlc::set_handler(move || {
        eprintln!(
            "\nsokord: interrupted; the index at {shown} is as the last finished run left it"
        );
        std::process::exit(130);
    });
    let summary = index_with_progress(&corpus, index, &options)?;
    match args.format {
        SummaryFormat::Text => render::summary_text(out, &summary)?,
        SummaryFormat::Json => {
            #[derive(serde::Serialize)]
            struct WithMemory<'a> {
                #[serde(flatten)]
                summary: &'a IndexSummary,
                /// The process's peak resident memory, where the system tells it (Linux).
                peak_memory_bytes: Option<u64>,
            }
            let v = WithMemory {
                summary: &summary,
                peak_memory_bytes: peak_memory_bytes(),
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?
        }
    }
    if args.strict && (!summary.skipped.is_empty() || !summary.warnings.is_empty()) {
        let (skipped, warnings) = (summary.skipped.len(), summary.warnings.len());
        eprintln!(
            "sokord: --strict: {skipped} {} skipped and {warnings} {}",
            if skipped == 1 { "file" } else { "files" },
            if warnings == 1 { "warning" } else { "warnings" },
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens the index; when there is none and a corpus is at hand, builds it first.
fn open_or_build(index: &Path, corpus: Option<PathBuf>) -> Result<Searcher> {
    if !index_exists(index) {
        // Build only into a new or empty folder: never into a folder of other things (documents).
        // (What an interrupted first build left there is its own, and fine.)
        if sokord_core::layout::holds_other_files(index) {
            bail!(
                "{} holds no sokord index, and it is not empty, so no index is built into it; point --index at an index, or at a new or empty folder (to keep the index of a folder of documents inside it: `sokord index {} --index {}`)",
                index.display(),
                index.display(),
                index.join(".sokord").display()
            );
        }
        let corpus = match corpus {
            Some(c) => c,
            None => default_corpus().with_context(|| format!("no index at {}", index.display()))?,
        };
        eprintln!(
            "sokord: no index at {}; indexing {} first",
            index.display(),
            corpus.display()
        );
        let summary = index_with_progress(&corpus, index, &IndexOptions::default())?;
        let mut err = std::io::stderr().lock();
        render::summary_text(&mut err, &summary)?;
    }
    Searcher::open(index).with_context(|| format!("opening the index at {}", index.display()))
}

/// The filter flags as the library's filters, by their shared names (`sokord serve` takes the
/// same names as parameters).
fn filters(f: FilterArgs) -> Result<Filters> {
    let scope = match f.topic_scope {
        TopicScopeArg::Passage => "passage",
        TopicScopeArg::Document => "document",
    };
    let mut filters = Filters::default();
    for (name, value) in [
        ("actor", f.actor),
        ("party", f.party),
        ("recipient", f.recipient),
        ("type", f.doc_type),
        ("chapter", f.chapter),
        ("topic", f.topic),
        ("from", f.from),
        ("to", f.to),
        ("topic_scope", Some(scope.to_string())),
        ("party_history", Some(f.party_history.to_string())),
    ] {
        if let Some(v) = value {
            filters.set(name, &v)?;
        }
    }
    Ok(filters)
}

/// A library error in the command's terms: the date filters named by their flags (`--from`,
/// `--to`); the others share their names with the query's fields (`party:S`).
fn flagged(e: sokord_query::Error) -> anyhow::Error {
    match e {
        sokord_query::Error::Filter { name, message } if name == "from" || name == "to" => {
            anyhow::anyhow!("bad filter --{name}: {message}")
        }
        e => e.into(),
    }
}

/// A searcher kept until the process ends. A command reads one index and exits: the system
/// frees its memory and maps at once, where dropping the searcher unmapped every file of every
/// segment one by one (a fifth of a search that finds nothing, at ten times the
/// interpellations). Nothing of an index is written when a searcher is dropped.
fn kept(searcher: Searcher) -> &'static Searcher {
    Box::leak(Box::new(searcher))
}

/// Opens (or first builds) the index and makes a request of a query and its filters.
fn prepare(
    index: &Path,
    corpus: Option<PathBuf>,
    query: &str,
    filter_args: FilterArgs,
) -> Result<(&'static Searcher, SearchRequest)> {
    let searcher = kept(open_or_build(index, corpus)?);
    let mut request = parse_request(query)?;
    request.filters = filters(filter_args)?;
    Ok((searcher, request))
}

/// Parses a query; an error points at its column under the query.
fn parse_request(query: &str) -> Result<SearchRequest> {
    match SearchRequest::parse(query) {
        Ok(r) => {
            for l in sokord_core::query::operator_lookalikes(query) {
                eprintln!("sokord: note: {}", lookalike_note(&l));
            }
            if let Some(n) = sokord_core::query::or_beside_and(query) {
                eprintln!(
                    "sokord: note: words side by side bind before `OR` (column {}): this is `{}`; for either alternative with the other words, write `{}`",
                    n.column, n.read_as, n.alternatives
                );
            }
            Ok(r)
        }
        Err(sokord_query::Error::Query(e)) => {
            let (shown, column) = around(query, e.column);
            let pad = " ".repeat(column.saturating_sub(1));
            bail!("query error: {e}\n  {shown}\n  {pad}^");
        }
        Err(e) => Err(e.into()),
    }
}

/// When a date filter finds nothing because the index's passages lie outside it: their span.
fn dates_note(searcher: &Searcher, request: &SearchRequest) {
    let f = &request.filters;
    if f.from.is_none() && f.to.is_none() {
        return;
    }
    let Some((first, last)) = searcher.date_span() else {
        return;
    };
    // Dates and their beginnings (`2025`, `2025-03`) compare as text.
    let after = f
        .from
        .as_deref()
        .is_some_and(|from| from.trim() > last.as_str());
    let before = f.to.as_deref().is_some_and(|to| {
        let to = to.trim();
        to < first.as_str() && !first.starts_with(to)
    });
    if after || before {
        eprintln!("sokord: note: the index's passages are dated {first} to {last}");
    }
}

/// When a count found nothing, says whether a search finds something (through a document's
/// title, or a compound's parts near each other, which counts leave out), so that a table of
/// zeros is not taken for "nobody said it"; and, when a date filter lies outside the index's
/// dates, which dates it has.
fn nothing_counted(searcher: &Searcher, request: &SearchRequest) {
    dates_note(searcher, request);
    // A word the index does not hold: what it may have meant (as `search` says).
    if let Ok(s) = searcher.suggest(request) {
        if !s.is_empty() {
            let s: Vec<String> = s.iter().map(|q| format!("`{q}`")).collect();
            eprintln!(
                "sokord: note: nothing counted; did you mean {}?",
                s.join(" or ")
            );
        }
    }
    let mut r = request.clone();
    r.limit = 0;
    r.fill_partial = true;
    r.facets = false;
    if let Ok(found) = searcher.search(&r) {
        if let Some(n) = found.loose_hits.filter(|&n| n > 0) {
            eprintln!(
                "sokord: note: nothing counted, but `sokord search` finds {} for this query: through their document's title or a compound's parts near each other (\"brist på barnmorskor\" for barnmorskebrist), which counts leave out",
                views::plural(n, "passage", "passages")
            );
        }
    }
}

/// What a word that looks like an operator does, and what to write instead.
fn lookalike_note(l: &sokord_core::query::Lookalike) -> String {
    if !l.word.chars().any(char::is_alphabetic) {
        return format!(
            "`{}` (column {}) with a space after it leaves nothing out; write it before the word, with no space (`-tandvård`), or `NOT`",
            l.word, l.column
        );
    }
    let does = if l.word.eq_ignore_ascii_case("eller") {
        "a stop word, left out, so the words around it must all match"
    } else {
        "searched as a word"
    };
    format!(
        "`{}` (column {}) is {does}; write `{}` in capitals for the operator",
        l.word, l.column, l.operator
    )
}

/// A long query cut to about 70 characters around `column` (1-based, in characters), with `…`
/// where it was cut, and the column within what is shown.
fn around(query: &str, column: usize) -> (String, usize) {
    const SHOWN: usize = 70;
    let chars: Vec<char> = query.chars().collect();
    if chars.len() <= SHOWN {
        return (query.to_string(), column);
    }
    let at = column.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(SHOWN / 2);
    let end = (start + SHOWN).min(chars.len());
    let mut shown = String::new();
    let mut column = at - start + 1;
    if start > 0 {
        shown.push('…');
        column += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, column)
}

fn group_key(by: ByArg) -> GroupKey {
    match by {
        ByArg::Actor => GroupKey::Actor,
        ByArg::Party => GroupKey::Party,
        ByArg::Recipient => GroupKey::Recipient,
        ByArg::Type => GroupKey::Type,
        ByArg::Year => GroupKey::Year,
        ByArg::Month => GroupKey::Month,
        ByArg::Session => GroupKey::Session,
        ByArg::Topic => GroupKey::Topic,
        ByArg::Chapter => GroupKey::Chapter,
    }
}

fn measure(m: Measure) -> sokord_serve::chart::Measure {
    match m {
        Measure::Passages => sokord_serve::chart::Measure::Passages,
        Measure::Documents => sokord_serve::chart::Measure::Documents,
        Measure::Hits => sokord_serve::chart::Measure::Hits,
        Measure::Per10k => sokord_serve::chart::Measure::Per10k,
        Measure::PerMillion => sokord_serve::chart::Measure::PerMillion,
        Measure::Share => sokord_serve::chart::Measure::Share,
    }
}

fn cmd_compare(
    index: &Path,
    args: CompareArgs,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let (searcher, mut request) = prepare(index, None, &args.query, args.filters)?;
    request.snippet_chars = args.context;
    // Years, months and sessions are never cut (a gap in a timeline is not "fewer groups").
    let by = group_key(args.by);
    let groups = args.groups.filter(|_| !by.is_time());
    let c = match groups {
        None => searcher.compare(&request, by, args.top),
        Some(n) => searcher.compare_largest(&request, by, args.top, n),
    }
    .map_err(flagged)?;
    let c = match groups {
        Some(n) => {
            let kept = c.largest(n);
            let left_out = c.groups.len() - kept.len();
            let without = c
                .groups
                .iter()
                .filter(|g| g.stats.passages == 0 && g.stats.documents == 0)
                .count();
            if left_out > 0 {
                eprintln!(
                    "sokord: note: {} with the most matching documents; {left_out} more left out, {without} of them without a match (the totals count them all)",
                    if kept.len() == 1 {
                        "the group".to_string()
                    } else {
                        format!("the {} groups", kept.len())
                    }
                );
            }
            // The kept groups, in the comparison's order (as `largest` gives their places).
            let mut c = c;
            let mut all: Vec<Option<_>> = std::mem::take(&mut c.groups)
                .into_iter()
                .map(Some)
                .collect();
            c.groups = kept.iter().filter_map(|&i| all[i].take()).collect();
            c
        }
        None => c,
    };
    match args.format {
        TableFormat::Text => views::compare_text(out, &c, style)?,
        TableFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?,
        TableFormat::Csv => views::compare_csv(out, &c)?,
        TableFormat::Markdown => views::compare_markdown(out, &c)?,
    }
    Ok(if c.total_passages == 0 {
        if c.total_documents == 0 {
            nothing_counted(searcher, &request);
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_stats(
    index: &Path,
    args: StatsArgs,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let mut queries = args.query.iter();
    let first = queries.next().map(String::as_str).unwrap_or_default();
    let (searcher, request) = prepare(index, None, first, args.filters)?;
    let mut requests = vec![request];
    for q in queries {
        let mut r = parse_request(q)?;
        r.filters = requests[0].filters.clone();
        requests.push(r);
    }
    let mut by: Vec<GroupKey> = args.by.iter().map(|b| group_key(*b)).collect();
    by.dedup();
    if by.len() > 2 {
        bail!("--by takes one key, or two for a cross-tab (--by party,year)");
    }
    // A chart that cannot be written is said before the table is printed.
    if let Some(path) = &args.plot {
        sokord_serve::chart::Chart::is_svg(path).map_err(|e| anyhow::anyhow!("--plot {e}"))?;
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(folder) = folder.filter(|f| !f.is_dir()) {
            bail!(
                "--plot {}: there is no folder {} to write it in",
                path.display(),
                folder.display()
            );
        }
    }
    let m = measure(args.measure);
    let mut s = searcher.stats_of(&requests, &by).map_err(flagged)?;
    if let Some(n) = args.groups {
        let (kept, left_out) = s.largest(n);
        if left_out > 0 {
            eprintln!(
                "sokord: note: {} of {} groups: of each key but years, months and sessions, the {n} values with the most matching documents (the totals count them all)",
                kept.groups.len(),
                s.groups.len(),
            );
        }
        s = kept;
    }
    let any = if s.series.is_empty() {
        s.total_passages + s.total_documents
    } else {
        s.series
            .iter()
            .map(|x| x.total.passages + x.total.documents)
            .sum()
    };
    let exit = if any == 0 {
        for r in &requests {
            nothing_counted(searcher, r);
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    match args.format {
        TableFormat::Text => views::stats_text(out, &s, m, style)?,
        TableFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?,
        TableFormat::Csv => views::stats_table(&s).csv(out)?,
        TableFormat::Markdown => {
            let names: Vec<String> = if s.series.is_empty() {
                vec![render::quoted(&s.query)]
            } else {
                s.series.iter().map(|x| render::quoted(&x.query)).collect()
            };
            views::stats_table(&s).markdown(
                out,
                &format!("{} by {}", names.join(", "), views::by_name(&s.by)),
            )?
        }
    }
    if let Some(path) = &args.plot {
        use sokord_serve::chart::{Chart, ChartError};
        let chart = Chart::of_stats(&s, m).map_err(|e| match e {
            ChartError::CrossTabOfSeveral => anyhow::anyhow!(
                "--plot draws a cross-tab of one query; give one query, or one key to --by"
            ),
            e => e.into(),
        })?;
        chart
            .write(path)
            .with_context(|| format!("writing the chart {}", path.display()))?;
        eprintln!("sokord: chart written to {}", path.display());
    }
    Ok(exit)
}

fn cmd_count(index: &Path, args: CountArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let (searcher, request) = prepare(index, None, &args.query, args.filters)?;
    let c = searcher.count(&request).map_err(flagged)?;
    match args.format {
        SummaryFormat::Text => writeln!(
            out,
            "{} passages\t{} documents\t{} hits",
            c.passages, c.documents, c.hits
        )?,
        SummaryFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?,
    }
    Ok(if c.passages + c.documents == 0 {
        nothing_counted(searcher, &request);
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_keywords(
    index: &Path,
    args: KeywordsArgs,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let (searcher, subset) = prepare(index, None, &args.query, args.filters)?;
    let reference = match &args.vs {
        Some(q) => Some(parse_request(q)?),
        None => None,
    };
    let mut k = searcher
        .keywords(&subset, reference.as_ref(), args.top, args.min_count)
        .map_err(flagged)?;
    k.name_subset(&subset.filters);
    match args.format {
        TableFormat::Text => views::keywords_text(out, &k, style)?,
        TableFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&k)?)?,
        TableFormat::Csv => views::keywords_table(&k).csv(out)?,
        TableFormat::Markdown => views::keywords_table(&k).markdown(
            out,
            &format!(
                "Words most distinctive of {} against {}",
                k.subset, k.reference
            ),
        )?,
    }
    Ok(if k.keywords.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_topics(
    index: &Path,
    args: TopicsArgs,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if let Some(doc_id) = &args.explain {
        return cmd_topics_explain(index, doc_id, args.passage, args.format, style, out);
    }
    let (searcher, request) = prepare(index, None, &args.query, args.filters)?;
    let t = searcher
        .topics(&request, args.by.map(group_key), 5)
        .map_err(flagged)?;
    match args.format {
        TableFormat::Text => views::topics_text(out, &t, style)?,
        TableFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&t)?)?,
        TableFormat::Csv => views::topics_table(&t).csv(out)?,
        TableFormat::Markdown => views::topics_table(&t).markdown(out, "Topics")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `topics --explain`: the tagger's evidence, recomputed from the stored passages with the
/// index's taxonomy and analysis (what indexing computed).
fn cmd_topics_explain(
    index: &Path,
    doc_id: &str,
    passage: Option<u32>,
    format: TableFormat,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    use sokord_index::topics::{heading_text, Tagger};
    let searcher = kept(
        Searcher::open(index)
            .with_context(|| format!("opening the index at {}", index.display()))?,
    );
    let meta = searcher.meta();
    let doc = searcher.document(doc_id, None).map_err(flagged)?;
    let tagger = Tagger::new(&meta.taxonomy, meta.analysis);
    let headings: Vec<String> = doc
        .passages
        .iter()
        .map(|p| heading_text(&p.chapters))
        .collect();
    let texts: Vec<(&str, &str)> = doc
        .passages
        .iter()
        .zip(&headings)
        .map(|(p, h)| (p.text.as_str(), h.as_str()))
        .collect();
    let mut analyzer = meta.analysis.text_analyzer();
    let evidence = tagger.explain_document(&mut analyzer, &doc.title, &texts);
    if let Some(n) = passage {
        if !doc.passages.iter().any(|p| p.ordinal == n) {
            bail!(
                "{doc_id} has no passage {n}; its passages are numbered 0 to {}",
                doc.passages.len().saturating_sub(1)
            );
        }
    }
    let explained = views::TopicsExplained {
        doc_id: doc.doc_id.clone(),
        title: doc.title.clone(),
        document_topics: doc.doc_topics.clone(),
        passages: doc
            .passages
            .iter()
            .zip(evidence)
            .filter(|(p, _)| passage.is_none_or(|n| p.ordinal == n))
            .map(|(p, evidence)| views::PassageExplained {
                passage: p.ordinal,
                heading: p.chapters.last().map(|c| c.display()),
                topics: p.topics.clone(),
                evidence,
            })
            .collect(),
    };
    match format {
        TableFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&explained)?)?,
        _ => views::topics_explained_text(out, &explained, style)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_kwic(index: &Path, args: KwicArgs, style: &Style, out: &mut dyn Write) -> Result<ExitCode> {
    let (searcher, mut request) = prepare(index, args.corpus.clone(), &args.query, args.filters)?;
    request.limit = args.limit;
    request.offset = args.offset;
    let results = searcher
        .kwic(&request, args.width)
        .map_err(flagged)
        .with_context(|| format!("searching for {}", render::quoted(&args.query)))?;
    match args.format {
        KwicFormat::Text => render::kwic_text(out, &results, args.width, style)?,
        KwicFormat::Csv => render::kwic_csv(out, &results)?,
        KwicFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?,
    }
    out.flush()?;
    if results.total_lines == 0 {
        nothing_counted(searcher, &request);
    }
    Ok(if results.lines.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_search(
    index: &Path,
    args: SearchArgs,
    style: &Style,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let (searcher, mut request) = prepare(index, args.corpus.clone(), &args.query, args.filters)?;
    request.limit = args.limit;
    request.offset = args.offset;
    request.group = match args.group {
        Some(GroupBy::Doc) => Grouping::Doc,
        None => Grouping::Passage,
    };
    request.snippet_chars = args.context;
    request.fill_partial = !args.all;
    request.sort = match args.sort {
        SortArg::Score => SortBy::Score,
        SortArg::Date => SortBy::Date,
    };
    request.explain = args.explain;
    // Facets are counted only where they are shown: JSON has them always, text with --facets.
    request.facets = args.facets || args.format == OutputFormat::Json;
    let results = searcher
        .search(&request)
        .map_err(flagged)
        .with_context(|| format!("searching for {}", render::quoted(&args.query)))?;
    for t in &results.truncated_expansions {
        eprintln!(
            "sokord: warning: `{}` matches {} word forms; only the {} most frequent are searched{}",
            t.word,
            t.forms,
            t.searched,
            t.most_frequent_dropped
                .as_ref()
                .map(|d| format!(
                    " (the commonest left out: `{d}`); make the word longer to reach the rest"
                ))
                .unwrap_or_default()
        );
    }
    if results.exact_forms {
        eprintln!("sokord: note: the query has only stop words; searched as exact word forms");
    }
    match args.format {
        OutputFormat::Text if args.limit == 0 => {
            // The figure a researcher takes away, as `count` and `stats` give it; beside it what
            // a search finds besides, and how.
            let apart = if args.group.is_some() {
                let own = match results.counted_hits {
                    Some(n) => n,
                    None => searcher.count(&request).map_err(flagged)?.documents,
                };
                if own >= results.total_hits {
                    String::new()
                } else {
                    format!(
                        " ({own} as `count` and `stats` count them; the other {} with the help of a compound's parts near each other)",
                        results.total_hits.saturating_sub(own)
                    )
                }
            } else {
                match results.loose_hits {
                    Some(n) if n > 0 => format!(
                        "; {n} more found more loosely, through a document's title or a compound's parts near each other (not counted)"
                    ),
                    _ => String::new(),
                }
            };
            writeln!(
                out,
                "{} {}{apart}.",
                render::matching(results.total_hits, args.group.is_some()),
                render::quoted(&results.query)
            )?;
            if args.facets {
                render::facets_text(out, &results.facets, style)?;
            }
        }
        OutputFormat::Text => {
            render::results_text(
                out,
                &results,
                args.offset,
                args.group.is_some(),
                request.query.has_text(),
                style,
            )?;
            if args.facets {
                render::facets_text(out, &results.facets, style)?;
            }
        }
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?,
        OutputFormat::Jsonl => {
            for h in &results.hits {
                writeln!(out, "{}", serde_json::to_string(h)?)?;
            }
        }
        OutputFormat::Csv => render::results_csv(out, &results)?,
    }
    out.flush()?;
    if args.format != OutputFormat::Text
        && results.hits.is_empty()
        && results.total_hits > 0
        && args.offset >= results.total_hits
    {
        eprintln!(
            "sokord: --offset {} is past the end: {}",
            args.offset,
            render::matching(results.total_hits, args.group.is_some())
        );
    }
    // -n 0 asks for the count alone: it succeeds when anything matches.
    let found = if args.limit == 0 {
        results.total_hits > 0
    } else {
        !results.hits.is_empty()
    };
    if results.total_hits == 0 && results.hits.is_empty() {
        dates_note(searcher, &request);
    }
    Ok(if found {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cmd_show(index: &Path, args: ShowArgs, style: &Style, out: &mut dyn Write) -> Result<ExitCode> {
    let searcher = kept(
        Searcher::open(index)
            .with_context(|| format!("opening the index at {}", index.display()))?,
    );
    let (doc_id, cited) = cited_passage(&args.doc_id);
    if let (Some(a), Some(b)) = (args.passage, cited) {
        if a != b {
            bail!("the citation names §{b} and --passage {a}; give one of them");
        }
    }
    let passage = args.passage.or(cited);
    let chapter = args.chapter.as_deref();
    let mut doc = match searcher.document(doc_id, chapter) {
        // Ids are written in lower case; one typed in upper case is the same document.
        Err(sokord_query::Error::NoSuchDocument(_)) if doc_id.to_lowercase() != doc_id => {
            searcher.document(&doc_id.to_lowercase(), chapter)
        }
        found => found,
    }
    .map_err(flagged)?;
    if let Some(n) = passage {
        let (first, last) = match (doc.passages.first(), doc.passages.last()) {
            (Some(a), Some(b)) => (a.ordinal, b.ordinal),
            _ => (0, 0),
        };
        doc.passages.retain(|p| p.ordinal == n);
        if doc.passages.is_empty() {
            bail!(
                "document `{doc_id}` has no passage §{n}{}; its passages are §{first}–§{last}",
                args.chapter
                    .as_deref()
                    .map_or(String::new(), |c| format!(" in chapter `{c}`"))
            );
        }
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        render::document_text(out, &doc, style)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A document id as typed, or taken from a hit's citation: `ID §5` and `[ID §5]` are passage 5
/// of `ID`.
fn cited_passage(typed: &str) -> (&str, Option<u32>) {
    let t = typed.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(t)
        .trim();
    match t.rsplit_once('§') {
        Some((id, n)) => match n.trim().parse() {
            Ok(n) => (id.trim(), Some(n)),
            Err(_) => (t, None),
        },
        None => (t, None),
    }
}

fn cmd_serve(index: &Path, args: ServeArgs) -> Result<ExitCode> {
    let searcher = open_or_build(index, None)?;
    let mut limits = sokord_serve::Limits::default()
        .timeout(std::time::Duration::from_secs(args.timeout.max(1)));
    if let Some(n) = args.max_running {
        limits = limits.max_running(n);
    }
    let router = sokord_serve::router(std::sync::Arc::new(searcher), limits);
    let bind = args.port.map_or(args.bind, |port| {
        std::net::SocketAddr::from(([127, 0, 0, 1], port))
    });
    sokord_serve::serve_blocking(bind, router, |addr| {
        if !addr.ip().is_loopback() {
            eprintln!(
                "sokord: listening on {addr}: the index at {} is now reachable from the network",
                index.display()
            );
        }
        let shown = if addr.ip().is_unspecified() {
            format!("http://localhost:{}/", addr.port())
        } else {
            format!("http://{addr}/")
        };
        println!(
            "Serving the index at {} on {shown} (Ctrl-C stops)",
            index.display()
        );
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("serving on {bind}"))?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_analyze(args: AnalyzeArgs, out: &mut dyn Write) -> Result<ExitCode> {
    use sokord_core::analyzers::{analyze, NAMES};
    let text = args.text.join(" ");
    if args.analyzer == "all" {
        let mut all = serde_json::Map::new();
        for name in NAMES {
            let tokens = analyze(name, &text).expect("registered analyzer");
            if args.json {
                all.insert(name.to_string(), serde_json::json!({ "tokens": tokens }));
            } else {
                writeln!(out, "{name}:")?;
                render::tokens_text(out, &tokens)?;
            }
        }
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(tokens) = analyze(&args.analyzer, &text) else {
        bail!(
            "no analyzer named `{}`; choose one of: {}, or all",
            args.analyzer,
            NAMES.join(", ")
        );
    };
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "tokens": tokens }))?
        )?;
    } else {
        render::tokens_text(out, &tokens)?;
    }
    Ok(if tokens.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
