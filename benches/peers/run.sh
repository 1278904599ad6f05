#!/usr/bin/env bash
# Compares sokord with the engines its users would otherwise pick, on the same text, the same
# queries and the same machine, in one run: PostgreSQL full-text search (`swedish`), Xapian
# (Snowball Swedish, Python bindings), plain tantivy with the Snowball stemmer (the program in
# benches/peers/harness) and ripgrep (no index). Prints one table; see BENCHMARKS.md.
#
#   benches/peers/run.sh [CORPUS_DIR]
#
# Without CORPUS_DIR it unpacks ../shared/corpora/riksdagen-interpellations/all.tar.gz (the full
# interpellation set) into target/peers/. It installs its peers from Debian's packages when they
# are missing (as root, or with sudo), builds sokord and the harness in release mode, starts
# PostgreSQL on loopback in a temporary data directory as an unprivileged user, and stops it by
# its process id at the end. Results also go to target/peers/results.{md,json}.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/target/peers"
mkdir -p "$work"

corpus=${1:-}
if [ -z "$corpus" ]; then
    archive="$root/../shared/corpora/riksdagen-interpellations/all.tar.gz"
    if [ ! -f "$archive" ]; then
        echo "skipped: $archive is absent; pass a folder of .md/.txt files instead" >&2
        exit 0
    fi
    corpus="$work/ipq-all"
    [ -d "$corpus" ] || tar -xzf "$archive" -C "$work"
fi
corpus=$(cd "$corpus" && pwd)

# The peers, from Debian's packages.
need=()
[ -d /usr/lib/postgresql ] && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
/usr/bin/python3 -c 'import xapian' 2>/dev/null || need+=(python3-xapian)
/usr/bin/python3 -c 'import psycopg2' 2>/dev/null || need+=(python3-psycopg2)
command -v rg >/dev/null || need+=(ripgrep)
command -v setpriv >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p sokord -p sokord-peers
# Debian's Python, which has the packages above, also when another python3 comes first on PATH.
exec /usr/bin/python3 "$root/benches/peers/compare.py" "$corpus" "$work" "$root"
