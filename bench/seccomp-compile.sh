#!/usr/bin/env bash
# Seccomp compile benchmark (see seccomp-compile.ps1). Usage: bench/seccomp-compile.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/PSSyscall.Shell -v q -nologo >/dev/null
exec dotnet src/PSSyscall.Shell/bin/Release/net10.0/PSSyscall.Shell.dll -File bench/seccomp-compile.ps1 "${1:-20}"
