# The habits of a pwsh user that Start-TracedProcess and Invoke-Sandboxed must keep: a command
# line as typed, the program's input and output wherever pwsh runs, events that went through
# serialization, the same launch for learning and enforcing, pipeline binding, writers that do not
# clobber, numbers for Measure-Object, and a traced program that behaves as it does untraced.

BeforeDiscovery {
    # The system's python3: root's sandboxed command runs as nobody, who cannot run a python3
    # installed under /root (pyenv's shims come first in root's PATH on some machines).
    $hasPython = Test-Path /usr/bin/python3
    $hasGit = [bool](Get-Command git -CommandType Application -ErrorAction Ignore)
}

BeforeAll {
    $modulePath = (Get-Module PSSyscall).Path
    $work = Join-Path $TestDrive 'work'
    $null = New-Item -ItemType Directory -Path $work

    # The argv of the first execve of a trace, as the kernel got it.
    function Get-ExecArgv($events) {
        $exec = $events | Where-Object { $_.EventType -eq 'Syscall' -and $_.Name -eq 'execve' } | Select-Object -First 1
        if ($exec.Arguments -notmatch '\[(.*?)\], ') { throw "No argv in '$($exec.Arguments)'." }
        @([regex]::Matches($Matches[1], '"((?:[^"\\]|\\.)*)"') | ForEach-Object { $_.Groups[1].Value })
    }

    # A sleep that is not a child of this pwsh (a child's ptrace stops would be taken by .NET):
    # a shell starts it in the background and exits; its pid comes back.
    function Start-OrphanSleep([double] $Seconds) {
        [int](& sh -c "sleep $Seconds </dev/null >/dev/null 2>&1 & echo `$!")
    }
}

Describe 'the command line: everything after the command''s name is the command''s' {
    It 'gives <Line> to the command, not to the cmdlet' -ForEach @(
        @{ Line = 'cp -v'; Argv = @('cp', '-v', 'a', 'b'); Script = { Start-TracedProcess -CaptureOutput cp -v a b 6>$null } }
        @{ Line = 'a prefix of -OutFile (-o)'; Argv = @('echo', '-o', 'out.html', 'URL'); Script = { Start-TracedProcess -CaptureOutput echo -o out.html URL 6>$null } }
        @{ Line = 'a prefix of -Path (-p)'; Argv = @('ls', '-p', '.'); Script = { Start-TracedProcess -CaptureOutput ls -p . 6>$null } }
        @{ Line = 'sh -c'; Argv = @('sh', '-c', 'exit 0'); Script = { Start-TracedProcess -CaptureOutput sh -c 'exit 0' 6>$null } }
        @{ Line = 'options that are ambiguous prefixes (-n, -s, -i, -f)'; Argv = @('echo', '-n', '-s', '-i', '-f'); Script = { Start-TracedProcess -CaptureOutput echo -n -s -i -f 6>$null } }
        @{ Line = 'a whole parameter name of the cmdlet'; Argv = @('echo', '-Name', 'x', '-Summary'); Script = { Start-TracedProcess -CaptureOutput echo -Name x -Summary 6>$null } }
    ) {
        Push-Location $work
        try {
            Set-Content -Path a -Value x
            $events = & $Script
        }
        finally { Pop-Location }
        Get-ExecArgv $events | Should -Be $Argv
        Test-Path (Join-Path $work 'out.html') | Should -BeFalse -Because 'no trace file may be written for the command''s -o'
    }

    It 'keeps the rule inside Invoke-Command and Start-Job script blocks' {
        $local = Invoke-Command { Start-TracedProcess -CaptureOutput head -n 1 /etc/passwd 6>$null }
        Get-ExecArgv $local | Should -Be @('head', '-n', '1', '/etc/passwd')
        $job = Start-Job -ScriptBlock {
            Import-Module $using:modulePath
            Start-TracedProcess -Name execve head -n 1 /etc/passwd 6>$null
        }
        $remote = $job | Wait-Job -Timeout 60 | Receive-Job
        $job | Remove-Job -Force
        Get-ExecArgv $remote | Should -Be @('head', '-n', '1', '/etc/passwd')
    }

    It 'gives Invoke-Sandboxed''s command its options too' {
        Invoke-Sandboxed sh -c 'echo $0 $1' -x -v | Should -Be '-x -v'
        Invoke-Sandboxed printf '%s,' -NoNetwork -c | Should -Be '-NoNetwork,-c,'
        # -Path would choose the cmdlet's Profile set; after the command it is the command's.
        Invoke-Sandboxed echo -Path x | Should -Be '-Path x'
    }

    It 'gives -Verbose after the command to the command, and keeps the cmdlet''s own messages off' {
        $records = & { Start-TracedProcess -CaptureOutput -Name execve echo -Verbose 6>$null } 4>&1
        Get-ExecArgv ($records | Where-Object { $_ -is [PSSyscall.TraceEvent] }) | Should -Be @('echo', '-Verbose')
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        # The control: before the command, -Verbose is the cmdlet's.
        $records = & { Start-TracedProcess -Verbose -CaptureOutput -Name execve echo 6>$null } 4>&1
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) | Should -Not -BeNullOrEmpty
        @(& { Invoke-Sandboxed echo -Verbose } 4>&1) | Should -Be @('-Verbose')
    }

    It 'refuses a one-letter option before the command with a clear error' {
        { Start-TracedProcess -v ls } | Should -Throw -ErrorId 'ParameterBeforeCommand,PSSyscall.Commands.StartTracedProcessCommand'
        { Invoke-Sandboxed -c ls } | Should -Throw -ErrorId 'ParameterBeforeCommand,PSSyscall.Commands.InvokeSandboxedCommand'
    }
}

