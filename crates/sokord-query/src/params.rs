//! Requests from named parameters: the command line's flags and the web API's parameters share
//! these names (`party`, `type`, `from`, `group`, `by` …), so both build requests alike.

use crate::error::{Error, Result};
use crate::request::{Filters, Grouping, SortBy, TopicScope};
use crate::stats::{GroupKey, Keywords};

impl Filters {
    /// The filters' names, as [`Filters::set`] takes them.
    pub const NAMES: [&'static str; 10] = [
        "actor",
        "party",
        "party_history",
        "recipient",
        "type",
        "chapter",
        "topic",
        "topic_scope",
        "from",
        "to",
    ];

    /// Sets the filter named as the command line's flag (without `--`, `_` for `-`) and the web
    /// API's parameter: `actor`, `party`, `party_history`, `recipient`, `type`, `chapter`,
    /// `topic`, `topic_scope` (`passage` or `document`), `from`, `to`. An empty value clears the
    /// filter (an empty field of a form). Returns whether `name` is a filter; a value a filter
    /// cannot take is an [`Error::Filter`].
    ///
    /// ```
    /// use sokord_query::Filters;
    ///
    /// # fn main() -> Result<(), sokord_query::Error> {
    /// let mut f = Filters::default();
    /// assert!(f.set("type", "remissvar")?);
    /// assert!(!f.set("limit", "10")?);
    /// assert_eq!(f.doc_type.as_deref(), Some("remissvar"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set(&mut self, name: &str, value: &str) -> Result<bool> {
        let value = value.trim();
        let text = || (!value.is_empty()).then(|| value.to_string());
        match name {
            "actor" => self.actor = text(),
            "party" => self.party = text(),
            "recipient" => self.recipient = text(),
            "type" => self.doc_type = text(),
            "chapter" => self.chapter = text(),
            "topic" => self.topic = text(),
            "from" => self.from = text(),
            "to" => self.to = text(),
            "party_history" => self.party_history = flag(name, value)?,
            "topic_scope" => {
                self.topic_scope = match value {
                    "" | "passage" => TopicScope::Passage,
                    "document" => TopicScope::Document,
                    _ => return Err(bad(name, value, "passage or document")),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// A yes-or-no parameter: `true`, `1`, `on` (a checked box) or empty for yes when present.
pub(crate) fn flag(name: &str, value: &str) -> Result<bool> {
    match value {
        "" | "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(bad(name, value, "true or false")),
    }
}

fn bad(name: &str, value: &str, expected: &str) -> Error {
    Error::Filter {
        name: name.to_string(),
        message: format!("`{value}` is not one of the values it takes: {expected}"),
    }
}

impl GroupKey {
    /// Every key, in the order the command line lists them.
    pub const ALL: [GroupKey; 9] = [
        GroupKey::Actor,
        GroupKey::Party,
        GroupKey::Recipient,
        GroupKey::Type,
        GroupKey::Year,
        GroupKey::Month,
        GroupKey::Session,
        GroupKey::Topic,
        GroupKey::Chapter,
    ];

    /// The key of this name (as [`GroupKey::as_str`] gives it and `--by` takes it).
    pub fn from_name(name: &str) -> Option<GroupKey> {
        GroupKey::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl Grouping {
    /// `passage` (or empty) or `doc`, as `--group` takes it.
    pub fn from_name(name: &str) -> Option<Grouping> {
        match name {
            "" | "passage" => Some(Grouping::Passage),
            "doc" => Some(Grouping::Doc),
            _ => None,
        }
    }
}

impl SortBy {
    /// `score` (or empty) or `date`, as `--sort` takes it.
    pub fn from_name(name: &str) -> Option<SortBy> {
        match name {
            "" | "score" => Some(SortBy::Score),
            "date" => Some(SortBy::Date),
            _ => None,
        }
    }
}

impl Keywords {
    /// Names the subset by what picked it: its query and the filters that choose documents
    /// (`vård party:S type:tal`), or `everything`. The command line and the web API name it so.
    pub fn name_subset(&mut self, filters: &Filters) {
        let mut named: Vec<String> = Vec::new();
        if !self.subset.is_empty() {
            named.push(self.subset.clone());
        }
        for (name, v) in [
            ("actor", &filters.actor),
            ("party", &filters.party),
            ("recipient", &filters.recipient),
            ("type", &filters.doc_type),
            ("topic", &filters.topic),
        ] {
            if let Some(v) = v {
                named.push(format!("{name}:{v}"));
            }
        }
        self.subset = if named.is_empty() {
            "everything".into()
        } else {
            named.join(" ")
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_set_by_their_names_and_cleared_by_empty_values() {
        let mut f = Filters::default();
        for name in Filters::NAMES {
            let value = match name {
                "party_history" => "true",
                "topic_scope" => "document",
                _ => "x",
            };
            assert!(f.set(name, value).unwrap(), "{name}");
        }
        assert_eq!(f.doc_type.as_deref(), Some("x"));
        assert_eq!(f.to.as_deref(), Some("x"));
        assert!(f.party_history);
        assert_eq!(f.topic_scope, TopicScope::Document);
        f.set("party", "").unwrap();
        assert_eq!(f.party, None);
        let e = f.set("topic_scope", "chapter").unwrap_err().to_string();
        assert!(
            e.contains("topic_scope") && e.contains("passage or document"),
            "{e}"
        );
        assert!(!f.set("q", "x").unwrap());
    }

    #[test]
    fn group_keys_round_trip_through_their_names() {
        for k in GroupKey::ALL {
            assert_eq!(GroupKey::from_name(k.as_str()), Some(k));
        }
        assert_eq!(GroupKey::from_name("colour"), None);
        assert_eq!(Grouping::from_name("doc"), Some(Grouping::Doc));
        assert_eq!(SortBy::from_name("date"), Some(SortBy::Date));
        assert_eq!(SortBy::from_name("random"), None);
    }
}
