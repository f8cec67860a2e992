# Full-trace benchmark: find /usr -name '*.h' untraced, under strace -f, and under
# Start-TracedProcess | Out-Null, interleaved, in one PowerShell process (pwsh).
# Prints each run and the medians; run through bench/trace-find.sh.
param([int]$Runs = 5, [string]$Workload = "find /usr -name '*.h' > /dev/null")
# The Release module this checkout built (build.ps1), unless one is imported already.
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }

function Measure-Run([scriptblock]$Block) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    & $Block
    $sw.Stop()
    $sw.Elapsed.TotalSeconds
}

function Get-Median([double[]]$Values) {
    $sorted = [double[]]$Values.Clone()
    [Array]::Sort($sorted)
    $n = $sorted.Length
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$untraced = [System.Collections.Generic.List[double]]::new()
$strace = [System.Collections.Generic.List[double]]::new()
$ours = [System.Collections.Generic.List[double]]::new()
$events = 0

# Warm the page cache and the JIT once.
& sh -c $Workload
Start-TracedProcess -- sh -c $Workload | Out-Null

for ($i = 1; $i -le $Runs; $i++) {
    $untraced.Add((Measure-Run { & sh -c $Workload }))
    $strace.Add((Measure-Run { & strace -f -o /dev/null -- sh -c $Workload }))
    $ours.Add((Measure-Run { Start-TracedProcess -- sh -c $Workload | Out-Null }))
    "run {0}: untraced {1:N3} s, strace {2:N3} s, Start-TracedProcess {3:N3} s" -f $i, $untraced[-1], $strace[-1], $ours[-1]
}
$count = 0
Start-TracedProcess -- sh -c $Workload | ForEach-Object { $count++ }

$mu = Get-Median $untraced; $ms = Get-Median $strace; $mo = Get-Median $ours
""
"workload: sh -c `"$Workload`" ($count events traced)"
"median untraced:            {0:N3} s" -f $mu
"median strace -f:           {0:N3} s" -f $ms
"median Start-TracedProcess: {0:N3} s" -f $mo
"ratio ours/strace:          {0:N2}" -f ($mo / $ms)
