//! Charts of statistics (plotters): what `sokord stats --plot` writes to a file and the web
//! page's statistics view shows, drawn by the same code. A bar chart of one query by group; one
//! line (or bar) per query for several; a cross-tab of one query as one line per value of the
//! key down.

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use sokord_query::{GroupKey, GroupStats, Stats};

/// What went wrong drawing a chart.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// The file name says neither SVG nor PNG.
    #[error("{}: a chart is written as .svg or .png", .0.display())]
    Format(PathBuf),
    /// A cross-tab of several queries has no chart.
    #[error("a chart of a cross-tab draws one query; give one query, or one key to group by")]
    CrossTabOfSeveral,
    /// Plotters failed (writing the file, most likely).
    #[error("drawing the chart: {0}")]
    Draw(String),
}

type Result<T> = std::result::Result<T, ChartError>;

fn drawing(e: &dyn std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// The group key in Swedish, for chart axes and the web page.
pub fn key_label(by: GroupKey) -> &'static str {
    match by {
        GroupKey::Year => "År",
        GroupKey::Month => "Månad",
        GroupKey::Session => "Riksmöte",
        GroupKey::Actor => "Aktör",
        GroupKey::Party => "Parti",
        GroupKey::Recipient => "Mottagare",
        GroupKey::Type => "Dokumenttyp",
        GroupKey::Topic => "Ämne",
        GroupKey::Chapter => "Kapitel",
    }
}

/// What a cross-tab's cells (and a chart's bars or lines) show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Matching passages.
    Passages,
    /// Matching documents.
    Documents,
    /// Occurrences of the query's words.
    Hits,
    /// Passages per 10,000 words of the group.
    Per10k,
    /// Hits per million words of the group.
    PerMillion,
    /// Matching documents as a share of the group's documents (in per cent).
    Share,
}

impl Measure {
    /// Every measure, in the command line's order.
    pub const ALL: [Measure; 6] = [
        Measure::Per10k,
        Measure::PerMillion,
        Measure::Passages,
        Measure::Documents,
        Measure::Hits,
        Measure::Share,
    ];

    /// The measure's name, as `--measure` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Passages => "passages",
            Measure::Documents => "documents",
            Measure::Hits => "hits",
            Measure::Per10k => "per-10k",
            Measure::PerMillion => "per-million",
            Measure::Share => "share",
        }
    }

    /// The measure of this name (as [`Measure::as_str`] gives it).
    pub fn from_name(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.as_str() == name)
    }

    /// The group's figure.
    pub fn of(self, g: &GroupStats) -> f64 {
        match self {
            Measure::Passages => g.passages as f64,
            Measure::Documents => g.documents as f64,
            Measure::Hits => g.hits as f64,
            Measure::Per10k => g.per_10k_words,
            Measure::PerMillion => g.per_million_words,
            Measure::Share => g.document_share * 100.0,
        }
    }

    /// The group's figure as shown in a table.
    pub fn shown(self, g: &GroupStats) -> String {
        match self {
            Measure::Passages | Measure::Documents | Measure::Hits => {
                format!("{}", self.of(g) as u64)
            }
            Measure::Per10k => format!("{:.2}", g.per_10k_words),
            Measure::PerMillion => format!("{:.1}", g.per_million_words),
            Measure::Share => format!("{:.1} %", g.document_share * 100.0),
        }
    }

    /// In English, for tables.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Passages => "passages",
            Measure::Documents => "documents",
            Measure::Hits => "hits",
            Measure::Per10k => "passages per 10,000 words",
            Measure::PerMillion => "hits per million words",
            Measure::Share => "share of documents (%)",
        }
    }

    /// In Swedish, for charts and the web page.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Passages => "Passager",
            Measure::Documents => "Dokument",
            Measure::Hits => "Träffar",
            Measure::Per10k => "Passager per 10 000 ord",
            Measure::PerMillion => "Träffar per miljon ord",
            Measure::Share => "Andel dokument (%)",
        }
    }
}

