//! What a search asks for: the query, its filters, paging, grouping and order.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use sokord_core::query::Query;

/// Filters that narrow a search. Each is case-insensitive; a comma separates alternatives
/// (`party: "S,V"`).
///
/// ```
/// use sokord_query::Filters;
///
/// let filters = Filters::default().party("S,V").from("2020").doc_type("interpellation");
/// assert_eq!(filters.party.as_deref(), Some("S,V"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Filters {
    /// Words of the actor's name ("Lif", "Forssmed", "Region Stockholm").
    pub actor: Option<String>,
    /// Party: an abbreviation or a name, today's or an earlier one ("L", "Liberalerna", "FP"
    /// all find the party in both eras; see [`sokord_core::parties`]).
    pub party: Option<String>,
    /// Words of the recipient's name: the minister an interpellation is addressed to
    /// ("Hägglund", "Göran Hägglund").
    pub recipient: Option<String>,
    /// Document type ("remissvar", "tal").
    pub doc_type: Option<String>,
    /// Chapter: a number ("3"), a sub-section ("Mål 2"), a dotted path ("2.3") or a title ("Frågor").
    pub chapter: Option<String>,
    /// Topic id or label ("hälsodata", "Psykisk hälsa").
    pub topic: Option<String>,
    /// Whether the topic filter asks for passages tagged with the topic (the default) or for
    /// all passages of documents that have it ([`TopicScope`]).
    #[serde(default)]
    pub topic_scope: TopicScope,
    /// First date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (inclusive).
    pub from: Option<String>,
    /// Last date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (inclusive).
    pub to: Option<String>,
    /// Parties by the labels documents carry, not by today's: the party filter matches the
    /// label as written (`FP` only the FP era), and facets and groups by party show each
    /// label apart (FP beside L). By default, off.
    #[serde(default)]
    pub party_history: bool,
}

/// What a topic filter selects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicScope {
    /// Passages tagged with the topic.
    #[default]
    Passage,
    /// Passages of documents that have the topic: from their title and the strength of their
    /// passages' evidence, or given for the whole document.
    Document,
}

impl Filters {
    /// Whether these filters keep every passage: none is set (how parties are labelled is not a
    /// filter).
    pub(crate) fn select_nothing_out(&self) -> bool {
        *self
            == Filters {
                party_history: self.party_history,
                ..Default::default()
            }
    }

    /// Topic filters select passages, or whole documents ([`TopicScope`]).
    #[must_use]
    pub fn topic_scope(mut self, scope: TopicScope) -> Filters {
        self.topic_scope = scope;
        self
    }

    /// Only passages of these actors (words of their names).
    #[must_use]
    pub fn actor(mut self, actor: impl Into<String>) -> Filters {
        self.actor = Some(actor.into());
        self
    }

    /// Only passages of these parties.
    #[must_use]
    pub fn party(mut self, party: impl Into<String>) -> Filters {
        self.party = Some(party.into());
        self
    }

    /// Only documents addressed to these recipients (words of their names).
    #[must_use]
    pub fn recipient(mut self, recipient: impl Into<String>) -> Filters {
        self.recipient = Some(recipient.into());
        self
    }

    /// Parties by the labels of their time (see the field).
    #[must_use]
    pub fn party_history(mut self, history: bool) -> Filters {
        self.party_history = history;
        self
    }

    /// Only documents of these types.
    #[must_use]
    pub fn doc_type(mut self, doc_type: impl Into<String>) -> Filters {
        self.doc_type = Some(doc_type.into());
        self
    }

    /// Only passages in this chapter.
    #[must_use]
    pub fn chapter(mut self, chapter: impl Into<String>) -> Filters {
        self.chapter = Some(chapter.into());
        self
    }

    /// Only passages tagged with these topics.
    #[must_use]
    pub fn topic(mut self, topic: impl Into<String>) -> Filters {
        self.topic = Some(topic.into());
        self
    }

    /// Only documents dated on or after this date: a [`Day`](crate::Day), or text
    /// (`2015`, `2015-03`, `2015-03-01`).
    #[must_use]
    pub fn from(mut self, from: impl Into<String>) -> Filters {
        self.from = Some(from.into());
        self
    }

