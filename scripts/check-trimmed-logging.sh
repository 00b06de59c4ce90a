#!/usr/bin/env bash
# Checks that logging configured from a `Serilog` section works in the trimmed publish (scripts/lib/publish-flags.sh),
# where reflection over trimmed-away code would fail silently: a File sink and a MinimumLevel override, read from
# appsettings.json beside the executable, must write the file and filter by the override. The same check runs on the
# untrimmed build in HostCommandLineTests (Run_SerilogSectionWithFileSinkAndOverride_...).
#
# usage: scripts/check-trimmed-logging.sh [PUBLISHED_DIR]   (default: publish into a temp directory first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/acphost-trimcheck.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [[ $# -ge 1 ]]; then
  published="$1"
else
  source "$root/scripts/lib/publish-flags.sh"
  echo "check-trimmed-logging: publishing (Release, trimmed) ..." >&2
  dotnet publish "$root/src/AcpHost" -c Release -o "$work/published" --artifacts-path "$work/artifacts" --nologo -v quiet \
    ${acphost_publish_flags[@]+"${acphost_publish_flags[@]}"} >&2
  published="$work/published"
fi

cp -r "$published" "$work/host"
extra="$work/extra.log"
cat > "$work/host/appsettings.json" <<JSON
{"Serilog": {"MinimumLevel": {"Override": {"AcpHost.Relay": "Error"}},
             "WriteTo": [{"Name": "File", "Args": {"path": "$extra"}}]}}
JSON

echo '{"jsonrpc":"2.0","method":"hello"}' | "$work/host/acphost" run --data-dir "$work/data" --log-level debug -- cat >"$work/stdout" 2>"$work/stderr"
fail() { echo "check-trimmed-logging: FAIL: $1" >&2; cat "$work/stderr" >&2; exit 1; }
[[ "$(cat "$work/stdout")" == '{"jsonrpc":"2.0","method":"hello"}' ]] || fail "stdout is not the relayed line alone"
[[ -f "$extra" ]] || fail "the File sink from the Serilog section wrote no file"
grep -q "Relay ended (.*ClientClosed" "$extra" || fail "the File sink's file lacks the host's lines"
if grep -q "Agent exited (code 0)" "$extra" "$work/stderr"; then fail "the override (AcpHost.Relay: Error) did not filter"; fi
ls "$work/data/logs"/acphost-*.log >/dev/null || fail "no log file under the data directory"
echo "check-trimmed-logging: ok (Serilog section: File sink written, override applied)" >&2
