# For scripts that publish acphost with plain `dotnet publish` flags (scan-bench.sh): the ReadyToRun build's, from
# scripts/lib/publish.sh, in acphost_publish_flags. What scripts/acphost makes (native where it can) is acphost_publish.
source "$(dirname "${BASH_SOURCE[0]}")/publish.sh"
acphost_publish_flags=()
if [[ "$(uname -s)" == Linux ]]; then
  mapfile -t acphost_publish_flags < <(acphost_publish_args ReadyToRun)
fi
