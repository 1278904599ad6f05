//! Errors of the query library.

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong while searching.
///
/// The index's own errors come as [`Error::Index`], matchable through the re-exported
/// [`IndexError`](crate::IndexError):
///
/// ```
/// use sokord_query::{Error, IndexError, Searcher};
/// match Searcher::open(std::path::Path::new("/no/such/index")) {
///     Err(Error::Index(IndexError::NotAnIndex { path })) => assert!(path.ends_with("index")),
///     Err(e) => panic!("another error: {e}"),
///     Ok(_) => panic!("opened"),
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The index could not be opened or read.
    #[error(transparent)]
    Index(#[from] sokord_core::Error),
    /// An error from tantivy while searching.
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Statistics were asked for no query at all (give one, `""` for everything), or grouped by
    /// more keys than a cross-tab has.
    #[error("statistics need {0}")]
    Grouping(String),
    /// The query string is malformed.
    #[error("query error: {0}")]
    Query(#[from] sokord_core::query::ParseError),
    /// A filter value is malformed (e.g. a date).
    #[error("bad filter {name}: {message}")]
    Filter {
        /// The filter's name: a field of [`Filters`](crate::Filters) (`from`, `to`, `party`),
        /// or a field the query names (`date`, `year`, `party`).
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A party, type or topic filter names a value the index does not hold.
    #[error(
        "no {name} `{value}` in this index; {}",
        known_list(name, value, known)
    )]
    UnknownValue {
        /// The filter (`party`, `type`, `topic`, `recipient`).
        name: String,
        /// The value as given.
        value: String,
        /// The values the index holds (topics: their ids), sorted.
        known: Vec<String>,
    },
    /// An actor filter matches no actor of the index.
    #[error("no {name} in this index matches `{value}`; {}", closest_list(closest))]
    NoSuchName {
        /// The filter (`actor`, `recipient`).
        name: String,
        /// The value as given.
        value: String,
        /// The closest names the index holds, best first.
        closest: Vec<String>,
    },
    /// The query has words, yet none the index can search (words too long to be words, no
    /// letters at all, stop words in a title): it would otherwise match everything.
    #[error("nothing to search for: {reason}")]
    NothingToSearch {
        /// The query.
        query: String,
        /// Why nothing of it is left, and what to do.
        reason: String,
    },
    /// A chapter filter names no chapter of the index.
    #[error(
        "no chapter in this index is named `{value}`; a chapter filter takes a number (`3`, `2.3`), a title, or a chapter as hits cite it (`Kapitel 3: Title`){}",
        closest_chapters(closest)
    )]
    UnknownChapter {
        /// The value as given.
        value: String,
        /// The closest top-level chapters the index holds ("3: Title"), best first.
        closest: Vec<String>,
    },
    /// A document has no chapter of that name or number.
    #[error(
        "document `{doc_id}` has no chapter `{chapter}`; {}",
        chapter_list(chapters)
    )]
    NoSuchChapter {
        /// The document.
        doc_id: String,
        /// The chapter as asked for.
        chapter: String,
        /// The document's top-level chapters ("3: Title"), in document order.
        chapters: Vec<String>,
    },
    /// Keywords were asked for against a reference with no words: the rest of an index that the
    /// subset covers whole, or a reference that matches nothing.
    #[error("{}", empty_reference(reference, *rest))]
    EmptyReference {
        /// The reference as named in [`Keywords`](crate::Keywords) (`the rest`, or its query).
        reference: String,
        /// Whether it is the rest of the index (no reference was given).
        rest: bool,
    },
    /// No document has this id.
    #[error("no document with id `{0}`; `sokord search` shows the ids in its hits")]
    NoSuchDocument(String),
}

fn empty_reference(reference: &str, rest: bool) -> String {
    if rest {
        "the subset is the whole index, so there is no rest to compare it with; narrow it with a query or a filter (e.g. `sokord keywords --party SD`)".to_string()
    } else {
        let named = if reference.is_empty() {
            "the reference (its filters)".to_string()
        } else {
            format!("the reference `{reference}`")
        };
        format!("{named} matches no words, so there is nothing to compare with; widen it")
    }
}

fn known_list(name: &str, value: &str, known: &[String]) -> String {
    const SHOWN: usize = 40;
    if known.is_empty() {
        return format!("it has no {name} values at all");
    }
    // A value remembered or typed a little wrong (`tandvard`): the close ones first.
    let closest = crate::values::closest_names(value, known, 3);
    let closest = if closest.is_empty() {
        String::new()
    } else {
        format!("the closest: {}; ", closest.join(", "))
    };
    let mut list = known
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > SHOWN {
        list.push_str(&format!(" … ({} in all)", known.len()));
    }
    format!("{closest}the values are: {list}")
}

fn chapter_list(chapters: &[String]) -> String {
    if chapters.is_empty() {
        "it has no chapters; show it without --chapter".to_string()
    } else {
        format!("its chapters are: {}", chapters.join(" · "))
    }
}

fn closest_chapters(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!("; the closest: {}", closest.join(", "))
    }
}

fn closest_list(closest: &[String]) -> String {
    if closest.is_empty() {
        "no name is close; the facets of `sokord search '' --facets` list the names".to_string()
    } else {
        format!("the closest: {}", closest.join(", "))
    }
}

impl Error {
    /// Whether opening may have raced an indexer's commit in another process: a file of the
    /// index missing (tantivy deletes the files of replaced commits), the index's records
    /// unreadable, or its lock file gone with its folder (a generation deleted after a rebuild,
    /// between reading `sokord.json` and opening the generation it named). Opening again reads
    /// the newer commit.
    pub(crate) fn may_be_a_concurrent_commit(&self) -> bool {
        use tantivy::directory::error::OpenReadError;
        matches!(
            self,
            Error::Tantivy(
                tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(_))
                    | tantivy::TantivyError::LockFailure(..)
            ) | Error::Index(sokord_core::Error::Corrupt { .. })
        )
    }
}
