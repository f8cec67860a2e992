# Start-TracedProcess's run options from issue 18, each against strace 6.1 on the same workload:
# -Environment/-ClearEnvironment (strace -E), -User (-u), -DetachOn execve (-b execve),
# -DetachedTracer (-D/-DD/-DDD), -Status (-e status=), -Signal (-e signal=), and -Summary's
# -SortBy (-S), -WallClock (-w), -IncludeTotal (the total row) and -Column (-U).

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1

    # The events of a trace, without the program's output lines (they are information records).
    function Get-TracedEvent {
        @(Start-TracedProcess -CaptureOutput @args 6>$null)
    }

    # The program's stdout lines as Start-TracedProcess -CaptureOutput gives them back.
    function Get-TracedOutput {
        @(Start-TracedProcess -CaptureOutput @args 6>&1 |
            Where-Object { $_ -is [System.Management.Automation.InformationRecord] -and 'StandardOutput' -in $_.Tags } |
            ForEach-Object { "$($_.MessageData)" })
    }

    # strace's log of a run (-f -o FILE plus the options), one line per event with the leading pid
    # and the addresses the two runs cannot share taken out; a call split by another process's line
    # ("<unfinished ...>", then "<... name resumed>") counts once, by its first half.
    function Get-StraceLine {
        param([string[]] $StraceOption, [Parameter(ValueFromRemainingArguments)] [string[]] $Command)
        $log = Join-Path $TestDrive "strace-$([guid]::NewGuid()).log"
        $null = Invoke-Strace -StraceOption (@('-f', '-o', $log) + $StraceOption) @Command
        # (strace 6.1 with -e status= prints the second half of a split call without its pid
        # prefix: such a line is not an event of its own either.)
        @(Get-Content -LiteralPath $log | Where-Object { $_ -match '^\d+\s' -and $_ -notmatch '^\d+\s+<\.\.\. \w+ resumed>' } |
            ForEach-Object { ConvertTo-ComparableLine ($_ -replace '^\d+\s+', '') })
    }

    function ConvertTo-ComparableLine([string] $Line) {
        ($Line -replace '0x[0-9a-f]{6,}', 'ADDR' -replace '(pipe|socket):\[\d+\]', '$1:[N]' -replace 'si_pid=\d+', 'si_pid=N' -replace '\s+=\s+', ' = ' -replace '= \d{3,}$', '= N').TrimEnd()
    }

    # Our events as strace prints them without -y and without times.
    function ConvertTo-StraceLine {
        param([Parameter(ValueFromPipeline)] $InputObject)
        process {
            $line = switch ($InputObject) {
                { $_ -is [PSSyscall.SyscallEvent] -and $_.Detached } { "$($_.Name)($($_.Arguments) <detached ...>" }
                { $_ -is [PSSyscall.SyscallEvent] } { "$($_.Name)($($_.Arguments)) = $($_.Result)" }
                default { ("$_" -replace '^\[pid \d+\] ', '') }
            }
            ConvertTo-ComparableLine ($line -replace '<[^<>]*>', '' -replace '\(\s*', '(')
        }
    }

    # strace -c's table as objects, in its order (total row included).
    function Get-StraceSummary {
        param([string[]] $StraceOption, [Parameter(ValueFromRemainingArguments)] [string[]] $Command)
        $file = Join-Path $TestDrive "summary-$([guid]::NewGuid()).txt"
        $null = Invoke-Strace -StraceOption (@('-f', '-c', '-U', 'name,calls,errors', '-o', $file) + $StraceOption) @Command
        foreach ($line in Get-Content -LiteralPath $file) {
            $f = $line.Trim() -split '\s+'
            if ($f.Count -lt 2 -or $f[0] -eq 'syscall' -or $f[0].StartsWith('-')) { continue }
            [pscustomobject]@{ Name = $f[0]; Calls = [long]$f[1]; Errors = if ($f.Count -ge 3) { [long]$f[2] } else { 0L } }
        }
    }

    $script:workDir = New-TestDirectory
    $source = Join-Path $workDir 'st.c'
    Set-Content -LiteralPath $source -Value @'
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    open("/nonexistent", O_RDONLY);
    getpid();
    pid_t p = fork();
    if (p == 0) { pause(); _exit(0); }
    usleep(100000);
    kill(p, SIGTERM);
    waitpid(p, 0, 0);
    raise(SIGUSR1 == 0 ? 0 : SIGCHLD);
    return 0;
}
'@
    $script:program = Join-Path $workDir 'st'
    & gcc -O0 -o $program $source
    if ($LASTEXITCODE -ne 0) { throw 'gcc failed to build the test program' }
}

AfterAll {
    Remove-TestDirectory $script:workDir
}