/// A chart ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// One query's groups as bars.
    Bars {
        /// The caption.
        title: String,
        /// The axis along.
        x_label: String,
        /// The axis up.
        y_label: String,
        /// (group, value).
        bars: Vec<(String, f64)>,
        /// Groups in time (years, months, sessions): when their labels do not fit side by
        /// side, every nth is written; other groups keep each its label.
        in_time: bool,
    },
    /// Several series over the same groups: lines (groups in time) or side-by-side bars.
    Lines {
        /// The caption.
        title: String,
        /// The axis along.
        x_label: String,
        /// The axis up.
        y_label: String,
        /// The groups along the axis.
        labels: Vec<String>,
        /// (name, one value per group; NaN where the series has no population).
        series: Vec<(String, Vec<f64>)>,
        /// Bars rather than lines (groups that are not in time).
        bars: bool,
    },
}

/// A group's value as a chart, a table or a heading shows it: the empty value is "(inget)",
/// and the Riksdag's "-" (a member who left their party) says so.
pub fn group_name(key: &str) -> String {
    match key {
        "" => "(inget)".to_string(),
        "-" => "- (politisk vilde)".to_string(),
        k => k.to_string(),
    }
}

impl Chart {
    /// The chart of statistics: bars for one query, one line (or bar) per query for several;
    /// a cross-tab of one query: the key across along the axis, one line per value of the key
    /// down.
    pub fn of_stats(s: &Stats, m: Measure) -> Result<Chart> {
        let series = if s.series.is_empty() {
            vec![s.first_series()]
        } else {
            s.series.clone()
        };
        let names: Vec<String> = series.iter().map(|x| format!("«{}»", x.query)).collect();
        let title = format!("{}: {}", names.join(", "), m.label().to_lowercase());
        if let [down, across] = s.by.as_slice() {
            let [one] = series.as_slice() else {
                return Err(ChartError::CrossTabOfSeveral);
            };
            // A line for each value down, a point for each value across; no population in a
            // cell: no point there.
            let (rows, cols, cells) = sokord_query::GroupStats::cross_tab(&one.groups);
            let lines: Vec<(String, Vec<f64>)> = rows
                .iter()
                .zip(&cells)
                .map(|(r, row)| {
                    let points = row.iter().map(|g| g.map_or(f64::NAN, |g| m.of(g)));
                    (group_name(r), points.collect())
                })
                .collect();
            let labels: Vec<String> = cols.iter().map(|l| group_name(l)).collect();
            let title = format!(
                "«{}» efter {} och {}: {}",
                one.query,
                key_label(*down).to_lowercase(),
                key_label(*across).to_lowercase(),
                m.label().to_lowercase()
            );
            return Ok(Chart::Lines {
                title,
                x_label: key_label(*across).to_string(),
                y_label: m.label().to_string(),
                labels,
                series: lines,
                bars: !across.is_time(),
            });
        }
        let key = s.by.first().copied().unwrap_or(GroupKey::Year);
        if series.len() == 1 {
            let bars: Vec<(String, f64)> = series[0]
                .groups
                .iter()
                .map(|g| (group_name(&g.key), m.of(g)))
                .collect();
            return Ok(Chart::Bars {
                title,
                x_label: key_label(key).to_string(),
                y_label: m.label().to_string(),
                bars,
                in_time: key.is_time(),
            });
        }
        // Every query has the same groups: the population's.
        let labels: Vec<String> = series[0]
            .groups
            .iter()
            .map(|g| group_name(&g.key))
            .collect();
        let lines: Vec<(String, Vec<f64>)> = series
            .iter()
            .map(|x| (x.query.clone(), x.groups.iter().map(|g| m.of(g)).collect()))
            .collect();
        Ok(Chart::Lines {
            title,
            x_label: key_label(key).to_string(),
            y_label: m.label().to_string(),
            labels,
            series: lines,
            bars: !key.is_time(),
        })
    }

