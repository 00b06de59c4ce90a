#!/usr/bin/env bash
# Scan benchmark: publishes acphost (Release), writes ~1 GiB of synthetic Claude Code transcripts into a temp folder
# (large user tool results and assistant messages with usage, compact_boundary lines in both spellings, a few subagent
# files), then times `acphost scan --json` over them. The figure goes to stdout; build output and progress to stderr.
# Everything is written under one temp folder, removed on exit.
#
# usage: scripts/scan-bench.sh [SIZE_MB] [RUNS]      defaults: 1024 MB, 3 runs (the best and every run are printed)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mb="${1:-1024}"
runs="${2:-3}"
out="$(mktemp -d "${TMPDIR:-/tmp}/acphost-scan-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT

# Bounded: refuse rather than fill the disk (the data plus ~300 MB of build output).
free_mb=$(( $(df -Pk "$out" | awk 'NR==2 {print $4}') / 1024 ))
if (( free_mb < size_mb + 1024 )); then
  echo "scan-bench.sh: only ${free_mb} MB free under $out; need $((size_mb + 1024)) MB" >&2
  exit 1
fi

echo "scan-bench.sh: publishing acphost (Release)" >&2
dotnet publish "$root/src/AcpHost" -c Release -o "$out/acphost" --artifacts-path "$out/artifacts" --nologo -v quiet >&2
rm -rf "$out/artifacts"

echo "scan-bench.sh: writing ${size_mb} MB of transcripts" >&2
python3 - "$out/projects" "$size_mb" <<'PY'
import json, os, random, sys, uuid
from datetime import datetime, timedelta, timezone

target, size_mb = sys.argv[1], int(sys.argv[2])
budget = size_mb * 1024 * 1024
rng = random.Random(42)
words = "the quick brown fox jumps over lazy dog compaction context token session project file line build test".split()
def text(n):
    out = []
    while sum(map(len, out)) < n:
        out.append(" ".join(rng.choice(words) for _ in range(200)))
    return "\n".join(out)[:n]
# A few large payloads, reused: generating fresh text per line would time Python, not the scanner.
payloads = [text(n) for n in (800, 3000, 12000, 40000, 150000)]
written, project_index = 0, 0
start = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
while written < budget:
    cwd = f"/home/dev/src/project-{project_index:02d}"
    folder = os.path.join(target, "".join(c if c.isalnum() else "-" for c in cwd))
    os.makedirs(folder, exist_ok=True)
    for _ in range(rng.randint(5, 15)):
        if written >= budget:
            break
        session = str(uuid.UUID(int=rng.getrandbits(128)))
        at = start + timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 600))
        common = {"userType": "external", "cwd": cwd, "sessionId": session, "version": "2.1.316", "gitBranch": "main"}
        fill, lines, file_budget = 20000, [], rng.randint(1, 24) * 1024 * 1024
        size = 0
        while size < file_budget:
            at += timedelta(seconds=rng.randint(5, 90))
            ts = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            user = {"parentUuid": None, "isSidechain": False, "type": "user", "uuid": str(uuid.uuid4()), "timestamp": ts,
                    "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": rng.choice(payloads)}]}, **common}
            fill += rng.randint(2000, 15000)
            usage = {"input_tokens": rng.randint(1, 10), "cache_creation_input_tokens": rng.randint(100, 3000),
                     "cache_read_input_tokens": fill, "output_tokens": 400, "service_tier": "standard"}
            assistant = {"parentUuid": user["uuid"], "isSidechain": False, "type": "assistant", "uuid": str(uuid.uuid4()), "timestamp": ts,
                         "message": {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-opus-5-5",
                                     "content": [{"type": "text", "text": rng.choice(payloads[:4])}], "usage": usage}, **common}
            lines += [json.dumps(user, separators=(",", ":")), json.dumps(assistant, separators=(",", ":"))]
            if fill > 160000:
                trigger = "auto" if rng.random() < 0.8 else "manual"
                if rng.random() < 0.5:
                    meta = {"compactMetadata": {"trigger": trigger, "preTokens": fill, "postTokens": 9000, "durationMs": rng.randint(20000, 90000)}}
                else:
                    meta = {"compact_metadata": {"trigger": trigger, "pre_tokens": fill, "post_tokens": 9000, "duration_ms": rng.randint(20000, 90000)}}
                lines.append(json.dumps({"parentUuid": None, "isSidechain": False, "type": "system", "subtype": "compact_boundary",
                                         "content": "Conversation compacted", "timestamp": ts, "uuid": str(uuid.uuid4()), **meta, **common}, separators=(",", ":")))
                fill = 9000
            size += sum(len(l) + 1 for l in lines[-3:])
        data = "\n".join(lines) + "\n"
        with open(os.path.join(folder, session + ".jsonl"), "w") as f:
            f.write(data)
        written += len(data)
    project_index += 1
print(f"scan-bench.sh: wrote {written / 1048576:.0f} MB in {project_index} projects", file=sys.stderr)
PY

sync
times=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s.%N)
  "$out/acphost/acphost" scan "$out/projects" --json > "$out/scan.json"
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
rows=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["rows"]), d["scanned"]["files"], d["scanned"]["bytes"])' "$out/scan.json")
read -r count files bytes <<<"$rows"
best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
echo "acphost scan: $((bytes / 1048576)) MB in $files transcripts, $count compactions; best of $runs: ${best} s ($(echo "scale=0; $bytes / 1048576 / $best" | bc) MB/s) on $(nproc) cores; runs: ${times[*]} s"
