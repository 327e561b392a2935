#!/usr/bin/env bash
# Fetches the official FHIR R4 examples (npm package hl7.fhir.r4.examples) into the
# integration-test data directory, once. Usage: fetch-fhir-examples.sh VERSION DATA_DIR
set -euo pipefail
version="$1"
data_dir="$2"
target="$data_dir/hl7.fhir.r4.examples-$version"
if [[ -f "$target/.complete" ]]; then
  exit 0
fi
mkdir -p "$data_dir"
rm -rf "$target" "$target.tmp"
mkdir -p "$target.tmp"
(cd "$target.tmp" && npm pack --silent "hl7.fhir.r4.examples@$version" > /dev/null)
tar -xzf "$target.tmp"/hl7.fhir.r4.examples-"$version".tgz -C "$target.tmp"
mv "$target.tmp/package" "$target"
rm -rf "$target.tmp"
touch "$target/.complete"
echo "FHIR R4 examples $version: $(ls "$target" | wc -l) files in $target"
