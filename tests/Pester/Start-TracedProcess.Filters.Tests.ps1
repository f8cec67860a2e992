# Start-TracedProcess's filter parameters: -Name, -Class, -ExcludeName, -Failed, -Successful,
# -Path and -StringLimit, against strace and against the unfiltered trace; and the errors for
# filters that cannot be built.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1

    # Start-TracedProcess's syscall events only (a trace also writes each process's exit), with the
    # program's stdout and stderr on pipes, as Get-StraceCount gives them (cat copies with
    # copy_file_range, not read and write, when its stdout is a file). A simple function, so that
    # @args passes named parameters (-Name ...) through.
    function Get-TracedSyscall {
        @(Start-TracedProcess -CaptureOutput @args 6>$null | Where-Object EventType -eq Syscall)
    }

    # One strace-like line per event, to compare two traces' events in order.
    function Format-TracedSyscall {
        param([Parameter(ValueFromPipeline)] $InputObject)
        process { "$($InputObject.Name)($($InputObject.Arguments)) = $($InputObject.Result)" }
    }
}

Describe 'Start-TracedProcess filters' {
    BeforeAll {
        $missing = Join-Path $TestDrive 'no-such-file'
        $long = Join-Path $TestDrive 'long.txt'
        Set-Content -LiteralPath $long -Value ('abcdefghij' * 10) -NoNewline
        $all = Get-TracedSyscall cat /etc/hostname
        $all.Count | Should -BeGreaterThan 10 -Because 'the unfiltered trace the filters are compared with is not empty'
    }

    Context '-Name' {
        It 'reports only the named call, as many times as strace counts it' {
            $ours = Get-TracedSyscall -Name openat cat /etc/hostname
            $ours.Count | Should -BeGreaterThan 0
            @($ours | Where-Object Name -ne openat) | Should -BeNullOrEmpty
            $ours.Count | Should -Be (Get-StraceCount cat /etc/hostname -Name openat)
        }

        It 'gives the same events as the unfiltered trace for the names it selects' {
            $filtered = Get-TracedSyscall -Name openat, read cat /etc/hostname | Format-TracedSyscall
            $unfiltered = $all | Where-Object { $_.Name -in 'openat', 'read' } | Format-TracedSyscall
            $filtered.Count | Should -BeGreaterThan 2
            ($filtered -join "`n") | Should -BeExactly ($unfiltered -join "`n")
        }

        It 'matches wildcards: <Pattern>' -ForEach @(
            @{ Pattern = 'open*' }
            @{ Pattern = '*stat*' }
            @{ Pattern = 'mmap' }
        ) {
            $ours = Get-TracedSyscall -Name $Pattern cat /etc/hostname
            $expected = @($all | Where-Object Name -like $Pattern)
            $expected.Count | Should -BeGreaterThan 0 -Because "cat calls something that matches '$Pattern'"
            @($ours | Where-Object Name -notlike $Pattern) | Should -BeNullOrEmpty
            $ours.Count | Should -Be $expected.Count
        }
    }

    Context '-Class' {
        It 'reports only calls of the class: <Class>' -ForEach @(
            @{ Class = 'File' }
            @{ Class = 'Memory' }
            @{ Class = 'Desc' }
        ) {
            $flag = [PSSyscall.SyscallClass]$Class
            $ours = Get-TracedSyscall -Class $Class cat /etc/hostname
            $expected = @($all | Where-Object { ($_.Class -band $flag) -ne 0 })
            $expected.Count | Should -BeGreaterThan 0
            @($ours | Where-Object { ($_.Class -band $flag) -eq 0 }) | Should -BeNullOrEmpty
            $ours.Count | Should -Be $expected.Count
        }

        It 'combines with -Failed: only the class''s failed calls' {
            $ours = Get-TracedSyscall -Class File -Failed -- sh -c "cat '$missing'; true"
            $open = @($ours | Where-Object Path -eq $missing)
            $open | Should -HaveCount 1
            $open[0].Result | Should -BeExactly '-1 ENOENT (No such file or directory)'
            $ours | Where-Object { $null -eq $_.Errno -or ($_.Class -band [PSSyscall.SyscallClass]::File) -eq 0 } | Should -BeNullOrEmpty
        }

        It 'adds -Name''s calls to the class''s' {
            $ours = Get-TracedSyscall -Class Memory -Name openat cat /etc/hostname
            @($ours | Where-Object Name -eq openat).Count | Should -BeGreaterThan 0
            @($ours | Where-Object Name -eq mmap).Count | Should -BeGreaterThan 0
            @($ours | Where-Object Name -eq read) | Should -BeNullOrEmpty
        }
    }

    Context '-ExcludeName' {
        It 'leaves out the named calls and wildcards, and keeps the others' {
            $ours = Get-TracedSyscall -ExcludeName read, '*stat*' cat /etc/hostname
            @($ours | Where-Object { $_.Name -eq 'read' -or $_.Name -like '*stat*' }) | Should -BeNullOrEmpty
            $expected = @($all | Where-Object { $_.Name -ne 'read' -and $_.Name -notlike '*stat*' })
            $ours.Count | Should -Be $expected.Count
        }

        It 'takes calls out of a -Name selection' {
            $ours = Get-TracedSyscall -Name 'open*', 'clos*' -ExcludeName close cat /etc/hostname
            @($ours | Where-Object Name -eq openat).Count | Should -BeGreaterThan 0
            @($ours | Where-Object Name -eq close) | Should -BeNullOrEmpty
        }
    }

    Context '-Failed and -Successful' {
        It 'reports only failed calls with -Failed, as strace -Z' {
            $ours = Get-TracedSyscall -Failed cat $missing
            $open = @($ours | Where-Object { $_.Name -eq 'openat' -and $_.Path -eq $missing })
            $open | Should -HaveCount 1
            $open[0].Errno | Should -BeExactly 'ENOENT'
            @($ours | Where-Object { $null -eq $_.Errno }) | Should -BeNullOrEmpty
            $theirs = Get-StraceCount cat $missing -Errors
            Compare-SyscallCount ($ours | ConvertTo-SyscallCount) $theirs | Should -BeNullOrEmpty -Because 'each name fails as often as strace -c counts errors for it'
        }

        It 'reports only successful calls with -Successful, as strace -z' {
            $ours = Get-TracedSyscall -Successful cat $missing
            $ours.Count | Should -BeGreaterThan 0
            @($ours | Where-Object { $null -ne $_.Errno -or $_.Unfinished }) | Should -BeNullOrEmpty
            @($ours | Where-Object { $_.Name -eq 'openat' -and $_.Path -eq $missing }) | Should -BeNullOrEmpty
        }
    }

    Context '-Path' {
        It 'reports the calls that touch the path, as strace -P counts them' {
            $ours = Get-TracedSyscall -Path /etc/hostname cat /etc/hostname
            $ours.Count | Should -BeGreaterThan 2
            @($ours | Where-Object { $_.Path -ne '/etc/hostname' -and $_.Arguments -notlike '*</etc/hostname>*' }) | Should -BeNullOrEmpty
            $theirs = Get-StraceCount cat /etc/hostname -StraceOption '-P', '/etc/hostname'
            Compare-SyscallCount ($ours | ConvertTo-SyscallCount) $theirs | Should -BeNullOrEmpty
        }

        It 'reports nothing for a path the command does not touch' {
            (Get-TracedSyscall -Path $missing cat /etc/hostname).Count | Should -Be 0
        }
    }

    Context '-StringLimit' {
        It 'cuts strings and buffers at <Limit> bytes, then "..."' -ForEach @(
            @{ Limit = 4; Shown = '"abcd"...' }
            @{ Limit = 0; Shown = '""...' }
            @{ Limit = 32; Shown = '"abcdefghijabcdefghijabcdefghijab"...' }
        ) {
            $reads = @(Get-TracedSyscall -Name read -StringLimit $Limit cat $long | Where-Object ReturnValue -eq 100)
            $reads | Should -HaveCount 1
            $reads[0].Arguments | Should -BeLike "3<$long>, $Shown, *"
        }

        It 'shows a buffer whole when it fits' {
            $reads = @(Get-TracedSyscall -Name read -StringLimit 100 cat $long | Where-Object ReturnValue -eq 100)
            $reads | Should -HaveCount 1
            $reads[0].Arguments | Should -BeLike "3<$long>, `"$('abcdefghij' * 10)`", *"
            $reads[0].Arguments | Should -Not -BeLike '*"...*'
        }
    }

    Context 'bad input' {
        BeforeAll {
            $marker = Join-Path $TestDrive 'ran'
        }

        AfterEach {
            Test-Path -LiteralPath $marker | Should -BeFalse -Because 'a filter that cannot be built must not start the command'
        }

        It 'reports an unknown syscall as UnknownSyscall, naming the closest: <Parameter>' -ForEach @(
            @{ Parameter = 'Name' }
            @{ Parameter = 'ExcludeName' }
        ) {
            $arguments = @{ $Parameter = 'opnat' }
            $err = { Start-TracedProcess @arguments -- sh -c "touch '$marker'" } | Should -Throw -ErrorId 'UnknownSyscall,PSSyscall.Commands.StartTracedProcessCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -BeExactly 'opnat'
            $err.ErrorDetails.Message | Should -BeLike "*Did you mean*'openat'*"
        }

        It 'reports a wildcard that matches nothing as UnknownSyscall' {
            { Start-TracedProcess -Name 'zz*' -- sh -c "touch '$marker'" } | Should -Throw -ErrorId 'UnknownSyscall,PSSyscall.Commands.StartTracedProcessCommand'
        }

        It 'reports an unknown class as UnknownSyscallClass, naming the closest' {
            $err = { Start-TracedProcess -Class Netwrk -- sh -c "touch '$marker'" } | Should -Throw -ErrorId 'UnknownSyscallClass,PSSyscall.Commands.StartTracedProcessCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -BeExactly 'Netwrk'
            $err.ErrorDetails.Message | Should -BeLike "*Did you mean*'Network'*"
        }

        It 'reports contradictory switches as ContradictoryFilter: <Case>' -ForEach @(
            @{ Case = '-Failed -Successful'; Arguments = @{ Failed = $true; Successful = $true }; Message = '*exclude each other*' }
            @{ Case = '-Name and -ExcludeName of one call'; Arguments = @{ Name = 'openat'; ExcludeName = 'openat' }; Message = '*both included*' }
        ) {
            $err = { Start-TracedProcess @Arguments -- sh -c "touch '$marker'" } | Should -Throw -ErrorId 'ContradictoryFilter,PSSyscall.Commands.StartTracedProcessCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.Message | Should -BeLike $Message
        }

        It 'reports a selection that excludes everything it includes as EmptySelection' {
            { Start-TracedProcess -Name 'open*' -ExcludeName 'open*' -- sh -c "touch '$marker'" } | Should -Throw -ErrorId 'EmptySelection,PSSyscall.Commands.StartTracedProcessCommand'
        }

        It 'refuses a negative string limit before anything runs' {
            $err = { Start-TracedProcess -StringLimit -1 -- sh -c "touch '$marker'" } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PSSyscall.Commands.StartTracedProcessCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike '*StringLimit*'
        }
    }
}
