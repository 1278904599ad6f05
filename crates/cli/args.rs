//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const QUERY_HELP: &str = "\
QUERY LANGUAGE
  kliniska prövningar          both words (implicit AND), in any inflected form, also as parts
                               of compounds (försörjning finds läkemedelsförsörjningen)
  \"kliniska prövningar\"        the words as a phrase (inflected forms included)
  \"läkemedel brist\"~5          the two words with at most 5 words between, either order
  vaccin OR vaccination        either word
  vård -tandvård               'vård' but not 'tandvård' (also: NOT tandvård)
  +brist läkemedel             'brist' required (as every word is)
  (a OR b) c                   grouping
  vård*                        word forms starting with 'vård' (at least 2 letters)
  prövnng~1                    word forms within 1 edit (or ~2): typos
  =läkemedlen                  this exact word form: no stemming, no compound parts
  exact:\"vård och omsorg\"     exact forms, stop words (och, i, att …) included
  \"man kan inte\"               only stop words: searched as exact forms
  title:strategi               a word in the title
  actor:Lif party:S recipient:Hägglund type:remissvar chapter:3 topic:hälsodata year:2025
  date:[2024-01-01 TO 2025-06-30]   filters inside the query (* for an open end)

The figure and the hits are the passages `count` and `stats` count (their own text or heading
matches). When they are fewer than asked for, the list goes on, not counted, with passages found
more loosely (through the document's title, or a compound's parts near each other: \"brist på
barnmorskor\" for barnmorskebrist), then with hits for some of the words, marked (partial);
--all turns both off.
Errors name the column: 'unbalanced quote: no closing `\"` at column 10'.

Filters (--actor, --party, --type, --chapter, --topic) are case-insensitive; a comma separates
alternatives (--party S,V). --actor matches words of the actor's name (--actor Lif).
A party, type or topic the index does not hold is an error listing those it holds; an actor
name matching no actor is an error naming the closest names.
--chapter takes a chapter number (3), a sub-section (\"Mål 2\"), a dotted number (2.3) or a
title (Frågor). --from and --to take YYYY, YYYY-MM or YYYY-MM-DD and include both ends.

EXIT STATUS
  0 hits were found, 1 no hits, 2 an error.";

/// sokord: full-text search for Swedish health-policy documents.
///
/// Index a folder of remissvar, speeches, strategies and interpellations, then search it by
/// keyword, filtered by actor, party, document type, chapter, topic and date. Every hit cites
/// its document, actor, date and chapter.
#[derive(Debug, Parser)]
#[command(name = "sokord", version, about, long_about)]
pub struct Cli {
    /// The index folder.
    ///
    /// By default `.sokord` in the current folder, or the SOKORD_INDEX environment variable.
    #[arg(long, global = true, env = "SOKORD_INDEX", default_value = ".sokord")]
    pub index: PathBuf,

    /// When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index a folder of documents (.txt, .md, .pdf, .html, .docx).
    ///
    /// Builds a new index generation beside the current one and switches to it only when it is
    /// complete: an interrupted run leaves the last good index searchable.
    Index(IndexArgs),
    /// Search the index.
    #[command(after_long_help = QUERY_HELP)]
    Search(SearchArgs),
    /// Keyword in context: each match with its left and right context, aligned, with document,
    /// actor, date and chapter.
    Kwic(KwicArgs),
    /// Compare groups side by side: counts and most representative statements per actor, party,
    /// type or year.
    Compare(CompareArgs),
    /// Count matching documents, passages and hits per group, with rates per 10,000 and per
    /// million words and the share of documents, as a table, a cross-tab or a chart file.
    #[command(after_long_help = STATS_HELP)]
    Stats(StatsArgs),
    /// Count a query's matching passages, documents and hits (as `stats` counts them), without
    /// ranking: for scripts.
    Count(CountArgs),
    /// The words most distinctive of a subset (an actor, a party, a query) against the rest.
    Keywords(KeywordsArgs),
    /// The topic taxonomy with counts, and the actors who say most about each topic.
    Topics(TopicsArgs),
    /// Print a document (or one chapter of it) as indexed, with its metadata.
    Show(ShowArgs),
    /// Print the terms an analyzer produces for a text.
    Analyze(AnalyzeArgs),
    /// Serve a web page and a JSON API of the index (on this machine only, unless --bind names
    /// another address). Builds the index from `corpus` first when there is none.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on. The default is reachable from this machine only;
    /// 0.0.0.0:8080 makes the index reachable from the network. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// The port to listen on, on this machine only: `--port 8091` is `--bind 127.0.0.1:8091`.
    #[arg(long, conflicts_with = "bind")]
    pub port: Option<u16>,
    /// Searches running at once (more wait; past a queue of 64 the server answers 503). By
    /// default, one per core.
    #[arg(long)]
    pub max_running: Option<usize>,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The folder to index. By default `corpus` (the bundled corpus) when it exists.
    pub dir: Option<PathBuf>,
    /// A topic taxonomy to tag passages with, instead of DIR/topics.toml (or the bundled one).
    #[arg(long)]
    pub topics: Option<PathBuf>,
    /// Threads for reading and indexing. By default, one per core.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Memory for indexing: tantivy's buffers, written out as a segment when full (`128M`,
    /// `1G`; K, M, G are powers of 1024). It bounds the run's memory whatever the corpus's size:
    /// on 156,660 interpellations the default peaked at about 0.7 GB (see BENCHMARKS.md).
    #[arg(long, value_parser = parse_size, default_value = "128M")]
    pub memory: u64,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    /// Exit with status 2 when any file was skipped or read with a warning.
    #[arg(long)]
    pub strict: bool,
    /// Rebuild the whole index. Without it, a run re-indexes only the files added, changed
    /// or removed since the last run, and says so when nothing changed.
    #[arg(long)]
    pub rebuild: bool,
    /// Read every indexed file to find what changed. Without it, a file whose size, times and
    /// inode are as the last run saw them is taken as unchanged without being read (as git
    /// does); use this where a file system does not keep those faithfully.
    #[arg(long)]
    pub check_contents: bool,
    /// When another writer (a `sokord index` run, a program) holds this index, wait for it to
    /// finish instead of stopping with an error.
    #[arg(long)]
    pub wait: bool,
    /// The analysis of the text: full (lemmas, stems, compound parts) or snowball (stems only,
    /// as most engines do; for comparisons).
    #[arg(long, value_enum, default_value_t = AnalysisArg::Full)]
    pub analysis: AnalysisArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnalysisArg {
    Full,
    Snowball,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Score,
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// One hit per document.
    Doc,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (see QUERY LANGUAGE below). Empty matches everything the filters allow.
    pub query: String,
    /// The folder to index first when there is no index yet. By default `corpus`.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// At most this many hits; 0 prints only how many match.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Group hits: `doc` gives one hit per document (its best passage) and counts documents.
    #[arg(long, value_enum)]
    pub group: Option<GroupBy>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Longest snippet, in characters: more context around the matches.
    #[arg(long, visible_alias = "snippet", default_value_t = 240)]
    pub context: usize,
    /// Only the passages the counts count: do not fill a short list with looser or partial
    /// matches.
    #[arg(long)]
    pub all: bool,
    /// Order of hits: score (best first) or date (newest first).
    #[arg(long, value_enum, default_value_t = SortArg::Score)]
    pub sort: SortArg,
    /// Show why each hit scored as it did: which terms matched in which fields.
    #[arg(long)]
    pub explain: bool,
    /// Show facet counts (actor, party, type, year, topic, chapter) after the hits. JSON output
    /// always has them.
    #[arg(long)]
    pub facets: bool,
    /// Output format: text, json (one object), jsonl (one hit per line) or csv.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// The filters shared by `search` and `kwic`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only documents whose actor's name has these words (comma: alternatives).
    #[arg(long)]
    pub actor: Option<String>,
    /// Only this party: an abbreviation or a name, today's or an earlier one (L, Liberalerna and
    /// FP all find the party in both eras; comma: alternatives).
    #[arg(long)]
    pub party: Option<String>,
    /// Parties by the labels of their time: --party FP finds only the FP era, and facets and
    /// groups by party show FP beside L (by default FP counts as L, KDS as KD, VPK as V).
    #[arg(long)]
    pub party_history: bool,
    /// Only documents addressed to this recipient (the minister an interpellation is
    /// addressed to): words of the name (comma: alternatives).
    #[arg(long)]
    pub recipient: Option<String>,
    /// Only this document type: remissvar, tal, strategi, interpellation, … (comma: alternatives).
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// Only this chapter: a number, "Mål 2", a dotted number or a title.
    #[arg(long)]
    pub chapter: Option<String>,
    /// Only passages tagged with this topic (id or label).
    #[arg(long)]
    pub topic: Option<String>,
    /// What --topic selects: passages tagged with it, or all passages of documents that have
    /// it (from their title and how strongly their passages have it).
    #[arg(long, value_enum, default_value_t = TopicScopeArg::Passage)]
    pub topic_scope: TopicScopeArg,
    /// Only documents dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only documents dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopicScopeArg {
    Passage,
    Document,
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The query (see `sokord search --help`).
    pub query: String,
    /// The folder to index first when there is no index yet. By default `corpus`.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// At most this many lines.
    #[arg(long, short = 'n', default_value_t = 50)]
    pub limit: usize,
    /// Skip this many lines first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Characters of context on each side.
    #[arg(long, default_value_t = 40)]
    pub width: usize,
    /// Output format: text (aligned columns), csv or json.
    #[arg(long, value_enum, default_value_t = KwicFormat::Text)]
    pub format: KwicFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KwicFormat {
    Text,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Actor,
    Party,
    Recipient,
    Type,
    Year,
    Month,
    /// The parliamentary session (riksmöte), 2012/13.
    Session,
    Topic,
    Chapter,
}

/// What the cells of a cross-tab show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Measure {
    Passages,
    Documents,
    Hits,
    #[value(name = "per-10k")]
    Per10k,
    #[value(name = "per-million")]
    PerMillion,
    Share,
}

const STATS_HELP: &str = "\
WHAT IS COUNTED
  passages     passages whose own text (or chapter heading) matches; a title match does not
               count a document's passages
  documents    documents that match: a passage or the title does; a query of several words
               matches a document whose passages together hold them all (as search --group doc)
  hits         occurrences of the query's words in the counted passages (the lines kwic shows)
  words        running words of the group's population: its passages' text split at white
               space, stop words and numbers included
  per 10k      passages × 10,000 / words;  per 1M: hits × 1,000,000 / words
  doc share    documents / documents of the group's population

--actor, --party, --recipient, --type, --from and --to choose the population (the denominator);
the query, --topic and --chapter choose what is counted in it.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Text,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The query (see `sokord search --help`).
    pub query: String,
    /// Group by actor, party, recipient, type, year, month, session, topic or chapter.
    #[arg(long, value_enum, default_value_t = ByArg::Actor)]
    pub by: ByArg,
    /// Statements shown per group.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    /// Show only the N groups with the most matching documents (then passages), as the web
    /// page does (by actor a large index has a thousand); the rest are counted in the totals.
    #[arg(long, value_name = "N")]
    pub groups: Option<usize>,
    /// Longest statement, in characters.
    #[arg(long, default_value_t = 240)]
    pub context: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output: text (blocks side by side in a terminal), json, csv or markdown.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The query (see `sokord search --help`); several queries give one series each
    /// (`stats vårdgaranti vårdval`).
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Group by year, month, session, actor, party, recipient, type, topic or chapter; two
    /// keys give a cross-tab (--by party,year: parties down, years across).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "year")]
    pub by: Vec<ByArg>,
    /// What the cells of a cross-tab (and a chart) show.
    #[arg(long, value_enum, default_value_t = Measure::Per10k)]
    pub measure: Measure,
    /// Keep only the N values of each key with the most matching documents (then passages):
    /// `--by actor --groups 20`. Years, months and sessions keep every value; the totals count
    /// every group.
    #[arg(long, value_name = "N")]
    pub groups: Option<usize>,
    /// Write a chart to FILE.svg or FILE.png: bars for one query, one line per query for
    /// several (bars for groups that are not years, months or sessions); a cross-tab of one
    /// query: the key across along the axis, one line per value of the key down.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output: text (table with bars), json, csv or markdown.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct CountArgs {
    /// The query (see `sokord search --help`).
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output: text (one line: passages, documents, hits) or json.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(Debug, Args)]
pub struct KeywordsArgs {
    /// A query that picks the subset (with the filters); empty: the filters alone.
    #[arg(default_value = "")]
    pub query: String,
    /// Compare with what this query picks (filters inside it: `party:M`) instead of the rest.
    #[arg(long, value_name = "QUERY")]
    pub vs: Option<String>,
    /// How many words.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Leave out words seen fewer times than this in the subset.
    #[arg(long, default_value_t = 5)]
    pub min_count: u64,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output: text, json, csv or markdown.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    /// Only passages matching this query.
    #[arg(default_value = "")]
    pub query: String,
    /// Instead of counting: show why each passage of this document has (or has not) each
    /// topic: its score, the terms that gave it, the support of title, chapter heading and
    /// document, and the threshold.
    #[arg(long, value_name = "DOC_ID")]
    pub explain: Option<String>,
    /// With --explain: only this passage (its number, from 0, as search hits give it).
    #[arg(long, requires = "explain")]
    pub passage: Option<u32>,
    /// Also count each topic by actor, party, type or year.
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output: text, json, csv or markdown.
    #[arg(long, value_enum, default_value_t = TableFormat::Text)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document id (shown in every search hit), or a hit's citation as printed:
    /// "ID §5" (that passage) or "[ID §5]".
    pub doc_id: String,
    /// Only this chapter: a number, "Mål 2", a dotted number, a title, or as hits cite it
    /// ("Kapitel 3: Title").
    #[arg(long)]
    pub chapter: Option<String>,
    /// Only this passage (the number after § in a hit's citation), under its chapter's heading.
    #[arg(long, value_name = "N")]
    pub passage: Option<u32>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The text to analyse: one argument in quotes, or several words (`analyze vården
    /// läkemedlen`), read as one text.
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// The analyzer: sv (passage text at index time: lemmas, stems and compound parts),
    /// sv_query (query words), sv_snowball (stems only), sv_exact, keyword, words, or all.
    #[arg(long, default_value = "sv")]
    pub analyzer: String,
    /// Print JSON: {"tokens": [{"text", "position", "offset_from", "offset_to"}]}.
    #[arg(long)]
    pub json: bool,
}

/// A size in bytes: a number with an optional K, M or G (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let scale: u64 = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => {
            return Err(format!(
                "`{s}`: a size is a number with K, M or G (512M, 1G)"
            ))
        }
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}`: a size is a number with K, M or G (512M, 1G)"))?;
    let bytes = n.saturating_mul(scale);
    if bytes < 32 << 20 {
        return Err(format!("`{s}`: at least 32M"));
    }
    Ok(bytes)
}
