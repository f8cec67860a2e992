#!/usr/bin/env bash
# Filtered-trace benchmark (see trace-filtered.ps1). Usage: bench/trace-filtered.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/PSSyscall.Shell -v q -nologo >/dev/null
exec dotnet src/PSSyscall.Shell/bin/Release/net10.0/PSSyscall.Shell.dll -File bench/trace-filtered.ps1 "${1:-5}"
