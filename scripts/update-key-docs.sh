#!/bin/sh
# Rewrite the key tables of scenarios/README.md (everything after its "## Keys" introduction,
# from the first "### [" heading) from the registry: build/carecast keys --markdown.
set -e
root=$(dirname "$0")/..
bin=${1:-$root/build/carecast}
readme=$root/scenarios/README.md
tmp=$readme.tmp
awk '/^### \[/ { exit } { print }' "$readme" | sed '$ { /^$/ d }' > "$tmp"
"$bin" keys --markdown >> "$tmp"
mv "$tmp" "$readme"