Describe 'the program''s input and output' {
    It 'feeds piped objects to the program''s stdin, one line each' {
        $null = 'banana', 'apple', 'cherry' | Start-TracedProcess -CaptureOutput -InformationVariable sorted sort 6>$null
        @($sorted | Where-Object { $_.Tags -contains 'StandardOutput' } | ForEach-Object { "$($_.MessageData)" }) | Should -Be @('apple', 'banana', 'cherry')
        'b', 'a' | Invoke-Sandboxed sort | Should -Be @('a', 'b')
    }

    It 'captures stdout and stderr as tagged information records, not errors' {
        $events = Start-TracedProcess -CaptureOutput -InformationVariable lines -ErrorAction Stop sh -c 'echo out; echo err >&2; exit 0' 6>$null
        $events | Should -Not -BeNullOrEmpty
        ($lines | Where-Object { $_.Tags -contains 'StandardOutput' }).MessageData | ForEach-Object { "$_" } | Should -Be 'out'
        ($lines | Where-Object { $_.Tags -contains 'StandardError' }).MessageData | ForEach-Object { "$_" } | Should -Be 'err'
        # pwsh 7.4+'s rule for a native command's stderr: -ErrorAction does not apply.
        { Invoke-Sandboxed -ErrorAction Stop sh -c 'echo warning >&2; echo done' 6>$null } | Should -Not -Throw
        Invoke-Sandboxed -ErrorAction Stop sh -c 'echo warning >&2; echo done' 6>$null | Should -Be 'done'
    }

    It 'keeps the program''s stdout out of sight when the events are redirected' {
        Start-TracedProcess -InformationVariable kept sh -c 'echo hidden-line' > $null
        $line = $kept | Where-Object { $_.Tags -contains 'StandardOutput' }
        "$($line.MessageData)" | Should -Be 'hidden-line'
        # Kept, but not for the host to show (no PSHOST tag, unlike a captured line otherwise).
        $line.Tags | Should -Not -Contain 'PSHOST'
        Start-TracedProcess -CaptureOutput -InformationVariable shown sh -c 'echo shown-line' 6>$null | Out-Null
        ($shown | Where-Object { $_.Tags -contains 'StandardOutput' }).Tags | Should -Contain 'PSHOST'
    }

    It 'connects streams to files with -RedirectStandard*' {
        $in = Join-Path $TestDrive 'in.txt'; $out = Join-Path $TestDrive 'out.txt'; $err = Join-Path $TestDrive 'err.txt'
        Set-Content -Path $in -Value 'from-file'
        $null = Start-TracedProcess -RedirectStandardInput $in -RedirectStandardOutput $out -RedirectStandardError $err sh -c 'cat; echo oops >&2'
        Get-Content $out | Should -Be 'from-file'
        Get-Content $err | Should -Be 'oops'
        Invoke-Sandboxed -RedirectStandardInput $in -RedirectStandardOutput $out sh -c 'tr a-z A-Z' | Should -BeNullOrEmpty
        Get-Content $out | Should -Be 'FROM-FILE'
    }

    It 'never lets a job''s program write to the job''s own stdout, and brings its output back' {
        $job = Start-Job -ScriptBlock {
            Import-Module $using:modulePath
            $e = Start-TracedProcess cat /etc/hostname
            "events=$(@($e).Count)"
        }
        $null = $job | Wait-Job -Timeout 60
        $output = $job | Receive-Job
        $info = $job.ChildJobs[0].Information | ForEach-Object { "$($_.MessageData)" }
        $state = $job.State
        $job | Remove-Job -Force
        $state | Should -Be 'Completed'
        $output | Should -Match '^events=\d+$'
        $info | Should -Contain ((Get-Content /etc/hostname) | Select-Object -First 1)
    }

    It 'hands an interactive console''s terminal to the program in its normal mode (echo, Ctrl+D ends input)' {
        # An interactive pwsh in a tmux pane (a terminal that answers PSReadLine's queries), on a
        # tmux server of this test's own. Keys are sent once cat runs, so they reach it.
        $socket = "pssyscall-test-$([guid]::NewGuid().ToString('N'))"
        $marker = Join-Path $TestDrive "tty-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType File -Path $marker
        function Get-Screen { (& tmux -L $socket capture-pane -p -t console -S -50) -join "`n" }
        function Wait-Screen([string] $pattern, [int] $seconds) {
            $deadline = [DateTime]::UtcNow.AddSeconds($seconds)
            while ([DateTime]::UtcNow -lt $deadline) {
                if ((Get-Screen) -match $pattern) { return $true }
                Start-Sleep -Milliseconds 200
            }
            $false
        }
        & tmux -L $socket new-session -d -s console -x 120 -y 40 "exec '$(Join-Path $PSHOME pwsh)' -NoProfile -NoLogo"
        try {
            Wait-Screen 'PS .*>' 90 | Should -BeTrue -Because "pwsh must show a prompt: $(Get-Screen)"
            & tmux -L $socket send-keys -t console -l "Import-Module '$modulePath'; `$e = Start-TracedProcess -Name read cat - '$marker'; 'reads=' + @(`$e | Where-Object Name -eq read).Count"
            & tmux -L $socket send-keys -t console Enter
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while ([DateTime]::UtcNow -lt $deadline -and -not (@(& pgrep -f $marker) | Where-Object { (Get-Content "/proc/$_/comm" -ErrorAction Ignore) -eq 'cat' })) { Start-Sleep -Milliseconds 200 }
            & tmux -L $socket send-keys -t console -l 'typed-line'
            & tmux -L $socket send-keys -t console Enter
            # The terminal echoes the line (normal mode), then cat writes it back.
            Wait-Screen 'typed-line\s*\n\s*typed-line' 30 | Should -BeTrue -Because "echo and cat's copy: $(Get-Screen)"
            & tmux -L $socket send-keys -t console C-d
            Wait-Screen 'reads=[1-9]' 30 | Should -BeTrue -Because "Ctrl+D must end cat's input: $(Get-Screen)"
        }
        finally {
            & tmux -L $socket kill-server 2>$null
        }
    }

    It 'gives a job''s program /dev/null as stdin, so a reader ends at once' {
        $job = Start-Job -ScriptBlock {
            Import-Module $using:modulePath
            $e = Start-TracedProcess -Name read cat
            ($e | Where-Object { $_.Name -eq 'read' -and $_.Fd -eq 0 } | Select-Object -First 1).Result
        }
        $result = $job | Wait-Job -Timeout 60 | Receive-Job
        $job | Remove-Job -Force
        $result | Should -Be '0'
    }
}

