#!/usr/bin/env bash
# Relay benchmark: publishes acphost and the benchmark in Release, then measures acphost and a bare byte pipe
# against a direct connection to a fake agent. The Markdown report goes to stdout; build output and progress to stderr.
#
# usage: scripts/bench.sh [--build KIND]... [--before REV] [--no-acphost] [--otlp] [DRIVER OPTIONS...]
#   --build KIND   the acphost build to measure: auto (default: what scripts/acphost makes here), native or
#                  ReadyToRun (scripts/lib/publish.sh). Once: the lane 'acphost'; given more than once, one lane per
#                  build, named 'acphost-KIND' (--build native --build ReadyToRun measures both in one run)
#   --before REV   also measure the build of git revision REV, published the way that revision's scripts/acphost
#                  published it (from a temporary worktree), as the lane 'before'
#   --no-acphost   do not build or measure acphost (direct and bare-pipe only)
#   --otlp         also measure 'acphost-otlp': the first acphost build with telemetry on (--otlp) and its collector
#                  unreachable (OTEL_EXPORTER_OTLP_ENDPOINT at a closed port, metrics exported every second, so every
#                  export fails while the relay works): start-up, RSS and throughput with telemetry on
#   anything else is passed to `acphost-bench run`; see `--help` there, e.g.
#   scripts/bench.sh --repeat 3 --json bench-results.json
#   Both builds beside the build before them and direct, in one run: scripts/bench.sh --build native --build ReadyToRun --before 2cba8f8 --repeat 7
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/acphost-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT

with_acphost=1
with_otlp=0
builds=()
before=""
driver_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-acphost) with_acphost=0 ;;
    --otlp) with_otlp=1 ;;
    --build) builds+=("$2"); shift ;;
    --before) before="$2"; shift ;;
    *) driver_args+=("$1") ;;
  esac
  shift
done
[[ ${#builds[@]} -gt 0 ]] || builds=(auto)

# Build output goes to stderr so that stdout carries the report alone. Intermediate files go to the temp directory,
# so the benchmark neither reuses nor disturbs the bin/ and obj/ of builds running in the working tree.
publish() {
  dotnet publish "$1" -c Release -o "$2" --artifacts-path "$out/artifacts" --nologo -v quiet "${@:3}" >&2
}

source "$root/scripts/lib/publish.sh"

echo "bench.sh: publishing the benchmark (Release)" >&2
publish "$root/bench/AcpHost.Bench/AcpHost.Bench.csproj" "$out/bench"

relay_args() { echo "$1 run --data-dir {tmp} --"; }

if [[ "$with_acphost" == 1 ]]; then
  first=""
  for kind in "${builds[@]}"; do
    acphost_publish "$out/acphost-$kind" "$kind" --artifacts-path "$out/artifacts-$kind"
    acphost="$out/acphost-$kind/acphost"
    echo "bench.sh: acphost ($kind): $("$acphost" --version)" >&2
    first="${first:-$acphost}"
    if [[ ${#builds[@]} -eq 1 ]]; then
      driver_args=(--acphost "$acphost" ${driver_args[@]+"${driver_args[@]}"})
    else
      driver_args+=(--relay "acphost-$kind=$(relay_args "$acphost")")
    fi
  done
  if [[ "$with_otlp" == 1 ]]; then
    # Port 9 (discard) on the loopback: nothing listens there, connections are refused at once.
    driver_args+=(--relay "acphost-otlp=env OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9 OTEL_METRIC_EXPORT_INTERVAL=1000 $first run --data-dir {tmp} --otlp --")
  fi
fi

if [[ -n "$before" ]]; then
  # The revision's own tree and its own publish script: the build as it was shipped then.
  mkdir -p "$out/before-src"
  git -C "$root" archive "$before" | tar -x -C "$out/before-src"
  echo "bench.sh: publishing the build of $before as its scripts/acphost did" >&2
  mkdir -p "$out/before-src/artifacts"
  (cd "$out/before-src" && scripts/acphost --version >&2)
  driver_args+=(--relay "before=$(relay_args "$out/before-src/artifacts/acphost/acphost")")
fi

# Not exec: the trap must still remove the published files when the driver ends.
"$out/bench/acphost-bench" run ${driver_args[@]+"${driver_args[@]}"}
