#!/usr/bin/env bash
# eBPF backend vs strace (issue 17); see ebpf-vs-strace.ps1. Usage: bench/ebpf-vs-strace.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
exec dotnet pwsh -NoProfile -File bench/ebpf-vs-strace.ps1 "${1:-5}"
