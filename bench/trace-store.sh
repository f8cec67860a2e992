#!/bin/sh
# Write and re-read a 1,000,000-event trace in each format; each phase in its own process so each
# peak working set is its own. Usage: bench/trace-store.sh [COUNT] [FORMATS...]
# (The shell passes script arguments by position: Phase, Path, Count, Format.)
set -e
cd "$(dirname "$0")/.."
count=${1:-1000000}
[ $# -gt 0 ] && shift
formats=${*:-JsonLines Csv Strace}
dotnet tool restore >/dev/null && dotnet pwsh -NoProfile -File ./build.ps1 >/dev/null   # the Release module
shell="dotnet pwsh -NoProfile -File"
for format in $formats; do
    file=/tmp/pssyscall-bench-trace.$format
    $shell bench/trace-store.ps1 Write "$file" "$count" "$format"
    $shell bench/trace-store.ps1 Read "$file" "$count" "$format"
    [ -n "$KEEP" ] || rm -f "$file"
done
