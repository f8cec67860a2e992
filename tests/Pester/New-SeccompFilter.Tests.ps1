# New-SeccompFilter: policies from names, groups, rules, profiles and traces.

Describe 'New-SeccompFilter' {
    BeforeAll {
        $dockerProfile = [System.IO.Path]::Combine($PSScriptRoot, '..', 'data', 'seccomp', 'docker-default.json')
    }

    Context 'building from lists' {
        It 'defaults to Errno(EPERM) when there is something to allow' {
            $f = New-SeccompFilter -Allow read, write
            $f | Should -BeOfType PSSyscall.SeccompFilter
            $f.DefaultAction.ToString() | Should -BeExactly 'Errno(1)'
            (Test-SeccompFilter $f -Name write).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name openat).Action | Should -BeExactly 'Errno(1)'
        }

        It 'defaults to Allow for a deny list, and takes the errno by name' {
            $f = New-SeccompFilter -Deny mount, umount2 -ErrorNumber EACCES -Kill ptrace
            $f.DefaultAction.ToString() | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name mount).Action | Should -BeExactly 'Errno(13)'
            (Test-SeccompFilter $f -Name ptrace).Action | Should -BeExactly 'KillProcess'
            (Test-SeccompFilter $f -Name read).Action | Should -BeExactly 'Allow'
        }

        It 'lets a later list override a group: -Deny beats -Group' {
            $f = New-SeccompFilter -Group file-system -Deny chmod
            (Test-SeccompFilter $f -Name chmod).Action | Should -BeExactly 'Errno(1)'
            (Test-SeccompFilter $f -Name openat).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name socket).Action | Should -BeExactly 'Errno(1)'
        }

        It 'kills foreign ABIs unless -Architecture admits them' {
            $f = New-SeccompFilter -Allow getpid
            (Test-SeccompFilter $f -Name getpid -Architecture I386).Action | Should -BeExactly 'KillProcess'
            $g = New-SeccompFilter -Allow getpid -Architecture X86_64, I386
            (Test-SeccompFilter $g -Name getpid -Architecture I386).Action | Should -BeExactly 'Allow'
        }

        It 'logs, traces and applies rule objects' {
            $rule = New-SeccompRule -Name socket -Action Allow -Condition 'arg0 == 1'
            $f = New-SeccompFilter -DefaultAction KillProcess -Log getpid -Trace getppid -Rule $rule
            (Test-SeccompFilter $f -Name getpid).Action | Should -BeExactly 'Log'
            (Test-SeccompFilter $f -Name getppid).Action | Should -BeExactly 'Trace(0)'
            (Test-SeccompFilter $f -Name socket -Argument 1).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name socket -Argument 2).Action | Should -BeExactly 'KillProcess'
        }
    }

    Context 'profiles' {
        It 'imports Docker''s default profile as Docker resolves it for amd64' {
            $f = New-SeccompFilter -Path $dockerProfile
            $f.DefaultAction.ToString() | Should -BeExactly 'Errno(1)'
            $f.Architectures | Should -HaveCount 3
            (Test-SeccompFilter $f -Name mount).Action | Should -BeExactly 'Errno(1)'
            (Test-SeccompFilter $f -Name read).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name clone3).Action | Should -BeExactly 'Errno(38)'
        }

        It 'honours -Capability for includes and excludes' {
            $f = New-SeccompFilter -Path $dockerProfile -Capability CAP_SYS_ADMIN
            (Test-SeccompFilter $f -Name mount).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name reboot).Action | Should -BeExactly 'Errno(1)'
            (Test-SeccompFilter $f -Name bpf).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name clone -Argument 0x10000000).Action | Should -BeExactly 'Allow'
        }
    }

    Context 'learning from a trace' {
        It 'allows exactly what ls / did, and ignores signal and exit events' {
            $f = Start-TracedProcess ls / | New-SeccompFilter -DefaultAction Errno
            $f.Rules[0].Names | Should -Contain 'getdents64'
            $f.Rules[0].Names | Should -Contain 'execve'
            $f.Rules[0].Names | Should -Not -Contain 'unshare'
            (Test-SeccompFilter $f -Name getdents64).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name unshare).Action | Should -BeExactly 'Errno(1)'
        }

        It 'learns from plain names on the pipeline' {
            $f = 'read', 'write' | New-SeccompFilter
            (Test-SeccompFilter $f -Name read).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name close).Action | Should -BeExactly 'Errno(1)'
        }
    }

    Context 'errors' {
        It 'names the closest syscall for a misspelt one' {
            { New-SeccompFilter -Allow opnat } | Should -Throw -ErrorId "UnknownSyscall,PSSyscall.Commands.NewSeccompFilterCommand"
            try { New-SeccompFilter -Allow opnat } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.ErrorDetails.Message | Should -Match "Did you mean 'openat'"
        }

        It 'reports an unknown group and an unknown action' {
            { New-SeccompFilter -Allow '@file-sytem' } | Should -Throw -ErrorId "UnknownGroup,PSSyscall.Commands.NewSeccompFilterCommand"
            { New-SeccompFilter -DefaultAction Alow } | Should -Throw -ErrorId "UnknownAction,PSSyscall.Commands.NewSeccompFilterCommand"
        }

        It 'warns about a name no admitted ABI has' {
            $null = New-SeccompFilter -Allow mmap2, read -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -Match "'mmap2' is not a syscall of X86_64"
            $null = New-SeccompFilter -Allow mmap2, read -Architecture X86_64, I386 -WarningVariable none -WarningAction SilentlyContinue
            $none | Should -BeNullOrEmpty
        }

        It 'reports malformed JSON with its line' {
            $file = [System.IO.Path]::GetTempFileName()
            try {
                [System.IO.File]::WriteAllText($file, "{`n  `"defaultAction`": `"SCMP_ACT_ALLOW`",`n  `"syscalls`": [ } `n}")
                { New-SeccompFilter -Path $file } | Should -Throw -ErrorId "InvalidProfile,PSSyscall.Commands.NewSeccompFilterCommand"
                try { New-SeccompFilter -Path $file } catch { $err = $_ }
                $err.ErrorDetails.Message | Should -Match 'line 3, position'
            }
            finally {
                [System.IO.File]::Delete($file)
            }
        }
    }
}
