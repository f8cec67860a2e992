# Get-SeccompFilter and Test-SeccompFilter -Path/-Program: raw BPF programs read back from files
# (ours, libseccomp's) and from the filters running processes have installed.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $Dir = New-TestDirectory
    $Filter = New-SeccompFilter -DefaultAction Allow -Deny getuid -ErrorNumber EACCES -Kill ptrace -Rule (
        New-SeccompRule -Name umask -Action 'Errno(EPERM)' -Condition 'arg0 == 0777')
    $Bpf = Join-Path $Dir 'policy.bpf'
    $Json = Join-Path $Dir 'policy.json'
    Export-SeccompFilter $Filter -Format Bpf -Path $Bpf
    Export-SeccompFilter $Filter -Format Json -Path $Json

    # A program that installs a libseccomp filter, exports it with seccomp_export_bpf, and waits.
    $Stack = Join-Path $Dir 'seccomp-stack'
    & gcc -O1 -o $Stack (Join-Path $PSScriptRoot '..' 'PSSyscall.Engine.Tests' 'Seccomp' 'seccomp-stack.c') -lseccomp
    if ($LASTEXITCODE -ne 0) { throw 'gcc failed to build seccomp-stack.c (is libseccomp-dev installed?)' }
}

AfterAll {
    Remove-TestDirectory $Dir
}

