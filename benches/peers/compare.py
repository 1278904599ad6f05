#!/usr/bin/env python3
"""The peer comparison's driver (run it through run.sh, which installs and builds what it needs).

Indexes one folder with sokord, plain tantivy, Xapian and PostgreSQL, runs the same query set on
each, and prints one Markdown table of index time, index size, peak memory, query latency and
one-shot command time, then a table of how many documents each engine finds per query.

    compare.py CORPUS WORK ROOT
"""
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CORPUS, WORK, ROOT = sys.argv[1], sys.argv[2], sys.argv[3]
PEERS = os.path.join(ROOT, "benches", "peers")
QUERIES_FILE = os.path.join(PEERS, "queries.txt")
QUERIES = [l.strip() for l in open(QUERIES_FILE, encoding="utf-8") if l.strip() and not l.startswith("#")]
RELEASE = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release")
SOKORD = os.path.join(RELEASE, "sokord")
PLAIN = os.path.join(RELEASE, "plain-tantivy")
SOKORD_LATENCY = os.path.join(RELEASE, "sokord-latency")
PY = "/usr/bin/python3"  # Debian's Python, which has python3-xapian and python3-psycopg2
ONE_SHOT_RUNS = 3

# Measures a command's wall time and peak RSS: a fresh Python process runs it as its only child
# and reports the child's maximum resident set size.
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
           "w = time.perf_counter() - t; "
           "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(r.returncode, w, u.ru_maxrss * 1024, u.ru_utime + u.ru_stime)")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def measured(cmd):
    out = subprocess.run([PY, "-c", MEASURE] + cmd, capture_output=True, text=True, check=True)
    code, wall, rss, cpu = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{cmd[0]} failed ({code}): {out.stderr}")
    CORES[cmd[0]] = float(cpu) / float(wall)
    return float(wall), int(rss)


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def latency(cmd):
    """Runs an in-process latency program; returns ({query: docs}, {query: median ms}, median, p95)."""
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    docs, per_query, overall = {}, {}, None
    for line in out.splitlines():
        v = json.loads(line)
        if v.get("overall"):
            overall = v
        else:
            docs[v["query"]] = v["docs"]
            per_query[v["query"]] = v["median_ms"]
    return docs, per_query, overall["median_ms"], overall["p95_ms"]


