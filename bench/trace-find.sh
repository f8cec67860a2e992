#!/usr/bin/env bash
# Full-trace benchmark (see trace-find.ps1). Usage: bench/trace-find.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
exec dotnet pwsh -NoProfile -File bench/trace-find.ps1 "${1:-5}"