Describe 'Get-SeccompFilter' {
    Context 'files' {
        It 'reads back the program Export-SeccompFilter -Format Bpf wrote, byte for byte' {
            $program = Get-SeccompFilter $Bpf
            $program | Should -BeOfType PSSyscall.SeccompBpfProgram
            $program.Path | Should -BeExactly $Bpf
            $program.InstructionCount | Should -Be ((Get-Item $Bpf).Length / 8)
            [Convert]::ToBase64String($program.Program) | Should -BeExactly ([Convert]::ToBase64String([IO.File]::ReadAllBytes($Bpf)))
            $program.ReadsArguments | Should -BeTrue
        }

        It 'takes files from Get-ChildItem and wildcards, and compiles a JSON profile' {
            $all = @(Get-ChildItem $Dir -Filter 'policy.*' | Get-SeccompFilter)
            $all | Should -HaveCount 2
            $all.Sha256 | Select-Object -Unique | Should -HaveCount 1 -Because 'the JSON profile compiles to the program that was exported'
            @(Get-SeccompFilter (Join-Path $Dir 'policy.*')) | Should -HaveCount 2
        }

        It 'disassembles a program' {
            $listing = Get-SeccompFilter $Bpf -Disassemble
            $listing | Should -BeOfType string
            $listing | Should -Match 'AUDIT_ARCH_X86_64'
            $listing | Should -Match '; getuid'
            $listing | Should -Match 'ret #0x5000d +; Errno\(13\)'
        }

        It 'says a file is neither JSON nor BPF, per file, and goes on' {
            $bad = Join-Path $Dir 'notes.txt'
            'not a filter' | Set-Content $bad
            $out = @(Get-SeccompFilter $bad, $Bpf -ErrorVariable problems -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 1
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeExactly 'NotASeccompFilter,PSSyscall.Commands.GetSeccompFilterCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $problems[0].TargetObject | Should -BeExactly $bad
            $problems[0].ErrorDetails.Message | Should -Match 'neither a seccomp profile .* nor a seccomp BPF program'
        }
    }

    Context 'running processes' {
        It 'reads the filters a process installed, leaves it running, and Test-SeccompFilter judges them as libseccomp''s rules say' {
            $exported = Join-Path $Dir 'libseccomp.bpf'
            $id = Start-BackgroundProcess $Stack $exported wait
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while (-not ((Get-Content "/proc/$id/status" -ErrorAction Ignore) -match '^Seccomp:\s+2') -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 20
                }
                $filters = @(Get-SeccompFilter -Id $id)
                $filters | Should -HaveCount 1
                $filters[0].ProcessId | Should -Be $id
                $filters[0].Index | Should -Be 0
                [Convert]::ToBase64String($filters[0].Program) | Should -BeExactly ([Convert]::ToBase64String([IO.File]::ReadAllBytes($exported)))

                (Test-SeccompFilter $filters getgid).Action | Should -BeExactly 'Errno(1)'
                (Test-SeccompFilter $filters getuid).Action | Should -BeExactly 'Trap'
                (Test-SeccompFilter $filters getppid).Action | Should -BeExactly 'Log'
                (Test-SeccompFilter $filters umask 0x1ff).Action | Should -BeExactly 'Errno(1)'
                (Test-SeccompFilter $filters umask 0x12).Action | Should -BeExactly 'Allow'
                # libseccomp's default for a foreign ABI: SCMP_ACT_KILL, which kills the thread.
                (Test-SeccompFilter $filters read -Architecture I386).Action | Should -BeExactly 'KillThread'

                # Not stopped, not traced any more: back in pause once it has run again.
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (-not ((Get-Content "/proc/$id/status") -match '^State:\s+S') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
                (Get-Content "/proc/$id/status") -match '^State:' | Should -Match 'S \(sleeping\)'
                (Get-Content "/proc/$id/status") -match '^TracerPid:' | Should -Match '^TracerPid:\s+0$'
            }
            finally {
                Stop-TestProcess $id
            }
        }

        It 'reads a sandboxed command''s filter: the policy as the sandbox installs it' {
            $job = Start-ThreadJob {
                Import-Module (Join-Path $using:PSScriptRoot '..' '..' 'output' 'PSSyscall')
                Invoke-Sandboxed -Filter $using:Filter -PassThru /bin/sleep 5.1234
            }
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                do {
                    Start-Sleep -Milliseconds 50
                    $sleeper = Get-Process sleep -ErrorAction Ignore | Where-Object { (Get-Content "/proc/$($_.Id)/status" -ErrorAction Ignore) -match '^Seccomp:\s+2' } |
                        Where-Object { (Get-Content "/proc/$($_.Id)/cmdline" -Raw -ErrorAction Ignore) -eq "/bin/sleep`0" + "5.1234`0" } | Select-Object -First 1
                } until ($sleeper -or [DateTime]::UtcNow -gt $deadline)
                $sleeper | Should -Not -BeNullOrEmpty
                $filters = @($sleeper | Get-SeccompFilter)
                $filters.Count | Should -BeGreaterOrEqual 1
                # The sandbox turns what the policy stops into user notifications for its supervisor.
                (Test-SeccompFilter $filters getuid).Action | Should -BeExactly 'Notify'
                (Test-SeccompFilter $filters getpid).Action | Should -BeExactly 'Allow'
            }
            finally {
                $job | Stop-Job -PassThru | Remove-Job -Force
            }
        }

        It 'reads a child of this PowerShell (Start-Process), whose stops .NET''s own child reaping may take, and leaves it running' {
            $exported = Join-Path $Dir 'child.bpf'
            $child = Start-Process $Stack -ArgumentList $exported, wait -PassThru -RedirectStandardOutput (Join-Path $Dir 'child.out')
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while (-not ((Get-Content "/proc/$($child.Id)/status" -ErrorAction Ignore) -match '^Seccomp:\s+2') -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 20
                }
                foreach ($round in 1..3) {
                    $filters = @($child | Get-SeccompFilter)
                    $filters | Should -HaveCount 1
                    [Convert]::ToBase64String($filters[0].Program) | Should -BeExactly ([Convert]::ToBase64String([IO.File]::ReadAllBytes($exported)))
                }
                $child.HasExited | Should -BeFalse
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (-not ((Get-Content "/proc/$($child.Id)/status") -match '^State:\s+S') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
                (Get-Content "/proc/$($child.Id)/status") -match '^State:' | Should -Match 'S \(sleeping\)'
            }
            finally {
                $child.Kill()
                $child.WaitForExit(10000) | Should -BeTrue -Because '.NET still tracks its child: the stop was not taken for its exit'
                $child.ExitCode | Should -Be 137
            }
        }

        It 'says a missing process is not found' {
            { Get-SeccompFilter -Id 2147483646 -ErrorAction Stop } | Should -Throw -ErrorId 'ProcessNotFound,PSSyscall.Commands.GetSeccompFilterCommand'
        }

        It 'writes nothing for a process without filters' {
            $id = Start-BackgroundProcess sleep 30
            try {
                @(Get-SeccompFilter -Id $id -ErrorVariable problems) | Should -HaveCount 0
                $problems | Should -HaveCount 0
            }
            finally {
                Stop-TestProcess $id
            }
        }
    }
}