    /// Writes the chart to `path`, `.svg` or `.png`.
    pub fn write(&self, path: &Path) -> Result<()> {
        let svg = Self::is_svg(path)?;
        // Text is measured (and, in PNG, drawn) with the embedded font.
        register_font();
        if svg {
            self.draw(SVGBackend::new(path, self.size()))
        } else {
            self.draw(BitMapBackend::new(path, self.size()))
        }
    }

    /// Whether a chart written to `path` is SVG (else PNG), as its name says; an error for any
    /// other name, to check before the work of counting.
    pub fn is_svg(path: &Path) -> Result<bool> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "svg" => Ok(true),
            "png" => Ok(false),
            _ => Err(ChartError::Format(path.to_path_buf())),
        }
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String> {
        register_font();
        let mut out = String::new();
        self.draw(SVGBackend::with_string(&mut out, self.size()))?;
        Ok(out)
    }

    /// The chart's size in pixels (width, height): 1000 × 560, but taller for bars laid across
    /// (a row each).
    pub fn size(&self) -> (u32, u32) {
        match self {
            Chart::Bars { bars, in_time, .. } if across(bars, *in_time) => tall(bars.len(), ROW),
            Chart::Lines {
                labels,
                series,
                bars: true,
                ..
            } if crowded(labels.iter().map(String::as_str)) => {
                tall(labels.len(), row_height(series.len()))
            }
            _ => SIZE,
        }
    }

    fn draw<B: DrawingBackend>(&self, backend: B) -> Result<()>
    where
        B::ErrorType: 'static,
    {
        match self {
            Chart::Bars {
                title,
                x_label,
                y_label,
                bars,
                in_time,
            } if across(bars, *in_time) => {
                // One series' bars laid across, as several series' are.
                let labels: Vec<String> = bars.iter().map(|(l, _)| l.clone()).collect();
                let series = [(String::new(), bars.iter().map(|(_, v)| *v).collect())];
                Lines {
                    title,
                    x_label,
                    y_label,
                    labels: &labels,
                    series: &series,
                    bars: true,
                }
                .draw_across(backend)
            }
            Chart::Bars {
                title,
                x_label,
                y_label,
                bars,
                in_time,
            } => draw(backend, title, x_label, y_label, bars, *in_time),
            Chart::Lines {
                title,
                x_label,
                y_label,
                labels,
                series,
                bars,
            } => Lines {
                title,
                x_label,
                y_label,
                labels,
                series,
                bars: *bars,
            }
            .draw(backend),
        }
    }
}

/// Every chart's size in pixels (bars laid across grow taller, see [`Chart::size`]).
pub(crate) const SIZE: (u32, u32) = (1000, 560);

/// The height of a row of bars laid across, in pixels.
const ROW: u32 = 20;

/// The longest group name written beside a bar laid across, in characters (longer ones are cut
/// with "…"; the table under the chart has them whole).
const LONGEST_ACROSS: usize = 34;

/// Whether bars are laid across, a row each with its name on the left: groups not in time
/// whose names do not fit side by side along the axis (about 900 pixels of 7-pixel
/// characters; forty actors' names ran into each other). Groups in time stay upright, every
/// nth labelled.
fn across(bars: &[(String, f64)], in_time: bool) -> bool {
    !in_time && crowded(bars.iter().map(|(l, _)| l.as_str()))
}

/// Whether names written side by side along the axis would run into each other.
fn crowded<'a>(names: impl IntoIterator<Item = &'a str>) -> bool {
    let width: usize = names.into_iter().map(|l| 7 * l.chars().count() + 10).sum();
    width > 900
}

/// The height of one group's row when `k` series' bars are laid across in it.
fn row_height(k: usize) -> u32 {
    ROW.max(u32::try_from(6 + 7 * k).unwrap_or(u32::MAX))
}

