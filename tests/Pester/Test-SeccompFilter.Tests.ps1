# Test-SeccompFilter: the kernel's verdict, predicted by running the BPF in the module's interpreter.

Describe 'Test-SeccompFilter' {
    BeforeAll {
        $rules = @(
            New-SeccompRule -Name getpid -Action Allow -Condition 'arg0 == 0xffffffffffffffff'
            New-SeccompRule -Name getpid -Action 'Errno(5)' -Condition 'arg0 == 0xffffffff'
        )
        $filter = New-SeccompFilter -DefaultAction 'Errno(13)' -Rule $rules -Kill times -Trace umask
    }

    It 'tells 64-bit values apart in the high word' {
        (Test-SeccompFilter $filter -Name getpid -Argument -1).Action | Should -BeExactly 'Allow'
        # PowerShell reads the literal 0xffffffff as the int -1: the 32-bit value is written 4294967295 or '0xffffffff'.
        (Test-SeccompFilter $filter -Name getpid -Argument 4294967295).Action | Should -BeExactly 'Errno(5)'
        (Test-SeccompFilter $filter -Name getpid -Argument '0xffffffff').Action | Should -BeExactly 'Errno(5)'
        (Test-SeccompFilter $filter -Name getpid -Argument '0xffffffffffffffff').Action | Should -BeExactly 'Allow'
        (Test-SeccompFilter $filter -Name getpid).Action | Should -BeExactly 'Errno(13)'
    }

    It 'returns a typed result with the errno name and the instructions run' {
        $r = Test-SeccompFilter $filter -Name getpid -Argument '0xffffffff'
        $r | Should -BeOfType PSSyscall.SeccompTestResult
        $r.ErrnoName | Should -BeExactly 'EIO'
        $r.ErrorNumber | Should -Be 5
        $r.Allowed | Should -BeFalse
        $r.InstructionsExecuted | Should -BeGreaterThan 3
    }

    It 'reports every action kind by name' {
        (Test-SeccompFilter $filter -Name times).Action | Should -BeExactly 'KillProcess'
        (Test-SeccompFilter $filter -Name umask).Action | Should -BeExactly 'Trace(0)'
        (Test-SeccompFilter $filter -Name getpid -Architecture X32).Action | Should -BeExactly 'KillProcess'
    }

    It 'tests every call of a trace with its own arguments' {
        $events = @(Start-TracedProcess /bin/true)
        $results = @($events | Test-SeccompFilter $filter)
        $syscalls = @($events | Where-Object EventType -eq Syscall)
        $syscalls.Count | Should -BeGreaterThan 10
        $results | Should -HaveCount $syscalls.Count
        $results.Name | Should -BeExactly $syscalls.Name
        @($results | Where-Object Name -eq execve)[0].Action | Should -BeExactly 'Errno(13)'
        @($results | Where-Object Name -eq exit_group)[0].Arguments | Should -Match '^0x0, '
    }

    It 'takes names from the pipeline by property' {
        $results = @([pscustomobject]@{ Name = 'times' }, [pscustomobject]@{ Name = 'umask' } | Test-SeccompFilter $filter)
        $results[0].Action | Should -BeExactly 'KillProcess'
        $results[1].Action | Should -BeExactly 'Trace(0)'
    }

    It 'gives the verdicts of a filter built from names, a group, a kill list and a rule' {
        $rule = New-SeccompRule -Name ioctl -Action Errno -ErrorNumber ENOTTY -Condition 'arg1 == 0x5401'
        $f = New-SeccompFilter -DefaultAction Errno -ErrorNumber EACCES -Allow read, write, '@basic-io' -Kill ptrace -Rule $rule
        (Test-SeccompFilter $f -Name read, ptrace, openat).Action | Should -BeExactly 'Allow', 'KillProcess', 'Errno(13)'
        (Test-SeccompFilter $f -Name ioctl -Argument 1, 0x5401).Action | Should -BeExactly 'Errno(25)'
        (Test-SeccompFilter $f -Name ioctl -Argument 1, 0x5402).Action | Should -BeExactly 'Errno(13)'
        (Test-SeccompFilter $f -Name read -Architecture I386).Action | Should -BeExactly 'KillProcess'
    }

    It 'reports a syscall the ABI does not have as UnknownSyscall (ObjectNotFound), naming the closest' -ForEach @(
        @{ Name = 'opnat'; Closest = 'openat' }
        @{ Name = 'readd'; Closest = 'read' }
    ) {
        $results = @(Test-SeccompFilter $filter -Name $Name -ErrorVariable errs -ErrorAction SilentlyContinue)
        $results | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly 'UnknownSyscall,PSSyscall.Commands.TestSeccompFilterCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].ErrorDetails.Message | Should -BeLike "*'$Closest'*"
    }
    It 'evaluates a filter built for another machine with that machine''s numbers, byte order and word size' {
        $f = New-SeccompFilter -Allow read, write, exit_group -Rule (New-SeccompRule openat Errno -ErrorNumber EACCES -Condition 'arg2 & 3 == 1') -Architecture S390x, S390
        $open = Test-SeccompFilter $f -Name openat -Argument 0, 0, 1 -Architecture S390x
        $open.Action | Should -BeExactly 'Errno(13)'
        $open.Number | Should -Be 288                       # s390x's openat
        (Test-SeccompFilter $f -Name openat -Argument 0, 0, 0 -Architecture S390).Action | Should -BeExactly 'Errno(1)'
        (Test-SeccompFilter $f -Name read -Architecture S390).Action | Should -BeExactly 'Allow'
        (Test-SeccompFilter $f -Name read -Architecture X86_64).Action | Should -BeExactly 'KillProcess'
        (Test-SeccompFilter $f -Name read -Architecture Ppc64).Action | Should -BeExactly 'KillProcess'
        $mips = New-SeccompFilter -Allow read -Architecture Mipsel
        $read = Test-SeccompFilter $mips -Name read -Architecture Mipsel
        $read.Action | Should -BeExactly 'Allow'
        "$read" | Should -Match '^\[mipsel\] read\(\)'
    }

    It 'says which ABIs have a call another one lacks' {
        $f = New-SeccompFilter -Allow read -Architecture Aarch64
        $err = { Test-SeccompFilter $f -Name open -Architecture Aarch64 -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownSyscall,PSSyscall.Commands.TestSeccompFilterCommand' -PassThru
        $err.Exception.Message | Should -Match 'Aarch64 ABI has no .open.; X86_64'
    }
}