    /// Only documents dated on or before this date: a [`Day`](crate::Day), or text
    /// (`2015` means to its end).
    #[must_use]
    pub fn to(mut self, to: impl Into<String>) -> Filters {
        self.to = Some(to.into());
        self
    }
}

/// How to group hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// One hit per matching passage.
    #[default]
    Passage,
    /// One hit per document: its best passage, with the number of passages that matched.
    Doc,
}

/// How to order hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Best match first.
    #[default]
    Score,
    /// Newest first.
    Date,
}

/// A search to run: made with [`SearchRequest::parse`] or [`SearchRequest::new`], adjusted with
/// the builder methods (or by setting its fields).
///
/// ```
/// use sokord_query::{Filters, Grouping, SearchRequest};
///
/// # fn main() -> Result<(), sokord_query::Error> {
/// let request = SearchRequest::parse("kliniska prövningar")?
///     .group(Grouping::Doc)
///     .limit(20)
///     .filters(Filters::default().party("S"));
/// assert_eq!(request.limit, 20);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchRequest {
    /// The query (see [`Query`] for the language).
    pub query: Query,
    /// Filters, besides those the query names.
    pub filters: Filters,
    /// At most this many hits. By default, 10.
    pub limit: usize,
    /// Skip this many hits first. By default, 0.
    pub offset: usize,
    /// Passages or documents. By default, passages.
    pub group: Grouping,
    /// Longest snippet in characters. By default, 240.
    pub snippet_chars: usize,
    /// When the passages the counts count are fewer than asked for, go on with those found
    /// more loosely (through their document's title, a compound's parts near each other:
    /// `counted` false) and then with the best partial matches (marked `partial`), neither in
    /// `total_hits`. By default, on.
    pub fill_partial: bool,
    /// Order of hits. By default, by score.
    pub sort: SortBy,
    /// Explain each hit's score. By default, off.
    pub explain: bool,
    /// Count facets over the result set. By default, on.
    pub facets: bool,
}

impl SearchRequest {
    /// A request for a query with the defaults.
    pub fn new(query: Query) -> SearchRequest {
        SearchRequest {
            query,
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            group: Grouping::Passage,
            snippet_chars: 240,
            fill_partial: true,
            sort: SortBy::Score,
            explain: false,
            facets: true,
        }
    }

    /// A request for a query string with the defaults; the string is normalised as documents
    /// are (NFC, soft hyphens removed) and parsed.
    pub fn parse(query: &str) -> Result<SearchRequest> {
        let normalized = sokord_analysis::normalize(query);
        Ok(SearchRequest::new(Query::parse(&normalized)?))
    }

    /// With these filters (replacing any set before).
    #[must_use]
    pub fn filters(mut self, filters: Filters) -> SearchRequest {
        self.filters = filters;
        self
    }

    /// At most `limit` hits.
    #[must_use]
    pub fn limit(mut self, limit: usize) -> SearchRequest {
        self.limit = limit;
        self
    }

    /// Skipping the first `offset` hits.
    #[must_use]
    pub fn offset(mut self, offset: usize) -> SearchRequest {
        self.offset = offset;
        self
    }

    /// Grouped by passage or by document.
    #[must_use]
    pub fn group(mut self, group: Grouping) -> SearchRequest {
        self.group = group;
        self
    }

    /// With snippets of at most `chars` characters.
    #[must_use]
    pub fn snippet_chars(mut self, chars: usize) -> SearchRequest {
        self.snippet_chars = chars;
        self
    }

    /// Filling a short result list with looser and partial matches, or not.
    #[must_use]
    pub fn fill_partial(mut self, fill: bool) -> SearchRequest {
        self.fill_partial = fill;
        self
    }

    /// In this order.
    #[must_use]
    pub fn sort(mut self, sort: SortBy) -> SearchRequest {
        self.sort = sort;
        self
    }

    /// Explaining each hit's score, or not.
    #[must_use]
    pub fn explain(mut self, explain: bool) -> SearchRequest {
        self.explain = explain;
        self
    }

    /// Counting facets, or not.
    #[must_use]
    pub fn facets(mut self, facets: bool) -> SearchRequest {
        self.facets = facets;
        self
    }
}
