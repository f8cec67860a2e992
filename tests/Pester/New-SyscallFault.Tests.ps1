# New-SyscallFault and Start-TracedProcess -Inject, as a user sees them: real programs under real
# faults, with strace --inject as the oracle for what the program shows.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1

    # Runs a command line under sh, traced with the faults, its stdout and stderr on pipes (as
    # Invoke-Strace gives them) and its stderr sent by sh to a file; returns the exit code, that
    # text and the events marked Injected.
    function Invoke-FaultedCommand {
        param([PSSyscall.SyscallFault[]] $Fault, [string] $CommandLine)
        $log = Join-Path $TestDrive ([System.IO.Path]::GetRandomFileName())
        $events = Start-TracedProcess -CaptureOutput -Inject $Fault -- sh -c "$CommandLine 2>'$log'" 6>$null
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Message  = Get-Content -LiteralPath $log -Raw
            Injected = @($events | Where-Object Injected)
        }
    }

    # The same under strace with its own injection options.
    function Invoke-StraceInject {
        param([string[]] $StraceOption, [string] $CommandLine)
        $log = Join-Path $TestDrive ([System.IO.Path]::GetRandomFileName())
        $run = Invoke-Strace -StraceOption (@('-f', '-qq', '-o', '/dev/null') + $StraceOption) sh -c "$CommandLine 2>'$log'"
        [pscustomobject]@{ ExitCode = $run.ExitCode; Message = Get-Content -LiteralPath $log -Raw }
    }
}

