#!/usr/bin/env python3
"""Scale benchmark (issue 16): sokord's commands on 1x, 3x and 10x the interpellations, against
ripgrep over the same files.

usage: python3 benches/scale/run.py [--sizes 1,3,10] [--work DIR] [--runs 5] [--name NAME]
                                   [--reuse-index]

For each size N the script makes an N-times larger corpus from the full interpellation set with
../shared/tools/make_scale_corpus.py (real paragraphs recombined, no two documents alike; 1x is
the set itself), indexes it with the release binary (`target/release/sokord`, built when
missing), recording wall time, CPU time (user + system) and peak resident memory (GNU time),
and the corpus's size in MB (the tool's larger corpora hold longer documents: 10× the documents
is about 14× the text), then times each command
below as a whole process, warm cache: one untimed run, then the median of --runs timed runs.
ripgrep (`rg -c -i vård`, installed from the system's packages when missing) runs over the same
files. It prints a Markdown table with the ratios the issue sets targets for, and writes
`results.json` and `time-by-size.svg` (time against corpus size, one line per command) into the
work folder (`results-NAME.json` with --name). --reuse-index times the commands on the indexes
a previous run left (indexing figures are then carried over from `results.json`). Figures are from one run on one machine: compare ratios, not absolute times.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))
ARCHIVE = os.path.join(SHARED, "corpora", "riksdagen-interpellations", "all.tar.gz")
TOOL = os.path.join(SHARED, "tools", "make_scale_corpus.py")
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
BINARY = os.path.join(TARGET, "release", "sokord")

COMMANDS = [
    ("search vård --group doc", ["search", "vård", "--group", "doc", "--format", "json"]),
    ("stats vård --by year", ["stats", "vård", "--by", "year", "--format", "json"]),
    ("compare vård --by party", ["compare", "vård", "--by", "party", "--format", "json"]),
    ("keywords --party SD", ["keywords", "--party", "SD", "--format", "json"]),
    ("topics", ["topics", "--format", "json"]),
    ("count vård", ["count", "vård", "--format", "json"]),
]
RIPGREP = "rg -c -i vård"


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def timed(cmd):
    """Wall time in seconds of one run of `cmd` (output discarded)."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def median_time(cmd, runs):
    timed(cmd)  # warm the cache
    return statistics.median(timed(cmd) for _ in range(runs))


def index(corpus, index_dir):
    """Indexes `corpus` afresh: (wall seconds, peak RSS in MiB, CPU seconds: user + system)."""
    shutil.rmtree(index_dir, ignore_errors=True)
    start = time.perf_counter()
    run = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", BINARY, "--index", index_dir, "index", corpus],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    peak_kib, user, system = run.stderr.strip().splitlines()[-1].split()
    return wall, int(peak_kib) / 1024, float(user) + float(system)


def text_mb(corpus):
    """The corpus's size in MB (10^6 bytes) of files: the tool's larger corpora hold longer
    documents, so N× the documents is more than N× the text."""
    return sum(
        os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(corpus) for f in fs
    ) / 1e6


