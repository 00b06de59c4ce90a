# Sourced by scripts/acphost, scripts/test.sh, scripts/bench.sh and scripts/soak.sh: how acphost is published.
#
#   acphost_publish OUT KIND [DOTNET_PUBLISH_ARGS...]
#
# KIND is `native`, `ReadyToRun` or `auto`. `auto` (what scripts/acphost does) publishes the native build where a C
# toolchain works, and the ReadyToRun build where none does or the native publish fails; it says on stderr which it
# makes and why. Sets acphost_built to the kind made, also written to OUT/.acphost-build.
#
# native: NativeAOT, one executable with no runtime to start and nothing to JIT: the host answers `initialize` about
#   200 ms sooner and peaks at about half the memory (docs/native-build.md). It links with clang, else gcc. It is
#   compiled for the instruction set of the machine that publishes (IlcInstructionSet=native), which is where
#   scripts/acphost runs it; docs/native-build.md says how to build one binary for other machines.
# ReadyToRun: self-contained, trimmed, and precompiled in one composite image with the framework. Plain ReadyToRun
#   cannot precompile the generic code that crosses from the app into the framework (async state machines,
#   collections of the app's types, dependency injection), so some 1,300 methods were still compiled at start-up; in
#   one version bubble with the framework about 250 are. Trimming leaves out the framework code the host never calls,
#   which keeps its peak RSS near 45 MiB instead of 64.
# Both are made on Linux only; elsewhere the plain framework-dependent publish is made.

acphost_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# The runtime identifier of this machine.
acphost_rid() {
  echo "linux-$(uname -m | sed -e s/x86_64/x64/ -e s/aarch64/arm64/)"
}

# Finds the C compiler NativeAOT can link with, clang first (.NET's default), else gcc: one that compiles and links a
# C program that then runs. Sets acphost_cc, or returns 1 with the reasons in acphost_cc_why.
acphost_find_cc() {
  local cc probe
  acphost_cc=""
  acphost_cc_why=""
  for cc in clang gcc; do
    if ! command -v "$cc" >/dev/null 2>&1; then
      acphost_cc_why+="${acphost_cc_why:+, }$cc is not on PATH"
      continue
    fi
    probe="$(mktemp -d "${TMPDIR:-/tmp}/acphost-cc.XXXXXX")"
    if printf 'int main(void) { return 0; }\n' | "$cc" -x c - -o "$probe/probe" >"$probe/log" 2>&1 && "$probe/probe"; then
      rm -rf "$probe"
      acphost_cc="$cc"
      return 0
    fi
    acphost_cc_why+="${acphost_cc_why:+, }$cc cannot build a C program ($(head -n 1 "$probe/log" | cut -c1-160))"
    rm -rf "$probe"
  done
  return 1
}

# The dotnet publish arguments of a kind.
acphost_publish_args() {
  case "$1" in
    native)
      printf '%s\n' -r "$(acphost_rid)" --self-contained true -p:PublishAot=true -p:IlcInstructionSet=native
      [[ "$acphost_cc" == gcc ]] && printf '%s\n' -p:CppCompilerAndLinker=gcc
      ;;
    ReadyToRun)
      printf '%s\n' -r "$(acphost_rid)" --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishTrimmed=true
      ;;
  esac
  return 0
}

# Publishes one kind into OUT through a staging folder, so that OUT is never half old, half new. The publish's own
# output goes to OUT.log.
acphost_publish_kind() {
  local out="$1" kind="$2" args
  shift 2
  mapfile -t args < <(acphost_publish_args "$kind")
  rm -rf "$out.new"
  if ! dotnet publish "$acphost_root/src/AcpHost" -c Release -o "$out.new" --nologo -v quiet "${args[@]}" "$@" >"$out.log" 2>&1 \
      || [[ ! -x "$out.new/acphost" ]]; then
    rm -rf "$out.new"
    echo "acphost: the $kind build failed (whole log: $out.log):" >&2
    { grep -E ' error |: error' "$out.log" || tail -n 5 "$out.log"; } | sort -u | head -n 5 | cut -c1-400 >&2
    return 1
  fi
  echo "$kind" >"$out.new/.acphost-build"
  rm -rf "$out.old"
  if [[ -e "$out" ]]; then mv "$out" "$out.old"; fi
  mv "$out.new" "$out"
  rm -rf "$out.old"
  acphost_built="$kind"
}

acphost_publish() {
  local out="$1" requested="$2" kind="$2" started=$SECONDS
  shift 2
  mkdir -p "$(dirname "$out")"
  if [[ "$(uname -s)" != Linux ]]; then
    echo "acphost: building (Release, framework-dependent: the native and ReadyToRun builds are made on Linux only) into $out ..." >&2
    dotnet publish "$acphost_root/src/AcpHost" -c Release -o "$out" --nologo -v quiet "$@" >&2 || return 1
    acphost_built=JIT
    return 0
  fi

  case "$requested" in
    auto)
      if acphost_find_cc; then
        kind=native
        echo "acphost: building the native host (NativeAOT, linked with $acphost_cc, for this machine's CPU) into $out; the first build takes about 2 minutes ..." >&2
      else
        kind=ReadyToRun
        echo "acphost: building the ReadyToRun host into $out, not the native one: NativeAOT needs a C compiler that works, and $acphost_cc_why ..." >&2
      fi
      ;;
    native)
      acphost_find_cc || { echo "acphost: cannot build the native host: $acphost_cc_why" >&2; return 1; }
      echo "acphost: building the native host (linked with $acphost_cc) into $out ..." >&2
      ;;
    ReadyToRun)
      echo "acphost: building the ReadyToRun host into $out ..." >&2
      ;;
    *)
      echo "acphost: unknown build '$requested' (native, ReadyToRun or auto)" >&2
      return 1
      ;;
  esac

  if ! acphost_publish_kind "$out" "$kind" "$@"; then
    [[ "$requested" == auto && "$kind" == native ]] || return 1
    echo "acphost: building the ReadyToRun host instead ..." >&2
    acphost_publish_kind "$out" ReadyToRun "$@" || return 1
  fi
  echo "acphost: built the $acphost_built host in $((SECONDS - started)) s" >&2
}
