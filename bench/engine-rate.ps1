# The host side of a trace (issue 16): the engine alone against Start-TracedProcess, so the cost
# PowerShell adds per event can be read off. In one pwsh, pinned to CPU 0 (the CPU cost per
# event), interleaved for -Runs rounds, the same workload is traced four ways:
#   engine       TraceSession read in compiled C#: events made, nothing formatted
#   engine+json  the same, every event written as JSON Lines to /dev/null (all arguments formatted)
#   cmdlet       Start-TracedProcess -- ... | Out-Null
#   cmdlet+json  Start-TracedProcess -OutFile /dev/null -- ... | Out-Null (bench/trace-find's figure)
# and, beside them, PowerShell's own floor: Write-Output of as many ready-made objects into Out-Null
# (what any cmdlet pays per object it writes, whatever it does to make them).
# and the medians, the events, and (cmdlet - engine) / events: PowerShell's cost per event.
# Run through bench/engine-rate.sh.
param([int]$Runs = 5, [string]$Workload = "find /usr/share -name '*.h' > /dev/null")
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }
. (Join-Path $PSScriptRoot 'TraceComparison.ps1')

$engine = Join-Path (Get-Module PSSyscall).ModuleBase 'PSSyscall.Engine.dll'
Add-Type -ErrorAction Stop -ReferencedAssemblies $engine, System.Collections, System.Linq, System.Runtime -TypeDefinition @'
using System;
using System.Diagnostics;
using PSSyscall;
using PSSyscall.Engine.Storage;
using PSSyscall.Engine.Tracing;

public static class EngineRate
{
    // Traces "sh -c workload" and returns (events, seconds). With json, every event is written
    // as JSON Lines to /dev/null, which formats every argument, as -OutFile does.
    public static double[] Run(string workload, bool json)
    {
        var options = new TraceOptions
        {
            Launch = new LaunchOptions { FilePath = "/bin/sh", ArgumentZero = "sh", Arguments = new[] { "-c", workload }, InheritDescriptors = true },
        };
        var sw = Stopwatch.StartNew();
        long events = 0;
        using (TraceFileWriter writer = json ? TraceFileWriter.Create("/dev/null", TraceFileFormat.JsonLines, false, "sh -c " + workload) : null)
        using (var session = TraceSession.Start(options))
        {
            foreach (var e in session.ReadEvents())
            {
                events++;
                if (writer != null) writer.Write(e);
            }
        }
        return new[] { events, sw.Elapsed.TotalSeconds };
    }
}
'@

$ways = 'engine', 'engine+json', 'cmdlet', 'cmdlet+json'
$times = @{}; foreach ($w in $ways) { $times[$w] = [System.Collections.Generic.List[double]]::new() }
$events = @{}
$loadBefore = Get-LoadAverage
Set-BenchAffinity '0'
# Warm the page cache and the JIT once each way.
$null = [EngineRate]::Run($Workload, $true)
Start-TracedProcess -OutFile /dev/null -- sh -c $Workload | Out-Null
for ($i = 1; $i -le $Runs; $i++) {
    foreach ($w in $ways) {
        switch ($w) {
            'engine' { $r = [EngineRate]::Run($Workload, $false); $times[$w].Add($r[1]); $events[$w] = $r[0] }
            'engine+json' { $r = [EngineRate]::Run($Workload, $true); $times[$w].Add($r[1]); $events[$w] = $r[0] }
            'cmdlet' { $times[$w].Add((Measure-Seconds { Start-TracedProcess -- sh -c $Workload | Out-Null })) }
            'cmdlet+json' { $times[$w].Add((Measure-Seconds { Start-TracedProcess -OutFile /dev/null -- sh -c $Workload | Out-Null })) }
        }
    }
    "run {0}: {1}" -f $i, (($ways | ForEach-Object { "{0} {1:N3} s" -f $_, $times[$_][-1] }) -join ', ')
}
# The cmdlet's own count, outside the timed runs (a ForEach-Object would add its own cost).
$cmdletEvents = (Start-TracedProcess -- sh -c $Workload | Measure-Object).Count
$ready = [object[]](1..$cmdletEvents | ForEach-Object { [pscustomobject]@{ N = $_ } })
$floor = Get-Median (1..$Runs | ForEach-Object { Measure-Seconds { Write-Output $ready | Out-Null } })
Set-BenchAffinity "0-$([Environment]::ProcessorCount - 1)"
$m = @{}; foreach ($w in $ways) { $m[$w] = Get-Median $times[$w] }
""
"workload: sh -c `"$Workload`", pinned to CPU 0, $Runs interleaved runs; events: engine $($events['engine']), cmdlet $cmdletEvents; load average before $loadBefore, after $(Get-LoadAverage)"
foreach ($w in $ways) { "{0,-12} median {1:N3} s" -f $w, $m[$w] }
$perEvent = ($m['cmdlet+json'] - $m['engine+json']) / $events['engine+json'] * 1e6
"PowerShell's cost per event (cmdlet+json - engine+json): {0:N2} us (target <= 1 us)" -f $perEvent
"PowerShell's floor per object (Write-Output of ready objects | Out-Null): {0:N2} us" -f ($floor / $cmdletEvents * 1e6)
"formatting every event as JSON (engine+json - engine): {0:N2} us" -f (($m['engine+json'] - $m['engine']) / $events['engine'] * 1e6)
