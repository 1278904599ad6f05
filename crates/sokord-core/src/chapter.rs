//! A passage's place in its document.

use serde::{Deserialize, Serialize};

/// One level of a passage's chapter path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chapter {
    /// The chapter's number ("3", "2.3"; for "Mål 2" under chapter 4: "Mål 2"), if it has one.
    pub number: Option<String>,
    /// The chapter's title.
    pub title: String,
}

impl Chapter {
    /// "3: Title", or just the title when there is no number.
    pub fn display(&self) -> String {
        match &self.number {
            Some(n) => format!("{n}: {}", self.title),
            None => self.title.clone(),
        }
    }
}
