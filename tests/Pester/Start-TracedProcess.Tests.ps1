# Start-TracedProcess, as a user sees it: real commands, strace as the oracle.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
}

Describe 'Start-TracedProcess' {
    Context 'what it reports' {
        It 'reports the same openat calls as strace for ls /' {
            $ours = @(Start-TracedProcess -CaptureOutput ls / 6>$null | Where-Object Name -eq openat)
            $ours.Count | Should -BeGreaterThan 0
            $ours.Count | Should -Be (Get-StraceCount ls / -Name openat)
        }

        It 'counts every system call of <Command> as strace -f -c does' -ForEach @(
            @{ Command = 'cat /etc/hostname'; Arguments = @('cat', '/etc/hostname') }
            @{ Command = 'a sh -c pipeline'; Arguments = @('sh', '-c', 'cat /etc/hostname | wc -c; true') }
        ) {
            $ours = Start-TracedProcess -CaptureOutput -- @Arguments 6>$null | ConvertTo-SyscallCount
            $theirs = Get-StraceCount -- @Arguments
            $ours.Count | Should -BeGreaterThan 10
            # rt_sigreturn counts the SIGCHLD handlers the shell ran, which depends on when each
            # child's exit lands (during a wait4 or not): it differs between runs of strace too.
            $ours.Remove('rt_sigreturn'); $theirs.Remove('rt_sigreturn')
            Compare-SyscallCount $ours $theirs | Should -BeNullOrEmpty -Because 'the per-name counts must equal strace -f -c'
        }

        It 'decodes an openat as strace -y does, whole path and all, whatever -StringLimit is' {
            $theirs = Join-Path $TestDrive 'openat.strace'
            $null = Invoke-Strace -StraceOption '-y', '-s', '8', '-qq', '-e', 'trace=openat', '-P', '/etc/hostname', '-o', $theirs cat /etc/hostname
            $expected = @(Get-Content -LiteralPath $theirs | Where-Object { $_ -like 'openat(*' })
            $expected | Should -HaveCount 1
            $ours = @(Start-TracedProcess -CaptureOutput -Name 'open*' -StringLimit 8 cat /etc/hostname 6>$null | Where-Object Path -eq /etc/hostname)
            $ours | Should -HaveCount 1
            "$($ours[0].Name)($($ours[0].Arguments)) = $($ours[0].Result)" | Should -BeExactly $expected[0]
            $ours[0].Class | Should -Be ([PSSyscall.SyscallClass]'File, Desc')
        }

        It 'decodes a 32-bit (gcc -m32) program as strace decodes it: i386 names, layouts and socketcall' {
            $source = Join-Path $TestDrive 'm32.c'
            Set-Content -LiteralPath $source -Value @'
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
    long long pos; struct stat64 st; unsigned long a[3] = {1, 2, 0};
    int fd = open("/etc/hostname", O_RDONLY);
    syscall(SYS__llseek, fd, 1L, 0L, &pos, SEEK_SET);
    syscall(SYS_fstat64, fd, &st);
    syscall(SYS_socketcall, 1, a);
    return 0;
}
'@
            $exe = Join-Path $TestDrive 'm32'
            & gcc -m32 -o $exe $source
            if ($LASTEXITCODE -ne 0) { throw 'gcc -m32 failed: the i386 tests need gcc-multilib (.ci/run installs it)' }
            $theirs = Join-Path $TestDrive 'm32.strace'
            $null = Invoke-Strace -StraceOption '-y', '-qq', '-e', 'trace=_llseek,fstat64,socket', '-o', $theirs $exe
            $expected = @(Get-Content -LiteralPath $theirs)
            $expected | Should -HaveCount 3
            $ours = @(Start-TracedProcess -CaptureOutput -Name _llseek, fstat64, socket -- $exe 6>$null | Where-Object Name -In _llseek, fstat64, socket)
            $ours | Should -HaveCount 3
            $ours | ForEach-Object { $_.Architecture | Should -Be I386 }
            $mask = { param($line) $line -replace '\s+= ', ' = ' -replace 'socket:\[\d+\]', 'socket:[N]' }
            $lines = @($ours | ForEach-Object { & $mask "$($_.Name)($($_.Arguments)) = $($_.Result)" })
            $lines | Should -Be @($expected | ForEach-Object { & $mask $_ }) -Because 'the lines are strace''s (socket inodes aside)'
        }

        It 'writes typed events: system calls, then the exit of each process' {
            $events = Start-TracedProcess -- sh -c 'cat /etc/hostname | wc -c >/dev/null'
            $events[0] | Should -BeOfType PSSyscall.SyscallEvent
            $exits = @($events | Where-Object EventType -eq Exit)
            $exits | Should -HaveCount 3
            $exits.ProcessName | Should -Contain 'wc'
            $exits | ForEach-Object { $_ | Should -BeOfType PSSyscall.ProcessExitEvent }
            $events[-1].IsRoot | Should -BeTrue
        }

        It 'writes events that survive remoting serialization' {
            $events = @(Start-TracedProcess -- sh -c 'cat /etc/hostname >/dev/null')
            $events.Count | Should -BeGreaterThan 10
            $events | Where-Object EventType -eq Exit | Should -Not -BeNullOrEmpty
            # One line per difference, so that a failure names them all.
            $differences = foreach ($event in $events) {
                $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($event))
                if ($copy.PSObject.TypeNames[0] -cne "Deserialized.$($event.GetType().FullName)") { "'$event' came back as a $($copy.PSObject.TypeNames[0])" }
                foreach ($property in 'Name', 'ProcessId', 'Timestamp', 'Duration', 'ExitCode', 'Signal', 'Argument0', 'ReturnValue', 'Arguments', 'Result') {
                    if ($copy.$property -ne $event.$property) { "'$event': $property came back as '$($copy.$property)'" }
                }
            }
            $differences | Should -BeNullOrEmpty
        }

        It 'reports exit_group once, as an unfinished call' {
            $exitGroups = @(Start-TracedProcess /bin/true | Where-Object Name -eq exit_group)
            $exitGroups | Should -HaveCount 1
            $exitGroups[0].Unfinished | Should -BeTrue
            $exitGroups[0].Result | Should -BeExactly '?'
        }

        It 'reports a failed call with its errno' {
            $failed = @(Start-TracedProcess -CaptureOutput ls /no-such-dir-pssyscall 6>$null | Where-Object { $_.Name -like 'stat*' -or $_.Name -like '*fstatat*' -or $_.Name -eq 'lstat' } | Where-Object Errno -eq ENOENT)
            $failed.Count | Should -BeGreaterOrEqual 1
            $failed[0].ReturnValue | Should -Be -1
            $failed[0].Result | Should -Match '^-1 ENOENT'
        }

        It 'traces only the first process with -NoFollow' {
            $events = @(Start-TracedProcess -NoFollow -- sh -c 'cat /etc/hostname | wc -c >/dev/null')
            $exits = @($events | Where-Object EventType -eq Exit)
            $exits | Should -HaveCount 1
            $exits[0].ProcessName | Should -Be 'sh'
            $events | Where-Object ProcessName -in 'cat', 'wc' | Should -BeNullOrEmpty
        }
    }

    # The rest of the stdio rule (piped stdin, -CaptureOutput, -RedirectStandard*, jobs, redirected
    # events) is specified in NativeCitizen.Tests.ps1.
    Context 'the program''s input and output' {
        BeforeAll {
            # Whether the program may use this pwsh's terminal: a console host whose stdout is one
            # (under `script`, or run by hand in a terminal); a pipe or a file otherwise.
            $hostTerminal = $Host.Name -eq 'ConsoleHost' -and -not [Console]::IsOutputRedirected
        }

        It 'hands a console''s terminal to the program, and captures its output anywhere else' {
            $null = Start-TracedProcess -InformationVariable lines -- sh -c '[ -t 1 ] && echo terminal >/dev/null || echo captured' 6>$null
            if ($hostTerminal) { $lines | Should -BeNullOrEmpty -Because 'the program wrote to the terminal' }
            else { $lines.MessageData | Should -BeExactly 'captured' }
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
            $notExecutable = Join-Path $TestDrive 'not-executable'
            Set-Content -LiteralPath $notExecutable -Value "#!/bin/sh`necho hi"
            & chmod 0644 $notExecutable
        }

        It 'reports <Case> as <Id> (<Category>)' -ForEach @(
            @{ Case = 'a missing command'; Command = 'no-such-command-pssyscall'; Id = 'CommandNotFound'; Category = 'ObjectNotFound' }
            @{ Case = 'a file that may not be executed'; Command = '$notExecutable'; Id = 'CommandNotExecutable'; Category = 'PermissionDenied' }
            @{ Case = 'a directory'; Command = '$TestDrive'; Id = 'CommandNotExecutable'; Category = 'PermissionDenied' }
            @{ Case = 'the root directory'; Command = '/'; Id = 'CommandNotExecutable'; Category = 'PermissionDenied' }
        ) {
            $target = $ExecutionContext.InvokeCommand.ExpandString($Command)
            { Start-TracedProcess $target } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.StartTracedProcessCommand"
            $err = { Start-TracedProcess $target } | Should -Throw -PassThru
            $err.CategoryInfo.Category | Should -Be $Category
            $err.TargetObject | Should -Be $target
        }

        It 'reports a missing process id as ProcessNotFound (ObjectNotFound) and traces nothing' {
            $events = @(Start-TracedProcess -Id 999999999 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $events | Should -BeNullOrEmpty
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeExactly 'ProcessNotFound,PSSyscall.Commands.StartTracedProcessCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            { Start-TracedProcess -Id 999999999 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound,PSSyscall.Commands.StartTracedProcessCommand'
        }

        It 'reports a process it may not trace (this pwsh) as AttachDenied (PermissionDenied)' {
            $err = { Start-TracedProcess -Id $PID -ErrorAction Stop } | Should -Throw -ErrorId 'AttachDenied,PSSyscall.Commands.StartTracedProcessCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
            "$($err.TargetObject)" | Should -Be "$PID"
        }
    }

    Context 'attach' {
        It 'attaches to a running process, sees it exit, and it ran to its end' {
            # The process waits for a file that the pipeline creates once the trace is running,
            # so it cannot end before the attach however slow the machine is.
            $go = Join-Path $TestDrive 'go'
            $id = Start-BackgroundProcess sh -c "while [ ! -e '$go' ]; do sleep 0.05; done; cat /etc/hostname"
            try {
                $events = @(Start-TracedProcess -Id $id | ForEach-Object -Begin { $first = $true } -Process {
                    if ($first) { New-Item -ItemType File -Path $go | Out-Null; $first = $false }
                    $_
                })
            }
            finally {
                Stop-TestProcess $id
            }
            $exit = @($events | Where-Object { $_.EventType -eq 'Exit' -and $_.ProcessId -eq $id })
            $exit | Should -HaveCount 1
            $exit[0].ExitCode | Should -Be 0
            @($events | Where-Object ProcessName -eq cat | Where-Object Name -eq openat).Count | Should -BeGreaterThan 0
        }
    }

    Context 'stopping: nothing is left behind' {
        It 'kills the command it started when a downstream command fails' {
            # A hashtable, because the script block given to Should runs in a scope of its own.
            $seen = @{ Id = 0 }
            { Start-TracedProcess -- sh -c 'while :; do /bin/true; done' | ForEach-Object { $seen.Id = $_.ProcessId; throw 'downstream stop' } } | Should -Throw 'downstream stop'
            $seen.Id | Should -BeGreaterThan 0
            Wait-ProcessGone $seen.Id | Should -BeTrue -Because 'the traced command must be killed and reaped when the pipeline stops'
        }

        It 'kills the whole traced tree when Select-Object -First has what it wants' {
            $seen = [System.Collections.Generic.HashSet[int]]::new()
            $sleeps = @(Start-TracedProcess -- sh -c 'sleep 61 & sleep 61; wait' |
                ForEach-Object { $null = $seen.Add($_.ProcessId); $_ } |
                Where-Object { $_.Name -eq 'execve' -and $_.ProcessName -eq 'sleep' } |
                Select-Object -First 2)
            $sleeps | Should -HaveCount 2
            $seen.Count | Should -Be 3 -Because 'the shell and its two sleeps were traced'
            Wait-ProcessGone @($seen) | Should -BeTrue -Because 'the shell and both sleeps (which would run for a minute) must be killed'
        }

        It 'kills the whole traced tree on Ctrl+C (PowerShell.Stop)' {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$(Get-ModuleManifestPath)'; Start-TracedProcess -- sh -c 'sleep 62 & sleep 62; wait' | Out-Null")
                $run = $shell.BeginInvoke()
                $sleeps = Wait-DescendantProcess -CommandLine 'sleep 62' -Count 2
                $tree = @($sleeps) + @($sleeps | ForEach-Object { [int](Get-ProcessStatus $_ PPid) } | Sort-Object -Unique)
                $tree | Should -HaveCount 3 -Because 'two sleeps and their shell'
                $shell.Stop()   # what Ctrl+C does in pwsh
                $run.IsCompleted | Should -BeTrue
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
                Wait-ProcessGone $tree | Should -BeTrue
            }
            finally {
                $shell.Dispose()
                Get-DescendantProcess -CommandLine 'sleep 62' | ForEach-Object { Stop-TestProcess $_ }
            }
        }

        It 'detaches from an attached process when a downstream command fails, and it lives on' {
            $id = Start-BackgroundProcess sh -c 'while :; do sleep 0.05; done'
            try {
                { Start-TracedProcess -Id $id -NoFollow | ForEach-Object { throw 'downstream stop' } } | Should -Throw 'downstream stop'
                Test-ProcessExists $id | Should -BeTrue
                Get-ProcessStatus $id TracerPid | Should -Be '0'
                Get-ProcessState $id | Should -Not -BeIn 'Z', 't', 'T' -Because 'a detached process is not left in a tracing stop'
            }
            finally {
                Stop-TestProcess $id
            }
        }

        It 'detaches on Ctrl+C from a child of this pwsh (Start-Process), which sleeps on' {
            # A child of this pwsh, as Start-Process makes one: .NET's own waitpid calls may take
            # its ptrace stops, which the tracer must recover from.
            $sleep = Start-Process sleep 63 -PassThru
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$(Get-ModuleManifestPath)'; Start-TracedProcess -Id $($sleep.Id) | Out-Null")
                $run = $shell.BeginInvoke()
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                while ((Get-ProcessStatus $sleep.Id TracerPid) -eq '0' -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 20 }
                # TracerPid is the tracer's thread id: a thread of this pwsh.
                $tracer = Get-ProcessStatus $sleep.Id TracerPid
                $tracer | Should -Not -Be '0' -Because 'the trace has attached'
                Test-Path -LiteralPath "/proc/$PID/task/$tracer" | Should -BeTrue -Because 'this pwsh traces it'
                $shell.Stop()
                $run.IsCompleted | Should -BeTrue
                Test-ProcessExists $sleep.Id | Should -BeTrue -Because 'the attached process lives on'
                Get-ProcessStatus $sleep.Id TracerPid | Should -Be '0'
                Get-ProcessState $sleep.Id | Should -Not -BeIn 'Z', 't', 'T'
            }
            finally {
                $shell.Dispose()
                Stop-TestProcess $sleep.Id
            }
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
            $pwsh = @(Get-PwshPath)
            $host_ = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-Command', $script) -PassThru
            try {
                # The host's own command line carries the marker too: count the program's processes.
                $programs = { @(Get-LiveProcessWithArgument $marker | Where-Object { (Get-Process -Id $_ -ErrorAction Ignore).ProcessName -eq 'sandbox_escape' }).Count }
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ((& $programs) -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                # The control: the traced parent and its untraced child are running.
                & $programs | Should -Be 2
                Assert-HostDeathEndsAll -HostProcess $host_ -Marker $marker
            } finally {
                if (-not $host_.HasExited) { $host_.Kill() }
                Get-LiveProcessWithArgument $marker | ForEach-Object { kill -9 $_ }
            }
        }
    }
}