Describe 'Test-SeccompFilter -Path and -Program' {
    It 'judges a BPF file and a JSON file as the filter they came from' {
        foreach ($case in @(@('getuid'), @('ptrace'), @('getpid'), @('umask', 0x1ff), @('umask', 0))) {
            $expected = (Test-SeccompFilter $Filter -Name $case[0] -Argument @($case | Select-Object -Skip 1)).Action
            (Test-SeccompFilter -Path $Bpf -Name $case[0] -Argument @($case | Select-Object -Skip 1)).Action | Should -BeExactly $expected
            (Test-SeccompFilter -Path $Json -Name $case[0] -Argument @($case | Select-Object -Skip 1)).Action | Should -BeExactly $expected
        }
        (Test-SeccompFilter -Path $Bpf getuid).ErrnoName | Should -BeExactly 'EACCES'
    }

    It 'tests the calls of a trace against a BPF file' {
        $results = @(Start-TracedProcess /bin/true | Test-SeccompFilter -Path $Bpf)
        $results.Count | Should -BeGreaterThan 10
        $results | Where-Object Action -ne 'Allow' | Should -BeNullOrEmpty
    }

    It 'takes programs back from Export-Clixml, and the bytes Export-SeccompFilter writes' {
        $xml = Join-Path $Dir 'program.clixml'
        Get-SeccompFilter $Bpf | Export-Clixml $xml
        (Test-SeccompFilter (Import-Clixml $xml) getuid).Action | Should -BeExactly 'Errno(13)'
        (Test-SeccompFilter -Program (Export-SeccompFilter $Filter -Format Bpf) getuid).Action | Should -BeExactly 'Errno(13)'
    }

    It 'combines several programs as the kernel does: the most restrictive action wins, the first given on a tie' {
        $a = Get-SeccompFilter $Bpf
        Export-SeccompFilter (New-SeccompFilter -Deny getuid, getpid -ErrorNumber ENOENT -Trace ptrace) -Format Bpf -Path (Join-Path $Dir 'other.bpf')
        $b = Get-SeccompFilter -LiteralPath (Join-Path $Dir 'other.bpf')
        (Test-SeccompFilter -Program $a, $b getuid).Action | Should -BeExactly 'Errno(13)'
        (Test-SeccompFilter -Program $b, $a getuid).Action | Should -BeExactly 'Errno(2)'
        (Test-SeccompFilter -Program $b, $a getpid).Action | Should -BeExactly 'Errno(2)'
        (Test-SeccompFilter -Program $b, $a ptrace).Action | Should -BeExactly 'KillProcess'
    }

    It 'takes programs from the pipeline as one stack, judged when the input ends' {
        Export-SeccompFilter (New-SeccompFilter -Deny getuid -ErrorNumber ENOENT) -Format Bpf -Path (Join-Path $Dir 'piped.bpf')
        $results = @(Get-SeccompFilter (Join-Path $Dir 'piped.bpf'), $Bpf | Test-SeccompFilter -Name getuid, ptrace)
        $results.Action | Should -Be @('Errno(2)', 'KillProcess')
        @(Get-SeccompFilter $Bpf, (Join-Path $Dir 'piped.bpf') | Test-SeccompFilter -Name getuid).Action | Should -Be @('Errno(13)')
    }

    It 'New-SeccompFilter -Path on a BPF program says what to use instead of "not valid JSON"' {
        $err = { New-SeccompFilter -Path $Bpf } | Should -Throw -ErrorId 'BpfProgramNotAProfile,PSSyscall.Commands.NewSeccompFilterCommand' -PassThru
        $err.Exception.Message | Should -Match 'Get-SeccompFilter'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'stops with a clear error for a file that is neither form' {
        $bad = Join-Path $Dir 'seven.bin'
        [IO.File]::WriteAllBytes($bad, [byte[]](1..7))
        { Test-SeccompFilter -Path $bad read } | Should -Throw -ErrorId 'NotASeccompFilter,PSSyscall.Commands.TestSeccompFilterCommand'
        { Test-SeccompFilter -Path (Join-Path $Dir 'missing.bpf') read } | Should -Throw -ErrorId 'ProfileNotFound,PSSyscall.Commands.TestSeccompFilterCommand'
    }
}