def svg(results, path):
    """Time against corpus size, one polyline per command (plain SVG, no dependencies)."""
    sizes = sorted(int(s) for s in results)
    names = [name for name, _ in COMMANDS] + [RIPGREP]
    series = {
        n: [
            results[str(s)]["ripgrep"] if n == RIPGREP else results[str(s)]["commands"][n]
            for s in sizes
        ]
        for n in names
    }
    top = max(v for vs in series.values() for v in vs) * 1.1
    w, h, left, bottom = 640, 360, 60, 40
    x = lambda s: left + (s - sizes[0]) / max(1, sizes[-1] - sizes[0]) * (w - left - 160)
    y = lambda t: h - bottom - t / top * (h - bottom - 20)
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#7f7f7f"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">']
    out.append(f'<line x1="{left}" y1="{h-bottom}" x2="{w-160}" y2="{h-bottom}" stroke="black"/>')
    out.append(f'<line x1="{left}" y1="20" x2="{left}" y2="{h-bottom}" stroke="black"/>')
    for s in sizes:
        out.append(f'<text x="{x(s):.0f}" y="{h-bottom+15}" text-anchor="middle">{s}×</text>')
    for i in range(5):
        t = top * i / 4
        out.append(f'<text x="{left-5}" y="{y(t)+4:.0f}" text-anchor="end">{t*1000:.0f} ms</text>')
    for i, n in enumerate(names):
        pts = " ".join(f"{x(s):.1f},{y(t):.1f}" for s, t in zip(sizes, series[n]))
        c = colours[i % len(colours)]
        dash = ' stroke-dasharray="6,4"' if n == RIPGREP else ""
        out.append(f'<polyline points="{pts}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{w-150}" y="{30+i*16}" fill="{c}">{n}</text>')
    out.append(f'<text x="{(w-160)/2:.0f}" y="{h-5}" text-anchor="middle">corpus size (× the interpellations)</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    sizes = [int(s) for s in arg("--sizes", "1,3,10").split(",")]
    work = os.path.abspath(arg("--work", os.path.join(TARGET, "scale")))
    runs = int(arg("--runs", "5"))
    if not os.path.isfile(ARCHIVE):
        sys.exit(f"skipped: {ARCHIVE} is absent; the scale benchmark needs it")
    if not shutil.which("rg"):
        print("installing ripgrep from the system's packages", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "ripgrep"], check=True, stdout=subprocess.DEVNULL)
    if not os.path.isfile(BINARY):
        subprocess.run(["cargo", "build", "--release", "--bin", "sokord"], cwd=ROOT, check=True)
    os.makedirs(work, exist_ok=True)
    source = os.path.join(work, "ipq-all")
    if not os.path.isdir(source):
        with tarfile.open(ARCHIVE) as t:
            t.extractall(work, filter="data")
    name = arg("--name", "")
    out_json = os.path.join(work, f"results-{name}.json" if name else "results.json")
    reuse = "--reuse-index" in sys.argv
    previous = {}
    if reuse and os.path.isfile(out_json):
        with open(out_json) as f:
            previous = json.load(f)
    load = os.getloadavg()
    print(f"load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", file=sys.stderr)
    results = {}
    for n in sizes:
        corpus = source if n == 1 else os.path.join(work, f"ipq-{n}x")
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, TOOL, source, corpus, str(n)], check=True)
        index_dir = os.path.join(work, f"index-{n}x")
        if reuse and os.path.isdir(index_dir) and str(n) in previous:
            p = previous[str(n)]
            wall, peak, cpu = p["index_s"], p["index_peak_mib"], p.get("index_cpu_s")
        else:
            wall, peak, cpu = index(corpus, index_dir)
        commands = {
            name: median_time([BINARY, "--index", index_dir, *argv], runs)
            for name, argv in COMMANDS
        }
        rg = median_time(["rg", "-c", "-i", "vård", corpus], runs)
        results[str(n)] = {"index_s": wall, "index_peak_mib": peak, "index_cpu_s": cpu,
                           "text_mb": text_mb(corpus), "commands": commands, "ripgrep": rg}
        print(f"{n}×: indexed in {wall:.1f} s (peak {peak:.0f} MiB)", file=sys.stderr)
    with open(out_json, "w") as f:
        json.dump(results, f, indent=1)
    chart = os.path.join(work, f"time-by-size{'-' + name if name else ''}.svg")
    svg(results, chart)

    big, small = str(max(sizes)), str(min(sizes))
    print(f"| command (whole process, warm cache) | " + " | ".join(f"{s}×" for s in sizes)
          + f" | {big}× / {small}× | {big}× / ripgrep at {big}× |")
    print("|---" * (len(sizes) + 3) + "|")
    for name, _ in COMMANDS:
        row = [results[str(s)]["commands"][name] for s in sizes]
        growth = results[big]["commands"][name] / results[small]["commands"][name]
        vs_rg = results[big]["commands"][name] / results[big]["ripgrep"]
        print(f"| `{name}` | " + " | ".join(f"{t*1000:.0f} ms" for t in row)
              + f" | {growth:.1f} | {vs_rg:.2f} |")
    print("| `rg -c -i vård` | " + " | ".join(f"{results[str(s)]['ripgrep']*1000:.0f} ms" for s in sizes) + " | | |")
    print("| `sokord index` | " + " | ".join(
        f"{results[str(s)]['index_s']:.1f} s, {results[str(s)]['index_peak_mib']:.0f} MiB" for s in sizes)
        + f" | {results[big]['index_s'] / results[small]['index_s']:.1f} | |")
    if all(results[str(s)].get("index_cpu_s") for s in sizes):
        print("| `sokord index`, CPU time (user + system) | " + " | ".join(
            f"{results[str(s)]['index_cpu_s']:.1f} s" for s in sizes)
            + f" | {results[big]['index_cpu_s'] / results[small]['index_cpu_s']:.1f} | |")
    print("| text (MB of files) | " + " | ".join(f"{results[str(s)]['text_mb']:.1f}" for s in sizes)
          + f" | {results[big]['text_mb'] / results[small]['text_mb']:.1f} | |")
    per_mb = lambda s, key: results[s][key] / results[s]["text_mb"]
    print(f"\nindexing per MB of text, {big}× against {small}×: wall "
          f"{per_mb(big, 'index_s') / per_mb(small, 'index_s'):.2f}"
          + (f", CPU {per_mb(big, 'index_cpu_s') / per_mb(small, 'index_cpu_s'):.2f}"
             if results[big].get("index_cpu_s") and results[small].get("index_cpu_s") else ""))
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", file=sys.stderr)
    print(f"\nresults: {out_json}; chart: {chart}", file=sys.stderr)


if __name__ == "__main__":
    main()
