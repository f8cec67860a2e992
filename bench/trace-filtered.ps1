# Filtered-trace benchmark: find /usr -name '*.h' traced for openat only, by
# Start-TracedProcess -Name openat (the seccomp fast path) and by
# strace -f --seccomp-bpf -e trace=openat, interleaved, in one PowerShell process (pwsh). Prints each run, the medians and the ratio; run through bench/trace-filtered.sh.
param([int]$Runs = 5, [string]$Workload = "find /usr -name '*.h' > /dev/null", [string]$Name = 'openat')
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

# Warm the page cache and the JIT once.
& sh -c $Workload
Start-TracedProcess -Name $Name -- sh -c $Workload | Out-Null

for ($i = 1; $i -le $Runs; $i++) {
    $untraced.Add((Measure-Run { & sh -c $Workload }))
    $strace.Add((Measure-Run { & strace -f --seccomp-bpf -e "trace=$Name" -o /dev/null -- sh -c $Workload }))
    $ours.Add((Measure-Run { Start-TracedProcess -Name $Name -- sh -c $Workload | Out-Null }))
    "run {0}: untraced {1:N3} s, strace --seccomp-bpf {2:N3} s, Start-TracedProcess -Name {3} {4:N3} s" -f $i, $untraced[-1], $strace[-1], $Name, $ours[-1]
}
$count = 0
Start-TracedProcess -Name $Name -- sh -c $Workload | ForEach-Object { $count++ }

$mu = Get-Median $untraced; $ms = Get-Median $strace; $mo = Get-Median $ours
""
"workload: sh -c `"$Workload`", -Name $Name ($count events traced)"
"median untraced:                    {0:N3} s" -f $mu
"median strace --seccomp-bpf:        {0:N3} s" -f $ms
"median Start-TracedProcess -Name:   {0:N3} s" -f $mo
"ratio ours/strace:                  {0:N2} (target <= 0.8)" -f ($mo / $ms)
