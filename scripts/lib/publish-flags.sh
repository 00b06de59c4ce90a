# Sourced by scripts/acphost, scripts/bench.sh and scripts/soak.sh: how acphost is published wherever start-up or memory is measured.
#
# On Linux: self-contained, trimmed, and ReadyToRun in one composite image with the framework. Plain ReadyToRun
# cannot precompile the generic code that crosses from the app into the framework (async state machines, collections
# of the app's types, dependency injection), so some 1,300 methods were still compiled at start-up; in one version
# bubble with the framework about 250 are, and the relay is ready about 50 ms sooner on a 2-core machine. Trimming
# leaves out the framework code the host never calls, which is what keeps its peak RSS near 44 MiB instead of 64
# (src/AcpHost/AcpHost.csproj says what is kept whole). The first publish fetches the runtime, crossgen2 and ILLink
# packages and takes about a minute.
acphost_publish_flags=()
if [[ "$(uname -s)" == Linux ]]; then
  acphost_publish_flags=(-r "linux-$(uname -m | sed -e s/x86_64/x64/ -e s/aarch64/arm64/)" --self-contained true
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishTrimmed=true)
fi