Describe 'events that went through serialization' {
    BeforeAll {
        $live = Start-TracedProcess -CaptureOutput cat /etc/hostname 6>$null
        $clixml = Join-Path $TestDrive 'events.xml'
        $csv = Join-Path $TestDrive 'events.csv'
        $live | Export-Clixml -Path $clixml
        $live | Export-Csv -Path $csv
        $forms = @{
            Clixml = Import-Clixml -Path $clixml
            Csv    = Import-Csv -Path $csv
            Json   = $live | ConvertTo-Json -Depth 2 | ConvertFrom-Json
        }
        # O_CLOEXEC in openat's flags: a rule on an argument value.
        $argumentRule = New-SeccompFilter -DefaultAction Allow -Rule (New-SeccompRule -Name openat -Action Errno -Condition 'Argument2 & 0x80000 == 0x80000')
        function Get-Verdicts($events) {
            [pscustomobject]@{
                Counts  = ($events | Measure-SyscallEvent | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Calls)/$($_.Errors)" }) -join ' '
                OpenAt  = @($events | Get-SyscallEvent -Name openat).Count
                Denied  = @($events | Test-SeccompFilter $argumentRule | Where-Object Action -ne Allow).Count
                Learned = ($events | New-SeccompFilter -DefaultAction Errno | Export-SeccompFilter)
            }
        }
        $expected = Get-Verdicts $live
    }

    It 'gives the live results for events from <_>' -ForEach 'Clixml', 'Csv', 'Json' {
        $expected.Denied | Should -BeGreaterThan 0 -Because 'the live trace must exercise the argument rule'
        $got = Get-Verdicts $forms[$_]
        $got.Counts | Should -Be $expected.Counts
        $got.OpenAt | Should -Be $expected.OpenAt
        $got.Denied | Should -Be $expected.Denied
        $got.Learned | Should -Be $expected.Learned
    }

    It 'keeps the raw argument values through <_>' -ForEach 'Clixml', 'Csv', 'Json' {
        $first = $live | Where-Object Name -eq openat | Select-Object -First 1
        $again = $forms[$_] | Where-Object Name -eq openat | Select-Object -First 1
        foreach ($i in 0..5) { [uint64]$again."Argument$i" | Should -Be $first."Argument$i" }
    }

    It 'exports them again, and says when a rule needs values the events lack' {
        $file = Join-Path $TestDrive 'again.jsonl'
        $forms.Clixml | Export-SyscallEvent -Path $file
        (Get-SyscallEvent -Path $file | Measure-Object).Count | Should -Be @($live).Count
        $null = $live | Select-Object Name, Number, Architecture, EventType | Test-SeccompFilter $argumentRule -WarningVariable warned 3>$null
        "$warned" | Should -Match 'raw argument values'
    }
}

