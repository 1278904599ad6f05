#!/usr/bin/env python3
"""Builds sokord's Swedish lexicon: compound parts for lindera, and a lemma table.

Sources (both reach a machine through its package registries):
  * hunspell-sv (Debian package `hunspell-sv`, 1:7.5.0; LGPL-3.0): /usr/share/hunspell/sv_SE.{dic,aff}.
    Its affix rules give every inflected form of each stem (form -> lemma), and its compound
    flags say which forms may begin (X), continue (U) or end (Y) a compound, or stand only
    inside one (Z).
  * word frequencies counted in the Riksdag interpellations (Riksdagen open data, free to
    reuse; ../shared/corpora/riksdagen-interpellations/all.tar.gz, unpacked), used for
    segmentation costs and to keep only the inflected forms that real text uses.
plus `irregular.tsv` beside this script (written for sokord): irregular inflection that
hunspell does not link to its lemma (tog -> ta, större -> stor).

Writes, beside this script (gzip-compressed):
  sv_compound.tsv.gz surface, role (H: may begin or continue a compound; T: may end one; L: a
                   linking morpheme), lemma, cost. Turned into a lindera dictionary by build.rs.
  sv_lemma.tsv.gz    form, lemma: inflected forms found in the corpus, with their lemma.

Usage:
  apt-get install hunspell-sv
  tar -xzf ../shared/corpora/riksdagen-interpellations/all.tar.gz -C /tmp/ipq
  python3 crates/sokord-analysis/lexicon/build_lexicon.py /tmp/ipq/ipq-all
"""

import gzip
import io
import math
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DIC = "/usr/share/hunspell/sv_SE.dic"
AFF = "/usr/share/hunspell/sv_SE.aff"

# Words that begin many Swedish words as prefixes or particles, not as compound heads:
# "förändring" is not "för" + "ändring", "utbildning" not "ut" + "bildning".
NOT_HEADS = set("""
a an av be bi bort efter er fram från för före genom hem hit i in med mellan mot ned ner o om
på sam till tills upp ur ut utom vid åter över under all van miss när bak an de den det en ett
som sin sitt sina var vart kring dit mot inom utan""".split())
MIN_PART = 3
LINKS = ["s", "e", "a", "o", "u"]
SWEDISH_WORD = re.compile(r"[a-zåäöéü]+")


def read_aff(path):
    rules = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 5 and p[0] == "SFX":
                flag, strip, add, cond = p[1], p[2], p[3], p[4]
                cont = ""
                if "/" in add:
                    add, cont = add.split("/", 1)
                strip = "" if strip == "0" else strip
                add = "" if add == "0" else add
                rules[flag].append((strip, add, re.compile("(" + cond + ")$"), cont))
    return rules


def read_dic(path):
    roots = []
    with open(path, encoding="utf-8") as f:
        next(f)  # the count
        for line in f:
            line = line.strip().split("\t")[0].split(" ")[0]
            if not line:
                continue
            word, _, flags = line.partition("/")
            roots.append((word, flags))
    return roots


def expand(word, flags, rules, depth=0):
    """Yields (form, flags of the form) for a root and its suffixed forms."""
    yield word, flags
    if depth > 1:
        return
    for flag in flags:
        for strip, add, cond, cont in rules.get(flag, ()):
            if not cond.search(word) or (strip and not word.endswith(strip)):
                continue
            form = word[: len(word) - len(strip)] + add
            yield from expand(form, cont, rules, depth + 1) if cont else [(form, cont)]


def corpus_counts(folder):
    counts = Counter()
    for dirpath, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    text = f.read().replace("\u00ad", "").lower()
                counts.update(SWEDISH_WORD.findall(text))
    return counts


