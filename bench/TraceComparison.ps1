# The one method of every tracing benchmark (issue 16): in one pwsh, for each of -Runs rounds, the
# untraced workload, strace and Start-TracedProcess run one after another (interleaved), first with
# this process and everything it starts pinned to CPU 0 (the CPU cost per call), then free on every
# CPU (what a user waits). Medians per mode, both ratios, the untraced time beside them and the
# load average before and after. Decoding stays on, as strace's does: our events are written to
# /dev/null as JSON Lines (every argument formatted), as strace writes its text to /dev/null.
# Dot-source it, then call Invoke-TraceComparison (bench/trace-find.ps1, bench/trace-filtered.ps1).

function Get-Median([double[]]$Values) {
    $sorted = [double[]]$Values.Clone()
    [Array]::Sort($sorted)
    $n = $sorted.Length
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Measure-Seconds([scriptblock]$Block) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    & $Block
    $sw.Stop()
    $sw.Elapsed.TotalSeconds
}

# Every thread of this process (and so every process it starts from now on) on these CPUs.
function Set-BenchAffinity([string]$CpuList) {
    $null = & taskset -a -c -p $CpuList $PID
    if ($LASTEXITCODE -ne 0) { throw "taskset -a -c -p $CpuList $PID failed." }
}

function Get-LoadAverage { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' }

function Invoke-TraceComparison {
    param(
        [int] $Runs,
        [string] $Workload,
        [string] $StraceLabel,
        [string[]] $StraceArguments,
        [string] $OursLabel,
        [hashtable] $OursParameters,
        [double] $PinnedTarget,
        [double] $UnpinnedTarget
    )
    $allCpus = "0-$([Environment]::ProcessorCount - 1)"
    $modes = [ordered]@{ pinned = '0'; unpinned = $allCpus }
    $times = @{}
    foreach ($mode in $modes.Keys) { foreach ($tool in 'untraced', 'strace', 'ours') { $times["$mode/$tool"] = [System.Collections.Generic.List[double]]::new() } }

    $loadBefore = Get-LoadAverage
    # Warm the page cache and the JIT once.
    & sh -c $Workload
    Start-TracedProcess @OursParameters -OutFile /dev/null -- sh -c $Workload | Out-Null

    for ($i = 1; $i -le $Runs; $i++) {
        foreach ($mode in $modes.Keys) {
            Set-BenchAffinity $modes[$mode]
            $times["$mode/untraced"].Add((Measure-Seconds { & sh -c $Workload }))
            $times["$mode/strace"].Add((Measure-Seconds { & strace @StraceArguments -o /dev/null -- sh -c $Workload }))
            $times["$mode/ours"].Add((Measure-Seconds { Start-TracedProcess @OursParameters -OutFile /dev/null -- sh -c $Workload | Out-Null }))
            "run {0} {1,-8}: untraced {2:N3} s, {3} {4:N3} s, {5} {6:N3} s" -f $i, $mode, $times["$mode/untraced"][-1], $StraceLabel, $times["$mode/strace"][-1], $OursLabel, $times["$mode/ours"][-1]
        }
    }
    Set-BenchAffinity $allCpus
    $count = 0
    Start-TracedProcess @OursParameters -- sh -c $Workload | ForEach-Object { $count++ }

    ""
    "workload: sh -c `"$Workload`" ($count events traced); $Runs interleaved runs per mode; load average before $loadBefore, after $(Get-LoadAverage)"
    foreach ($mode in $modes.Keys) {
        $mu = Get-Median $times["$mode/untraced"]; $ms = Get-Median $times["$mode/strace"]; $mo = Get-Median $times["$mode/ours"]
        $target = if ($mode -eq 'pinned') { $PinnedTarget } else { $UnpinnedTarget }
        "{0,-8} medians: untraced {1:N3} s | {2} {3:N3} s ({4:N1}x untraced) | {5} {6:N3} s ({7:N1}x untraced) | ratio ours/strace {8:N2}{9}" -f `
            $mode, $mu, $StraceLabel, $ms, ($ms / $mu), $OursLabel, $mo, ($mo / $mu), ($mo / $ms), $(if ($target) { " (target <= $target)" } else { '' })
    }
}
