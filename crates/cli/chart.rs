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
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
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