def one_shot(make_cmd):
    """Median wall time in ms of a whole command, over every query, ONE_SHOT_RUNS times each."""
    times = []
    for q in QUERIES:
        for _ in range(ONE_SHOT_RUNS):
            t = time.perf_counter()
            subprocess.run(make_cmd(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


CORES = {}  # program -> CPU time / wall time of its indexing run
results = {}  # engine -> dict(index_s, size, rss, median, p95, one_shot, docs, note)


def run_sokord():
    index = os.path.join(WORK, "sokord")
    shutil.rmtree(index, ignore_errors=True)
    log("sokord: indexing")
    wall, rss = measured([SOKORD, "--index", index, "index", CORPUS, "--rebuild"])
    docs, per_query, med, p95 = latency([SOKORD_LATENCY, index, QUERIES_FILE, "rank"])
    _, full_per_query, full_med, full_p95 = latency([SOKORD_LATENCY, index, QUERIES_FILE, "search"])
    one = one_shot(lambda q: [SOKORD, "--index", index, "search", q])
    results["sokord"] = dict(index_s=wall, size=du(index), rss=rss, median=med, p95=p95,
                             one_shot=one, docs=docs, per_query=per_query,
                             how="in-process, library (`Searcher::rank`): top 10 passages (document id, "
                                 "passage number, score) + count")
    results["sokord, whole hits"] = dict(index_s=None, size=None, rss=None, median=full_med, p95=full_p95,
                                         one_shot=None, docs={}, per_query=full_per_query,
                                         how="in-process, library (`Searcher::search`, as `sokord search`): "
                                             "top 10 passages with citations and snippets + count")


def run_plain_tantivy():
    index = os.path.join(WORK, "tantivy")
    shutil.rmtree(index, ignore_errors=True)
    log("plain tantivy: indexing")
    wall, rss = measured([PLAIN, "index", CORPUS, index])
    docs, per_query, med, p95 = latency([PLAIN, "latency", index, QUERIES_FILE])
    one = one_shot(lambda q: [PLAIN, "search", index, q])
    results["tantivy (Snowball)"] = dict(index_s=wall, size=du(index), rss=rss, median=med, p95=p95,
                                         one_shot=one, docs=docs, per_query=per_query,
                                         how="in-process: top 10 + count; the text not stored")
    # The same with the text stored, as it must be to show a passage of a hit without the files
    # (sokord and PostgreSQL keep it): only indexing is measured again, searching is the same.
    stored = os.path.join(WORK, "tantivy-stored")
    shutil.rmtree(stored, ignore_errors=True)
    log("plain tantivy, text stored: indexing")
    wall, rss = measured([PLAIN, "index", CORPUS, stored, "--store"])
    results["tantivy (Snowball), text stored"] = dict(index_s=wall, size=du(stored), rss=rss, median=None,
                                                      p95=None, one_shot=None, docs={}, per_query={},
                                                      how="as above, the text stored (lz4, tantivy's default)")


def run_xapian():
    db = os.path.join(WORK, "xapian")
    shutil.rmtree(db, ignore_errors=True)
    script = os.path.join(PEERS, "xapian_peer.py")
    log("xapian: indexing")
    wall, rss = measured([PY, script, "index", CORPUS, db])
    docs, per_query, med, p95 = latency([PY, script, "latency", db, QUERIES_FILE])
    one = one_shot(lambda q: [PY, script, "search", db, q])
    results["Xapian (Python)"] = dict(index_s=wall, size=du(db), rss=rss, median=med, p95=p95,
                                      one_shot=one, docs=docs, per_query=per_query, how="in-process (Python): top 10 + exact count")


def pg_bin(name):
    for d in sorted(os.listdir("/usr/lib/postgresql"), reverse=True):
        p = os.path.join("/usr/lib/postgresql", d, "bin", name)
        if os.path.exists(p):
            return p
    raise SystemExit("PostgreSQL's server is not installed (apt-get install postgresql)")


def run_postgres():
    import psycopg2

    base = tempfile.mkdtemp(prefix="sokord-peers-pg-", dir=WORK)
    data, sock = os.path.join(base, "data"), os.path.join(base, "sock")
    os.makedirs(sock)
    as_user = []
    if os.geteuid() == 0:
        # The server refuses to run as root: run it as nobody, in folders nobody owns.
        for p in (base, sock):
            os.chown(p, 65534, 65534)
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    port = "54329"
    subprocess.run(as_user + [pg_bin("initdb"), "-D", data, "-U", "bench", "--auth=trust", "-E", "UTF8",
                              "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run(as_user + [pg_bin("pg_ctl"), "-D", data, "-w", "-l", os.path.join(base, "log"),
                              "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off",
                              "start"], check=True, capture_output=True)
    pid = int(open(os.path.join(data, "postmaster.pid")).readline())
    log(f"postgres: started, pid {pid}")
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="bench", dbname="postgres")
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
        rows = []
        for root, dirs, files in os.walk(CORPUS):
            dirs.sort()
            for f in sorted(files):
                if f.endswith((".md", ".txt")):
                    text = open(os.path.join(root, f), encoding="utf-8").read()
                    if text.startswith("---\n") and text.find("\n---\n", 4) >= 0:
                        text = text[text.find("\n---\n", 4) + 5:]
                    rows.append((os.path.splitext(f)[0], text))
        log("postgres: indexing")
        t = time.perf_counter()
        cur.execute("CREATE TABLE docs (id text PRIMARY KEY, body text, "
                    "tsv tsvector GENERATED ALWAYS AS (to_tsvector('swedish', body)) STORED)")
        # Loaded with COPY, from memory already read, like the other engines' text.
        import io
        buf = io.StringIO()
        for i, body in rows:
            buf.write(i + "\t" + body.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                      .replace("\r", "\\r") + "\n")
        buf.seek(0)
        cur.copy_expert("COPY docs (id, body) FROM STDIN", buf)
        cur.execute("CREATE INDEX docs_tsv ON docs USING gin (tsv)")
        cur.execute("VACUUM ANALYZE docs")
        wall = time.perf_counter() - t
        rss = 0
        for line in open(f"/proc/{backend}/status"):
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) * 1024
        cur.execute("SELECT pg_total_relation_size('docs')")
        size = cur.fetchone()[0]
        sql = ("SELECT id, count(*) OVER () FROM docs, plainto_tsquery('swedish', %s) q "
               "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 10")
        docs, per_query, everything = {}, {}, []
        for q in QUERIES:
            for _ in range(3):
                cur.execute(sql, (q,))
                r = cur.fetchall()
            docs[q] = r[0][1] if r else 0
            times = []
            for _ in range(30):
                t = time.perf_counter()
                cur.execute(sql, (q,))
                cur.fetchall()
                times.append((time.perf_counter() - t) * 1000)
            per_query[q] = statistics.median(times)
            everything += times
        everything.sort()
        med = everything[len(everything) // 2]
        p95 = everything[min(int(len(everything) * 0.95), len(everything) - 1)]
        conn.close()

        def psql(q):
            literal = q.replace("'", "''")
            return ["psql", "-h", "127.0.0.1", "-p", port, "-U", "bench", "-d", "postgres", "-c",
                    sql.replace("%s", f"'{literal}'")]
        one = one_shot(psql)
        results["PostgreSQL (swedish)"] = dict(index_s=wall, size=size, rss=rss, median=med, p95=p95,
                                               one_shot=one, docs=docs, per_query=per_query,
                                               how="client over loopback: top 10 by ts_rank + count")
    finally:
        # Stop the server this run started, by its own process id.
        os.kill(pid, signal.SIGINT)
        for _ in range(100):
            try:
                os.kill(pid, 0)
                time.sleep(0.1)
            except ProcessLookupError:
                break
        shutil.rmtree(base, ignore_errors=True)
        log(f"postgres: stopped pid {pid}")


def run_ripgrep():
    def rg(q):
        words = q.split()
        cmd = f"rg -l -i -F -- {sh(words[0])} {sh(CORPUS)}"
        for w in words[1:]:
            cmd += f" | xargs -d '\\n' rg -l -i -F -- {sh(w)}"
        return ["sh", "-c", cmd]

    docs, per_query, times = {}, {}, []
    for q in QUERIES:
        out = subprocess.run(rg(q), capture_output=True, text=True).stdout
        docs[q] = len([l for l in out.splitlines() if l.strip()])
        for _ in range(ONE_SHOT_RUNS):
            t = time.perf_counter()
            subprocess.run(rg(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - t) * 1000)
        per_query[q] = statistics.median(times[-ONE_SHOT_RUNS:])
    times.sort()
    med = statistics.median(times)
    results["ripgrep (no index)"] = dict(index_s=None, size=None, rss=None, median=med,
                                         p95=times[min(int(len(times) * 0.95), len(times) - 1)],
                                         one_shot=med, docs=docs, per_query=per_query,
                                         how="whole command: case-insensitive substring, every word")


def sh(s):
    return "'" + s.replace("'", "'\\''") + "'"


def fmt(v, unit):
    if v is None:
        return "–"
    if unit == "s":
        return f"{v:.1f} s"
    if unit == "MB":
        return f"{v / 1e6:.0f} MB"
    if unit == "ms":
        return f"{v:.4f} ms" if v < 0.1 else f"{v:.3f} ms" if v < 1 else f"{v:.1f} ms"
    return str(v)


def main():
    os.makedirs(WORK, exist_ok=True)
    files = sum(1 for _, _, fs in os.walk(CORPUS) for f in fs if f.endswith((".md", ".txt")))
    mb = du(CORPUS) / 1e6
    for run in (run_sokord, run_plain_tantivy, run_postgres, run_xapian, run_ripgrep):
        run()
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)

    out = [f"Corpus: {CORPUS} ({files} files, {mb:.0f} MB); {len(QUERIES)} queries "
           f"(benches/peers/queries.txt); {os.cpu_count()} cores.", ""]
    out.append("| engine | index time | index size | peak RSS indexing | query median | query p95 "
               "| one-shot command (median) | latency measured as |")
    out.append("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        out.append(f"| {name} | {fmt(r['index_s'], 's')} | {fmt(r['size'], 'MB')} | {fmt(r['rss'], 'MB')} "
                   f"| {fmt(r['median'], 'ms')} | {fmt(r['p95'], 'ms')} | {fmt(r['one_shot'], 'ms')} "
                   f"| {r['how']} |")
    s, whole, t, ts, pg, rg = (results["sokord"], results["sokord, whole hits"], results["tantivy (Snowball)"],
                               results["tantivy (Snowball), text stored"], results["PostgreSQL (swedish)"],
                               results["ripgrep (no index)"])
    out += ["", "Targets (ratios from this run; against plain tantivy both as set up by default, the text "
            "not stored, and with the text stored as sokord stores it):", ""]

    def target(text, ok):
        out.append(f"- {'met' if ok else 'MISSED'}: {text}")
    target(f"indexing faster than PostgreSQL: sokord/PostgreSQL = {s['index_s'] / pg['index_s']:.2f}",
           s["index_s"] < pg["index_s"])
    for name, peer in (("text not stored", t), ("text stored", ts)):
        target(f"indexing ≤ 3× plain tantivy ({name}): {s['index_s'] / peer['index_s']:.2f}×",
               s["index_s"] <= 3 * peer["index_s"])
    target(f"peak RSS indexing < 1 GB: {s['rss'] / 1e6:.0f} MB", s["rss"] < 1e9)
    cores = CORES[SOKORD]
    target(f"parallel indexing uses both cores: {cores:.2f} cores busy on average (CPU time / wall time)",
           cores > 1.7)
    singles = QUERIES[: next(i for i, q in enumerate(QUERIES) if " " in q)]
    target(f"query p95 < 1 ms: {s['p95']:.3f} ms (whole hits with snippets: {whole['p95']:.3f} ms)",
           s["p95"] < 1 and whole["p95"] < 1)
    single = lambda r: statistics.median(r["per_query"][q] for q in singles)
    target(f"single-word query median ≤ 2× plain tantivy: {single(s):.4f} ms vs {single(t):.4f} ms = "
           f"{single(s) / single(t):.2f}× (whole hits with snippets: {single(whole):.3f} ms)",
           single(s) <= 2 * single(t))
    target(f"one-shot search < 30 ms: {s['one_shot']:.1f} ms", s["one_shot"] < 30)
    target(f"one-shot search faster than ripgrep: sokord/ripgrep = {s['one_shot'] / rg['one_shot']:.2f}",
           s["one_shot"] < rg["one_shot"])
    for name, peer in (("text not stored", t), ("text stored", ts)):
        target(f"index size ≤ 2× plain tantivy ({name}): {s['size'] / peer['size']:.2f}×",
               s["size"] <= 2 * peer["size"])
    out += ["", "Documents found per query:", ""]
    names = [n for n in results if results[n]["docs"]]
    out.append("| query | " + " | ".join(names) + " |")
    out.append("|---|" + "---|" * len(names))
    for q in QUERIES:
        out.append(f"| {q} | " + " | ".join(str(results[n]["docs"].get(q, "–")) for n in names) + " |")
    text = "\n".join(out)
    print(text)
    with open(os.path.join(WORK, "results.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
