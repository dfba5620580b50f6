#!/usr/bin/env bash
# Collects the rows the chaos tests (*ChaosIT) wrote to */target/reliability/*.md into the table of
# docs/RELIABILITY.md, between its markers, with the date and machine. Run after the chaos tests:
#   mvn -B verify -Pchaos && scripts/reliability-report.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOC="$ROOT/docs/RELIABILITY.md"
BEGIN="<!-- chaos-results:begin (written by scripts/reliability-report.sh) -->"
END="<!-- chaos-results:end -->"
shopt -s nullglob
rows=("$ROOT"/*/target/reliability/*.md "$ROOT"/examples/*/target/reliability/*.md)
if (( ${#rows[@]} == 0 )); then
  echo "no results under */target/reliability: run the chaos tests first (mvn -B verify -Pchaos)" >&2
  exit 1
fi
body="$(
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
  echo
  echo "| scenario | sent | published | lost | duplicates | took | result | notes |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  cat "${rows[@]}"
  echo
)"
grep -qF "$BEGIN" "$DOC" || { echo "$DOC lacks the marker line: $BEGIN" >&2; exit 1; }
BODY="$body" BEGIN="$BEGIN" END="$END" awk '
  index($0, ENVIRON["BEGIN"]) == 1 { print; print ENVIRON["BODY"]; skip = 1; next }
  index($0, ENVIRON["END"]) == 1 { skip = 0 }
  !skip { print }' "$DOC" > "$DOC.tmp"
mv "$DOC.tmp" "$DOC"
echo "updated $DOC with ${#rows[@]} scenario(s)"
