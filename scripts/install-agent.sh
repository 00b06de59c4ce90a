#!/usr/bin/env bash
# Installs the pinned Claude agent ahead of time, exactly as `acphost run` would on first use, and prints the path of
# its entry script. Options are acphost's: --data-dir DIR, --set Agent:InstallDir=DIR, --log-level LEVEL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec dotnet run --project "$root/src/AcpHost" -c Release -v quiet -- install-agent "$@"
