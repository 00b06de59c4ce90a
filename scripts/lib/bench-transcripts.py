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
tools = ["Read", "Read", "Read", "Edit", "Bash", "Grep", "WebFetch"]
commands = ["dotnet build", "dotnet test --filter Relay", "git status", "git diff --stat", "npm run lint", "ls -la src"]
stamp = lambda at: at.isoformat(timespec="milliseconds").replace("+00:00", "Z")

def tool_input(tool, cwd):
    path = f"{cwd}/src/{rng.choice(words)}/{rng.choice(words)}{rng.randint(0, 40)}.cs"
    if tool == "Bash":
        return {"command": rng.choice(commands), "description": "run"}
    if tool == "Grep":
        return {"pattern": rng.choice(words), "path": f"{cwd}/src"}
    if tool == "WebFetch":
        return {"url": f"https://docs.example.com/{rng.choice(words)}", "prompt": "read"}
    return {"file_path": path}

def conversation(common, at, turns_budget, sidechain, agent_id, compact, model, one_hour):
    """Yields lines and returns the time reached: user turns (a tool's result, now and then an error), each answered by
    one response of 1-3 lines, most ending in a tool call; after each compaction the summary line and re-attached files."""
    fill, cached, size, lines, tool_id, seen = 20000, 0, 0, [], "toolu_0", []
    while size < turns_budget:
        start = len(lines)
        gap = rng.randint(5, 90) if rng.random() > 0.03 else rng.randint(6 * 60, 3 * 3600)
        at += timedelta(seconds=gap)
        if gap > (3600 if one_hour else 300):
            cached = 0
        extra = {"isSidechain": sidechain, **({"agentId": agent_id} if agent_id else {})}
        result = {"tool_use_id": tool_id, "type": "tool_result", "content": rng.choice(payloads)}
        if rng.random() < 0.04:
            result = {"type": "tool_result", "content": "Error: no such file", "is_error": True, "tool_use_id": tool_id}
        user = {"parentUuid": None, **extra, "type": "user", "uuid": str(uuid.uuid4()), "timestamp": stamp(at),
                "message": {"role": "user", "content": [result]}, **common}
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
            content = {"type": "text", "text": rng.choice(payloads[:3])}
            if block == blocks - 1 and rng.random() < 0.7:
                tool = rng.choice(tools)
                tool_id = "toolu_" + uuid.UUID(int=rng.getrandbits(128)).hex[:24]
                content = {"type": "tool_use", "id": tool_id, "name": tool, "input": tool_input(tool, common["cwd"])}
                seen.append(content["input"])
            assistant = {"parentUuid": user["uuid"], **extra, "type": "assistant", "uuid": str(uuid.uuid4()), "timestamp": stamp(at),
                         "message": {"id": message_id, "type": "message", "role": "assistant", "model": model,
                                     "content": [content], "usage": usage},
                         "requestId": "req_" + message_id[4:], **common}
            lines.append(dump(assistant))
        cached = fill
        if compact and fill > 160000:
            trigger = "auto" if rng.random() < 0.8 else "manual"
            if rng.random() < 0.5:
                meta = {"compactMetadata": {"trigger": trigger, "preTokens": fill, "postTokens": 9000, "durationMs": rng.randint(20000, 90000)}}
            else:
                meta = {"compact_metadata": {"trigger": trigger, "pre_tokens": fill, "post_tokens": 9000, "duration_ms": rng.randint(20000, 90000)}}
            boundary = str(uuid.uuid4())
            lines.append(dump({"parentUuid": None, "isSidechain": False, "type": "system", "subtype": "compact_boundary",
                               "content": "Conversation compacted", "timestamp": stamp(at), "uuid": boundary, **meta, **common}))
            files = [i["file_path"] for i in seen if "file_path" in i]
            named = ", ".join(f.rsplit("/", 1)[-1] for f in rng.sample(files, min(len(files), 12)))
            summary = ("This session is being continued from a previous conversation that ran out of context.\n\n<system-reminder>\n"
                       "<tools-used-before-summary>Bash, Edit, Read</tools-used-before-summary>\n</system-reminder>\nSummary:\n"
                       f"1. Primary Request: {text(1500)}\n2. Files: {named}.\n3. Ran dotnet test and git status.\n\n"
                       "If you need specific details from before compaction, read the full transcript at: /home/dev/.claude/x.jsonl")
            lines.append(dump({"parentUuid": boundary, "isSidechain": False, "type": "user", "message": {"role": "user", "content": summary},
                               "isCompactSummary": True, "uuid": str(uuid.uuid4()), "timestamp": stamp(at), **common}))
            for path in files[-rng.randint(0, 5):] if files else []:
                lines.append(dump({"parentUuid": boundary, "isSidechain": False, "type": "attachment", "uuid": str(uuid.uuid4()),
                                   "attachment": {"type": "file", "filename": path, "content": {"type": "text", "file": {"filePath": path, "content": rng.choice(payloads[:2])}}},
                                   "timestamp": stamp(at), **common}))
            fill, cached, seen = 9000, 0, []
        size += sum(len(l) + 1 for l in lines[start:])
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