/// The size of a chart of `rows` rows of bars laid across, each `row` pixels high.
fn tall(rows: usize, row: u32) -> (u32, u32) {
    let rows = u32::try_from(rows).unwrap_or(u32::MAX);
    (
        SIZE.0,
        SIZE.1.max(rows.saturating_mul(row).saturating_add(150)),
    )
}

/// A group's name as written beside its bar laid across.
fn cut(name: &str) -> String {
    if name.chars().count() <= LONGEST_ACROSS {
        return name.to_string();
    }
    let mut s: String = name.chars().take(LONGEST_ACROSS - 1).collect();
    s.push('…');
    s
}

/// The font drawn into PNG charts (DejaVu Sans, see `assets/DejaVuSans-LICENSE.txt`).
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is embedded, so it is known to load. Every family plotters may ask for is
        // served by it.
        for family in ["sans-serif", "serif", "monospace"] {
            for style in [
                FontStyle::Normal,
                FontStyle::Bold,
                FontStyle::Italic,
                FontStyle::Oblique,
            ] {
                let _ = plotters::style::register_font(family, style, FONT);
            }
        }
    });
}

fn draw<B: DrawingBackend>(
    backend: B,
    title: &str,
    x_label: &str,
    y_label: &str,
    bars: &[(String, f64)],
    in_time: bool,
) -> Result<()>
where
    B::ErrorType: 'static,
{
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| drawing(&e))?;
    let max = bars
        .iter()
        .map(|(_, v)| *v)
        .fold(0.0f64, f64::max)
        .max(1e-9)
        * 1.1;
    let n = bars.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 26))
        .margin(20)
        .x_label_area_size(70)
        .y_label_area_size(80)
        .build_cartesian_2d((0..n).into_segmented(), 0f64..max)
        .map_err(|e| drawing(&e))?;
    // Groups in time: as many labels along the axis as fit side by side (about 900 pixels of
    // 7-pixel characters), every `step`th (30 sessions' labels run into each other; the bars
    // between are read from their neighbours). Other groups keep every label.
    let longest = bars
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(1)
        + 2;
    let step = if in_time {
        n.div_ceil((900 / (7 * longest)).max(1)).max(1)
    } else {
        1
    };
    let label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if i.is_multiple_of(step) => {
            bars.get(*i).map(|(l, _)| l.clone()).unwrap_or_default()
        }
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&label)
        .x_desc(x_label)
        .y_desc(y_label)
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", if n > 15 { 10 } else { 14 }))
        .draw()
        .map_err(|e| drawing(&e))?;
    chart
        .draw_series(
            Histogram::vertical(&chart)
                .style(RGBColor(46, 94, 150).filled())
                .margin(4)
                .data(bars.iter().enumerate().map(|(i, (_, v))| (i, *v))),
        )
        .map_err(|e| drawing(&e))?;
    root.present().map_err(|e| drawing(&e))?;
    Ok(())
}

/// Colours of the series, told apart in print too: Okabe–Ito's six, then black and five of Paul
/// Tol's (wine, olive, indigo, green, grey), so that the twelve lines of a cross-tab (and the
/// eleven parties) each have their own; more than twelve series repeat them.
const PALETTE: [RGBColor; 12] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(136, 34, 85),
    RGBColor(153, 153, 51),
    RGBColor(51, 34, 136),
    RGBColor(17, 119, 51),
    RGBColor(136, 136, 136),
];

/// The series' names in a box at `at`.
fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    at: SeriesLabelPosition,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(at)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .draw()
        .map_err(|x| drawing(&x))
}

struct Lines<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    labels: &'a [String],
    series: &'a [(String, Vec<f64>)],
    bars: bool,
}

