#!/usr/bin/env bash
# Sandbox start-up benchmark (see sandbox-startup.ps1). Usage: bench/sandbox-startup.sh [runs]
# Installs bubblewrap from the Debian packages if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v bwrap >/dev/null; then
    apt-get install -y bubblewrap >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y bubblewrap >/dev/null; }
fi
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
exec dotnet pwsh -NoProfile -File bench/sandbox-startup.ps1 "${1:-25}"
