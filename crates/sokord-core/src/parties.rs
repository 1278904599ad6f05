//! Swedish parliamentary parties: today's abbreviation, full names, and the labels each had
//! before (FP became L in 2015, KDS became KD in 1996, VPK became V in 1990), so that a party
//! filter finds every era and counts can be shown by today's label.

/// A party: its abbreviation and name today, and its earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    /// Today's abbreviation ("L").
    pub abbreviation: &'static str,
    /// Today's name ("Liberalerna").
    pub name: &'static str,
    /// Other names in use ("Folkpartiet liberalerna").
    pub other_names: &'static [&'static str],
    /// Earlier abbreviations, as documents of their time write them ("FP").
    pub earlier: &'static [&'static str],
}

/// The parties of the Riksdag since the 1970s.
pub const PARTIES: &[Party] = &[
    Party {
        abbreviation: "S",
        name: "Socialdemokraterna",
        other_names: &["Sveriges socialdemokratiska arbetareparti", "SAP"],
        earlier: &[],
    },
    Party {
        abbreviation: "M",
        name: "Moderaterna",
        other_names: &["Moderata samlingspartiet"],
        earlier: &[],
    },
    Party {
        abbreviation: "L",
        name: "Liberalerna",
        other_names: &["Folkpartiet liberalerna", "Folkpartiet"],
        earlier: &["FP"],
    },
    Party {
        abbreviation: "C",
        name: "Centerpartiet",
        other_names: &["Centern"],
        earlier: &[],
    },
    Party {
        abbreviation: "KD",
        name: "Kristdemokraterna",
        other_names: &[
            "Kristdemokratiska samhällspartiet",
            "Kristen demokratisk samling",
        ],
        earlier: &["KDS"],
    },
    Party {
        abbreviation: "V",
        name: "Vänsterpartiet",
        other_names: &["Vänsterpartiet kommunisterna", "Vänstern"],
        earlier: &["VPK"],
    },
    Party {
        abbreviation: "MP",
        name: "Miljöpartiet de gröna",
        other_names: &["Miljöpartiet"],
        earlier: &[],
    },
    Party {
        abbreviation: "SD",
        name: "Sverigedemokraterna",
        other_names: &[],
        earlier: &[],
    },
    Party {
        abbreviation: "NYD",
        name: "Ny demokrati",
        other_names: &[],
        earlier: &[],
    },
    // The Riksdag's mark for a member who has left their party.
    Party {
        abbreviation: "-",
        name: "Politisk vilde",
        other_names: &[
            "Politiska vildar",
            "vilde",
            "vildar",
            "partilös",
            "utan parti",
        ],
        earlier: &[],
    },
];

impl Party {
    /// Every label documents may carry for the party: today's abbreviation and the earlier ones.
    pub fn labels(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.abbreviation).chain(self.earlier.iter().copied())
    }
}

/// The party an abbreviation or a name stands for, today's or an earlier one, in any case.
///
/// ```
/// use sokord_core::parties::find;
///
/// assert_eq!(find("fp").unwrap().abbreviation, "L");
/// assert_eq!(find("Liberalerna").unwrap().abbreviation, "L");
/// assert_eq!(find("KDS").unwrap().name, "Kristdemokraterna");
/// assert!(find("XYZ").is_none());
/// ```
pub fn find(label: &str) -> Option<&'static Party> {
    let label = label.trim().to_lowercase();
    PARTIES.iter().find(|p| {
        p.labels()
            .chain(std::iter::once(p.name))
            .chain(p.other_names.iter().copied())
            .any(|l| l.to_lowercase() == label)
    })
}

/// The label a party has today for a label as written (`FP` → `L`); other labels unchanged.
pub fn current(label: &str) -> &str {
    find(label).map_or(label, |p| p.abbreviation)
}

/// A party as a corpus's manifest gives it, for corpora beyond the Riksdag's (regional
/// assemblies, other countries), or more names for one of the table's parties:
///
/// ```toml
/// [[party]]
/// abbreviation = "SJVP"
/// name = "Sjukvårdspartiet"
/// earlier = ["SVP"]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartyEntry {
    /// Today's abbreviation; an abbreviation of the built-in table adds to that party.
    pub abbreviation: String,
    /// Today's name.
    #[serde(default)]
    pub name: String,
    /// Other names in use.
    #[serde(default)]
    pub other_names: Vec<String>,
    /// Earlier abbreviations, as documents of their time write them.
    #[serde(default)]
    pub earlier: Vec<String>,
}

impl PartyEntry {
    /// Today's abbreviation and the earlier ones.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.abbreviation.as_str()).chain(self.earlier.iter().map(String::as_str))
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.labels()
            .chain(std::iter::once(self.name.as_str()))
            .chain(self.other_names.iter().map(String::as_str))
    }
}

impl From<&Party> for PartyEntry {
    fn from(p: &Party) -> PartyEntry {
        PartyEntry {
            abbreviation: p.abbreviation.to_string(),
            name: p.name.to_string(),
            other_names: p.other_names.iter().map(|s| s.to_string()).collect(),
            earlier: p.earlier.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// The parties an index knows: the built-in table ([`PARTIES`]) with what its corpus's manifest
/// adds.
///
/// ```
/// use sokord_core::parties::{PartyEntry, PartyTable};
///
/// let table = PartyTable::new(&[PartyEntry {
///     abbreviation: "SJVP".into(),
///     name: "Sjukvårdspartiet".into(),
///     earlier: vec!["SVP".into()],
///     ..PartyEntry::default()
/// }]);
/// assert_eq!(table.current("svp"), "SJVP");
/// assert_eq!(table.find("Sjukvårdspartiet").unwrap().abbreviation, "SJVP");
/// assert_eq!(table.current("FP"), "L");
/// assert_eq!(table.current("Okänt"), "Okänt");
/// ```
#[derive(Debug, Clone)]
pub struct PartyTable {
    parties: Vec<PartyEntry>,
}

impl Default for PartyTable {
    fn default() -> PartyTable {
        PartyTable::new(&[])
    }
}

impl PartyTable {
    /// The built-in table, with `extra` added: a new party, or names and earlier labels for a
    /// party of the table with the same abbreviation.
    pub fn new(extra: &[PartyEntry]) -> PartyTable {
        let mut parties: Vec<PartyEntry> = PARTIES.iter().map(PartyEntry::from).collect();
        for e in extra {
            let same = |p: &&mut PartyEntry| p.abbreviation.eq_ignore_ascii_case(&e.abbreviation);
            match parties.iter_mut().find(same) {
                Some(p) => {
                    p.other_names
                        .extend(std::iter::once(e.name.clone()).filter(|n| !n.is_empty()));
                    p.other_names.extend(e.other_names.iter().cloned());
                    p.earlier.extend(e.earlier.iter().cloned());
                }
                None => parties.push(e.clone()),
            }
        }
        PartyTable { parties }
    }

    /// The party an abbreviation or a name stands for, today's or an earlier one, in any case.
    pub fn find(&self, label: &str) -> Option<&PartyEntry> {
        let label = label.trim().to_lowercase();
        self.parties.iter().find(|p| {
            p.names()
                .any(|l| !l.is_empty() && l.to_lowercase() == label)
        })
    }

    /// The label a party has today for a label as written (`FP` → `L`); other labels unchanged.
    pub fn current<'a>(&'a self, label: &'a str) -> &'a str {
        self.find(label).map_or(label, |p| p.abbreviation.as_str())
    }
}
