#!/usr/bin/env bash
# bench-table.sh [--strict] FILE — the table of every benchmark target in the saved output of
# `go test -bench` (FILE; - for stdin), as `make bench` and `make bench-smoke` print it at the end.
#
# Each target is a line a benchmark prints through checkTarget (benchtarget_test.go in each
# package):
#
#   TARGET<TAB>benchmark<TAB>what<TAB>target<TAB>measured<TAB>PASS|MISS
#
# found anywhere on its line (go test may have printed a benchmark's name before it). Its package
# is the one named by the next `ok` or `FAIL` line: go test prints a package's `pkg:` header only
# with its first result, after what that benchmark printed. A benchmark run more than once
# (-count, or -benchtime other than 1x) prints its targets each time: the table keeps the last.
#
# Exit status: 0, also when a target is missed; with --strict, 1 when any target is missed.
# A benchmark that failed is go test's to report, not this script's.
set -euo pipefail

strict=0
if [[ ${1:-} == --strict ]]; then
  strict=1
  shift
fi
[[ $# -eq 1 ]] || { echo "usage: $0 [--strict] FILE" >&2; exit 2; }

awk -v strict="$strict" -F '\t' '
# width: display columns of s (UTF-8 continuation bytes take none).
function width(s,   t, n) { t = s; n = gsub(/[\200-\277]/, "", t); return length(s) - n }
function short(p) { sub(/^liaisondesk\/?/, "", p); return p == "" ? "." : p }
function pad(s, w) { return s sprintf("%" (w - width(s) > 0 ? w - width(s) : 0) "s", "") }
{
  i = index($0, "TARGET\t")
  if (i > 0) {
    n = split(substr($0, i), f, "\t")
    if (n >= 6 && (f[6] == "PASS" || f[6] == "MISS")) {
      recs++; rec[recs] = f[2] "\t" f[3] "\t" f[4] "\t" f[5] "\t" f[6]
    }
    next
  }
}
# "ok  <TAB>liaisondesk/data<TAB>0.9s" or "FAIL<TAB>liaisondesk/data ...": the package of the
# targets printed since the last such line.
/^(ok|FAIL)[ \t]/ && NF >= 2 { for (; done < recs; ) pkgof[++done] = short($2) }
END {
  for (r = 1; r <= recs; r++) {
    split(rec[r], f, "\t")
    key = (r in pkgof ? pkgof[r] : "?") SUBSEP f[1] SUBSEP f[2]
    if (!(key in row)) order[++rows] = key
    else folded++
    row[key] = (r in pkgof ? pkgof[r] : "?") "\t" rec[r]
  }
  if (rows == 0) { print "bench: no targets in this run"; exit 0 }
  split("package\tbenchmark\twhat\ttarget\tmeasured\tresult", head, "\t")
  for (c = 1; c <= 6; c++) w[c] = width(head[c])
  for (r = 1; r <= rows; r++) {
    split(row[order[r]], f, "\t")
    for (c = 1; c <= 6; c++) if (width(f[c]) > w[c]) w[c] = width(f[c])
    if (f[6] == "MISS") missed++
  }
  line = ""
  for (c = 1; c <= 6; c++) line = line (c > 1 ? "  " : "") pad(head[c], c < 6 ? w[c] : 0)
  print ""; print line
  gsub(/./, "-", line); print line
  for (r = 1; r <= rows; r++) {
    split(row[order[r]], f, "\t")
    line = ""
    for (c = 1; c <= 6; c++) line = line (c > 1 ? "  " : "") pad(f[c], c < 6 ? w[c] : 0)
    print line
  }
  printf "%d targets, %d missed", rows, missed + 0
  if (folded) printf " (%d earlier runs of the same targets left out: the last run is shown)", folded
  print ""
  if (missed && strict) { print "bench: BENCH_STRICT=1 and a target was missed"; exit 1 }
}' "$1"
