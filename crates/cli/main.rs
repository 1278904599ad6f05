//! The `sokord` command: parses arguments, calls `sokord-index` and `sokord-query`, renders.

mod args;
mod render;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use sokord_index::analysis::Profile;
use sokord_index::{build_index, index_exists, IndexOptions, IndexSummary, Progress};
use sokord_query::{Filters, Grouping, SearchRequest, Searcher, SortBy};

use crate::args::{
    AnalysisArg, AnalyzeArgs, Cli, ColorChoice, Command, FilterArgs, GroupBy, IndexArgs, KwicArgs,
    KwicFormat, OutputFormat, SearchArgs, ShowArgs, SortArg, SummaryFormat,
};
use crate::render::Style;

/// The corpus indexed when no folder is named: the bundled one, when run from the project root.
const DEFAULT_CORPUS: &str = "corpus";

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("sokord: error: {e:#}");
            ExitCode::from(2)
        }
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
        Command::Show(args) => cmd_show(&cli.index, args, &style, &mut out),
        Command::Analyze(args) => cmd_analyze(args, &mut out),
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
    bar.finish_and_clear();
    summary
}

fn cmd_index(index: &Path, args: IndexArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let corpus = match args.dir {
        Some(d) => d,
        None => default_corpus()?,
    };
    let mut options = IndexOptions {
        topics: args.topics,
        analysis: match args.analysis {
            AnalysisArg::Full => Profile::Full,
            AnalysisArg::Snowball => Profile::Snowball,
        },
        ..IndexOptions::default()
    };
    if let Some(t) = args.threads {
        options.threads = t.max(1);
    }
    let summary = index_with_progress(&corpus, index, &options)?;
    match args.format {
        SummaryFormat::Text => render::summary_text(out, &summary)?,
        SummaryFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&summary)?)?,
    }
    if args.strict && (!summary.skipped.is_empty() || !summary.warnings.is_empty()) {
        eprintln!(
            "sokord: --strict: {} files skipped and {} warnings",
            summary.skipped.len(),
            summary.warnings.len()
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens the index; when there is none and a corpus is at hand, builds it first.
fn open_or_build(index: &Path, corpus: Option<PathBuf>) -> Result<Searcher> {
    if !index_exists(index) {
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

fn filters(f: FilterArgs) -> Filters {
    Filters {
        actor: f.actor,
        party: f.party,
        doc_type: f.doc_type,
        chapter: f.chapter,
        topic: f.topic,
        from: f.from,
        to: f.to,
    }
}

/// Parses a query; an error points at its column under the query.
fn parse_request(query: &str) -> Result<SearchRequest> {
    match SearchRequest::parse(query) {
        Ok(r) => Ok(r),
        Err(sokord_query::Error::Query(e)) => {
            let pad = " ".repeat(e.column.saturating_sub(1));
            bail!("query error: {e}\n  {query}\n  {pad}^");
        }
        Err(e) => Err(e.into()),
    }
}

fn cmd_kwic(index: &Path, args: KwicArgs, style: &Style, out: &mut dyn Write) -> Result<ExitCode> {
    let searcher = open_or_build(index, args.corpus.clone())?;
    let mut request = parse_request(&args.query)?;
    request.filters = filters(args.filters);
    request.limit = args.limit;
    request.offset = args.offset;
    let results = searcher
        .kwic(&request, args.width)
        .with_context(|| format!("searching for {:?}", args.query))?;
    match args.format {
        KwicFormat::Text => render::kwic_text(out, &results, args.width, style)?,
        KwicFormat::Csv => render::kwic_csv(out, &results)?,
        KwicFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&results)?)?,
    }
    out.flush()?;
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
    let searcher = open_or_build(index, args.corpus.clone())?;
    let mut request = parse_request(&args.query)?;
    request.filters = filters(args.filters);
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
    let results = searcher
        .search(&request)
        .with_context(|| format!("searching for {:?}", args.query))?;
    match args.format {
        OutputFormat::Text => {
            render::results_text(out, &results, args.offset, args.group.is_some(), style)?;
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
    Ok(if results.hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_show(index: &Path, args: ShowArgs, style: &Style, out: &mut dyn Write) -> Result<ExitCode> {
    let searcher = Searcher::open(index)
        .with_context(|| format!("opening the index at {}", index.display()))?;
    let doc = searcher.document(&args.doc_id, args.chapter.as_deref())?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        render::document_text(out, &doc, style)?;
    }
    if doc.passages.is_empty() {
        eprintln!(
            "sokord: document {} has no chapter {:?}",
            args.doc_id,
            args.chapter.unwrap_or_default()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_analyze(args: AnalyzeArgs, out: &mut dyn Write) -> Result<ExitCode> {
    use sokord_index::analysis::{analyze, NAMES};
    if args.analyzer == "all" {
        let mut all = serde_json::Map::new();
        for name in NAMES {
            let tokens = analyze(name, &args.text).expect("registered analyzer");
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
    let Some(tokens) = analyze(&args.analyzer, &args.text) else {
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
