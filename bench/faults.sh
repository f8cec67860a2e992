#!/usr/bin/env bash
# Fault injection costs (see faults.ps1). Usage: bench/faults.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/PSSyscall.Shell -v q -nologo >/dev/null
exec dotnet src/PSSyscall.Shell/bin/Release/net10.0/PSSyscall.Shell.dll -File bench/faults.ps1 "${1:-5}"
