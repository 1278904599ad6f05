#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds (default 600), one after another, and copies any
# crashing input into fuzz/regressions/<target>/, where tests/fuzz_regressions.rs replays it.
#
#   cargo install cargo-fuzz        # once
#   fuzz/run.sh [SECONDS] [TARGET…]
#
# Needs a nightly toolchain (rustup toolchain install nightly). Seed inputs come from corpus/ and
# tests/relevance/judgments.tsv; the fuzzers' own corpora stay in fuzz/corpus/ (not committed).
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(query_parser front_matter pdf_cleanup chapters analyzer document)

# Seeds, so that the fuzzers start from real Swedish text and real queries.
mkdir -p corpus/{query_parser,front_matter,pdf_cleanup,chapters,analyzer,document}
grep -v '^#' ../tests/relevance/judgments.tsv | cut -f1 | nl -nln | while read -r n q; do
    printf '%s' "$q" > "corpus/query_parser/judged-$n"
done
split -b 3000 ../corpus/remissvar/*.txt corpus/pdf_cleanup/seed-remissvar-
split -b 3000 ../corpus/tal/*.md corpus/chapters/seed-tal-
cp corpus/pdf_cleanup/seed-* corpus/chapters/
cp corpus/chapters/seed-tal-a* corpus/analyzer/ 2>/dev/null
cp corpus/chapters/seed-* ../tests/bad-input/files/*.txt ../tests/bad-input/files/*.md corpus/document/ 2>/dev/null
printf 'title: Remissvar\ndate: 2025-10-14\nactor: Region Exempel\ntopics: [läkemedel]\n' > corpus/front_matter/seed

cargo +nightly fuzz build || exit 1
status=0
for t in "${targets[@]}"; do
    echo "== $t: $seconds s"
    cargo +nightly fuzz run "$t" -- -max_total_time="$seconds" -max_len=4096 -timeout=10 \
        2>&1 | tee "artifacts/$t.log" | grep -E '^(#[0-9]+.*DONE|==[0-9]+==|SUMMARY|Done)' || true
    found=$(find "artifacts/$t" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null)
    if [ -n "$found" ]; then
        mkdir -p "regressions/$t"
        cp $found "regressions/$t/"
        echo "!! $t found a problem: kept in fuzz/regressions/$t/"
        status=1
    fi
done
exit $status
