# The eBPF backend against strace (issue 17), in one pwsh, interleaved, -Runs rounds (>= 5), first
# pinned to CPU 0 (this process and all it starts: the CPU cost per call), then on every CPU (what
# a user waits), medians, the untraced time and the load average beside them:
#   full      Start-TracedProcess -Backend Ebpf (every call, every capture decoded-on-demand)
#             piped to Out-Null, vs `strace -f -o /dev/null`; targets <= 0.3x strace, <= 4x untraced
#   filtered  Start-TracedProcess -Backend Ebpf -Name openat | Out-Null, vs
#             `strace -f --seccomp-bpf -e trace=openat -o /dev/null`, both including their start
#             (for us: loading, verifying and attaching the kernel programs); target <= 1.0x
# Run through bench/ebpf-vs-strace.sh (it builds the Release module first).
param([int]$Runs = 5, [string]$Workload = "find /usr/share -name '*.h' > /dev/null")
if ($Runs -lt 5) { throw 'Use at least 5 runs: the medians of fewer say little on a shared machine.' }
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }
. (Join-Path $PSScriptRoot 'TraceComparison.ps1')   # Get-Median, Measure-Seconds, Set-BenchAffinity, Get-LoadAverage

$allCpus = "0-$([Environment]::ProcessorCount - 1)"
$modes = [ordered]@{ pinned = '0'; unpinned = $allCpus }
$cases = [ordered]@{
    'untraced'        = { & sh -c $Workload }
    'strace -f'       = { & strace -f -o /dev/null -- sh -c $Workload }
    'ebpf full'       = { Start-TracedProcess -Backend Ebpf -- sh -c $Workload | Out-Null }
    'strace openat'   = { & strace -f --seccomp-bpf -e trace=openat -o /dev/null -- sh -c $Workload }
    'ebpf -Name openat' = { Start-TracedProcess -Backend Ebpf -Name openat -- sh -c $Workload | Out-Null }
}
$times = @{}
foreach ($mode in $modes.Keys) { foreach ($case in $cases.Keys) { $times["$mode/$case"] = [System.Collections.Generic.List[double]]::new() } }

$loadBefore = Get-LoadAverage
foreach ($case in $cases.Values) { & $case }   # warm the page cache and the JIT once
for ($i = 1; $i -le $Runs; $i++) {
    foreach ($mode in $modes.Keys) {
        Set-BenchAffinity $modes[$mode]
        $line = foreach ($case in $cases.Keys) {
            $t = Measure-Seconds $cases[$case]
            $times["$mode/$case"].Add($t)
            '{0} {1:N3} s' -f $case, $t
        }
        "run $i $($mode.PadRight(8)): $($line -join ', ') (load $(Get-LoadAverage))"
    }
}
Set-BenchAffinity $allCpus
$events = 0
$dropped = 0
Start-TracedProcess -Backend Ebpf -Summary -- sh -c $Workload 3>$null | ForEach-Object { $events += $_.Calls; $dropped = $_.LostEvents }

''
"workload: sh -c `"$Workload`" ($events calls counted by the eBPF backend, $dropped lost); $Runs interleaved runs per mode; load average before $loadBefore, after $(Get-LoadAverage)"
foreach ($mode in $modes.Keys) {
    $m = @{}
    foreach ($case in $cases.Keys) { $m[$case] = Get-Median $times["$mode/$case"] }
    $u = $m['untraced']
    '{0,-8} medians: untraced {1:N3} s | strace -f {2:N3} s ({3:N1}x) | ebpf full {4:N3} s ({5:N1}x untraced, {6:N2}x strace; targets <= 4x, <= 0.3x) | strace --seccomp-bpf openat {7:N3} s | ebpf -Name openat {8:N3} s ({9:N2}x strace; target <= 1.0x)' -f `
        $mode, $u, $m['strace -f'], ($m['strace -f'] / $u), $m['ebpf full'], ($m['ebpf full'] / $u), ($m['ebpf full'] / $m['strace -f']),
        $m['strace openat'], $m['ebpf -Name openat'], ($m['ebpf -Name openat'] / $m['strace openat'])
}