Describe 'New-SyscallFault' {
    BeforeAll {
        $source = Join-Path $TestDrive 'source.txt'
        Set-Content -LiteralPath $source -Value 'important data'
    }

    Context 'the fault object' {
        It 'carries every choice it was given' {
            $output = @(New-SyscallFault -Name openat, 'write*' -Errno ENOSPC -Occurrence 2..10+2 -Probability 0.5 -Seed 7 -PathLike '/tmp/*' -DelayExit 200ms -ErrorVariable problems)
            $problems | Should -BeNullOrEmpty
            $output | Should -HaveCount 1
            $fault = $output[0]
            $fault | Should -BeOfType PSSyscall.SyscallFault
            $fault.Name | Should -BeExactly 'openat,write*'
            $fault.Effect | Should -BeExactly 'error=ENOSPC:delay_exit=200ms'
            $fault.Errno | Should -BeExactly 'ENOSPC'
            $fault.DelayExit | Should -Be ([timespan]::FromMilliseconds(200))
            $fault.Occurrence | Should -BeExactly '2..10+2'
            $fault.Probability | Should -Be 0.5
            $fault.Seed | Should -Be 7
            $fault.Syscalls -split ',' | Should -Contain 'writev'
            $fault.ReturnValue | Should -BeNullOrEmpty
        }

        It 'takes names from the pipeline by property' {
            $faults = @([pscustomobject]@{ Name = 'fsync' }, [pscustomobject]@{ Name = 'fdatasync' } | New-SyscallFault -Errno EIO)
            $faults.Name | Should -BeExactly 'fsync', 'fdatasync'
        }

        It 'takes a delay of <Delay>' -ForEach @(
            @{ Delay = '200ms'; Microseconds = 200000 }
            @{ Delay = "'1.5s'"; Microseconds = 1500000 }
            @{ Delay = "'500us'"; Microseconds = 500 }
            @{ Delay = "([TimeSpan]'0:0:2')"; Microseconds = 2000000 }
        ) {
            # Parsed as typed, so that PowerShell's own literal parsing (200ms, 1.5s) takes part.
            $fault = & ([scriptblock]::Create("New-SyscallFault nanosleep -DelayEntry $Delay"))
            $fault.DelayEntry | Should -Be ([timespan]::FromMicroseconds($Microseconds))
        }

        It 'refuses a delay of <Delay> with advice: <Advice>' -ForEach @(
            @{ Delay = '200'; Advice = 'unit' }
            @{ Delay = '1.5s'; Advice = 'quote it' }   # PowerShell has made it [short]2 already
            @{ Delay = '500us'; Advice = 'quote it' }  # and this [ushort]500
        ) {
            $err = ([scriptblock]::Create("New-SyscallFault nanosleep -DelayExit $Delay")) | Should -Throw -ErrorId 'ParameterArgumentTransformationError,PSSyscall.Commands.NewSyscallFaultCommand' -PassThru
            $err.Exception.Message | Should -BeLike "*$Advice*"
        }

        It 'completes <Expected> in "<Line>"' -ForEach @(
            @{ Line = 'New-SyscallFault write -Errno ENOS'; Expected = 'ENOSPC' }
            @{ Line = 'New-SyscallFault write -Signal SIGSE'; Expected = 'SIGSEGV' }
            @{ Line = 'New-SyscallFault fdata'; Expected = 'fdatasync' }
        ) {
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText | Should -Contain $Expected
        }
    }

    Context 'the worked example: a full disk on one file' {
        It 'makes dd fail with ENOSPC when it writes the target, as strace --inject does' {
            $target = Join-Path $TestDrive 'target.bin'
            $fault = New-SyscallFault -Name write -Errno ENOSPC -PathLike $target
            $commandLine = "dd if='$source' of='$target' status=none"

            $result = Invoke-FaultedCommand -Fault $fault -CommandLine $commandLine

            $result.ExitCode | Should -Be 1
            $result.Message | Should -Match 'No space left on device'
            $result.Injected | Should -HaveCount 1
            $result.Injected[0].Name | Should -BeExactly 'write'
            $result.Injected[0].Errno | Should -BeExactly 'ENOSPC'
            $result.Injected[0].Fault | Should -BeExactly 'error=ENOSPC'

            $strace = Invoke-StraceInject -StraceOption '-P', $target, '-e', 'inject=write:error=ENOSPC' -CommandLine $commandLine
            $result.ExitCode | Should -Be $strace.ExitCode
            $result.Message | Should -BeExactly $strace.Message
        }

        It 'leaves the same command alone without the fault' {
            $target = Join-Path $TestDrive 'untouched.bin'
            $fault = New-SyscallFault -Name write -Errno ENOSPC -PathLike (Join-Path $TestDrive 'other.bin')
            $result = Invoke-FaultedCommand -Fault $fault -CommandLine "dd if='$source' of='$target' status=none"
            $result.ExitCode | Should -Be 0
            $result.Message | Should -BeNullOrEmpty
            $result.Injected | Should -BeNullOrEmpty
            Get-Content -LiteralPath $target -Raw | Should -BeExactly "important data`n"
        }
    }

    Context 'effects' {
        It 'fails an open of one file: cat reports it and exits 1, and the event is marked' {
            $result = Invoke-FaultedCommand -Fault (New-SyscallFault openat -Errno ENOENT -PathLike $source) -CommandLine "cat '$source'"
            $result.ExitCode | Should -Be 1
            $result.Message | Should -BeExactly "cat: ${source}: No such file or directory`n"
            $result.Injected | Should -HaveCount 1
            $result.Injected[0].Name | Should -BeExactly 'openat'
            $result.Injected[0].Errno | Should -BeExactly 'ENOENT'
            $result.Injected[0].Fault | Should -BeExactly 'error=ENOENT'
            "$($result.Injected[0])" | Should -BeLike '* (INJECTED) <*'
        }

        It 'kills the program with the signal it delivers' {
            $events = Start-TracedProcess -CaptureOutput -Inject (New-SyscallFault read -Signal SIGSEGV -PathLike $source) -- cat $source 6>$null
            $LASTEXITCODE | Should -Be 139
            $events[-1].Signal | Should -BeExactly 'SIGSEGV'
        }

        It 'composes with -Name: the fault acts though only write calls are reported' {
            # -Name write runs on the seccomp fast path; the openat fault must still take effect.
            $fault = New-SyscallFault -Name openat -Errno EACCES -PathLike $source
            $events = @(Start-TracedProcess -Name write -Inject $fault -- sh -c 'cat "$1" 2>/dev/null; echo status $? >/dev/null' sh $source)
            $calls = @($events | Where-Object EventType -eq Syscall)
            $calls | Should -Not -BeNullOrEmpty
            $calls | Where-Object Name -ne write | Should -BeNullOrEmpty
            @($calls | Where-Object Arguments -like '*"status 1\n"*') | Should -HaveCount 1
        }

        It 'keeps the injected mark in a <Extension> trace file' -ForEach @(
            @{ Extension = 'jsonl' }
            @{ Extension = 'txt' }
        ) {
            $trace = Join-Path $TestDrive "injected.$Extension"
            $fault = New-SyscallFault -Name openat -Errno ENOENT -PathLike $source
            $null = Start-TracedProcess -Inject $fault -OutFile $trace -- sh -c 'cat "$1" 2>/dev/null' sh $source
            $hits = @(Get-SyscallEvent -Path $trace | Where-Object Injected)
            $hits | Should -HaveCount 1
            $hits[0].Name | Should -BeExactly 'openat'
            $hits[0].Errno | Should -BeExactly 'ENOENT'
            $hits[0].Fault | Should -BeExactly 'error=ENOENT'
        }
    }

    Context 'bad input' {
        It 'refuses <Case> as <Id> (<Category>), writing nothing' -ForEach @(
            @{ Case = '-Errno with -ReturnValue'; Arguments = @{ Name = 'write'; Errno = 'ENOSPC'; ReturnValue = 0 }; Id = 'ConflictingFaultEffects'; Category = 'InvalidArgument' }
            @{ Case = 'a probability above 1'; Arguments = @{ Name = 'write'; Errno = 'ENOSPC'; Probability = 1.5 }; Id = 'InvalidProbability'; Category = 'InvalidArgument' }
            @{ Case = 'a negative probability'; Arguments = @{ Name = 'write'; Errno = 'ENOSPC'; Probability = -0.1 }; Id = 'InvalidProbability'; Category = 'InvalidArgument' }
            @{ Case = 'a malformed occurrence'; Arguments = @{ Name = 'write'; Errno = 'ENOSPC'; Occurrence = '2..x' }; Id = 'InvalidOccurrence'; Category = 'InvalidArgument' }
            @{ Case = 'a backward occurrence range'; Arguments = @{ Name = 'write'; Errno = 'EIO'; Occurrence = '3..1' }; Id = 'InvalidOccurrence'; Category = 'InvalidArgument' }
            @{ Case = 'an unknown errno'; Arguments = @{ Name = 'write'; Errno = 'ENOSPACE' }; Id = 'UnknownErrno'; Category = 'ObjectNotFound' }
            @{ Case = 'an unknown signal'; Arguments = @{ Name = 'write'; Signal = 'SIGFOO' }; Id = 'UnknownSignal'; Category = 'ObjectNotFound' }
            @{ Case = 'an unknown syscall'; Arguments = @{ Name = 'opnat'; Errno = 'ENOENT' }; Id = 'UnknownSyscall'; Category = 'ObjectNotFound' }
            @{ Case = 'no effect at all'; Arguments = @{ Name = 'write' }; Id = 'NoFaultEffect'; Category = 'InvalidArgument' }
        ) {
            $output = @(New-SyscallFault @Arguments -ErrorVariable problems -ErrorAction SilentlyContinue)
            $output | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeExactly "$Id,PSSyscall.Commands.NewSyscallFaultCommand"
            $problems[0].CategoryInfo.Category | Should -Be $Category
            $problems[0].ErrorDetails.Message | Should -Not -BeNullOrEmpty
            if ($Id -eq 'UnknownSyscall') { $problems[0].ErrorDetails.Message | Should -Match "Did you mean .*'openat'" }
            { New-SyscallFault @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.NewSyscallFaultCommand"
        }
    }
}