impl Lines<'_> {
    /// The top of the value axis: a little over the largest value (numbers only), and room
    /// for a legend of a few series above the bars (two queries' legend hid the first bar).
    fn top(&self) -> f64 {
        let k = self.series.len();
        let room = if k > 1 { 0.07 * k.min(4) as f64 } else { 0.0 };
        self.series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            .max(1e-9)
            * (1.15 + room)
    }

    fn draw<B: DrawingBackend>(&self, backend: B) -> Result<()>
    where
        B::ErrorType: 'static,
    {
        if self.bars && crowded(self.labels.iter().map(String::as_str)) {
            return self.draw_across(backend);
        }
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(|x| drawing(&x))?;
        let max = self.top();
        let n = self.labels.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 24))
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..max)
            .map_err(|x| drawing(&x))?;
        // As many labels along the axis as fit side by side (about 900 pixels of 7-pixel
        // characters), every `step`th.
        let longest = self
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1)
            + 2;
        // Groups not in time keep every label (when they do not fit side by side, the bars
        // are laid across instead: `draw_across`); the parties' lost every other one to the
        // longest name, "- (politisk vilde)".
        let fit = (900 / (7 * longest)).max(1);
        let step = if self.bars { 1 } else { n.div_ceil(fit).max(1) };
        let label = |x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize).is_multiple_of(step) {
                self.labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(40) + 1)
            .x_label_formatter(&label)
            .y_label_formatter(&|y: &f64| {
                if max >= 20.0 {
                    format!("{y:.0}")
                } else {
                    format!("{y:.2}")
                }
            })
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .axis_desc_style(("sans-serif", 18))
            .label_style(("sans-serif", if n > 15 { 11 } else { 14 }))
            .draw()
            .map_err(|x| drawing(&x))?;
        let k = self.series.len().max(1);
        for (i, (name, values)) in self.series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            if self.bars {
                // Each group's place split into one bar per series.
                let width = 0.8 / k as f64;
                let bars = values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_finite())
                    .map(move |(j, v)| {
                        let left = j as f64 - 0.4 + i as f64 * width;
                        Rectangle::new([(left, 0.0), (left + width * 0.9, *v)], colour.filled())
                    });
                chart
                    .draw_series(bars)
                    .map_err(|x| drawing(&x))?
                    .label(name.clone())
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour.filled())
                    });
            } else {
                // A value that is not a number (a group the series has no population in) breaks
                // the line.
                let points: Vec<Option<(f64, f64)>> = values
                    .iter()
                    .enumerate()
                    .map(|(j, v)| v.is_finite().then_some((j as f64, *v)))
                    .collect();
                let pieces: Vec<Vec<(f64, f64)>> = points
                    .split(Option::is_none)
                    .map(|run| run.iter().flatten().copied().collect::<Vec<_>>())
                    .filter(|run| !run.is_empty())
                    .collect();
                let points: Vec<(f64, f64)> = points.into_iter().flatten().collect();
                chart
                    .draw_series(
                        pieces
                            .into_iter()
                            .map(|run| PathElement::new(run, colour.stroke_width(3))),
                    )
                    .map_err(|x| drawing(&x))?
                    .label(name.clone())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
                    });
                chart
                    .draw_series(
                        points
                            .into_iter()
                            .map(|p| Circle::new(p, 3, colour.filled())),
                    )
                    .map_err(|x| drawing(&x))?;
            }
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().map_err(|x| drawing(&x))?;
        Ok(())
    }
}

