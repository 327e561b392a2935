#!/usr/bin/env bash
# Reproduces Vigil's benchmark baseline: Vigil vs vanilla HAPI FHIR on PostgreSQL, side by side in
# one run, plus start-up on embedded H2. Writes benchmarks/target/results.md (and results.json) and
# prints the Markdown. See docs/benchmarks.md.
#
#   bash benchmarks/run-benchmarks.sh
#
# Every setting has a default and can be overridden through the environment, e.g. a quick smoke run:
#   PATIENTS=10 RUNS=1 STARTUP_RUNS=1 bash benchmarks/run-benchmarks.sh
#
# SUITE=privacy compares Vigil with consent + audit on and off instead (both in smart mode with
# tokens); its report goes to benchmarks/target/privacy/results.md:
#   SUITE=privacy bash benchmarks/run-benchmarks.sh
#
# SUITE=ingest measures device ingestion on Vigil alone (one Observation POST per reading vs $ingest
# batches vs MQTT through the local broker, and the time until a reading is searchable); it needs no
# Synthea cohort, only PostgreSQL and an MQTT broker; its report goes to benchmarks/target/ingest:
#   SUITE=ingest bash benchmarks/run-benchmarks.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Cohort (Synthea): PATIENTS living patients (Synthea adds the ones who died), seeded, so every
# run with the same settings posts the same bundles. The ingest suite creates PATIENTS patients itself.
PATIENTS=${PATIENTS:-100}
SEED=${SEED:-42}
AGES=${AGES:-20-60}
REFERENCE_DATE=${REFERENCE_DATE:-20250101}
YEARS_OF_HISTORY=${YEARS_OF_HISTORY:-5}
# Load
CLIENTS=${CLIENTS:-4}
RUNS=${RUNS:-3}
INGEST_WARMUP_PERCENT=${INGEST_WARMUP_PERCENT:-10}
OBSERVATION_POSTS=${OBSERVATION_POSTS:-1000}
READS=${READS:-3000}
SINGLE_CLIENT_READS=${SINGLE_CLIENT_READS:-500}
SEARCHES=${SEARCHES:-1000}
STARTUP_RUNS=${STARTUP_RUNS:-3}
MAX_RUN_SECONDS=${MAX_RUN_SECONDS:-180}
# Which comparison: baseline (Vigil vs vanilla HAPI), privacy (consent + audit on vs off) or ingest
SUITE=${SUITE:-baseline}
# Ingest suite: readings per $ingest request and MQTT message (one workload per size), readings per
# timed run of each, single readings per run for the time until searchable, and the broker.
INGEST_BATCH_SIZES=${INGEST_BATCH_SIZES:-100,1000}
INGEST_READINGS=${INGEST_READINGS:-8000}
SEARCHABLE_SAMPLES=${SEARCHABLE_SAMPLES:-200}
MQTT_BROKER_URL=${MQTT_BROKER_URL:-tcp://127.0.0.1:1883}
# Servers and database
PORT=${PORT:-18080}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
if [[ "$SUITE" == privacy ]]; then
  VIGIL_DB=${VIGIL_DB:-vigil_bench_privacy_on}
  VANILLA_DB=${VANILLA_DB:-vigil_bench_privacy_off}
  OUT=${OUT:-$ROOT/benchmarks/target/privacy}
elif [[ "$SUITE" == ingest ]]; then
  INGEST_DB=${INGEST_DB:-vigil_bench_ingest}
  OUT=${OUT:-$ROOT/benchmarks/target/ingest}
else
  VIGIL_DB=${VIGIL_DB:-vigil_bench_vigil}
  VANILLA_DB=${VANILLA_DB:-vigil_bench_vanilla}
  OUT=${OUT:-$ROOT/benchmarks/target}
fi
COHORTS=${COHORTS:-$ROOT/benchmarks/target/cohort}
SKIP_BUILD=${SKIP_BUILD:-false}

log() { printf '%s [run-benchmarks] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

SERVER_JAR=fhir-server/target/vigil-fhir-server-0.1.0-SNAPSHOT.jar
HARNESS_CP="benchmarks/harness/target/vigil-benchmark-harness-0.1.0-SNAPSHOT.jar:benchmarks/harness/target/harness-lib/*"

# 1. Build the server jar, Synthea's runtime (not for the ingest suite) and the harness.
if [[ "$SKIP_BUILD" != true ]]; then
  if [[ "$SUITE" == ingest ]]; then
    log "Building server and harness"
    ./mvnw -B -q package -DskipTests -DskipITs -pl fhir-server,benchmarks/harness -am
  else
    log "Building server, Synthea runtime and harness"
    ./mvnw -B -q package -DskipTests -DskipITs -pl fhir-server,benchmarks/synthea,benchmarks/harness -am
  fi
fi

# 2. Generate the cohort once per set of parameters; later runs reuse it. The ingest suite has none.
COHORT="$COHORTS/p$PATIENTS-s$SEED-a$AGES-r$REFERENCE_DATE-y$YEARS_OF_HISTORY"
if [[ "$SUITE" == ingest ]]; then
  log "Ingest suite: no cohort needed"
elif [[ ! -f "$COHORT/.complete" ]]; then
  log "Generating Synthea cohort in $COHORT (a few minutes for 100 patients)"
  rm -rf "$COHORT"
  mkdir -p "$COHORT"
  java -cp 'benchmarks/synthea/target/synthea-lib/*' App \
    -p "$PATIENTS" -a "$AGES" -s "$SEED" -cs "$SEED" -r "$REFERENCE_DATE" -e "$REFERENCE_DATE" \
    --exporter.baseDirectory="$COHORT" \
    --exporter.years_of_history="$YEARS_OF_HISTORY" \
    --exporter.ccda.export=false --exporter.csv.export=false \
    --exporter.fhir.export=true --exporter.hospital.fhir.export=true --exporter.practitioner.fhir.export=true \
    > "$COHORT/synthea.log" 2>&1 || { log "Synthea failed; see $COHORT/synthea.log"; exit 1; }
  touch "$COHORT/.complete"
else
  log "Reusing cohort $COHORT"
fi

# 3. PostgreSQL: running, and one empty database per server.
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -q)
if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q; then
  if [[ "$PGHOST" == 127.0.0.1 ]] && command -v pg_ctlcluster > /dev/null && [[ -d /etc/postgresql ]]; then
    version=$(ls /etc/postgresql | sort -n | tail -1)
    log "Starting PostgreSQL $version cluster 'main'"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  for _ in $(seq 30); do pg_isready -h "$PGHOST" -p "$PGPORT" -q && break; sleep 1; done
  pg_isready -h "$PGHOST" -p "$PGPORT" -q || { log "PostgreSQL is not reachable at $PGHOST:$PGPORT"; exit 1; }
fi
if [[ "$SUITE" == ingest ]]; then
  DATABASES=("$INGEST_DB")
else
  DATABASES=("$VIGIL_DB" "$VANILLA_DB")
fi
for db in "${DATABASES[@]}"; do
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
done
log "Fresh databases ${DATABASES[*]}"

# 4. Start the servers one after the other and run the workloads (the harness stops its servers).
revision="$(git rev-parse --short HEAD 2> /dev/null || echo unknown)"
if ! git diff --quiet HEAD 2> /dev/null; then revision="$revision with local changes"; fi
export BENCHMARK_REVISION="$revision"
BENCHMARK_DATABASE_VERSION="$("${PSQL[@]}" -tAc 'SHOW server_version' | cut -d' ' -f1)"
export BENCHMARK_DATABASE_VERSION

if [[ "$SUITE" == ingest ]]; then
  java -Xmx1g -cp "$HARNESS_CP" health.vigil.benchmarks.BenchmarkHarness \
    --suite=ingest \
    --server-jar="$SERVER_JAR" \
    --output="$OUT" \
    --vigil-database-url="jdbc:postgresql://$PGHOST:$PGPORT/$INGEST_DB" \
    --database-user="$PGUSER" \
    --port="$PORT" \
    --server-java-options="$SERVER_JAVA_OPTS" \
    --clients="$CLIENTS" \
    --runs="$RUNS" \
    --observation-posts="$OBSERVATION_POSTS" \
    --max-run-seconds="$MAX_RUN_SECONDS" \
    --ingest-patients="$PATIENTS" \
    --ingest-batch-sizes="$INGEST_BATCH_SIZES" \
    --ingest-readings="$INGEST_READINGS" \
    --searchable-samples="$SEARCHABLE_SAMPLES" \
    --mqtt-broker-url="$MQTT_BROKER_URL"
  cat "$OUT/results.md"
  exit 0
fi

java -Xmx1g -cp "$HARNESS_CP" health.vigil.benchmarks.BenchmarkHarness \
  --server-jar="$SERVER_JAR" \
  --cohort="$COHORT/fhir" \
  --output="$OUT" \
  --vigil-database-url="jdbc:postgresql://$PGHOST:$PGPORT/$VIGIL_DB" \
  --vanilla-database-url="jdbc:postgresql://$PGHOST:$PGPORT/$VANILLA_DB" \
  --database-user="$PGUSER" \
  --port="$PORT" \
  --server-java-options="$SERVER_JAVA_OPTS" \
  --clients="$CLIENTS" \
  --runs="$RUNS" \
  --ingest-warmup-percent="$INGEST_WARMUP_PERCENT" \
  --observation-posts="$OBSERVATION_POSTS" \
  --reads="$READS" \
  --single-client-reads="$SINGLE_CLIENT_READS" \
  --searches="$SEARCHES" \
  --startup-runs="$STARTUP_RUNS" \
  --max-run-seconds="$MAX_RUN_SECONDS" \
  --seed="$SEED" \
  --suite="$SUITE"

cat "$OUT/results.md"
