# New-SyscallFault and Start-TracedProcess -Inject, as a user sees them: real programs under real
# faults, with strace --inject as the oracle for what the program shows.

BeforeAll {
    $script:dir = [System.IO.Directory]::CreateTempSubdirectory('pssyscall-fault-pester-').FullName
    $script:source = [System.IO.Path]::Combine($dir, 'source.txt')
    [System.IO.File]::WriteAllText($source, "important data`n")

    # Runs a command line under sh with its stderr in a file; returns exit code and that text.
    function Invoke-FaultedCommand {
        param([PSSyscall.SyscallFault[]] $Fault, [string] $CommandLine)
        $log = [System.IO.Path]::Combine($dir, [System.IO.Path]::GetRandomFileName())
        $events = Start-TracedProcess -Inject $Fault -- sh -c "$CommandLine 2>'$log'"
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Message  = [System.IO.File]::ReadAllText($log)
            Injected = @($events | Where-Object Injected)
        }
    }

    function Invoke-StraceInject {
        param([string[]] $StraceOption, [string] $CommandLine)
        $log = [System.IO.Path]::Combine($dir, [System.IO.Path]::GetRandomFileName())
        & strace -f -qq -o /dev/null @StraceOption -- sh -c "$CommandLine 2>'$log'"
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Message = [System.IO.File]::ReadAllText($log) }
    }
}

AfterAll {
    [System.IO.Directory]::Delete($dir, $true)
}

Describe 'New-SyscallFault' {
    Context 'the worked example: a full disk on one file' {
        It 'makes dd fail with ENOSPC when it writes the target, as strace --inject does' {
            $target = [System.IO.Path]::Combine($dir, 'target.bin')
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
            $target = [System.IO.Path]::Combine($dir, 'untouched.bin')
            $fault = New-SyscallFault -Name write -Errno ENOSPC -PathLike ([System.IO.Path]::Combine($dir, 'other.bin'))
            $result = Invoke-FaultedCommand -Fault $fault -CommandLine "dd if='$source' of='$target' status=none"
            $result.ExitCode | Should -Be 0
            $result.Message | Should -BeNullOrEmpty
            [System.IO.File]::ReadAllText($target) | Should -BeExactly "important data`n"
        }
    }

    Context 'effects' {
        It 'fails an open of one file: cat reports it and exits 1' {
            $result = Invoke-FaultedCommand -Fault (New-SyscallFault openat -Errno ENOENT -PathLike $source) -CommandLine "cat '$source'"
            $result.ExitCode | Should -Be 1
            $result.Message | Should -BeExactly "cat: ${source}: No such file or directory`n"
        }

        It 'kills the program with the signal it delivers' {
            $events = Start-TracedProcess -Inject (New-SyscallFault read -Signal SIGSEGV -PathLike $source) -- cat $source
            $LASTEXITCODE | Should -Be 139
            $events[-1].Signal | Should -BeExactly 'SIGSEGV'
        }
    }

    Context 'bad input' {
        It 'refuses -Errno with -ReturnValue' {
            { New-SyscallFault write -Errno ENOSPC -ReturnValue 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingFaultEffects,PSSyscall.Commands.NewSyscallFaultCommand'
        }

        It 'refuses a probability outside 0..1' {
            { New-SyscallFault write -Errno EIO -Probability 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PSSyscall.Commands.NewSyscallFaultCommand'
        }

        It 'refuses a malformed occurrence' {
            { New-SyscallFault write -Errno EIO -Occurrence '3..1' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOccurrence,PSSyscall.Commands.NewSyscallFaultCommand'
        }

        It 'refuses an unknown errno' {
            { New-SyscallFault write -Errno ENOSPACE -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PSSyscall.Commands.NewSyscallFaultCommand'
        }
    }
}