def gz_text(path):
    """A gzip text file without a timestamp, so that the same input gives the same bytes."""
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), encoding="utf-8")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    counts = corpus_counts(sys.argv[1])
    total = sum(counts.values())
    rules = read_aff(AFF)
    roots = read_dic(DIC)
    root_words = {w for w, _ in roots if w.islower()}

    lemma_of = {}          # form -> lemma, for forms that are not roots themselves
    heads = {}             # form -> lemma
    tails = {}             # form -> lemma
    family = Counter()     # lemma -> corpus count of all its forms
    for word, flags in roots:
        if not word.islower() or "%" in flags or not SWEDISH_WORD.fullmatch(word):
            continue
        forms = list(expand(word, flags, rules))
        lemma = word
        if "Z" in flags and word not in ("data",):
            # Compound-initial forms map back to their base word: hälso -> hälsa,
            # barnmorske -> barnmorska, gatu -> gata, läkemedels -> läkemedel.
            for cand in (word[:-1] + "a", word[:-1], word[:-1] + "e"):
                if cand in root_words and cand != word:
                    lemma = cand
                    break
        for form, fflags in forms:
            if not SWEDISH_WORD.fullmatch(form):
                continue
            family[lemma] += counts.get(form, 0) if form != word or "Z" not in flags else 0
            if form != word and form not in root_words:
                lemma_of.setdefault(form, lemma)
            head_ok = ("X" in fflags or "U" in fflags) if form != word else ("X" in flags or "U" in flags)
            # A form that is a word of its own is its own lemma ("data" is not only "datum").
            own = form if form in root_words and not (form == word and lemma != word) else lemma
            if head_ok and len(form) >= MIN_PART and form not in NOT_HEADS:
                heads.setdefault(form, own)
            is_tail = "Y" in flags and "Z" not in (fflags if form != word else flags)
            if is_tail and len(form) >= MIN_PART:
                tails.setdefault(form, own)

    # Keep the words of the lemmas that real text uses: every form of them, since a compound's
    # last part carries inflections that the word alone may never show in the corpus.
    tails = {f: l for f, l in tails.items() if f == l or family.get(l, 0) > 0}
    heads = {f: l for f, l in heads.items() if f == l or family.get(l, 0) > 0 or counts.get(f, 0) > 0}

    irregular = {}
    with open(os.path.join(HERE, "irregular.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            lemma, *forms = line.split()
            for form in forms:
                irregular[form] = lemma
            # The lemma of an irregular group is its own lemma, whatever hunspell says.
            lemma_of.pop(lemma, None)

    def cost(lemma):
        # -log p of the lemma's family, scaled: frequent words are cheap parts.
        p = (family.get(lemma, 0) + 1) / total
        return min(int(-math.log(p) * 150), 3000)

    header = (
        "# Generated by build_lexicon.py from the Swedish hunspell dictionary (c) 2003-2014 Göran "
        "Andersson, LGPL-3.0 (Debian package hunspell-sv 1:7.5.0), irregular.tsv, and word counts from\n"
        f"# the Riksdag interpellations 1994-2024 (Riksdagen open data), {total} words. "
        "This file is licensed LGPL-3.0.\n"
    )
    with gz_text(os.path.join(HERE, "sv_compound.tsv.gz")) as out:
        out.write(header)
        out.write("# surface\trole\tlemma\tcost\n")
        for form in sorted(heads):
            out.write(f"{form}\tH\t{heads[form]}\t{cost(heads[form])}\n")
        for form in sorted(tails):
            out.write(f"{form}\tT\t{tails[form]}\t{cost(tails[form])}\n")
        for link in LINKS:
            out.write(f"{link}\tL\t{link}\t0\n")

    # The lemma table keeps the forms real text uses; build.rs drops the pairs that the
    # Snowball stemmer sokord uses (rust-stemmers) already conflates.
    pairs = {}
    for form, lemma in list(lemma_of.items()) + list(irregular.items()):
        if family.get(lemma, 0) == 0 and form not in irregular:
            continue
        if form != lemma:
            pairs[form] = lemma
    with gz_text(os.path.join(HERE, "sv_lemma.tsv.gz")) as out:
        out.write(header)
        out.write("# form\tlemma\n")
        for form in sorted(pairs):
            out.write(f"{form}\t{pairs[form]}\n")
    print(f"{len(heads)} heads, {len(tails)} tails, {len(pairs)} lemma pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