Describe 'Start-TracedProcess -Environment (strace -E)' {
    It 'sets and removes variables as strace -E var=val -E var does' {
        $lines = Get-TracedOutput -Environment @{ PSSYSCALL_TEST = 'a b'; HOME = $null } env
        $lines | Should -Contain 'PSSYSCALL_TEST=a b'
        $lines | Where-Object { $_ -like 'HOME=*' } | Should -BeNullOrEmpty
        $lines | Where-Object { $_ -like 'PATH=*' } | Should -Not -BeNullOrEmpty
        # The same number of variables reaches execve as under strace with the same changes.
        $ours = (Get-TracedEvent -Name execve -Environment @{ PSSYSCALL_TEST = 'a b'; HOME = $null } env | Where-Object Name -eq execve)[0].Arguments
        $theirs = (Get-StraceLine -StraceOption '-e', 'trace=execve', '-E', 'PSSYSCALL_TEST=a b', '-E', 'HOME' env)[0]
        [regex]::Match($ours, '/\* (\d+) vars \*/').Groups[1].Value | Should -Be ([regex]::Match($theirs, '/\* (\d+) vars \*/').Groups[1].Value)
    }

    It 'takes strace -E''s own words too: NAME=value sets, NAME removes' {
        $lines = Get-TracedOutput -Environment 'PSSYSCALL_TEST=x=y', 'HOME' env
        $lines | Should -Contain 'PSSYSCALL_TEST=x=y'
        $lines | Where-Object { $_ -like 'HOME=*' } | Should -BeNullOrEmpty
    }

    It 'starts from nothing with -ClearEnvironment' {
        Get-TracedOutput -ClearEnvironment -Environment @{ ONLY = '1' } /usr/bin/env | Should -BeExactly @('ONLY=1')
    }

    It 'refuses a name that execve cannot carry' {
        { Start-TracedProcess -Environment @{ 'A=B' = 1 } /bin/true } | Should -Throw -ErrorId 'InvalidEnvironmentName,PSSyscall.Commands.StartTracedProcessCommand'
    }
}

Describe 'Start-TracedProcess -User (strace -u)' {
    It 'runs the command as nobody, with the ids strace -u nobody gives it, while this process stays root' {
        $ours = Get-TracedEvent -User nobody -Name getuid, geteuid, getgid, getgroups id | Where-Object EventType -eq Syscall | ConvertTo-StraceLine
        $theirs = Get-StraceLine -StraceOption '-u', 'nobody', '-e', 'trace=getuid,geteuid,getgid,getgroups', '-qq' id | Where-Object { $_ -notlike '+++*' }
        $ours.Count | Should -Be 5
        $ours | Should -BeExactly $theirs
        (Get-TracedOutput -User 65534 -- id -u) | Should -BeExactly '65534'
        [Environment]::UserName | Should -Be 'root'
    }

    It 'gives a member of a group its supplementary groups, as initgroups does' -Skip:(-not (Get-Content /etc/group | Where-Object { ($_ -split ':')[3] })) {
        $member = (Get-Content /etc/group | Where-Object { ($_ -split ':')[3] } | Select-Object -First 1) -split ':' | Select-Object -Last 1
        $member = ($member -split ',')[0]
        $ours = Get-TracedOutput -User $member id
        $theirs = (Invoke-Strace -StraceOption '-qq', '-o', '/dev/null', '-u', $member id).StandardOutput.Trim()
        $ours | Should -BeExactly $theirs
        $ours | Should -Match 'groups=.*,'
    }

    It 'says so when no such user exists' {
        { Start-TracedProcess -User no-such-user-here /bin/true } | Should -Throw -ErrorId 'UserNotFound,PSSyscall.Commands.StartTracedProcessCommand'
    }
}

