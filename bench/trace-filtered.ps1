# Filtered-trace benchmark (issue 16): find traced for one call by Start-TracedProcess -Name (the
# seccomp fast path) and by `strace -f --seccomp-bpf -e trace=NAME`, interleaved, pinned and
# unpinned (bench/TraceComparison.ps1 says how). Run through bench/trace-filtered.sh.
param([int]$Runs = 5, [string]$Workload = "find /usr -name '*.h' > /dev/null", [string]$Name = 'openat')
# The Release module this checkout built (build.ps1), unless one is imported already.
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }
. (Join-Path $PSScriptRoot 'TraceComparison.ps1')

Invoke-TraceComparison -Runs $Runs -Workload $Workload `
    -StraceLabel "strace --seccomp-bpf -e trace=$Name" -StraceArguments @('-f', '--seccomp-bpf', '-e', "trace=$Name") `
    -OursLabel "Start-TracedProcess -Name $Name" -OursParameters @{ Name = $Name } `
    -PinnedTarget 0.7
