#!/usr/bin/env python3
"""Load on `sokord serve` over loopback while `sokord index` updates the index in place.

Copies a corpus, indexes it, serves it, then sends REQUESTS mixed requests (search, search by
document, kwic, count, compare, stats; several filters), CONCURRENCY at a time, while an
in-place `sokord index` runs add documents on another subject, one run after another. Every answer must be a 200
whose totals are those measured before the load (the added documents match none of the
queries), and the update must be searched once it is done. Prints the latencies' p50 and p95.

    cargo build --release
    python3 benches/serve_load.py [--sokord target/release/sokord] \
        [--corpus ../shared/corpora/riksdagen-interpellations/health] [--requests 2000]

A benchmark, run by hand: its figures go to BENCHMARKS.md, not into a test.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

QUERIES = [
    ("/api/search", {"q": "vårdgaranti"}),
    ("/api/search", {"q": "psykisk ohälsa", "group": "doc", "limit": "20"}),
    ("/api/search", {"q": "läkemedel", "party": "S", "sort": "date"}),
    ("/api/search", {"q": "\"kliniska prövningar\""}),
    ("/api/search", {"q": "tandvård", "from": "2010", "to": "2015"}),
    ("/api/search", {"q": "vård*", "limit": "50", "facets": "false"}),
    ("/api/kwic", {"q": "ambulans", "limit": "40"}),
    ("/api/count", {"q": "väntetider"}),
    ("/api/count", {"q": "äldreomsorg", "party": "M"}),
    ("/api/compare", {"q": "privatisering", "by": "party"}),
    ("/api/stats", {"q": "vårdval", "by": "year"}),
    ("/api/stats", {"q": "cancer", "by": "party"}),
]


def total(path, answer):
    """The figure an answer must keep through the update."""
    if path == "/api/search":
        return answer["total_hits"]
    if path == "/api/kwic":
        return answer["total_passages"]
    if path == "/api/count":
        return (answer["passages"], answer["documents"], answer["hits"])
    return (answer["total_passages"], answer["total_documents"])


def get(base, path, params):
    url = base + path + "?" + urllib.parse.urlencode(params)
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
        status = r.status
    return status, json.loads(body), time.perf_counter() - start


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--sokord", default=os.path.join(root, "target/release/sokord"))
    ap.add_argument(
        "--corpus",
        default=os.path.join(root, "../shared/corpora/riksdagen-interpellations/health"),
    )
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=32)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="sokord-load-")
    try:
        docs = os.path.join(work, "docs")
        index = os.path.join(work, "index")
        shutil.copytree(args.corpus, docs)
        subprocess.run([args.sokord, "--index", index, "index", docs], check=True,
                       stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [args.sokord, "--index", index, "serve", "--bind", "127.0.0.1:0"],
            stdout=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline()
            base = next(w for w in line.split() if w.startswith("http://")).rstrip("/")
            expected = [total(p, get(base, p, q)[1]) for p, q in QUERIES]

            # The updates: documents on another subject, 50 at a time, indexed in place one
            # run after another for as long as the load runs.
            extra = os.path.join(docs, "extra")
            os.makedirs(extra)
            update = {"runs": 0, "seconds": 0.0, "added": 0}
            loading = threading.Event()
            loading.set()

            def run_update():
                while loading.is_set() or update["runs"] == 0:
                    for i in range(update["added"], update["added"] + 50):
                        with open(os.path.join(extra, f"extra-{i}.md"), "w") as f:
                            f.write(f"---\ntitle: Extra {i}\n---\n"
                                    f"Glasögonbågar och kontaktlinser, nummer {i}.\n")
                    update["added"] += 50
                    t = time.perf_counter()
                    subprocess.run([args.sokord, "--index", index, "index", docs], check=True,
                                   stdout=subprocess.DEVNULL)
                    update["seconds"] += time.perf_counter() - t
                    update["runs"] += 1

            def one(i):
                path, params = QUERIES[i % len(QUERIES)]
                status, answer, seconds = get(base, path, params)
                ok = status == 200 and total(path, answer) == expected[i % len(QUERIES)]
                return ok, seconds, path

            def pct(ts, q):
                ts = sorted(ts)
                return ts[int(q * (len(ts) - 1))] * 1000

            # The same load on a quiet index first: what the updates cost is the ratio.
            with ThreadPoolExecutor(args.concurrency) as pool:
                quiet = [s for ok, s, _ in pool.map(one, range(args.requests)) if ok]
            print(f"quiet index: latency p50 {pct(quiet, 0.5):.0f} ms, p95 {pct(quiet, 0.95):.0f} ms "
                  f"({len(quiet)} of {args.requests} right)")

            updater = threading.Thread(target=run_update)
            t0 = time.perf_counter()
            updater.start()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(one, range(args.requests)))
            wall = time.perf_counter() - t0
            loading.clear()
            updater.join()
            wrong = sum(1 for ok, _, _ in results if not ok)
            found = get(base, "/api/search", {"q": "glasögonbågar"})[1]["total_hits"]
            times = sorted(s for _, s, _ in results)
            p50 = statistics.median(times) * 1000
            p95 = times[int(0.95 * (len(times) - 1))] * 1000
            print(f"{len(results)} requests, {args.concurrency} at a time, in {wall:.1f} s "
                  f"({len(results) / wall:.0f}/s), while {update['runs']} in-place updates ran "
                  f"({update['seconds']:.1f} s of indexing)")
            print(f"during updates: latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
                  f"max {times[-1] * 1000:.0f} ms "
                  f"(p50 {p50 / pct(quiet, 0.5):.2f}×, p95 {p95 / pct(quiet, 0.95):.2f}× the quiet index's)")
            print(f"wrong or failed answers: {wrong}; "
                  f"the {update['added']} added documents found: {found}")
            by_path = {}
            for _, s, p in results:
                by_path.setdefault(p, []).append(s)
            for p, ts in sorted(by_path.items()):
                print(f"  {p:14} n={len(ts):4} p50 {statistics.median(ts) * 1000:6.0f} ms")
            if wrong or found != update["added"]:
                sys.exit(1)
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