Describe 'Start-TracedProcess -DetachOn execve (strace -b execve)' {
    It 'reports the child''s execve as detached and nothing of the new program, with strace''s counts' {
        $command = 'sh', '-c', '/bin/true; echo x'
        $events = Get-TracedEvent -DetachOn execve -- @command
        $detached = @($events | Where-Object { $_ -is [PSSyscall.SyscallEvent] -and $_.Detached })
        $detached | Should -HaveCount 1
        $detached[0].Name | Should -Be 'execve'
        $detached[0].Status | Should -Be 'Detached'
        $detached[0].Arguments.StartsWith('"/bin/true", ["/bin/true"]') | Should -BeTrue
        @($events | Where-Object { $_.ProcessId -eq $detached[0].ProcessId -and $_.Timestamp -gt $detached[0].Timestamp }) | Should -BeNullOrEmpty
        # The command's own first execve is not a reason to detach.
        @($events | Where-Object { $_.Name -eq 'execve' -and -not $_.Detached }) | Should -HaveCount 1
        $ours = $events | ConvertTo-SyscallCount
        $theirs = Get-StraceCount -StraceOption '-b', 'execve' -- @command
        foreach ($table in $ours, $theirs) { $table.Remove('rt_sigreturn') } # as the other count comparisons: SIGCHLD's timing
        Compare-SyscallCount $ours $theirs | Should -BeNullOrEmpty
    }

    It 'waits for the command itself when it was let go, and gives its exit code' {
        $lines = @(Get-TracedOutput -DetachOn execve -- sh -c 'exec /bin/sh -c "sleep 0.3; echo slept; exit 7"')
        $LASTEXITCODE | Should -Be 7
        $lines | Should -Be 'slept'
    }

    It 'writes the call as strace does (detached, without a result) and reads it back' {
        $file = Join-Path $TestDrive 'detach.txt'
        $live = Get-TracedEvent -DetachOn execve -OutFile $file -- sh -c '/bin/true; echo x'
        Get-Content -LiteralPath $file | Should -Contain ((Get-Content -LiteralPath $file | Where-Object { $_ -match 'execve\("/bin/true".*<detached \.\.\.>$' }) | Select-Object -First 1)
        @(Get-Content -LiteralPath $file | Where-Object { $_ -match 'execve\("/bin/true".*<detached \.\.\.>$' }) | Should -HaveCount 1
        $back = @(Get-SyscallEvent $file | Where-Object Detached)
        $back | Should -HaveCount 1
        "$($back[0])" | Should -BeExactly "$(@($live | Where-Object { $_ -is [PSSyscall.SyscallEvent] -and $_.Detached })[0])"
    }
}

Describe 'Start-TracedProcess -DetachedTracer (strace -D)' {
    It 'makes the command''s parent another process than this one (<Mode>)' -ForEach @(
        @{ Mode = 'Grandchild' }, @{ Mode = 'ProcessGroup' }, @{ Mode = 'Session' }
    ) {
        # The shell's own /proc/PID/stat (no procps needed): after "(comm) state" come ppid, pgrp, session.
        $lines = @(Get-TracedOutput -DetachedTracer $Mode -- sh -c 'cat /proc/$$/stat')
        $ppid, $pgid, $sid = ($lines[0] -replace '^.*\) \S+ ' -split ' ')[0..2] | ForEach-Object { [int]$_ }
        $ppid | Should -Not -Be $PID
        # Adopted by init (or the nearest subreaper): not this process nor any child of it.
        $ppid | Should -BeLessThan $PID -Because 'the adopting process existed before this one'
        $ourGroup = [int]((Get-Content "/proc/$PID/stat") -replace '^.*\) ' -split ' ')[2]
        $ourSession = [int]((Get-Content "/proc/$PID/stat") -replace '^.*\) ' -split ' ')[3]
        switch ($Mode) {
            'Grandchild' { $pgid | Should -Be $ourGroup; $sid | Should -Be $ourSession }
            'ProcessGroup' { $pgid | Should -Not -Be $ourGroup; $sid | Should -Be $ourSession }
            'Session' { $sid | Should -Not -Be $ourSession }
        }
    }

    It 'combines with -User: the orphan still becomes the user' {
        $lines = @(Get-TracedOutput -User nobody -DetachedTracer Session -- sh -c 'id -u; echo $PPID')
        $lines[0] | Should -Be '65534'
        $lines[1] | Should -Not -Be "$PID"
    }

    It 'keeps the command this process''s child without it, and reports getppid as the kernel returns it' {
        (Get-TracedOutput -- sh -c 'echo $PPID') | Should -Be "$PID"
        $events = Get-TracedEvent -DetachedTracer Grandchild -- sh -c 'echo $PPID; /bin/true'
        $call = $events | Where-Object Name -eq getppid
        $call.ReturnValue | Should -Not -Be $PID
        $call.ReturnValue | Should -Be $call.ParentProcessId
        # The process tree's root: the command, whose parent is the adopter, with its child below it.
        $tree = @($events | Get-TracedProcessTree)
        $tree[0].ParentProcessId | Should -Be $call.ReturnValue
        $tree[0].Children | Should -HaveCount 1
        (Get-TracedEvent -Name getppid -- sh -c 'echo $PPID' | Where-Object Name -eq getppid).ReturnValue | Should -Be $PID
    }
}

