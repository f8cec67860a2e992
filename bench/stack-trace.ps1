# The cost of Start-TracedProcess -StackTrace (strace -k), against the same trace without it and
# against strace -f -k. Run pinned to one CPU: taskset -a -c 0 dotnet pwsh -NoProfile -File bench/stack-trace.ps1 [rounds]
# Prints medians (seconds) and the load average; events go to JSON Lines in /dev/null (decoded),
# strace's text to /dev/null.
param([int] $Rounds = 3, [string[]] $Workload = @('ls', '-laR', '/usr/share/doc'))
Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall')
function Measure-Median([scriptblock] $Block) {
    $times = foreach ($i in 1..$Rounds) { (Measure-Command $Block).TotalSeconds }
    ($times | Sort-Object)[[int][math]::Floor($times.Count / 2)]
}
$exe, $rest = $Workload
$off = Measure-Median { Start-TracedProcess -RedirectStandardOutput /dev/null -- $exe @rest 2>$null | Export-SyscallEvent -Path /dev/null -Format JsonLines }
$on = Measure-Median { Start-TracedProcess -StackTrace -RedirectStandardOutput /dev/null -- $exe @rest 2>$null | Export-SyscallEvent -Path /dev/null -Format JsonLines }
$events = @(Start-TracedProcess -RedirectStandardOutput /dev/null -- $exe @rest).Count
$straceOff = Measure-Median { strace -f -o /dev/null -- $exe @rest > $null }
$straceOn = Measure-Median { strace -f -k -o /dev/null -- $exe @rest > $null }
[pscustomobject]@{
    Workload = "$Workload"; Events = $events
    Ours = '{0:N3} s' -f $off; OursStackTrace = '{0:N3} s' -f $on; OursFactor = '{0:N2}' -f ($on / $off)
    Strace = '{0:N3} s' -f $straceOff; StraceK = '{0:N3} s' -f $straceOn; StraceFactor = '{0:N2}' -f ($straceOn / $straceOff)
    PerCallMicroseconds = '{0:N1}' -f (($on - $off) / $events * 1e6)
    LoadAverage = (Get-Content /proc/loadavg) -replace ' \d+/\d+ \d+$', ''
} | Format-List
