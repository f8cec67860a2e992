# Fault injection costs (see docs/performance.md, section "Fault injection"):
#  1. an armed fault that never hits, and a -PathLike fault (path read at each matching entry),
#     against the same trace without -Inject;
#  2. a find traced while another traced process is held by a delay (the tracer polls then),
#     against the same find with nothing held;
#  3. the tracer's CPU use while it only holds a thread (idle cost of the polling wait).
# Runs are interleaved; prints each run, the medians and the minimums (the minimum is the
# steadier figure on a busy machine). Run through bench/faults.sh.
param([int]$Runs = 5, [string]$Find = "find /usr/share -name '*.h' > /dev/null")
# The Release module this checkout built (build.ps1), unless one is imported already.
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }

function Get-Median([double[]]$Values) {
    $sorted = [double[]]$Values.Clone()
    [Array]::Sort($sorted)
    $n = $sorted.Length
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}
function Get-Min([double[]]$Values) { [Linq.Enumerable]::Min($Values) }
function Format-Row([string]$Label, [double[]]$Values, [double[]]$Base) {
    $line = "{0,-28} median {1:N3} s, min {2:N3} s" -f $Label, (Get-Median $Values), (Get-Min $Values)
    if ($Base) { $line += " ({0:+0.0%;-0.0%} median, {1:+0.0%;-0.0%} min)" -f ((Get-Median $Values) / (Get-Median $Base) - 1), ((Get-Min $Values) / (Get-Min $Base) - 1) }
    $line
}
function Measure-Seconds([scriptblock]$Block) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew(); & $Block; $sw.Stop(); $sw.Elapsed.TotalSeconds
}

$none = New-SyscallFault fsync -Errno EIO                                  # armed, never matches
$path = New-SyscallFault openat -Errno ENOENT -PathLike '/nonexistent/*'   # reads every openat's path
$results = @{ plain = [Collections.Generic.List[double]]::new(); armed = [Collections.Generic.List[double]]::new(); pathlike = [Collections.Generic.List[double]]::new() }

Start-TracedProcess -- sh -c $Find | Out-Null   # warm up
for ($i = 1; $i -le $Runs; $i++) {
    $results.plain.Add((Measure-Seconds { Start-TracedProcess -- sh -c $Find | Out-Null }))
    $results.armed.Add((Measure-Seconds { Start-TracedProcess -Inject $none -- sh -c $Find | Out-Null }))
    $results.pathlike.Add((Measure-Seconds { Start-TracedProcess -Inject $path -- sh -c $Find | Out-Null }))
    "run {0}: no fault {1:N3} s, armed fault {2:N3} s, -PathLike fault {3:N3} s" -f $i, $results.plain[-1], $results.armed[-1], $results.pathlike[-1]
}

# 2. find's own time (measured inside the shell) while a sibling is held for 1.5 s at a sleep's exit.
$file = [IO.Path]::GetTempFileName()
$held = New-SyscallFault clock_nanosleep -DelayExit 1500ms
$script = "sleep 0.001 & s=`$(date +%s%N); $Find; e=`$(date +%s%N); echo `$(( (e - s) / 1000 )) > $file; wait"
$free = [Collections.Generic.List[double]]::new(); $busy = [Collections.Generic.List[double]]::new()
for ($i = 1; $i -le $Runs; $i++) {
    Start-TracedProcess -- sh -c $script | Out-Null
    $free.Add([double]([IO.File]::ReadAllText($file)) / 1e6)
    Start-TracedProcess -Inject $held -- sh -c $script | Out-Null
    $busy.Add([double]([IO.File]::ReadAllText($file)) / 1e6)
    "run {0}: find traced {1:N3} s, find traced while a sibling is held {2:N3} s" -f $i, $free[-1], $busy[-1]
}
[IO.File]::Delete($file)

# 3. CPU time of this process while the tracer holds the only tracee for 3 s (polling), against
#    tracing a command that sleeps 3 s by itself (the tracer blocks in waitpid).
$me = [Diagnostics.Process]::GetCurrentProcess()
function Measure-Cpu([scriptblock]$Block) {
    $me.Refresh(); $cpu0 = $me.TotalProcessorTime; & $Block; $me.Refresh(); ($me.TotalProcessorTime - $cpu0).TotalSeconds
}
$holdFault = New-SyscallFault clock_nanosleep -DelayExit '3s'
$null = Measure-Cpu { Start-TracedProcess -Inject $holdFault -- sleep 0.001 | Out-Null }   # warm up
$cpuHeld = Measure-Cpu { Start-TracedProcess -Inject $holdFault -- sleep 0.001 | Out-Null }
$cpuSleep = Measure-Cpu { Start-TracedProcess -- sleep 3.001 | Out-Null }

""
"workload: sh -c `"$Find`""
Format-Row 'no fault:' $results.plain
Format-Row 'armed, never hits:' $results.armed $results.plain
Format-Row '-PathLike on openat:' $results.pathlike $results.plain
Format-Row 'find, nothing held:' $free
Format-Row 'find, sibling held:' $busy $free
"CPU, tracee held 3 s:        {0:N3} s" -f $cpuHeld
"CPU, tracee sleeping 3 s:    {0:N3} s" -f $cpuSleep
"cost of holding:             {0:N3} s CPU over 3 s ({1:P2} of a core)" -f ($cpuHeld - $cpuSleep), (($cpuHeld - $cpuSleep) / 3)
