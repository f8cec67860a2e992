#!/usr/bin/env bash
# Fault injection costs (see faults.ps1). Usage: bench/faults.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
exec dotnet pwsh -NoProfile -File bench/faults.ps1 "${1:-5}"
