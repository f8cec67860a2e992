# Traces each job of strace-tests.py with the built module and writes its calls, one line each as
# "TID name(arguments) = result", to DIR/ours.txt. A job is a program, its folder and the
# Start-TracedProcess parameters that match the strace options of its test.
param([string] $Module, [string] $Jobs)
Import-Module $Module
foreach ($job in (Get-Content -Raw $Jobs | ConvertFrom-Json)) {
    Set-Location $job.dir
    $parameters = @{}
    foreach ($p in $job.params.PSObject.Properties) {
        $parameters[$p.Name] = if ($p.Value -is [bool]) { [switch]$p.Value } else { $p.Value }
    }
    try {
        Start-TracedProcess @parameters -RedirectStandardOutput /dev/null -RedirectStandardError /dev/null $job.program -ErrorAction Stop |
            Where-Object { $_ -is [PSSyscall.SyscallEvent] } |
            ForEach-Object { "$($_.ThreadId) $($_.Name)($($_.Arguments)) = $($_.Result)" } |
            Set-Content ours.txt
    } catch {
        "$_" | Set-Content ours-error.txt
    }
}
