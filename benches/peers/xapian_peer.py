#!/usr/bin/env python3
"""Xapian through Debian's Python bindings (python3-xapian), set up as a user would for Swedish:
one document per file, the text (front matter removed) indexed by a TermGenerator with the
Snowball Swedish stemmer; queries through a QueryParser with the same stemmer, all words required.

    xapian_peer.py index DIR DB          index every .md/.txt file under DIR
    xapian_peer.py latency DB QUERIES    time the query set in-process (as sokord_peers does)
    xapian_peer.py search DB QUERY       one search: the number of documents and the top 10 ids
"""
import json
import os
import sys
import time

import xapian

WARMUP, RUNS = 3, 30  # as in benches/peers/harness/src/lib.rs


def body_of(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def index(src, dest):
    db = xapian.WritableDatabase(dest, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("swedish"))
    n = 0
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith((".md", ".txt")):
                continue
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                text = body_of(fh.read())
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(text)
            doc.set_data(os.path.splitext(f)[0])
            db.add_document(doc)
            n += 1
    db.commit()
    db.close()
    print(f"indexed {n} documents", file=sys.stderr)


def searcher(path):
    db = xapian.Database(path)
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("swedish"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_default_op(xapian.Query.OP_AND)
    qp.set_database(db)
    enquire = xapian.Enquire(db)

    def run(q):
        enquire.set_query(qp.parse_query(q))
        # The exact number of matching documents, as the other engines count them.
        m = enquire.get_mset(0, 10, db.get_doccount())
        return m, m.get_matches_estimated()

    return db, run


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "index" and len(sys.argv) == 4:
        index(sys.argv[2], sys.argv[3])
    elif cmd == "latency" and len(sys.argv) == 4:
        _, run = searcher(sys.argv[2])
        queries = [l.strip() for l in open(sys.argv[3], encoding="utf-8")
                   if l.strip() and not l.startswith("#")]
        everything = []
        for q in queries:
            docs = 0
            for _ in range(WARMUP):
                docs = run(q)[1]
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                run(q)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(json.dumps({"query": q, "docs": docs, "median_ms": times[RUNS // 2]}, ensure_ascii=False))
            everything += times
        everything.sort()
        at = lambda p: everything[min(int(len(everything) * p), len(everything) - 1)]
        print(json.dumps({"overall": True, "median_ms": at(0.5), "p95_ms": at(0.95)}))
    elif cmd == "search" and len(sys.argv) == 4:
        _, run = searcher(sys.argv[2])
        m, n = run(sys.argv[3])
        print(f"{n} documents")
        for item in m:
            print(item.document.get_data().decode())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
