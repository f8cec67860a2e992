#!/usr/bin/env bash
# Full-trace benchmark (see trace-find.ps1). Usage: bench/trace-find.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/PSSyscall.Shell -v q -nologo >/dev/null
exec dotnet src/PSSyscall.Shell/bin/Release/net10.0/PSSyscall.Shell.dll -File bench/trace-find.ps1 "${1:-5}"
