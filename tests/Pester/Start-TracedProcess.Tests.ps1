# Start-TracedProcess, as a user sees it: real commands, strace as the oracle.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
}

Describe 'Start-TracedProcess' {
    Context 'what it reports' {
        It 'reports the same openat calls as strace for ls /' {
            $ours = Start-TracedProcess ls / | Where-Object Name -eq openat
            $ours.Count | Should -Be (Get-StraceCount ls / -Name openat)
        }

        It 'counts every system call of <Command> as strace -f -c does' -TestCases @(
            @{ Command = 'cat /etc/hostname'; Arguments = @('cat', '/etc/hostname') }
            @{ Command = 'a sh -c pipeline'; Arguments = @('sh', '-c', 'cat /etc/hostname | wc -c; true') }
        ) {
            param($Command, $Arguments)
            $ours = Start-TracedProcess -- @Arguments | ConvertTo-SyscallCount
            $theirs = Get-StraceCount -- @Arguments
            $ours.Count | Should -BeGreaterThan 10
            # rt_sigreturn counts the SIGCHLD handlers the shell ran, which depends on when each
            # child's exit lands (during a wait4 or not): it differs between runs of strace too.
            $ours.Remove('rt_sigreturn'); $theirs.Remove('rt_sigreturn')
            Compare-SyscallCount $ours $theirs | Should -BeNullOrEmpty -Because 'the per-name counts must equal strace -f -c'
        }

        It 'writes typed events: system calls, then the exit of each process' {
            $events = Start-TracedProcess -- sh -c 'cat /etc/hostname | wc -c'
            $events[0] | Should -BeOfType PSSyscall.SyscallEvent
            $exits = @($events | Where-Object EventType -eq Exit)
            $exits | Should -HaveCount 3
            @($exits | ForEach-Object ProcessName) | Should -Contain 'wc'
            $exits | ForEach-Object { $_ | Should -BeOfType PSSyscall.ProcessExitEvent }
            $events[-1].IsRoot | Should -BeTrue
        }

        It 'reports exit_group once, as an unfinished call' {
            $exitGroups = @(Start-TracedProcess /bin/true | Where-Object Name -eq exit_group)
            $exitGroups | Should -HaveCount 1
            $exitGroups[0].Unfinished | Should -BeTrue
            $exitGroups[0].Result | Should -BeExactly '?'
        }

        It 'reports a failed call with its errno' {
            $failed = @(Start-TracedProcess ls /no-such-dir-pssyscall 2>$null | Where-Object { $_.Name -like 'stat*' -or $_.Name -like '*fstatat*' -or $_.Name -eq 'lstat' } | Where-Object Errno -eq ENOENT)
            $failed.Count | Should -BeGreaterOrEqual 1
            $failed[0].ReturnValue | Should -Be -1
            $failed[0].Result | Should -Match '^-1 ENOENT'
        }

        It 'traces only the first process with -NoFollow' {
            $exits = @(Start-TracedProcess -NoFollow -- sh -c 'cat /etc/hostname | wc -c' | Where-Object EventType -eq Exit)
            $exits | Should -HaveCount 1
            $exits[0].ProcessName | Should -Be 'sh'
            @(Start-TracedProcess -NoFollow -- sh -c 'cat /etc/hostname | wc -c' | Where-Object ProcessName -eq wc) | Should -BeNullOrEmpty
        }
    }

    Context 'exit codes and signals' {
        It 'sets $LASTEXITCODE and the root exit event to the command''s exit code' {
            $events = Start-TracedProcess -- sh -c 'exit 3'
            $LASTEXITCODE | Should -Be 3
            $root = @($events | Where-Object { $_.EventType -eq 'Exit' -and $_.IsRoot })
            $root | Should -HaveCount 1
            $root[0].ExitCode | Should -Be 3
            $root[0].Signal | Should -BeNullOrEmpty
        }

        It 'reports a process killed by a signal: the signal, then the exit with 128 + signal number' {
            $events = @(Start-TracedProcess -- sh -c 'kill -USR1 $$' | Where-Object EventType -ne Syscall)
            $signal = @($events | Where-Object EventType -eq Signal)
            $signal | Should -HaveCount 1
            $signal[0].Signal | Should -BeExactly 'SIGUSR1'
            $signal[0] | Should -BeOfType PSSyscall.SignalEvent
            $exit = $events[-1]
            $exit.EventType | Should -Be 'Exit'
            $exit.Signal | Should -BeExactly 'SIGUSR1'
            $exit.ExitCode | Should -Be 138
            $LASTEXITCODE | Should -Be 138
        }
    }

    Context 'errors' {
        BeforeAll {
            $dir = New-TestDirectory
            $notExecutable = [System.IO.Path]::Combine($dir, 'not-executable')
            [System.IO.File]::WriteAllText($notExecutable, "#!/bin/sh`necho hi`n")
            & chmod 0644 $notExecutable
        }

        AfterAll {
            Remove-TestDirectory $dir
        }

        It 'reports a missing command as CommandNotFound (ObjectNotFound)' {
            { Start-TracedProcess no-such-command-pssyscall } | Should -Throw -ErrorId CommandNotFound
            try { Start-TracedProcess no-such-command-pssyscall } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be 'no-such-command-pssyscall'
        }

        It 'reports a file that may not be executed as CommandNotExecutable (PermissionDenied)' {
            { Start-TracedProcess $notExecutable } | Should -Throw -ErrorId CommandNotExecutable
            try { Start-TracedProcess $notExecutable } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        }

        It 'reports a directory as CommandNotExecutable' {
            { Start-TracedProcess $dir } | Should -Throw -ErrorId CommandNotExecutable
        }

        It 'reports a missing process id as ProcessNotFound (ObjectNotFound) and traces nothing' {
            $events = @(Start-TracedProcess -Id 999999999 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $events | Should -BeNullOrEmpty
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Match '^ProcessNotFound'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            { Start-TracedProcess -Id 999999999 -ErrorAction Stop } | Should -Throw -ErrorId ProcessNotFound
        }
    }

    Context 'attach and stop' {
        It 'attaches to a running process, sees it exit, and it ran to its end' {
            # The process waits for a file that the pipeline creates once the trace is running,
            # so it cannot end before the attach however slow the machine is.
            $dir = New-TestDirectory
            $go = [System.IO.Path]::Combine($dir, 'go')
            $id = Start-BackgroundProcess sh -c "while [ ! -e '$go' ]; do sleep 0.05; done; cat /etc/hostname"
            try {
                $events = @(Start-TracedProcess -Id $id | ForEach-Object -Begin { $first = $true } -Process {
                    if ($first) { [System.IO.File]::WriteAllText($go, ''); $first = $false }
                    $_
                })
            }
            finally {
                Stop-TestProcess $id
                Remove-TestDirectory $dir
            }
            $exit = @($events | Where-Object { $_.EventType -eq 'Exit' -and $_.ProcessId -eq $id })
            $exit | Should -HaveCount 1
            $exit[0].ExitCode | Should -Be 0
            @($events | Where-Object ProcessName -eq cat | Where-Object Name -eq openat).Count | Should -BeGreaterThan 0
        }

        It 'detaches when the pipeline stops, and the process lives on' {
            $id = Start-BackgroundProcess sh -c 'while :; do sleep 0.05; done'
            try {
                { Start-TracedProcess -Id $id -NoFollow | ForEach-Object { throw 'downstream stop' } } | Should -Throw 'downstream stop'
                Test-ProcessExists $id | Should -BeTrue
                Get-ProcessState $id | Should -Not -Be 'Z'
                Get-ProcessState $id | Should -Not -BeLike 't*' -Because 'a detached process is not left in a tracing stop'
            }
            finally {
                Stop-TestProcess $id
            }
        }

        It 'kills the command it started when the pipeline stops' {
            # A hashtable, because the script block given to Should runs in a scope of its own.
            $seen = @{ Id = 0 }
            { Start-TracedProcess -- sh -c 'while :; do sleep 0.05; done' | ForEach-Object { $seen.Id = $_.ProcessId; throw 'downstream stop' } } | Should -Throw 'downstream stop'
            $seen.Id | Should -BeGreaterThan 0
            Test-ProcessExists $seen.Id | Should -BeFalse -Because 'the traced command must be killed and reaped when the pipeline stops'
        }
    }
    Context 'children it cannot trace' {
        BeforeAll {
            # sandbox_escape's "untraced": a child made with clone(CLONE_UNTRACED), which no tracer follows.
            $script:Escape = Join-Path (Get-PSDrive TestDrive).Root 'sandbox_escape'
            & gcc -O0 -o $Escape (Join-Path $PSScriptRoot '..' 'PSSyscall.Engine.Tests' 'Sandbox' 'sandbox_escape.c')
            if ($LASTEXITCODE -ne 0) { throw 'gcc failed to build sandbox_escape.c' }
        }

        It 'ends a CLONE_UNTRACED child when the host dies' {
            $marker = "untraced-host-$([guid]::NewGuid().ToString('N'))"
            $module = (Get-Module PSSyscall).Path
            $script = "Import-Module '$module'; Start-TracedProcess -- '$Escape' untraced $marker | Out-Null"
            $host_ = Start-Process -FilePath ([Environment]::ProcessPath) -ArgumentList "$PSHOME/pwsh.dll", '-NoProfile', '-NonInteractive', '-Command', $script -PassThru
            try {
                # The host's own command line carries the marker too: count the program's processes.
                $programs = { @(Get-LiveProcessWithArgument $marker | Where-Object { (Get-Process -Id $_ -ErrorAction Ignore).ProcessName -eq 'sandbox_escape' }).Count }
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ((& $programs) -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                # The control: the traced parent and its untraced child are running.
                & $programs | Should -Be 2
                $host_.Kill()
                $host_.WaitForExit()
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (@(Get-LiveProcessWithArgument $marker).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Get-LiveProcessWithArgument $marker | Should -BeNullOrEmpty
                # Nor is the cgroup that held them left behind.
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (@(find /sys/fs/cgroup -maxdepth 5 -type d -name "pssyscall-$($host_.Id)-*" 2>$null).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                find /sys/fs/cgroup -maxdepth 5 -type d -name "pssyscall-$($host_.Id)-*" 2>$null | Should -BeNullOrEmpty
            } finally {
                if (-not $host_.HasExited) { $host_.Kill() }
                Get-LiveProcessWithArgument $marker | ForEach-Object { kill -9 $_ }
            }
        }
    }
}
