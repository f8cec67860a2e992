# Full-trace benchmark (issue 16): find untraced, under `strace -f -o /dev/null`, and under
# Start-TracedProcess with every event decoded and written to /dev/null, interleaved, pinned and
# unpinned (bench/TraceComparison.ps1 says how). Run through bench/trace-find.sh.
param([int]$Runs = 5, [string]$Workload = "find /usr/share -name '*.h' > /dev/null")
# The Release module this checkout built (build.ps1), unless one is imported already.
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }
. (Join-Path $PSScriptRoot 'TraceComparison.ps1')

Invoke-TraceComparison -Runs $Runs -Workload $Workload `
    -StraceLabel 'strace -f' -StraceArguments @('-f') `
    -OursLabel 'Start-TracedProcess' -OursParameters @{} `
    -PinnedTarget 0.8 -UnpinnedTarget 0.8
