#!/usr/bin/env bash
# Seccomp compile benchmark (see seccomp-compile.ps1). Usage: bench/seccomp-compile.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
exec dotnet pwsh -NoProfile -File bench/seccomp-compile.ps1 "${1:-20}"