Describe 'Start-TracedProcess -Status and -Signal (strace -e status=, -e signal=)' {
    It 'reports the calls strace -e status=<Status> reports' -ForEach @(
        @{ Status = 'Successful' }, @{ Status = 'Failed' }, @{ Status = 'Unfinished' }, @{ Status = 'Detached' }, @{ Status = 'Unavailable' }
    ) {
        $ours = @(Get-TracedEvent -Status $Status $program | Where-Object EventType -eq Syscall)
        $theirs = @(Get-StraceLine -StraceOption '-e', "status=$($Status.ToLowerInvariant())" $program | Where-Object { $_ -notmatch '^(\+\+\+|---)' })
        @($ours | Where-Object Status -ne $Status) | Should -BeNullOrEmpty
        $ours.Count | Should -Be $theirs.Count
        (@($ours.Name) | Sort-Object) -join ',' | Should -BeExactly ((@($theirs | ForEach-Object { ($_ -split '\(')[0] }) | Sort-Object) -join ',')
        if ($Status -in 'Successful', 'Failed', 'Unfinished') { $ours.Count | Should -BeGreaterThan 0 }
    }

    It 'adds -Failed to -Status, and -Failed alone is -Status Failed' {
        $both = @(Get-TracedEvent -Status Unfinished -Failed $program | Where-Object EventType -eq Syscall)
        @($both.Status | Sort-Object -Unique) | Should -BeExactly @('Failed', 'Unfinished')
        $failed = @(Get-TracedEvent -Failed $program | Where-Object EventType -eq Syscall)
        ($failed | ConvertTo-StraceLine) | Should -BeExactly @(Get-TracedEvent -Status Failed $program | Where-Object EventType -eq Syscall | ConvertTo-StraceLine)
    }

    It 'reports the signals strace -e signal=<Set> reports' -ForEach @(
        @{ Set = 'none'; Theirs = 'none' }, @{ Set = 'SIGTERM'; Theirs = 'SIGTERM' }, @{ Set = '!SIGTERM'; Theirs = '!SIGTERM' }, @{ Set = 'chld'; Theirs = 'SIGCHLD' }
    ) {
        $ours = @(Get-TracedEvent -Name getpid -Signal $Set $program | Where-Object EventType -eq Signal | ForEach-Object Signal)
        $theirs = @(Get-StraceLine -StraceOption '-e', 'trace=getpid', '-e', "signal=$Theirs" $program | Where-Object { $_ -like '---*' } | ForEach-Object { ($_ -split ' ')[1] })
        $ours | Should -BeExactly $theirs
        # The signals are still delivered: the child dies of SIGTERM either way.
        Get-TracedEvent -Name getpid -Signal $Set $program | Where-Object { $_ -is [PSSyscall.ProcessExitEvent] -and $_.Signal -eq 'SIGTERM' } | Should -HaveCount 1
    }

    It 'names a signal it does not know' {
        { Start-TracedProcess -Signal SIGNOPE /bin/true } | Should -Throw -ErrorId 'UnknownSignal,PSSyscall.Commands.StartTracedProcessCommand'
    }
}

