# Traces each program given with the built module and writes its calls, one line each as
# "TID name(arguments) = result", to PROGRAM.ours (decode-agreement.py compares them with strace).
param([string] $Module, [string] $Program)
Import-Module $Module
foreach ($p in $Program.Split(",")) {
    Set-Location (Split-Path $p)
    Start-TracedProcess -StringLimit 64 $p |
        Where-Object { $_ -is [PSSyscall.SyscallEvent] } |
        ForEach-Object { "$($_.ThreadId) $($_.Name)($($_.Arguments)) = $($_.Result)" } |
        Set-Content "$p.ours"
}
