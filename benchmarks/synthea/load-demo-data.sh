#!/usr/bin/env bash
# Loads a few Synthea patients into a running Vigil server, so there is real data to look at.
# Usage: bash benchmarks/synthea/load-demo-data.sh [PATIENTS] [FHIR_BASE]
#   PATIENTS   how many living patients to generate (default 5)
#   FHIR_BASE  the server's FHIR base URL (default http://127.0.0.1:8080/fhir)
# Synthea runs with a fixed seed, so the same command always loads the same patients; loading them
# twice creates them twice (Synthea's patient bundles use POST).
set -euo pipefail
patients="${1:-5}"
base="${2:-http://127.0.0.1:8080/fhir}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
lib="$root/benchmarks/synthea/target/synthea-lib"
out="$root/benchmarks/synthea/target/demo-p$patients"

if ! curl -fsS -o /dev/null "$base/metadata"; then
  echo "No FHIR server answers at $base: start it first (see README.md)." >&2
  exit 1
fi
if [[ ! -d "$lib" ]]; then
  (cd "$root" && ./mvnw -B -q -pl benchmarks/synthea package)
fi
if [[ ! -f "$out/.complete" ]]; then
  rm -rf "$out" && mkdir -p "$out"
  (cd "$out" && java -cp "$lib/*" App -p "$patients" -a 20-70 -s 42 -cs 42 -r 20250101 -e 20250101 \
    --exporter.baseDirectory="$out" --exporter.years_of_history=5 \
    --exporter.ccda.export=false --exporter.csv.export=false --exporter.fhir.export=true \
    --exporter.hospital.fhir.export=true --exporter.practitioner.fhir.export=true > "$out/synthea.log")
  touch "$out/.complete"
fi

post() {
  local status
  status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/fhir+json' \
    --data-binary "@$1" "$base")
  echo "$(basename "$1"): HTTP $status"
  [[ "$status" == 200 ]]
}
# Organizations and practitioners first: patient bundles refer to them by conditional references.
for f in "$out"/fhir/hospitalInformation*.json "$out"/fhir/practitionerInformation*.json; do post "$f"; done
for f in "$out"/fhir/*.json; do
  case "$(basename "$f")" in hospitalInformation* | practitionerInformation*) continue ;; esac
  post "$f"
done
echo "Loaded. Try: curl '$base/Patient?_summary=count'"