Describe 'learn, then enforce, after Set-Location' {
    It 'holds the learned policy for <Name>' -ForEach @(
        @{ Name = 'ls'; Command = @('ls', '-l'); Skip = $false }
        @{ Name = 'sh -c'; Command = @('sh', '-c', 'ls > /dev/null; pwd'); Skip = $false }
        @{ Name = 'python3'; Command = @('/usr/bin/python3', '-c', 'import os; print(os.getcwd())'); Skip = -not $hasPython }
        @{ Name = 'git'; Command = @('git', '--version'); Skip = -not $hasGit }
    ) {
        if ($Skip) { Set-ItResult -Skipped -Because "$Name is not installed"; return }
        $dir = Join-Path $TestDrive "learn-$($Name -replace '\W', '')"
        $null = New-Item -ItemType Directory -Path $dir -Force
        Push-Location $dir
        try {
            $filter = Start-TracedProcess -CaptureOutput -- @Command 6>$null | New-SeccompFilter -DefaultAction Errno
            $result = Invoke-Sandboxed -Filter $filter -PassThru -- @Command 6>$null 3>$null
        }
        finally { Pop-Location }
        $result[-1].ViolationCount | Should -Be 0 -Because (($result[-1].Violations | ForEach-Object { "$_" }) -join '; ')
        $result[-1].ExitCode | Should -Be 0
    }
}

