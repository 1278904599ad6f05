//! Charts written to files: a bar chart of a statistic by group, as SVG or PNG (plotters).

use std::path::Path;
use std::sync::Once;

use anyhow::{bail, Context, Result};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// The font drawn into PNG charts (DejaVu Sans, see `assets/DejaVuSans-LICENSE.txt`).
static FONT: &[u8] = include_bytes!("assets/DejaVuSans.ttf");

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

/// Draws `bars` (label, value) as a bar chart into `path` (`.svg` or `.png`).
pub fn bar_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    bars: &[(String, f64)],
) -> Result<()> {
    let ext = extension(path);
    // Text is measured (and, in PNG, drawn) with the embedded font.
    register_font();
    match ext.as_str() {
        "svg" => draw(
            SVGBackend::new(path, (1000, 560)),
            title,
            x_label,
            y_label,
            bars,
        ),
        "png" => draw(
            BitMapBackend::new(path, (1000, 560)),
            title,
            x_label,
            y_label,
            bars,
        ),
        _ => bail!("{}: a chart is written as .svg or .png", path.display()),
    }
    .with_context(|| format!("writing the chart {}", path.display()))
}

fn draw<B: DrawingBackend>(
    backend: B,
    title: &str,
    x_label: &str,
    y_label: &str,
    bars: &[(String, f64)],
) -> Result<()>
where
    B::ErrorType: 'static,
{
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
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
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => bars.get(*i).map(|(l, _)| l.clone()).unwrap_or_default(),
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
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    chart
        .draw_series(
            Histogram::vertical(&chart)
                .style(RGBColor(46, 94, 150).filled())
                .margin(4)
                .data(bars.iter().enumerate().map(|(i, (_, v))| (i, *v))),
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    root.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Colours of the series, told apart in print too (Okabe–Ito).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];

/// Draws several series over the same groups into `path` (`.svg` or `.png`): one line each
/// (groups in time), or side-by-side bars (`bars`), with a legend naming each series.
pub fn line_chart(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    labels: &[String],
    series: &[(String, Vec<f64>)],
    bars: bool,
) -> Result<()> {
    let ext = extension(path);
    register_font();
    let chart = Lines {
        title,
        x_label,
        y_label,
        labels,
        series,
        bars,
    };
    match ext.as_str() {
        "svg" => chart.draw(SVGBackend::new(path, (1000, 560))),
        "png" => chart.draw(BitMapBackend::new(path, (1000, 560))),
        _ => bail!("{}: a chart is written as .svg or .png", path.display()),
    }
    .with_context(|| format!("writing the chart {}", path.display()))
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
    fn draw<B: DrawingBackend>(&self, backend: B) -> Result<()>
    where
        B::ErrorType: 'static,
    {
        let e = |e: &dyn std::fmt::Display| anyhow::anyhow!("{e}");
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let max = self
            .series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            .max(1e-9)
            * 1.15;
        let n = self.labels.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(self.title, ("sans-serif", 24))
            .margin(20)
            .x_label_area_size(70)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..max)
            .map_err(|x| e(&x))?;
        // As many labels along the axis as fit side by side (about 900 pixels of 7-pixel
        // characters), every `step`th.
        let longest = self
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1)
            + 2;
        let fit = (900 / (7 * longest)).max(1);
        let step = n.div_ceil(fit).max(1);
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
            .map_err(|x| e(&x))?;
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
                    .map_err(|x| e(&x))?
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
                    .map_err(|x| e(&x))?
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
                    .map_err(|x| e(&x))?;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 16))
            .draw()
            .map_err(|x| e(&x))?;
        root.present().map_err(|x| e(&x))?;
        Ok(())
    }
}

/// The file name's extension, lower-cased ("" for none): what decides SVG or PNG.
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}
