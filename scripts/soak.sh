#!/usr/bin/env bash
# Soak run: publishes acphost and the benchmark in Release, then drives acphost for a bounded time (default 3 minutes)
# over loopback only (its own stdio, and the soak agent it starts): many sessions, payloads up to a few MiB, random
# cancels, requests and notifications both ways, and beside them sequential session/prompt turns answered with text
# chunks, a usage_update and end_turn, as a real agent answers them. acphost is published as scripts/acphost publishes
# it (scripts/lib/publish.sh; ACPHOST_BUILD=native or ReadyToRun picks one), so the RSS is the shipped host's. Reports messages relayed, errors and RSS over
# time, and exits non-zero on any loss, disorder or damage, or if RSS at the end is above RSS after warm-up by more
# than the margin.
#
# usage: scripts/soak.sh [SOAK OPTIONS...]      e.g. scripts/soak.sh --duration 600 --max-size 8388608
#   options are those of `acphost-bench soak` (--duration, --max-messages, --sessions, --window, --max-size,
#   --sample, --warmup, --growth-mib, --seed); the report goes to stdout, build output and progress to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/acphost-soak.XXXXXX")"
trap 'rm -rf "$out"' EXIT

publish() {
  dotnet publish "$1" -c Release -o "$2" --artifacts-path "$out/artifacts" --nologo -v quiet "${@:3}" >&2
}

source "$root/scripts/lib/publish.sh"

echo "soak.sh: publishing the benchmark and acphost (Release)" >&2
publish "$root/bench/AcpHost.Bench/AcpHost.Bench.csproj" "$out/bench"
acphost_publish "$out/acphost" "${ACPHOST_BUILD:-auto}" --artifacts-path "$out/artifacts"
if [[ ! -x "$out/acphost/acphost" ]]; then
  echo "soak.sh: the publish produced no executable at $out/acphost/acphost" >&2
  exit 1
fi

# Not exec: the trap must still remove the published files when the driver ends.
"$out/bench/acphost-bench" soak --acphost "$out/acphost/acphost" "$@"