Describe 'pipeline binding' {
    It 'filters events piped to Get-SyscallEvent instead of opening their paths as files' {
        $events = Start-TracedProcess -CaptureOutput cat /etc/hostname 6>$null
        $opened = $events | Get-SyscallEvent -Name openat -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        @($opened).Count | Should -Be @($events | Where-Object Name -eq openat).Count
        @($opened).Count | Should -BeGreaterThan 0
    }

    It 'binds -Id from process objects, piped or given' {
        $id = Start-OrphanSleep 1
        $events = Get-Process -Id $id | Start-TracedProcess -Name nanosleep, clock_nanosleep
        ($events | Where-Object EventType -eq 'Exit').ProcessId | Should -Be $id
        $id = Start-OrphanSleep 1
        $events = Start-TracedProcess -Id (Get-Process -Id $id)
        ($events | Where-Object EventType -eq 'Exit').ProcessId | Should -Be $id
    }

    It 'takes a trace file''s path from the pipeline in Measure-SyscallEvent' {
        $file = Join-Path $TestDrive 'measure.jsonl'
        $null = Start-TracedProcess -CaptureOutput -OutFile $file cat /etc/hostname 6>$null
        $byPipe = $file | Measure-SyscallEvent
        $byParameter = Measure-SyscallEvent -Path $file
        @($byPipe).Count | Should -BeGreaterThan 0
        ($byPipe | ForEach-Object { "$($_.Name)=$($_.Calls)" }) | Should -Be ($byParameter | ForEach-Object { "$($_.Name)=$($_.Calls)" })
    }
}

Describe 'writers do not clobber silently' {
    BeforeAll {
        $events = Start-TracedProcess -CaptureOutput true 6>$null
        $filter = New-SeccompFilter -DefaultAction Allow -Deny mkdir
    }

    It '<Name> refuses an existing file with -NoClobber, replaces it without, and writes nothing with -WhatIf' -ForEach @(
        @{ Name = 'Export-SyscallEvent'; Id = 'NoClobber,PSSyscall.Commands.ExportSyscallEventCommand'
           Write = { param($f, $switches) $events | Export-SyscallEvent -Path $f @switches } }
        @{ Name = 'Export-SeccompFilter'; Id = 'NoClobber,PSSyscall.Commands.ExportSeccompFilterCommand'
           Write = { param($f, $switches) $filter | Export-SeccompFilter -Path $f @switches } }
        @{ Name = 'Start-TracedProcess -OutFile'; Id = 'NoClobber,PSSyscall.Commands.StartTracedProcessCommand'
           Write = { param($f, $switches) $null = Start-TracedProcess -CaptureOutput -OutFile $f @switches true 6>$null } }
    ) {
        $file = Join-Path $TestDrive "clobber-$($Name -replace '\W', '').json"
        Set-Content -Path $file -Value 'precious'
        { & $Write $file @{ NoClobber = $true } } | Should -Throw -ErrorId $Id
        Get-Content $file | Should -Be 'precious'
        & $Write $file @{ WhatIf = $true }
        Get-Content $file | Should -Be 'precious'
        & $Write $file @{}
        Get-Content $file -Raw | Should -Not -Be "precious`n"
    }
}

