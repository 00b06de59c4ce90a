# Writes SIZE_MB of synthetic Claude Code transcripts under TARGET for scripts/scan-bench.sh (see there for their shape).
# usage: python3 bench-transcripts.py TARGET SIZE_MB
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
dump = lambda obj: json.dumps(obj, separators=(",", ":"))
stamp = lambda at: at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

def conversation(common, at, turns_budget, sidechain, agent_id, compact, model, one_hour):
    """Yields lines and returns the time reached: user turns, each answered by one response of 1-3 lines."""
    fill, cached, size, lines = 20000, 0, 0, []
    while size < turns_budget:
        gap = rng.randint(5, 90) if rng.random() > 0.03 else rng.randint(6 * 60, 3 * 3600)
        at += timedelta(seconds=gap)
        if gap > (3600 if one_hour else 300):
            cached = 0
        extra = {"isSidechain": sidechain, **({"agentId": agent_id} if agent_id else {})}
        user = {"parentUuid": None, **extra, "type": "user", "uuid": str(uuid.uuid4()), "timestamp": stamp(at),
                "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": rng.choice(payloads)}]}, **common}
        lines.append(dump(user))
        fill += rng.randint(2000, 15000)
        read = min(cached, fill - 10)
        written = fill - 10 - read
        split = {"ephemeral_5m_input_tokens": 0 if one_hour else written, "ephemeral_1h_input_tokens": written if one_hour else 0}
        message_id = "msg_" + uuid.UUID(int=rng.getrandbits(128)).hex
        blocks = rng.randint(1, 3)
        for block in range(blocks):
            output = 400 if block == blocks - 1 else rng.randint(1, 50)
            usage = {"input_tokens": 10, "cache_creation_input_tokens": written, "cache_read_input_tokens": read,
                     "output_tokens": output, "cache_creation": split, "service_tier": "standard"}
            assistant = {"parentUuid": user["uuid"], **extra, "type": "assistant", "uuid": str(uuid.uuid4()), "timestamp": stamp(at),
                         "message": {"id": message_id, "type": "message", "role": "assistant", "model": model,
                                     "content": [{"type": "text", "text": rng.choice(payloads[:3])}], "usage": usage},
                         "requestId": "req_" + message_id[4:], **common}
            lines.append(dump(assistant))
        cached = fill
        if compact and fill > 160000:
            trigger = "auto" if rng.random() < 0.8 else "manual"
            if rng.random() < 0.5:
                meta = {"compactMetadata": {"trigger": trigger, "preTokens": fill, "postTokens": 9000, "durationMs": rng.randint(20000, 90000)}}
            else:
                meta = {"compact_metadata": {"trigger": trigger, "pre_tokens": fill, "post_tokens": 9000, "duration_ms": rng.randint(20000, 90000)}}
            lines.append(dump({"parentUuid": None, "isSidechain": False, "type": "system", "subtype": "compact_boundary",
                               "content": "Conversation compacted", "timestamp": stamp(at), "uuid": str(uuid.uuid4()), **meta, **common}))
            fill, cached = 9000, 0
        size += sum(len(l) + 1 for l in lines[-(blocks + 2):])
    return lines, at

written, project_index, start = 0, 0, datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
while written < budget:
    cwd = f"/home/dev/src/project-{project_index:02d}"
    folder = os.path.join(target, "".join(c if c.isalnum() else "-" for c in cwd))
    os.makedirs(folder, exist_ok=True)
    for _ in range(rng.randint(5, 15)):
        if written >= budget:
            break
        session = str(uuid.UUID(int=rng.getrandbits(128)))
        at = start + timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 600))
        common = {"userType": "external", "cwd": cwd, "sessionId": session, "version": "2.1.318", "gitBranch": "main"}
        model = "claude-opus-5-5" if rng.random() < 0.8 else "claude-sonnet-5-5"
        lines, end = conversation(common, at, rng.randint(1, 24) * 1024 * 1024, False, None, True, model, rng.random() < 0.5)
        data = "\n".join(lines) + "\n"
        with open(os.path.join(folder, session + ".jsonl"), "w") as f:
            f.write(data)
        written += len(data)
        if rng.random() < 0.2:
            agent = uuid.UUID(int=rng.getrandbits(128)).hex[:17]
            sub, _ = conversation(common, at + timedelta(minutes=5), rng.randint(1, 3) * 512 * 1024, True, agent, False, "claude-haiku-5-5", False)
            os.makedirs(os.path.join(folder, session, "subagents"), exist_ok=True)
            data = "\n".join(sub) + "\n"
            with open(os.path.join(folder, session, "subagents", f"agent-{agent}.jsonl"), "w") as f:
                f.write(data)
            written += len(data)
    project_index += 1
print(f"scan-bench.sh: wrote {written / 1048576:.0f} MB in {project_index} projects", file=sys.stderr)
