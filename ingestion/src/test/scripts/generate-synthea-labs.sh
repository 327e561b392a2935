#!/usr/bin/env bash
# Generates a small, seeded Synthea cohort into DATA_DIR once, for the lab-report corpus the document
# tests render: the cohort's lab results are the ground truth the OCR is measured against.
# Usage: generate-synthea-labs.sh SYNTHEA_LIB DATA_DIR
#   SYNTHEA_LIB: Synthea and its runtime dependencies, laid out by the benchmarks/synthea module
set -euo pipefail
lib="$1"
target="$2/synthea-labs"
if [[ -f "$target/.complete" ]]; then
  exit 0
fi
if [[ ! -d "$lib" ]]; then
  echo "Synthea runtime not found in $lib; build it with ./mvnw -pl benchmarks/synthea package" >&2
  exit 1
fi
rm -rf "$target"
mkdir -p "$target"
# Fixed seeds and dates, so that every machine renders the same reports.
(cd "$target" && "${JAVA_HOME:-/usr}/bin/java" -Xmx1g -cp "$lib/*" App -p 8 -a 30-70 -s 7 -cs 7 \
  -r 20250101 -e 20250101 \
  --exporter.baseDirectory="$target" --exporter.years_of_history=3 \
  --exporter.ccda.export=false --exporter.csv.export=false --exporter.fhir.export=true \
  --exporter.hospital.fhir.export=false --exporter.practitioner.fhir.export=false > "$target/synthea.log" 2>&1)
touch "$target/.complete"
echo "Synthea lab cohort: $(ls "$target/fhir" | wc -l) bundles in $target/fhir"