Describe 'numbers and tables users reach for' {
    It 'sums call durations with Measure-Object' {
        $events = Start-TracedProcess -CaptureOutput cat /etc/hostname 6>$null
        $sum = ($events | Where-Object EventType -eq 'Syscall' | Measure-Object DurationMicroseconds -Sum).Sum
        $sum | Should -BeGreaterThan 0
        $ticks = ($events | Where-Object EventType -eq 'Syscall' | ForEach-Object { $_.Duration.Ticks } | Measure-Object -Sum).Sum
        [math]::Abs($sum - $ticks / 10) | Should -BeLessThan 0.01
    }

    It 'keeps exit codes and signals in Export-Csv of a mixed stream' {
        $csv = Join-Path $TestDrive 'mixed.csv'
        Start-TracedProcess -CaptureOutput sh -c 'kill -USR1 $$; exit 0' 6>$null | Export-Csv -Path $csv
        $rows = Import-Csv -Path $csv
        ($rows | Where-Object EventType -eq 'Exit').ExitCode | Should -Be '138'
        ($rows | Where-Object EventType -eq 'Signal' | Select-Object -First 1).Signal | Should -Be 'SIGUSR1'
    }
}

Describe 'a traced program behaves as it does untraced' {
    It 'lets untraced children run with -NoFollow and -Name' {
        $untraced = sh -c 'cat /etc/hostname; true'
        $events = Start-TracedProcess -NoFollow -Name openat -CaptureOutput -InformationVariable lines sh -c 'cat /etc/hostname; true' 6>$null
        $LASTEXITCODE | Should -Be 0
        ($lines | Where-Object { $_.Tags -contains 'StandardOutput' }).MessageData | ForEach-Object { "$_" } | Should -Be $untraced
        ($lines | Where-Object { $_.Tags -contains 'StandardError' }) | Should -BeNullOrEmpty
    }

    It 'matches a relative -Path as the program gives it, after the program changes directory' {
        $dir = Join-Path $TestDrive 'relpath'
        $null = New-Item -ItemType Directory -Path (Join-Path $dir 'sub') -Force
        Set-Content -Path (Join-Path $dir 'sub/foo') -Value 'x'
        Push-Location $dir
        try {
            $ours = Start-TracedProcess -Path foo -CaptureOutput -- sh -c 'cd sub; exec cat foo' 6>$null | Where-Object EventType -eq 'Syscall'
            $log = Join-Path $TestDrive 'strace-p.log'
            $null = & strace -f -qq -P foo -o $log -- sh -c 'cd sub; exec cat foo'
        }
        finally { Pop-Location }
        $theirs = @(Get-Content $log | Where-Object { $_ -match '^\d+\s+\w+\(' } | ForEach-Object { ($_ -split '\s+', 2)[1] -replace '\(.*$' })
        $theirs.Count | Should -BeGreaterThan 0
        @($ours.Name) | Should -Be $theirs
    }

    It 'passes on descriptors above 2 that pwsh''s caller left open, as strace does' {
        $file = Join-Path $TestDrive 'fd9.txt'
        $modulePath = (Get-Module PSSyscall).Path
        # A shell opens fd 9 and starts pwsh with it; the traced program writes to it.
        $script = "Import-Module '$modulePath'; `$null = Start-TracedProcess -CaptureOutput sh -c 'echo via-fd9 >&9' 6>`$null; exit `$LASTEXITCODE"
        & sh -c "exec 9>'$file'; exec '$(Join-Path $PSHOME pwsh)' -NoProfile -NonInteractive -Command `"`$1`"" sh $script
        $LASTEXITCODE | Should -Be 0
        Get-Content $file | Should -Be 'via-fd9'
        & sh -c "exec 9>'$file.untraced'; sh -c 'echo via-fd9 >&9'"
        Get-Content "$file.untraced" | Should -Be 'via-fd9'
    }
}
