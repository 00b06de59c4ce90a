#!/usr/bin/env bash
# Proves that scripts/acphost falls back to the ReadyToRun build wherever the native one cannot be made, by running it
# in a copy of this tree (no bin/, obj/ or artifacts/) three times:
#   1. no C compiler on PATH at all;
#   2. clang and gcc on PATH that fail (each exits 1);
#   3. a gcc that builds the probe's C program but fails when NativeAOT links the host: the native publish fails.
# Each must end with a working ReadyToRun host (`acphost --version` says so) and say why on stderr.
#
# usage: scripts/check-fallback.sh [KEEP_DIR]   (KEEP_DIR receives the fallback build, for the smoke tests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/acphost-fallback.XXXXXX")"
trap 'rm -rf "$work"' EXIT
keep="${1:-}"

mkdir -p "$work/tree"
tar -C "$root" --exclude=bin --exclude=obj -cf - src scripts Directory.Build.props Directory.Packages.props global.json nuget.config \
  | tar -C "$work/tree" -xf -

# A PATH with everything the original has except C and C++ compilers.
nocc="$work/nocc"
mkdir -p "$nocc"
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  [[ -d "$dir" ]] || continue
  for tool in "$dir"/*; do
    name="${tool##*/}"
    [[ -x "$tool" && ! -e "$nocc/$name" ]] || continue
    [[ "$name" =~ ^(cc|c\+\+|cpp|gcc.*|g\+\+.*|clang.*|.*-(gcc|g\+\+|cc|cpp)(-[0-9.]+)?)$ ]] && continue
    ln -s "$tool" "$nocc/$name"
  done
done

failing="$work/failing"
mkdir -p "$failing"
printf '#!/bin/sh\necho "$0: this compiler fails on purpose" >&2\nexit 1\n' >"$failing/gcc"
cp "$failing/gcc" "$failing/clang"
chmod +x "$failing/gcc" "$failing/clang"

# Builds the probe's one C program (read from stdin) with the real gcc; fails every other call, as a broken linker would.
linkfails="$work/linkfails"
mkdir -p "$linkfails"
cp "$failing/clang" "$linkfails/clang"
cat >"$linkfails/gcc" <<SH
#!/bin/sh
case " \$* " in *" -x c - "*) exec $(command -v gcc || echo false) "\$@" ;; esac
echo "\$0: this linker fails on purpose" >&2
exit 1
SH
chmod +x "$linkfails/gcc"

run() {
  local name="$1" path="$2" why="$3"
  rm -rf "$work/tree/artifacts"
  echo "check-fallback: $name ..." >&2
  if ! PATH="$path" ACPHOST_BUILD=auto "$work/tree/scripts/acphost" --version >"$work/stdout" 2>"$work/stderr"; then
    echo "check-fallback: FAIL ($name): scripts/acphost failed" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  if ! grep -q "(ReadyToRun," "$work/stdout" || ! grep -q "$why" "$work/stderr"; then
    echo "check-fallback: FAIL ($name): expected the ReadyToRun host and '$why' on stderr; got:" >&2
    cat "$work/stdout" "$work/stderr" >&2
    exit 1
  fi
  echo "check-fallback: ok ($name): $(cat "$work/stdout"); stderr: $(grep -m1 "$why" "$work/stderr")" >&2
}

run "no C compiler on PATH" "$nocc" "clang is not on PATH, gcc is not on PATH"
run "compilers that fail" "$failing:$PATH" "gcc cannot build a C program"
if command -v gcc >/dev/null 2>&1; then
  run "native publish fails" "$linkfails:$PATH" "building the ReadyToRun host instead"
else
  echo "check-fallback: skipped 'native publish fails': no gcc here to build the probe" >&2
fi

if [[ -n "$keep" ]]; then
  rm -rf "$keep"
  cp -r "$work/tree/artifacts/acphost" "$keep"
fi
echo "check-fallback: ok (3 ways without a native build, each gave the ReadyToRun host)" >&2
