#!/usr/bin/env bash
# Regenerates src/AcpHost/native-order.txt: the methods the native host runs in a short session, which the NativeAOT
# compiler lays out first and together (IlcOrderFile, in AcpHost.csproj). Why: the kernel maps an executable's pages
# 64 KiB at a time around each page the process touches, so start-up code scattered over the 9 MiB of compiled methods
# kept 7.6 MiB of them resident in an idle host; packed together, the 1.2 MiB it runs keep about 2.6 MiB
# (docs/native-build.md, "Memory"). A stale list costs nothing but that locality: a name that no longer exists is
# ignored, a new method goes after the listed ones. Run it after large changes to start-up or the relay's path.
#
# How: publishes a native build for the baseline instruction set (valgrind cannot run AVX-512) with its symbols,
# relays a short session under valgrind's callgrind (start-up, initialize, session/new, prompt turns, pings, a small
# flood, the control socket untouched, shutdown) between a scripted client and the benchmark's fake agent, and lists
# every compiled method that ran, by name. Needs valgrind (Debian: apt-get install valgrind) and a C compiler.
#
# usage: scripts/native-order.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v valgrind >/dev/null || { echo "native-order.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
source "$root/scripts/lib/publish.sh"
acphost_find_cc || { echo "native-order.sh: needs a C compiler: $acphost_cc_why" >&2; exit 1; }

out="$(mktemp -d "${TMPDIR:-/tmp}/acphost-order.XXXXXX")"
trap 'rm -rf "$out"' EXIT

linker=()
[[ "$acphost_cc" == gcc ]] && linker=(-p:CppCompilerAndLinker=gcc)
echo "native-order.sh: publishing the profiling build and the fake agent" >&2
# No order file here: the list is of what runs, whatever the layout it ran in.
dotnet publish "$root/src/AcpHost" -c Release -r "$(acphost_rid)" --self-contained true -p:PublishAot=true -p:StripSymbols=false \
  -p:IlcOrderFile= "${linker[@]}" -o "$out/acphost" --artifacts-path "$out/artifacts" --nologo -v quiet >&2
objcopy --strip-debug "$out/acphost/acphost"   # valgrind reads the symbol table, and gives up on this DWARF
dotnet publish "$root/bench/AcpHost.Bench/AcpHost.Bench.csproj" -c Release -o "$out/bench" --artifacts-path "$out/artifacts" --nologo -v quiet >&2

echo "native-order.sh: relaying a short session under callgrind (a minute or two)" >&2
python3 - "$out" <<'PY'
import json, subprocess, sys
out = sys.argv[1]
host = subprocess.Popen(
    ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out",
     f"{out}/acphost/acphost", "run", "--data-dir", f"{out}/data", "--", f"{out}/bench/acphost-bench", "fake-agent"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

def call(id, method, params):
    host.stdin.write((json.dumps({"jsonrpc": "2.0", "id": id, "method": method, "params": params}) + "\n").encode())
    host.stdin.flush()
    for line in host.stdout:
        if json.loads(line).get("id") == id:
            return
    sys.exit("native-order.sh: the host ended before answering " + method)

call(1, "initialize", {"protocolVersion": 1, "clientCapabilities": {}})
call(2, "session/new", {"cwd": out, "mcpServers": []})
for i in range(20):
    call(10 + i, "session/prompt", {"sessionId": "sess_bench", "prompt": [{"type": "text", "text": f"turn {i}"}]})
    call(100 + i, "bench/ping", {})
call(200, "bench/flood", {"count": 2000, "size": 64})
host.stdin.close()
host.wait(timeout=300)
PY

nm --defined-only "$out/acphost/acphost" | awk '$2 ~ /^[tTwW]$/ {print $3}' | sort -u > "$out/symbols"
# Every function that ran (a fn= line), kept when it is one of the compiled methods. Callgrind names a function once,
# on its first fn= or cfn= line, and by its number after that.
python3 - "$out/callgrind.out" > "$out/ran" <<'PY'
import re, sys
names, ran = {}, set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
    if m:
        if m.group(3):
            names[m.group(2)] = m.group(3)
        if m.group(1) == "fn":
            ran.add(m.group(2))
print("\n".join(sorted({names[i] for i in ran if i in names})))
PY
sort -u -o "$out/ran" "$out/ran"
comm -12 "$out/ran" "$out/symbols" > "$root/src/AcpHost/native-order.txt"
echo "native-order.sh: $(wc -l < "$root/src/AcpHost/native-order.txt") methods in src/AcpHost/native-order.txt" >&2
