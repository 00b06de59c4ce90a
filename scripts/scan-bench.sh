#!/usr/bin/env bash
# Scan and usage benchmark: publishes acphost as scripts/acphost does (Release; on Linux the native build where a C
# toolchain works, else the trimmed ReadyToRun build: scripts/lib/publish.sh; --build picks one), writes ~1 GiB of synthetic Claude Code transcripts into a temp
# folder, then times `acphost scan --json` and `acphost usage --json` over them, alternated, and reports the peak RSS
# of each. The transcripts are shaped like Claude Code's: large user tool results; each model response written as one
# to three lines (one per content block) that repeat its message id, requestId and usage, with the 5m/1h cache split,
# cache reads of the previous context, now and then a pause of minutes to hours after which the whole context is
# written again (a cold cache); compact_boundary lines in both spellings; a fifth of the sessions with a subagent's
# transcript (isSidechain, agentId) beside them. Each run's wall time and CPU time (user + system) are printed: on a
# machine busy with other work the wall time mostly measures the wait for a core, the CPU time what the scan costs.
# The figures go to stdout; build output and progress to stderr.
# Everything is written under one temp folder, removed on exit.
#
# usage: scripts/scan-bench.sh [--build KIND] [--before REV] [SIZE_MB] [RUNS]
#   defaults: 1024 MB, 3 runs (the best and every run are printed)
#   --build KIND: auto (default: what scripts/acphost makes here), native or ReadyToRun
#   --before REV: also publish the acphost of git revision REV (e.g. the branch point), the same kind of build from
#                 that revision's tree, and time its `scan` on the same transcripts in the same alternation, so before
#                 and after are measured under the same load
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before=""
kind=auto
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --before) before="${2:?--before needs a git revision}" ;;
    --build) kind="${2:?--build needs auto, native or ReadyToRun}" ;;
    *) echo "scan-bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
size_mb="${1:-1024}"
runs="${2:-3}"
out="$(mktemp -d "${TMPDIR:-/tmp}/acphost-scan-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT

# Bounded: refuse rather than fill the disk (the data plus ~300 MB of build output per build).
free_mb=$(( $(df -Pk "$out" | awk 'NR==2 {print $4}') / 1024 ))
if (( free_mb < size_mb + 1024 )); then
  echo "scan-bench.sh: only ${free_mb} MB free under $out; need $((size_mb + 1024)) MB" >&2
  exit 1
fi

source "$root/scripts/lib/publish.sh"
if [[ "$(uname -s)" != Linux ]]; then
  kind=framework
elif [[ "$kind" == auto ]]; then
  if acphost_find_cc; then kind=native; else kind=ReadyToRun; echo "scan-bench.sh: no native build here ($acphost_cc_why)" >&2; fi
else
  acphost_find_cc || true
fi
mapfile -t publish_flags < <(acphost_publish_args "$kind")
publish() { # SOURCE_DIR OUTPUT_DIR
  dotnet publish "$1/src/AcpHost" -c Release ${publish_flags[@]+"${publish_flags[@]}"} -o "$2" --artifacts-path "$out/artifacts" --nologo -v quiet >&2
  rm -rf "$out/artifacts"
}

echo "scan-bench.sh: publishing acphost (Release, $kind)" >&2
publish "$root" "$out/acphost"
if [[ -n "$before" ]]; then
  echo "scan-bench.sh: publishing acphost at $before" >&2
  mkdir -p "$out/before-src"
  git -C "$root" archive "$before" | tar -x -C "$out/before-src"
  publish "$out/before-src" "$out/before"
  rm -rf "$out/before-src"
fi

echo "scan-bench.sh: writing ${size_mb} MB of transcripts" >&2
python3 "$root/scripts/lib/bench-transcripts.py" "$out/projects" "$size_mb"

sync
declare -A times cpu rss
measure() { # NAME COMMAND...: appends the wall time, CPU time and peak RSS (KiB) of one run
  local name="$1" wall user system peak
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" > "$out/$name.json"
  read -r wall user system peak < "$out/time"
  times[$name]+="$wall "
  cpu[$name]+="$(echo "$user + $system" | bc) "
  rss[$name]+="$peak "
}

for ((i = 1; i <= runs; i++)); do
  [[ -n "$before" ]] && measure scan-before "$out/before/acphost" scan "$out/projects" --json
  measure scan "$out/acphost/acphost" scan "$out/projects" --json
  measure usage "$out/acphost/acphost" usage "$out/projects" --json
done

read -r count files bytes < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["rows"]), d["scanned"]["files"], d["scanned"]["bytes"])' "$out/scan.json")
read -r requests cold sessions < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print(t["requests"], t["coldRequests"], t["sessions"])' "$out/usage.json")
echo "build: $kind; corpus: $((bytes / 1048576)) MB in $files transcripts: $count compactions, $sessions sessions, $requests model requests ($cold cold); $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for name in scan-before scan usage; do
  [[ -z "${times[$name]:-}" ]] && continue
  best=$(printf '%s\n' ${times[$name]} | sort -n | head -1)
  least=$(printf '%s\n' ${cpu[$name]} | sort -n | head -1)
  median=$(printf '%s\n' ${cpu[$name]} | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  peak=$(printf '%s\n' ${rss[$name]} | sort -n | tail -1)
  echo "acphost $name: wall best of $runs ${best} s ($(echo "scale=0; $bytes / 1048576 / $best" | bc) MB/s); CPU least ${least} s, median ${median} s; peak RSS $((peak / 1024)) MiB; wall: ${times[$name]}s; CPU: ${cpu[$name]}s"
done
