#!/usr/bin/env bash
# Relay benchmark: publishes acphost and the benchmark in Release, then measures acphost and a bare byte pipe
# against a direct connection to a fake agent. The Markdown report goes to stdout; build output and progress to stderr.
#
# usage: scripts/bench.sh [--no-acphost] [--otlp] [DRIVER OPTIONS...]
#   --no-acphost   do not build or measure acphost (direct and bare-pipe only)
#   --otlp         also measure 'acphost-otlp': the same acphost with telemetry on (--otlp) and its collector unreachable
#                  (OTEL_EXPORTER_OTLP_ENDPOINT at a closed port, metrics exported every second, so every export fails
#                  while the relay works): start-up, RSS and throughput with telemetry on, beside 'acphost' with it off
#   anything else is passed to `acphost-bench run`; see `--help` there, e.g.
#   scripts/bench.sh --repeat 3 --json bench-results.json
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/acphost-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT

with_acphost=1
with_otlp=0
driver_args=()
for arg in "$@"; do
  if [[ "$arg" == "--no-acphost" ]]; then
    with_acphost=0
  elif [[ "$arg" == "--otlp" ]]; then
    with_otlp=1
  else
    driver_args+=("$arg")
  fi
done

# Build output goes to stderr so that stdout carries the report alone. Intermediate files go to the temp directory,
# so the benchmark neither reuses nor disturbs the bin/ and obj/ of builds running in the working tree.
publish() {
  dotnet publish "$1" -c Release -o "$2" --artifacts-path "$out/artifacts" --nologo -v quiet "${@:3}" >&2
}

# acphost is published as scripts/acphost publishes it (scripts/lib/publish-flags.sh), where start-up is measured.
source "$root/scripts/lib/publish-flags.sh"

echo "bench.sh: publishing the benchmark (Release)" >&2
publish "$root/bench/AcpHost.Bench/AcpHost.Bench.csproj" "$out/bench"

if [[ "$with_acphost" == 1 ]]; then
  echo "bench.sh: publishing acphost (Release${acphost_publish_flags[*]:+, self-contained composite ReadyToRun})" >&2
  publish "$root/src/AcpHost" "$out/acphost" ${acphost_publish_flags[@]+"${acphost_publish_flags[@]}"}
  acphost="$out/acphost/acphost"
  if [[ ! -x "$acphost" ]]; then
    echo "bench.sh: the publish produced no executable at $acphost" >&2
    exit 1
  fi
  driver_args=(--acphost "$acphost" ${driver_args[@]+"${driver_args[@]}"})
  if [[ "$with_otlp" == 1 ]]; then
    # Port 9 (discard) on the loopback: nothing listens there, connections are refused at once.
    driver_args+=(--relay "acphost-otlp=env OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 OTEL_METRIC_EXPORT_INTERVAL=1000 $acphost run --data-dir {tmp} --otlp --")
  fi
fi

# Not exec: the trap must still remove the published files when the driver ends.
"$out/bench/acphost-bench" run ${driver_args[@]+"${driver_args[@]}"}