Describe 'Start-TracedProcess -Summary with -SortBy, -WallClock, -IncludeTotal and -Column (strace -c -S, -w, -U)' {
    BeforeAll {
        # One process, so no SIGCHLD (and no rt_sigreturn) whose timing could differ between runs.
        $command = 'cat', '/etc/hostname', '/etc/passwd', '/nonexistent', '/etc/group'
    }

    It 'orders the rows as strace -c -S <SortBy> does, with the same names, calls and errors' -ForEach @(
        @{ SortBy = 'Calls'; Strace = 'calls' }, @{ SortBy = 'Name'; Strace = 'name' }, @{ SortBy = 'Nothing'; Strace = 'nothing' }, @{ SortBy = 'Errors'; Strace = 'errors' }
    ) {
        $ours = @(Start-TracedProcess -CaptureOutput -Summary -SortBy $SortBy -IncludeTotal -- @command 6>$null)
        $theirs = @(Get-StraceSummary -StraceOption '-S', $Strace @command)
        $ours.Count | Should -BeGreaterThan 10
        ($ours | ForEach-Object { "$($_.Name) $($_.Calls) $($_.Errors)" }) | Should -BeExactly @($theirs | ForEach-Object { "$($_.Name) $($_.Calls) $($_.Errors)" })
    }

    It 'counts as strace -c -w does with -WallClock, and times every row' {
        $ours = @(Start-TracedProcess -CaptureOutput -Summary -WallClock -SortBy Calls -IncludeTotal -- @command 6>$null)
        $theirs = @(Get-StraceSummary -StraceOption '-w', '-S', 'calls' @command)
        ($ours | ForEach-Object { "$($_.Name) $($_.Calls) $($_.Errors)" }) | Should -BeExactly @($theirs | ForEach-Object { "$($_.Name) $($_.Calls) $($_.Errors)" })
        # By the wall clock every call takes some time; the shares add up to the whole.
        @($ours | Where-Object { -not $_.IsTotal -and $_.TotalTime -le [timespan]::Zero }) | Should -BeNullOrEmpty
        ($ours | Where-Object { -not $_.IsTotal } | Measure-Object PercentTime -Sum).Sum | Should -BeGreaterThan 99
    }

    It 'ends with strace''s total row, the sum of the others' {
        $rows = @(Start-TracedProcess -CaptureOutput -Summary -IncludeTotal -- @command 6>$null)
        $total = $rows[-1]
        $total.IsTotal | Should -BeTrue
        $total.Name | Should -Be 'total'
        @($rows | Where-Object IsTotal) | Should -HaveCount 1
        $total.Calls | Should -Be ($rows[0..($rows.Count - 2)] | Measure-Object Calls -Sum).Sum
        $total.Calls | Should -Be (Get-StraceSummary -StraceOption @() @command | Where-Object Name -eq total).Calls
        @(Start-TracedProcess -CaptureOutput -Summary -- @command 6>$null | Where-Object IsTotal) | Should -BeNullOrEmpty
    }

    It 'times calls by system time by default and by the wall clock with -WallClock' {
        $work = 'sh', '-c', 'cat /usr/bin/* >/dev/null 2>&1'
        $system = @(Start-TracedProcess -CaptureOutput -Summary -IncludeTotal -- @work 6>$null)
        $wall = @(Start-TracedProcess -CaptureOutput -Summary -WallClock -IncludeTotal -- @work 6>$null)
        $wall[-1].TotalTime | Should -BeGreaterThan ([timespan]::Zero)
        $system[-1].TotalTime | Should -BeGreaterThan ([timespan]::Zero) -Because 'reading every file in /usr/bin costs the kernel measurable time'
        # strace -c's system time is the process's (wait4's rusage, children it reaped included):
        # sh's wait4 takes cat's whole system time, so it leads that table; by the wall clock,
        # time spent sleeping counts too, and read leads.
        ($system | Where-Object Name -eq wait4).TotalTime | Should -BeGreaterThan ($system | Where-Object Name -eq read).TotalTime
        $theirs = @(Get-StraceSummary -StraceOption @() @work)
        ($wall | Where-Object { -not $_.IsTotal } | ForEach-Object Name | Sort-Object) | Should -BeExactly @($system | Where-Object { -not $_.IsTotal } | ForEach-Object Name | Sort-Object)
        $theirs.Count | Should -BeGreaterThan 5
    }

    It 'shows only the -Column columns, in their order' {
        $rows = @(Start-TracedProcess -CaptureOutput -Summary -Column Name, Calls -- @command 6>$null)
        $rows[0].PSStandardMembers.DefaultDisplayPropertySet.ReferencedPropertyNames | Should -BeExactly @('Name', 'Calls')
        $text = ($rows | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $text[0].Trim() -split '\s+' | Should -BeExactly @('Name', 'Calls')
        $rows[0] | Should -BeOfType PSSyscall.SyscallSummary
        # strace -U's own names work too.
        $strace = @(Start-TracedProcess -CaptureOutput -Summary -Column syscall, calls, avg-time -- @command 6>$null)
        $strace[0].PSStandardMembers.DefaultDisplayPropertySet.ReferencedPropertyNames | Should -BeExactly @('Name', 'Calls', 'AverageTime')
    }

    It 'sorts Measure-SyscallEvent''s table the same way' {
        $events = Get-TracedEvent -- @command
        $byName = @($events | Measure-SyscallEvent -SortBy Name)
        @($byName.Name) | Should -BeExactly @($byName.Name | Sort-Object -CaseSensitive { [string]$_ } -Culture '')
        (@($events | Measure-SyscallEvent -SortBy Calls -IncludeTotal))[-1].Calls | Should -Be ($byName | Measure-Object Calls -Sum).Sum
    }
}

Describe 'Start-TracedProcess -OneFilePerProcess (strace -ff -o PREFIX)' {
    BeforeAll {
        # What two runs cannot share: times, durations, addresses, ids, and the child times in
        # SIGCHLD's siginfo (which this engine does not record).
        function ConvertTo-MaskedLine([string] $Line) {
            $Line -replace '^\d\d:\d\d:\d\d\.\d{6} ', '' -replace ' <\d+\.\d{6}>$', '' -replace '0x[0-9a-f]{6,}', 'ADDR' `
                -replace 'si_pid=\d+', 'si_pid=N' -replace '\b\d{3,}\b', 'N' -replace '\s+=\s+', ' = '
        }
        # A child that dies of SIGTERM while its parent certainly waits for it (so the SIGCHLD
        # comes after wait4 in both runs), then a SIGCHLD the parent sends itself.
        $ffSource = Join-Path $workDir 'ff.c'
        Set-Content -LiteralPath $ffSource -Value @'
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void)
{
    pid_t p = fork();
    if (p == 0) { getuid(); usleep(300000); kill(getpid(), SIGTERM); _exit(0); }
    waitpid(p, 0, 0);
    raise(SIGCHLD);
    return 0;
}
'@
        $script:ffProgram = Join-Path $workDir 'ff'
        & gcc -O0 -o $ffProgram $ffSource
        if ($LASTEXITCODE -ne 0) { throw 'gcc failed to build the -ff test program' }

        function Get-MaskedFile([string] $Prefix) {
            foreach ($file in Get-ChildItem "$Prefix.*" | Sort-Object { [int]$_.Extension.TrimStart('.') }) {
                , @(Get-Content -LiteralPath $file.FullName | ForEach-Object { ConvertTo-MaskedLine $_ })
            }
        }
    }

    It 'writes the files strace -ff -tt -T -y writes for the same run, line for line' {
        $ours = Join-Path $TestDrive 'ours'
        $theirs = Join-Path $TestDrive 'theirs'
        $null = Get-TracedEvent -OutFile $ours -OneFilePerProcess $ffProgram
        $null = Invoke-Strace -StraceOption '-ff', '-tt', '-T', '-y', '-o', $theirs $ffProgram
        $ourFiles = @(Get-MaskedFile $ours)
        $theirFiles = @(Get-MaskedFile $theirs)
        $ourFiles.Count | Should -Be 2
        $ourFiles.Count | Should -Be $theirFiles.Count
        for ($i = 0; $i -lt $ourFiles.Count; $i++) {
            $ourFiles[$i].Count | Should -BeGreaterThan 3
            $ourFiles[$i] | Should -BeExactly $theirFiles[$i]
        }
    }

    It 'ends each thread''s file as strace -ff does, and reads back one exit per process' {
        # One thread that calls exit while the process goes on, one still in pause() when the
        # process ends with exit_group(3).
        $source = Join-Path $workDir 'ffthreads.c'
        Set-Content -LiteralPath $source -Value @'
#include <pthread.h>
#include <unistd.h>
static void *quits(void *a) { getppid(); return 0; }
static void *waits(void *a) { getppid(); pause(); return 0; }
int main(void)
{
    pthread_t t, u;
    pthread_create(&t, 0, quits, 0);
    pthread_join(t, 0);
    pthread_create(&u, 0, waits, 0);
    usleep(200000);
    return 3;
}
'@
        $program = Join-Path $workDir 'ffthreads'
        & gcc -O0 -pthread -o $program $source
        $LASTEXITCODE | Should -Be 0
        $ours = Join-Path $TestDrive 'thr-ours'
        $theirs = Join-Path $TestDrive 'thr-theirs'
        $live = @(Get-TracedEvent -OutFile $ours -OneFilePerProcess $program)
        $null = Invoke-Strace -StraceOption '-ff', '-tt', '-T', '-y', '-o', $theirs $program
        $ourFiles = @(Get-MaskedFile $ours)
        $theirFiles = @(Get-MaskedFile $theirs)
        $ourFiles.Count | Should -Be 3
        $theirFiles.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            $ourFiles[$i][-2..-1] | Should -BeExactly $theirFiles[$i][-2..-1]
        }
        $ourFiles[1][-1] | Should -BeExactly '+++ exited with 0 +++'
        $ourFiles[2][-1] | Should -BeExactly '+++ exited with 3 +++'
        $back = @(Get-SyscallEvent $ours)
        $back.Count | Should -Be $live.Count
        @($back | Where-Object EventType -eq Exit).Count | Should -Be 1
        @(Get-SyscallEvent $theirs | Where-Object EventType -eq Exit).Count | Should -Be 1
    }

    It 'gives the same events back when the files are read, and the same as one file' {
        $prefix = Join-Path $TestDrive 'back'
        $single = Join-Path $TestDrive 'single.txt'
        $live = Get-TracedEvent -OutFile $prefix -OneFilePerProcess -- sh -c 'cat /etc/hostname; ls /nonexistent'
        @(Get-ChildItem "$prefix.*").Count | Should -Be 3
        $back = @(Get-SyscallEvent $prefix)
        $back.Count | Should -Be $live.Count
        # strace text keeps durations to the microsecond, as strace -T prints them; the files are
        # merged by time of entry, where the live stream has a call when it returns.
        ($back | ForEach-Object { "$_" -replace ' <\d+\.\d{6}>$' } | Sort-Object) | Should -BeExactly @($live | ForEach-Object { "$_" -replace ' <\d+\.\d{6}>$' } | Sort-Object)
        ($back | Where-Object ThreadId -eq $live[0].ThreadId | ForEach-Object { "$_" -replace ' <\d+\.\d{6}>$' }) | Should -BeExactly @($live | Where-Object ThreadId -eq $live[0].ThreadId | ForEach-Object { "$_" -replace ' <\d+\.\d{6}>$' })
        @($back | Where-Object { $_ -is [PSSyscall.SignalEvent] -and $_.Code -eq 'CLD_EXITED' }) | Should -HaveCount 2
    }

    It 'replaces the files of an earlier run, unless -NoClobber' {
        $prefix = Join-Path $TestDrive 'again'
        Set-Content -LiteralPath "$prefix.1" -Value 'stale'
        { Get-TracedEvent -OutFile $prefix -OneFilePerProcess -NoClobber /bin/true } | Should -Throw -ErrorId 'NoClobber,PSSyscall.Commands.StartTracedProcessCommand'
        Test-Path "$prefix.1" | Should -BeTrue
        $null = Get-TracedEvent -OutFile $prefix -OneFilePerProcess /bin/true
        Test-Path "$prefix.1" | Should -BeFalse
        @(Get-ChildItem "$prefix.*") | Should -HaveCount 1
    }

    It 'needs -OutFile' {
        { Start-TracedProcess -OneFilePerProcess /bin/true } | Should -Throw -ErrorId 'OutFileMissing,PSSyscall.Commands.StartTracedProcessCommand'
    }
}

Describe 'New-SyscallFault -SubstituteSyscall, -PokeEnter and -PokeExit (strace --inject syscall=, poke_enter=, poke_exit=)' {
    BeforeAll {
        $readSource = Join-Path $workDir 'rd.c'
        Set-Content -LiteralPath $readSource -Value @'
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
    char b[16] = { 0 };
    int fd = open("/etc/hostname", O_RDONLY);
    ssize_t n = read(fd, b, 8);
    printf("%zd [%.2s]\n", n, b);
    return 0;
}
'@
        $script:readProgram = Join-Path $workDir 'rd'
        & gcc -O0 -o $readProgram $readSource
        if ($LASTEXITCODE -ne 0) { throw 'gcc failed to build the read test program' }

        # The changed call and the program's output, ours and strace's, for one injection.
        function Compare-Injection {
            param([string] $Name, [string] $Strace, [hashtable] $Fault, [string[]] $Command, [string] $Occurrence)
            $faultArgs = @{ Name = $Name } + $Fault
            if ($Occurrence) { $faultArgs.Occurrence = $Occurrence }
            $all = @(Start-TracedProcess -CaptureOutput -Name $Name -Inject (New-SyscallFault @faultArgs) -- @Command 6>&1)
            $ourCall = @($all | Where-Object { $_ -is [PSSyscall.SyscallEvent] -and $_.Injected } | ForEach-Object { ConvertTo-ComparableLine (("$_" -replace '^\[pid \d+\] ', '') -replace ' <\d+\.\d{6}>$', '') })
            $ourOutput = @($all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData)" })
            $log = Join-Path $TestDrive "inject-$([guid]::NewGuid()).log"
            $run = Invoke-Strace -StraceOption '-y', '-o', $log, '-e', "trace=$Name", '-e', "inject=$Name`:$Strace" @Command
            $theirCall = @(Get-Content -LiteralPath $log | Where-Object { $_ -like '*(INJECTED*' } | ForEach-Object { ConvertTo-ComparableLine $_ })
            [pscustomobject]@{ Ours = $ourCall; Theirs = $theirCall; OurOutput = $ourOutput; TheirOutput = @($run.StandardOutput -split "`n" | Where-Object { $_ }) }
        }
    }

    It 'writes into the buffer on entry as strace''s poke_enter does (echo prints what was poked)' {
        $r = Compare-Injection -Name write -Strace 'poke_enter=@arg2=4142' -Fault @{ PokeEnter = '@arg2=4142' } -Command '/bin/echo', 'xyz'
        $r.OurOutput | Should -BeExactly 'ABz'
        $r.OurOutput | Should -BeExactly $r.TheirOutput
        $r.Ours | Should -HaveCount 1
        $r.Ours | Should -BeExactly $r.Theirs
        $r.Ours[0] | Should -BeLike '*"ABz\n"*(INJECTED: args)'
    }

    It 'writes over what the kernel read at exit, with a return value, as poke_exit with retval= does' {
        $r = Compare-Injection -Name read -Strace 'poke_exit=@arg2=5858:retval=2:when=2' -Fault @{ PokeExit = @{ 2 = '5858' }; ReturnValue = 2 } -Occurrence 2 -Command $readProgram
        $r.OurOutput | Should -BeExactly '2 [XX]'
        $r.OurOutput | Should -BeExactly $r.TheirOutput
        $r.Ours | Should -BeExactly $r.Theirs
        $r.Ours[0] | Should -BeLike '*(INJECTED: args, retval)'
    }

    It 'pokes on entry and fails the call, as poke_enter with error= does' {
        $r = Compare-Injection -Name read -Strace 'poke_enter=@arg2=5858:error=EIO:when=2' -Fault @{ PokeEnter = '@arg2=5858'; Errno = 'EIO' } -Occurrence 2 -Command $readProgram
        $r.OurOutput | Should -BeExactly '-1 [XX]'
        $r.OurOutput | Should -BeExactly $r.TheirOutput
        $r.Ours | Should -BeExactly $r.Theirs
    }

    It 'runs a pure call instead and returns the injected value, as syscall= with retval= does' {
        $r = Compare-Injection -Name uname -Strace 'syscall=getpid:retval=42' -Fault @{ SubstituteSyscall = 'getpid'; ReturnValue = 42 } -Command 'uname'
        $r.Ours | Should -HaveCount 1
        $r.Ours | Should -BeExactly $r.Theirs
        $r.Ours[0] | Should -BeLike 'uname(*) = 42 (INJECTED)'
        (New-SyscallFault uname -SubstituteSyscall getpid -ReturnValue 42).Effect | Should -Be 'retval=42:syscall=getpid'
    }

    It 'reads the strace marks of poked calls back' {
        $file = Join-Path $TestDrive 'poke.txt'
        $live = @(Start-TracedProcess -CaptureOutput -Name write -Inject (New-SyscallFault write -PokeEnter '@arg2=4142') -OutFile $file /bin/echo xyz 6>$null | Where-Object Injected)
        $back = @(Get-SyscallEvent $file | Where-Object Injected)
        $back | Should -HaveCount 1
        ("$($back[0])" -replace ' <[\d.]+>$') | Should -BeExactly ("$($live[0])" -replace ' <[\d.]+>$')
    }

    It 'refuses <Case>' -ForEach @(
        @{ Case = 'a substitute without a result'; Fault = @{ Name = 'uname'; SubstituteSyscall = 'getpid' }; Id = 'SubstituteWithoutResult' }
        @{ Case = 'a substitute with effects'; Fault = @{ Name = 'uname'; SubstituteSyscall = 'write'; Errno = 'EPERM' }; Id = 'SubstituteNotPure' }
    ) {
        { New-SyscallFault @Fault -ErrorAction Stop } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.NewSyscallFaultCommand"
    }

    It 'refuses a poke of argument <Poke>' -ForEach @(@{ Poke = '@arg9=00' }, @{ Poke = '@arg1=0' }, @{ Poke = '@arg1=zz' }) {
        { New-SyscallFault write -PokeEnter $Poke -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,PSSyscall.Commands.NewSyscallFaultCommand'
    }
}

Describe 'Get-SyscallEvent -Status (strace -e status= over a stored trace)' {
    BeforeAll {
        $log = Join-Path $TestDrive 'status.log'
        Set-Content -LiteralPath $log -Value @(
            '100   execve("/bin/sh", ["sh"], 0x7ffd00001000 /* 3 vars */) = 0'
            '100   read(3, 0x7ffd00002000, 8)        = ? <unavailable>'
            '100   openat(AT_FDCWD, "/x", O_RDONLY)  = -1 ENOENT (No such file or directory)'
            '101   execve("/bin/true", ["/bin/true"], 0x7ffd00003000 /* 3 vars */ <detached ...>'
            '100   exit_group(0)                     = ?'
            '100   +++ exited with 0 +++'
        )
    }

    It 'keeps the <Status> calls' -ForEach @(
        @{ Status = 'Successful'; Names = @('execve') }
        @{ Status = 'Failed'; Names = @('openat') }
        @{ Status = 'Unavailable'; Names = @('read') }
        @{ Status = 'Detached'; Names = @('execve') }
        @{ Status = 'Unfinished'; Names = @('exit_group') }
    ) {
        $calls = @(Get-SyscallEvent $log -Status $Status)
        @($calls.Name) | Should -BeExactly $Names
        @($calls.Status) | Should -BeExactly @($Names | ForEach-Object { $Status })
    }

    It 'writes the unavailable and detached calls back as strace does' {
        $out = Join-Path $TestDrive 'status-back.txt'
        Get-SyscallEvent $log | Export-SyscallEvent -Path $out -Format Strace
        $text = Get-Content -LiteralPath $out
        @($text | Where-Object { $_ -match 'read\(3, 0x7ffd00002000, 8\)\s+= \? <unavailable>$' }) | Should -HaveCount 1
        @($text | Where-Object { $_ -match 'execve\("/bin/true".* <detached \.\.\.>$' }) | Should -HaveCount 1
    }
}
