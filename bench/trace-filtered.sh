#!/usr/bin/env bash
# Filtered-trace benchmark (see trace-filtered.ps1). Usage: bench/trace-filtered.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
exec dotnet pwsh -NoProfile -File bench/trace-filtered.ps1 "${1:-5}"
