<#
.SYNOPSIS
    Benchmark of trace files: write and re-read a 1,000,000-event trace.
.DESCRIPTION
    -Phase Write: traces a real workload once for a sample of events (decoded as Start-TracedProcess
    decodes them), repeats the sample to -Count events and times `$events | Export-SyscallEvent`.
    -Phase Read: times `Get-SyscallEvent FILE > $null` (read, parse, objects, pipeline).
    Each phase reports events/s and the process's peak working set (VmHWM). Run the phases in
    separate processes (trace-store.sh does) so that each peak is its own.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/trace-store.ps1 -Phase Write -Path /tmp/t.jsonl
#>
param(
    [ValidateSet('Write', 'Read')] [string] $Phase = 'Write',
    [string] $Path = "/tmp/pssyscall-bench-trace.jsonl",
    [int] $Count = 1000000,
    [string] $Format = 'JsonLines'
)
# The Release module this checkout built (build.ps1), unless one is imported already.
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }

$ErrorActionPreference = 'Stop'

function Get-CpuSeconds { [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds }

function Get-PeakWorkingSetMB {
    $line = [System.IO.File]::ReadAllLines('/proc/self/status') -match '^VmHWM:'
    [math]::Round([long](($line -split '\s+')[1]) / 1024, 1)
}

if ($Phase -eq 'Write') {
    $sample = [System.Collections.Generic.List[PSSyscall.TraceEvent]]::new()
    Start-TracedProcess -- sh -c 'ls -la /usr/share/doc /usr/lib > /dev/null; cat /etc/os-release > /dev/null' |
        ForEach-Object { $sample.Add($_) }
    $events = [PSSyscall.TraceEvent[]]::new($Count)
    for ($i = 0; $i -lt $Count; $i++) { $events[$i] = $sample[$i % $sample.Count] }
    [GC]::Collect()
    $cpu = Get-CpuSeconds
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $events | Export-SyscallEvent -Path $Path -Format $Format
    $sw.Stop()
    $cpu = (Get-CpuSeconds) - $cpu
    $size = [System.IO.FileInfo]::new($Path).Length
    "write {0,-9} {1} events (sample of {2}) in {3:0.00} s: {4:N0} events/s ({5:0.00} CPU s), file {6:0.0} MB, peak working set {7} MB" -f
        $Format, $Count, $sample.Count, $sw.Elapsed.TotalSeconds, ($Count / $sw.Elapsed.TotalSeconds), $cpu, ($size / 1MB), (Get-PeakWorkingSetMB)
}
else {
    $cpu = Get-CpuSeconds
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    Get-SyscallEvent -LiteralPath $Path > $null
    $sw.Stop()
    $cpu = (Get-CpuSeconds) - $cpu
    "read  {0,-9} {1} events in {2:0.00} s: {3:N0} events/s to `$null ({4:0.00} CPU s, reader and pipeline threads), peak working set {5} MB" -f
        $Format, $Count, $sw.Elapsed.TotalSeconds, ($Count / $sw.Elapsed.TotalSeconds), $cpu, (Get-PeakWorkingSetMB)
}
