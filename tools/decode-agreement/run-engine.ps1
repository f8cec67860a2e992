# Traces each program given with the built module and writes its calls, one line each as
# "TID name(arguments) = result", to PROGRAM.ours (decode-agreement.py compares them with strace).
param([string] $Module, [string] $Program, [string] $Arguments)
Import-Module $Module
foreach ($p in $Program.Split(",")) {
    Set-Location (Split-Path $p)
    # Only the sockets workload takes an argument (its port).
    $events = if ((Split-Path -Leaf $p) -eq 'sockets') { Start-TracedProcess -StringLimit 64 $p $Arguments } else { Start-TracedProcess -StringLimit 64 $p }
    $events |
        Where-Object { $_ -is [PSSyscall.SyscallEvent] } |
        ForEach-Object { "$($_.ThreadId) $($_.Name)($($_.Arguments)) = $($_.Result)" } |
        Set-Content "$p.ours"
}
