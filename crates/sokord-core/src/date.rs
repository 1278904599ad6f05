//! Calendar days, as sokord reads, stores and filters them: one type over [`time::Date`].

use std::fmt;

/// A calendar day (proleptic Gregorian), stored in an index as midnight UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(time::Date);

/// Why a text is not a day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Not of the form asked for.
    #[error("`{0}` is not a date")]
    Form(String),
    /// A month outside 1–12.
    #[error("`{0}` has no month {1}")]
    Month(String, u32),
    /// A day the month does not have (2024-02-30).
    #[error("`{0}` is not a real date")]
    Impossible(String),
}

impl Day {
    /// The day `y-m-d`, if the calendar has it.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Result<Day, DateError> {
        let text = || format!("{y:04}-{m:02}-{d:02}");
        let month = u8::try_from(m)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .ok_or_else(|| DateError::Month(text(), m))?;
        let day = u8::try_from(d).map_err(|_| DateError::Impossible(text()))?;
        time::Date::from_calendar_date(y, month, day)
            .map(Day)
            .map_err(|_| DateError::Impossible(text()))
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// ```
    /// use sokord_core::date::Day;
    /// assert_eq!(Day::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    /// assert!(Day::parse("2025-02-29").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Day, DateError> {
        match Self::parse_partial(s, false)? {
            (day, 3) => Ok(day),
            _ => Err(DateError::Form(s.trim().to_string())),
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first day of the year or month, or, with
    /// `end`, the last. Returns the day and how many parts were given. The year has four digits:
    /// `15` is not taken for the year 15, nor `20150301` for a year.
    ///
    /// ```
    /// use sokord_core::date::Day;
    /// assert_eq!(Day::parse_partial("2024-02", true).unwrap().0.to_string(), "2024-02-29");
    /// assert_eq!(Day::parse_partial("2020", false).unwrap().0.to_string(), "2020-01-01");
    /// assert!(Day::parse_partial("15", false).is_err());
    /// assert!(Day::parse_partial("20150301", false).is_err());
    /// ```
    pub fn parse_partial(s: &str, end: bool) -> Result<(Day, usize), DateError> {
        let s = s.trim();
        let form = || DateError::Form(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() > 3
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
            || parts[0].len() != 4
        {
            return Err(form());
        }
        let num = |i: usize| parts.get(i).map(|p| p.parse::<u32>().map_err(|_| form()));
        let y = num(0).ok_or_else(form)?? as i32;
        let month = |m: u32| {
            u8::try_from(m)
                .ok()
                .and_then(|m| time::Month::try_from(m).ok())
                .ok_or_else(|| DateError::Month(s.to_string(), m))
        };
        let impossible = |_| DateError::Impossible(s.to_string());
        let date = match (num(1).transpose()?, num(2).transpose()?) {
            (None, _) if end => time::Date::from_calendar_date(y, time::Month::December, 31),
            (None, _) => time::Date::from_calendar_date(y, time::Month::January, 1),
            (Some(m), None) => {
                let mm = month(m)?;
                let d = if end { mm.length(y) } else { 1 };
                time::Date::from_calendar_date(y, mm, d)
            }
            (Some(m), Some(d)) => {
                let d = u8::try_from(d).map_err(|_| DateError::Impossible(s.to_string()))?;
                time::Date::from_calendar_date(y, month(m)?, d)
            }
        }
        .map_err(impossible)?;
        Ok((Day(date), parts.len()))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        u8::from(self.0.month()).into()
    }

    /// The Riksdag session (riksmöte) the day falls in, `2012/13`: sessions begin on 15
    /// September.
    pub fn session(self) -> String {
        let (y, m, d) = (self.year(), self.month(), u32::from(self.0.day()));
        let start = if m > 9 || (m == 9 && d >= 15) {
            y
        } else {
            y - 1
        };
        format!("{start}/{:02}", (start + 1).rem_euclid(100))
    }

    /// The day of a date tantivy stored (in UTC).
    pub fn from_tantivy(date: tantivy::DateTime) -> Option<Day> {
        let secs = date.into_timestamp_secs();
        Some(Day(time::OffsetDateTime::from_unix_timestamp(secs)
            .ok()?
            .date()))
    }

    /// The day as tantivy stores it: midnight UTC.
    pub fn to_tantivy(self) -> tantivy::DateTime {
        tantivy::DateTime::from_timestamp_secs(self.0.midnight().assume_utc().unix_timestamp())
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.month(),
            self.0.day()
        )
    }
}

/// A day as a filter value (`Filters::default().from(day)`): `YYYY-MM-DD`.
impl From<Day> for String {
    fn from(day: Day) -> String {
        day.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_runs_from_mid_september() {
        let at = |d: &str| Day::parse(d).unwrap().session();
        // As the interpellations' front matter dates them.
        assert_eq!(at("2000-09-14"), "1999/00");
        assert_eq!(at("2016-09-06"), "2015/16");
        assert_eq!(at("2012-09-15"), "2012/13");
        assert_eq!(at("2013-04-10"), "2012/13");
        assert_eq!(at("1999-12-01"), "1999/00");
    }

    #[test]
    fn days_parse_whole_and_partial_and_impossible_ones_are_refused() {
        assert_eq!(Day::parse("2025-10-14").unwrap().to_string(), "2025-10-14");
        assert!(matches!(
            Day::parse("2025-02-30"),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            Day::parse("2025-13-01"),
            Err(DateError::Month(_, 13))
        ));
        assert!(matches!(Day::parse("2025-10"), Err(DateError::Form(_))));
        assert!(matches!(Day::parse("igår"), Err(DateError::Form(_))));
        assert!(Day::parse_partial("2024--01", false).is_err());
        let (end, n) = Day::parse_partial("2023-02", true).unwrap();
        assert_eq!((end.to_string(), n), ("2023-02-28".to_string(), 2));
        assert_eq!(
            Day::parse_partial("1999", true).unwrap().0.to_string(),
            "1999-12-31"
        );
        assert_eq!(
            Day::parse("1970-01-02").unwrap().to_tantivy(),
            tantivy::DateTime::from_timestamp_secs(86_400)
        );
        assert_eq!(Day::from_ymd(2024, 2, 29).unwrap().year(), 2024);
    }
}
