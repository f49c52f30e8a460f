#!/usr/bin/env bash
# Measures parsing and coverage on the real corpus and prints each figure as a
# ratio against a baseline measured in the same run:
#   - the 108-page proposal PDF against `pdftotext` alone (poppler),
#   - coverage of all demands on the AI Act against parsing the same page.
# Usage: bench/parse.sh [count]   (needs ../shared/corpus and pdftotext)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

go test -run '^$' -bench 'BenchmarkProposalPDF|BenchmarkAIActPage' -benchmem -count "$count" ./legal | tee -a "$out"
go test -run '^$' -bench 'BenchmarkEvaluateAIAct|BenchmarkParseXHTMLAIAct' -benchmem -count "$count" ./coverage | tee -a "$out"

# Mean ns/op, B/op and allocs/op per benchmark, then ratios to the baselines.
awk '
/^Benchmark/ {
  name = $1; sub(/-[0-9]+$/, "", name)
  for (i = 2; i <= NF; i++) {
    if ($(i+1) == "ns/op") ns[name] += $i
    if ($(i+1) == "B/op") by[name] += $i
    if ($(i+1) == "allocs/op") al[name] += $i
  }
  n[name]++
}
END {
  base["BenchmarkProposalPDF/pdftotext"] = "BenchmarkProposalPDF/pdftotext"
  for (k in n) {
    b = ""
    if (k ~ /^BenchmarkProposalPDF\//) b = "BenchmarkProposalPDF/pdftotext"
    if (k == "BenchmarkEvaluateAIAct") b = "BenchmarkParseXHTMLAIAct"
    if (k == "BenchmarkAIActPage") b = "BenchmarkParseXHTMLAIAct"
    ratio = "-"
    if (b != "" && (b in n) && ns[b] > 0) ratio = sprintf("%.2f", (ns[k]/n[k]) / (ns[b]/n[b]))
    printf "%-40s %12.1f %10s %12.1f %12d\n", k, ns[k]/n[k]/1e6, ratio, by[k]/n[k]/1e6, al[k]/n[k]
  }
}' "$out" | sort > "$out.table"
printf "\n%-40s %12s %10s %12s %12s\n" "benchmark (mean of $count)" "ms/op" "x baseline" "MB/op" "allocs/op"
cat "$out.table"
rm -f "$out.table"
