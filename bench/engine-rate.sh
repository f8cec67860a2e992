#!/usr/bin/env bash
# The engine alone against Start-TracedProcess (see engine-rate.ps1). Usage: bench/engine-rate.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
exec dotnet pwsh -NoProfile -File bench/engine-rate.ps1 "${1:-5}"
