# New-SeccompFilter: policies from names, groups, rules, profiles and traces.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
}

Describe 'New-SeccompFilter' {
    BeforeAll {
        $dockerProfile = Join-Path $PSScriptRoot '../data/seccomp/docker-default.json'
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
        It 'imports Docker''s default profile as written, and resolves it for amd64 explicitly or when compiled' {
            $f = New-SeccompFilter -Path $dockerProfile
            $f.DefaultAction.ToString() | Should -BeExactly 'Errno(1)'
            $f.IsPortable | Should -BeTrue
            $f.ArchitectureMap | Should -HaveCount 9
            $f.Rules | Should -HaveCount 33
            $resolved = $f | Resolve-SeccompFilter
            $resolved.Architectures | Should -HaveCount 3
            $resolved.IsPortable | Should -BeFalse
            foreach ($filter in $f, $resolved) {
                (Test-SeccompFilter $filter -Name mount).Action | Should -BeExactly 'Errno(1)'
                (Test-SeccompFilter $filter -Name read).Action | Should -BeExactly 'Allow'
                (Test-SeccompFilter $filter -Name clone3).Action | Should -BeExactly 'Errno(38)'
            }
        }

        It 'resolves for another machine with Resolve-SeccompFilter -Architecture' {
            $arm = New-SeccompFilter -Path $dockerProfile | Resolve-SeccompFilter -Architecture Aarch64 -KernelVersion 6.1
            $arm.Architectures | Should -Be @('Aarch64', 'Arm')
            (Test-SeccompFilter $arm -Name openat -Architecture Aarch64).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $arm -Name arm_fadvise64_64 -Architecture Arm).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $arm -Name mount -Architecture Aarch64).Action | Should -BeExactly 'Errno(1)'
            (Test-SeccompFilter $arm -Name openat -Architecture X86_64).Action | Should -BeExactly 'KillProcess'
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
        It 'allows exactly what the trace saw, and takes signal and exit events without a binding error' {
            $events = @(Start-TracedProcess -- sh -c 'ls / >/dev/null; kill -s USR1 $$ 2>/dev/null; exit 0')
            $events | Where-Object EventType -eq Signal | Should -Not -BeNullOrEmpty
            $f = $events | New-SeccompFilter -DefaultAction Errno -ErrorVariable problems
            $problems | Should -BeNullOrEmpty
            $f | Should -BeOfType PSSyscall.SeccompFilter
            $f.DefaultAction.ToString() | Should -BeExactly 'Errno(1)'
            $f.Rules[0].Names | Should -Contain 'getdents64'
            $f.Rules[0].Names | Should -Contain 'execve'
            $f.Rules[0].Names | Should -Not -Contain 'unshare'
            $f.Rules[0].Names | Should -BeExactly @($events | Where-Object EventType -eq Syscall | ForEach-Object Name | Sort-Object -Unique)
            (Test-SeccompFilter $f -Name getdents64, execve, exit_group, unshare).Action | Should -BeExactly 'Allow', 'Allow', 'Allow', 'Errno(1)'
        }

        It 'refuses to learn from nothing instead of allowing everything' {
            $missing = Join-Path TestDrive: 'missing.jsonl'
            # The control: the same pipeline with events in it learns an allow-list.
            $trace = Join-Path TestDrive: 'ls.jsonl'
            Start-TracedProcess ls / | Export-SyscallEvent -Path $trace
            (Get-SyscallEvent $trace | New-SeccompFilter).DefaultAction.Kind | Should -Be 'Errno'
            { Get-SyscallEvent $missing -ErrorAction SilentlyContinue | New-SeccompFilter } |
                Should -Throw -ErrorId 'NoSyscallEventsToLearn,PSSyscall.Commands.NewSeccompFilterCommand'
            { Start-TracedProcess /bin/true | Where-Object Name -eq 'no-such-call' | New-SeccompFilter -Deny mount } |
                Should -Throw -ErrorId 'NoSyscallEventsToLearn,PSSyscall.Commands.NewSeccompFilterCommand'
            # Without pipeline input a deny-list's default Allow is what was asked for.
            (New-SeccompFilter -Deny mount).DefaultAction.Kind | Should -Be 'Allow'
        }

        It 'learns from plain names on the pipeline' {
            $f = 'read', 'write' | New-SeccompFilter
            (Test-SeccompFilter $f -Name read).Action | Should -BeExactly 'Allow'
            (Test-SeccompFilter $f -Name close).Action | Should -BeExactly 'Errno(1)'
        }
    }

    Context 'errors' {
        It 'reports <Case> as <Id> (<Category>), naming the closest' -ForEach @(
            @{ Case = 'a misspelt syscall'; Arguments = @{ Allow = 'opnat' }; Id = 'UnknownSyscall'; Category = 'ObjectNotFound'; Hint = "*Did you mean 'openat'?*" }
            @{ Case = 'a misspelt group'; Arguments = @{ Deny = '@file-sytem' }; Id = 'UnknownGroup'; Category = 'ObjectNotFound'; Hint = "*'@file-system'*" }
            @{ Case = 'a misspelt action'; Arguments = @{ DefaultAction = 'Alow' }; Id = 'UnknownAction'; Category = 'InvalidArgument'; Hint = "*'Allow'*" }
        ) {
            $err = { New-SeccompFilter @Arguments } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.NewSeccompFilterCommand" -PassThru
            $err.CategoryInfo.Category | Should -Be $Category
            $err.ErrorDetails.Message | Should -BeLike $Hint
        }

        It 'reports a missing libseccomp as LibSeccompMissing, with how to install it' {
            # A new pwsh in a private mount namespace where /dev/null hides the libseccomp this one loaded.
            $null = New-SeccompFilter -Allow read
            $library = Get-Content -LiteralPath "/proc/$PID/maps" | ForEach-Object { ($_ -split '\s+')[-1] } | Where-Object { $_ -like '*/libseccomp.so*' } | Select-Object -First 1
            $library | Should -Not -BeNullOrEmpty
            $pwsh = @(Get-PwshPath)
            $script = "Import-Module '$(Get-ModuleManifestPath)'; try { New-SeccompFilter -Allow read } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category.ToString(); `$_.ErrorDetails.Message }"
            $output = & unshare -m -- sh -c 'mount --bind /dev/null "$0" && exec "$@"' $library @pwsh -NoProfile -NonInteractive -Command $script 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            $output | Should -Contain 'LibSeccompMissing,PSSyscall.Commands.NewSeccompFilterCommand'
            $output | Should -Contain 'NotInstalled'
            ($output -join "`n") | Should -BeLike '*apt-get install libseccomp2*'
        }

        It 'completes <Expected> in "<Line>"' -ForEach @(
            @{ Line = "New-SeccompFilter -Allow '@file-s"; Expected = "'@file-system'" }
            @{ Line = 'New-SeccompFilter -Group net'; Expected = "'@network-io'" }
            @{ Line = 'New-SeccompFilter -Deny opena'; Expected = 'openat' }
        ) {
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText | Should -Contain $Expected
        }

        It 'warns about a name no admitted ABI has' {
            $null = New-SeccompFilter -Allow mmap2, read -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -Match "'mmap2' is not a syscall of X86_64"
            $null = New-SeccompFilter -Allow mmap2, read -Architecture X86_64, I386 -WarningVariable none -WarningAction SilentlyContinue
            $none | Should -BeNullOrEmpty
        }

        It 'reports malformed JSON as InvalidProfile (InvalidData) with its line' {
            $file = Join-Path $TestDrive 'malformed.json'
            Set-Content -LiteralPath $file -Value "{`n  `"defaultAction`": `"SCMP_ACT_ALLOW`",`n  `"syscalls`": [ } `n}"
            $err = { New-SeccompFilter -Path $file } | Should -Throw -ErrorId 'InvalidProfile,PSSyscall.Commands.NewSeccompFilterCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.ErrorDetails.Message | Should -Match 'line 3, position'
        }
    }
}