impl Lines<'_> {
    /// Bars laid across: a row for each group, the first at the top, its name on the left, a
    /// bar for each series in it; a legend for more than one series.
    fn draw_across<B: DrawingBackend>(&self, backend: B) -> Result<()>
    where
        B::ErrorType: 'static,
    {
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(|x| drawing(&x))?;
        let max = self.top();
        let n = self.labels.len().max(1);
        let names: Vec<String> = self.labels.iter().map(|l| cut(l)).collect();
        let longest = names.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        // Group j's row is centred on n-1-j.
        let label = |y: &f64| {
            let i = y.round();
            if (y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                names.get(n - 1 - i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 24))
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(u32::try_from(longest * 7 + 50).unwrap_or(300).min(300))
            .build_cartesian_2d(0f64..max, -0.5f64..(n as f64 - 0.5))
            .map_err(|x| drawing(&x))?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n + 1)
            .y_label_formatter(&label)
            .x_desc(self.y_label)
            .y_desc(self.x_label)
            .axis_desc_style(("sans-serif", 18))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(|x| drawing(&x))?;
        let k = self.series.len().max(1);
        let height = 0.8 / k as f64;
        for (i, (name, values)) in self.series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            // The first series at the top of its group's row.
            let bars = values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(move |(j, v)| {
                    let top = (n - 1 - j) as f64 + 0.4 - i as f64 * height;
                    Rectangle::new([(0.0, top), (*v, top - height * 0.9)], colour.filled())
                });
            chart
                .draw_series(bars)
                .map_err(|x| drawing(&x))?
                .label(name.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour.filled())
                });
        }
        if k == 1 {
            root.present().map_err(|x| drawing(&x))?;
            return Ok(());
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().map_err(|x| drawing(&x))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thirty sessions' labels would run into each other: every third is written; groups not in
    /// time keep theirs.
    #[test]
    fn crowded_bar_labels_are_thinned_to_what_fits() {
        register_font();
        let bars: Vec<(String, f64)> = (1994..2024)
            .map(|y| (format!("{y}/{:02}", (y + 1) % 100), f64::from(y - 1990)))
            .collect();
        let svg = drawn(&bars, "Riksmöte", true);
        let shown: Vec<&str> = bars
            .iter()
            .map(|(l, _)| l.as_str())
            .filter(|l| svg.lines().any(|line| line == *l))
            .collect();
        assert_eq!(shown.first(), Some(&"1994/95"));
        assert!(shown.len() >= 8 && shown.len() <= 15, "{shown:?}");
        assert!(!shown.contains(&"1995/96"), "{shown:?}");
        // A few bars keep every label.
        let svg = drawn(&bars[..5], "Parti", true);
        assert!(bars[..5]
            .iter()
            .all(|(l, _)| svg.lines().any(|line| line == l)));
        // Groups not in time (actors) keep every label, however many.
        let svg = drawn(&bars, "Aktör", false);
        assert!(bars.iter().all(|(l, _)| svg.lines().any(|line| line == l)));
        // And so do the parties (every other one was written).
        let parties: Vec<(String, f64)> = ["–", "C", "KD", "L", "M", "MP", "S", "SD", "V", "Y"]
            .iter()
            .map(|p| (p.to_string(), 3.0))
            .chain([("(inget)".to_string(), 1.0)])
            .collect();
        for n in 2..=parties.len() {
            let svg = drawn(&parties[..n], "Parti", false);
            let missing = unwritten(&svg, parties[..n].iter().map(|(l, _)| l.as_str()));
            assert!(missing.is_empty(), "{n} bars: {missing:?} not written");
        }
        // Two queries' bars by party: every party named too.
        let names: Vec<String> = ["- (politisk vilde)", "C", "KD", "L", "M", "MP", "S", "SD"]
            .iter()
            .chain(&["V", "Y", "(inget)"])
            .map(|p| p.to_string())
            .collect();
        let svg = two_queries("Parti", &names).svg().unwrap();
        let missing = unwritten(&svg, names.iter().map(String::as_str));
        assert!(missing.is_empty(), "{missing:?} not written");
    }

    /// One series' bars drawn as SVG, the groups along the axis named `x_label`.
    fn drawn(bars: &[(String, f64)], x_label: &str, in_time: bool) -> String {
        let mut svg = String::new();
        draw(
            SVGBackend::with_string(&mut svg, SIZE),
            "t",
            x_label,
            "Passager",
            bars,
            in_time,
        )
        .unwrap();
        svg
    }

    /// The names not written as a line of their own in an SVG chart.
    fn unwritten<'a>(svg: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        names
            .filter(|n| !svg.lines().any(|line| line == *n))
            .collect()
    }

    /// Two queries' bars by the groups `names`.
    fn two_queries(x_label: &str, names: &[String]) -> Chart {
        Chart::Lines {
            title: "t".into(),
            x_label: x_label.into(),
            y_label: "Passager".into(),
            labels: names.to_vec(),
            series: vec![
                ("vård".into(), vec![1.0; names.len()]),
                ("omsorg".into(), vec![2.0; names.len()]),
            ],
            bars: true,
        }
    }

    /// A cross-tab's twelve lines (and the eleven parties with "-" and none) each get a colour
    /// of their own.
    #[test]
    fn twelve_series_have_twelve_colours() {
        let mut seen: Vec<(u8, u8, u8)> = PALETTE.iter().map(|c| (c.0, c.1, c.2)).collect();
        seen.sort_unstable();
        seen.dedup();
        assert!(seen.len() >= crate::page::CROSS_TAB_VALUES, "{seen:?}");
    }

    /// Forty actors' names do not fit side by side: the bars are laid across, a row each, the
    /// chart taller, every name written (a long one cut), the first group at the top. A few
    /// parties stay upright at the usual size.
    #[test]
    fn many_names_lay_the_bars_across() {
        let bars: Vec<(String, f64)> = (0..40)
            .map(|i| (format!("Förnamn Efternamnsson {i:02}"), f64::from(i)))
            .chain([(
                "Ett mycket långt namn på en organisation i Sverige".into(),
                3.0,
            )])
            .collect();
        let chart = Chart::Bars {
            title: "t".into(),
            x_label: "Aktör".into(),
            y_label: "Passager".into(),
            bars: bars.clone(),
            in_time: false,
        };
        let (w, h) = chart.size();
        assert_eq!(w, SIZE.0);
        assert!(h >= 41 * ROW, "{h}");
        let svg = chart.svg().unwrap();
        assert!(
            svg.contains(&format!("height=\"{h}\"")),
            "the drawing is as tall as said"
        );
        let at = |name: &str| {
            svg.lines()
                .position(|l| l == name)
                .unwrap_or_else(|| panic!("{name} not written"))
        };
        // plotters writes the labels from the bottom up: the first group's comes last.
        assert!(at("Förnamn Efternamnsson 00") > at("Förnamn Efternamnsson 39"));
        at("Ett mycket långt namn på en organ…");
        assert!(!svg.contains("Ett mycket långt namn på en organisation i Sverige"));

        let parties = Chart::Bars {
            title: "t".into(),
            x_label: "Parti".into(),
            y_label: "Passager".into(),
            bars: ["S", "M", "SD", "V", "C", "KD", "L", "MP"]
                .iter()
                .map(|p| (p.to_string(), 1.0))
                .collect(),
            in_time: false,
        };
        assert_eq!(parties.size(), SIZE);
        // Years are never laid across, however many.
        let years = Chart::Bars {
            title: "t".into(),
            x_label: "År".into(),
            y_label: "Passager".into(),
            bars: (1990..2030).map(|y| (y.to_string(), 1.0)).collect(),
            in_time: true,
        };
        assert_eq!(years.size(), SIZE);

        // Two queries by actor: side-by-side bars laid across as well, a taller row for two.
        let names: Vec<String> = bars.iter().map(|(l, _)| l.clone()).collect();
        let two = two_queries("Aktör", &names);
        assert!(two.size().1 >= 41 * row_height(2), "{:?}", two.size());
        let svg = two.svg().unwrap();
        assert!(names.iter().all(|n| svg.lines().any(|l| l == cut(n))));
        // As lines (groups in time) they stay at the usual size.
        let Chart::Lines {
            title,
            x_label,
            y_label,
            labels,
            series,
            ..
        } = two
        else {
            unreachable!()
        };
        let lines = Chart::Lines {
            title,
            x_label,
            y_label,
            labels,
            series,
            bars: false,
        };
        assert_eq!(lines.size(), SIZE);
    }
}
