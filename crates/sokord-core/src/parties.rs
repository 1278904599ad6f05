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
        other_names: &[],
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
        other_names: &["Vänsterpartiet kommunisterna"],
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
