#!/usr/bin/env bash
# Micro-benchmarks of the relay's hot path (framing, classification, the line writer) with BenchmarkDotNet: a short,
# in-process run of a couple of minutes. Results go to stdout and, as Markdown, to BenchmarkDotNet.Artifacts/ in a
# temp directory that is printed at the end.
#
# usage: scripts/microbench.sh [BENCHMARKDOTNET ARGS...]
#   scripts/microbench.sh                          every benchmark
#   scripts/microbench.sh --filter '*Classify*'    only the classifier
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/acphost-microbench.XXXXXX")"

echo "microbench.sh: publishing the micro-benchmarks (Release)" >&2
dotnet publish "$root/bench/AcpHost.MicroBench" -c Release -o "$out/bin" --artifacts-path "$out/artifacts" --nologo -v quiet >&2

"$out/bin/acphost-microbench" --artifacts "$out/results" "$@"
echo "microbench.sh: reports in $out/results/results" >&2
