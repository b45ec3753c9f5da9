#!/usr/bin/env bash
# The issue-3 measurements at scale (minutes, several GB of temp space; not part of CI):
#   1. 100M statements of a grammar with 1e9 distinct outputs, 2 workers on one
#      Bloom filter: duplicate lines counted outside Quarry (sort | uniq -d).
#   2. False positives on all-distinct statements (every rejection is one; a retry
#      repeats the text, so each exhausts its index): over the whole run with 2
#      workers, and over statements 90M..100M with 1 worker (a deterministic prefix).
#   3. Peak RSS at 10M and at 100M statements with the same filter.
# Usage: bash bench/uniqueness_scale.sh [scratch dir]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=${1:-$(mktemp -d)}
q="deno run --allow-read --allow-write cli/main.ts generate"
f="--unique bloom --expect 100M --fp-rate 1e-3 --stats"
stat() { grep '^{' "$1" | tail -1; }

/usr/bin/time -f "peak RSS %M KB" $q -g bench/grammars/repeat_1e9.ts -n 100M -w 2 --seed 1 $f -o "$tmp/repeat.sql" 2>"$tmp/repeat.err"
echo "repeat 100M, 2 workers: $(stat "$tmp/repeat.err")"
echo "  lines $(wc -l <"$tmp/repeat.sql"), duplicate lines $(LC_ALL=C sort -S 8G --parallel=2 "$tmp/repeat.sql" | uniq -d | wc -l)"
rm -f "$tmp/repeat.sql"

for n in 10M 100M; do
  /usr/bin/time -f "peak RSS %M KB" $q -g bench/grammars/distinct.ts -n $n -w 2 --seed 2 $f >/dev/null 2>"$tmp/d$n.err"
  echo "distinct $n, 2 workers: $(stat "$tmp/d$n.err") $(tail -1 "$tmp/d$n.err")"
done
for n in 90M 100M; do
  $q -g bench/grammars/distinct.ts -n $n -w 1 --seed 3 $f >/dev/null 2>"$tmp/s$n.err"
  echo "distinct $n, 1 worker: $(stat "$tmp/s$n.err")"
done
