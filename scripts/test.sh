#!/usr/bin/env bash
# Runs every test: the unit tests and the end-to-end tests (which install the pinned Claude agent with npm on first
# use into ~/.cache/acphost-tests, then run it against a fake Messages API on 127.0.0.1).
# The end-to-end tests run the host users run: scripts/acphost's build (native where a C compiler works, else
# ReadyToRun), published first into artifacts/acphost and named to the tests by ACPHOST_TEST_HOST. Then the fallback:
# scripts/check-fallback.sh makes the ReadyToRun build three ways (no compiler, failing compilers, a failing native
# link), and that build gets the smoke tests.
# It is `dotnet test AcpHost.sln` plus those, and a closing summary line "N passed, N failed" read from the TRX results.
# Extra arguments go to dotnet test, e.g. scripts/test.sh --filter "FullyQualifiedName~Relay"; with any, the fallback
# step is left out (it takes some minutes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$(mktemp -d "${TMPDIR:-/tmp}/acphost-test-results.XXXXXX")"
trap 'rm -rf "$results"' EXIT

# Headless Chromium renders the post-mortem report in one end-to-end test: Debian's package, installed when missing
# and possible (as root, as CI and the project's machines run).
if ! command -v chromium >/dev/null 2>&1; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing Debian's chromium for the report test" >&2
    { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || echo "test.sh: could not install chromium; the report rendering test will fail, the others still run" >&2
  else
    echo "test.sh: chromium is not installed (apt-get install chromium); the report rendering test will fail" >&2
  fi
fi

# The build users run, published as scripts/acphost publishes it (reused when the sources have not changed).
version="$("$root/scripts/acphost" --version)"
echo "test.sh: the host under test: $version" >&2
export ACPHOST_TEST_HOST="$root/artifacts/acphost/acphost"

status=0
fallback_failed=0
# One test project at a time (-m:1): the load tests measure the host's memory under floods and the end-to-end tests
# run real agents against timeouts; on a two-core machine, run side by side, each starved the other (a control
# endpoint under a low file limit went unanswered for 30 s while the load tests ran).
dotnet test "$root/AcpHost.sln" -m:1 --logger "trx" --results-directory "$results" "$@" || status=$?

if [[ $# -eq 0 ]]; then
  fallback="$(mktemp -d "${TMPDIR:-/tmp}/acphost-fallback-build.XXXXXX")"
  if "$root/scripts/check-fallback.sh" "$fallback/acphost"; then
    echo "test.sh: smoke tests against the fallback: $("$fallback/acphost/acphost" --version)" >&2
    ACPHOST_TEST_HOST="$fallback/acphost/acphost" dotnet test "$root/tests/AcpHost.EndToEnd.Tests" --no-build --logger "trx;LogFileName=fallback.trx" \
      --results-directory "$results" --filter "FullyQualifiedName~PublishedBuildSmokeTests|FullyQualifiedName~HostCommandLineTests" || status=$?
  else
    # Counted as a failed test in the closing line: it is one, written as a script.
    status=1
    fallback_failed=1
  fi
  rm -rf "$fallback"
fi

passed=0
failed=$fallback_failed
skipped=0
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done

echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ "$status" -eq 0 && "$passed" -eq 0 ]]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
