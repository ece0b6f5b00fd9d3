#!/bin/sh
# Regenerate the README's example charts (results/example/*.png, English and Japanese) from
# the results file of `make run` (results/kashiwa.h5; made first when missing).
#   scripts/make-example-charts.sh [RESULTS.h5]
set -eu
cd "$(dirname "$0")/.."
BIN=${CARECAST_BIN:-build/carecast}
RESULTS=${1:-results/kashiwa.h5}
[ -x "$BIN" ] || make all
[ -f "$RESULTS" ] || make run
# The charts the README shows; the others are in results/ after `make run`.
CHARTS="population_pyramid population_fan beds_fan duty_nights"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p results/example
for lang in en ja; do
  "$BIN" plot "$RESULTS" -o "$tmp/$lang" --lang "$lang" --quiet
  for chart in $CHARTS; do
    cp "$tmp/$lang/$chart.png" "results/example/${chart}_$lang.png"
  done
done
ls -l results/example
