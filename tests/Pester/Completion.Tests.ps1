# Tab completion as a user gets it: through TabExpansion2, the function PowerShell's Tab key calls.

BeforeAll {
    function Get-Completion([string] $InputScript) {
        @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches)
    }
}

Describe 'Completion of the program to run' {
    It 'offers programs from PATH for <Command>' -ForEach @(
        @{ Command = 'Start-TracedProcess' }
        @{ Command = 'Invoke-Sandboxed' }
    ) {
        $matches = Get-Completion "$Command ech"
        $matches.CompletionText | Should -Contain 'echo'
        $matches.CompletionText | Should -Not -Contain 'Echo-Nothing'
        @($matches.CompletionText | Group-Object | Where-Object Count -gt 1) | Should -HaveCount 0 -Because 'a program in /bin and /usr/bin is offered once'
        # The same set Get-Command offers for applications.
        $expected = @(Get-Command 'ech*' -CommandType Application | ForEach-Object Name | Sort-Object -Unique)
        @($matches.CompletionText | Sort-Object) | Should -Be $expected
    }

    It 'offers only applications, not cmdlets' {
        (Get-Completion 'Start-TracedProcess Get-Chil').CompletionText | Should -Not -Contain 'Get-ChildItem'
        (Get-Completion 'Start-TracedProcess -FilePath l').CompletionText | Should -Contain 'ls'
    }

    It 'offers files for a path' {
        $dir = Join-Path $TestDrive 'bin'
        New-Item -ItemType Directory $dir | Out-Null
        New-Item -ItemType File (Join-Path $dir 'my-app') | Out-Null
        (Get-Completion "Start-TracedProcess $dir/my").CompletionText | Should -Be "$dir/my-app"
    }
}

Describe 'Completion of process ids' {
    BeforeAll {
        $sleeper = Start-Process sleep -ArgumentList 60 -PassThru
    }
    AfterAll {
        $sleeper | Stop-Process -ErrorAction Ignore
    }

    It 'offers the pid of a process by its name for <Parameter>' -ForEach @(
        @{ Parameter = 'Start-TracedProcess -Id' }
        @{ Parameter = 'New-SyscallFault -Name getpid -ProcessId' }
    ) {
        $matches = Get-Completion "$Parameter slee"
        $mine = @($matches | Where-Object CompletionText -eq "$($sleeper.Id)")
        $mine | Should -HaveCount 1
        $mine[0].ListItemText | Should -BeExactly "$($sleeper.Id) sleep"
        $mine[0].ToolTip | Should -Match 'sleep 60$' -Because 'the tooltip is the command line'
        $matches | ForEach-Object { $_.CompletionText | Should -Match '^\d+$' }
    }

    It 'offers pids by their digits, never file names' {
        $digits = "$($sleeper.Id)".Substring(0, 2)
        $matches = Get-Completion "Start-TracedProcess -Id $digits"
        $matches.CompletionText | Should -Contain "$($sleeper.Id)"
        $matches | ForEach-Object { $_.CompletionText | Should -BeLike "$digits*" }
    }
}

Describe 'Completion of names' {
    It 'offers strace''s classes with % for New-SyscallFault -Name' {
        (Get-Completion 'New-SyscallFault -Name %ne').CompletionText | Should -Be '%network'
        (Get-Completion 'New-SyscallFault -Name %').CompletionText | Should -Contain '%file'
        (Get-Completion 'New-SyscallFault -Name openat').CompletionText | Should -Contain 'openat2'
    }

    It 'offers errno names for <Command> -ErrorNumber' -ForEach @(
        @{ Command = 'New-SeccompFilter -ErrorNumber' }
        @{ Command = 'New-SeccompRule -Name getpid -Action Errno -ErrorNumber' }
    ) {
        (Get-Completion "$Command EAC").CompletionText | Should -Be 'EACCES'
        (Get-Completion "$Command ENO").CompletionText | Should -Contain 'ENOENT'
    }

    It 'offers errno names inside Errno( for <Command>' -ForEach @(
        @{ Command = "New-SeccompRule -Name mkdir -Action 'Errno(EAC"; Expected = "'Errno(EACCES)'" }
        @{ Command = "New-SeccompFilter -DefaultAction 'Errno(ENOSP"; Expected = "'Errno(ENOSPC)'" }
    ) {
        $texts = @(Get-Completion $Command | ForEach-Object CompletionText)
        $texts | Should -Contain $Expected
        $texts | ForEach-Object { $_ | Should -BeLike "'Errno(E*)'" }
    }

    It 'offers capability names, with or without CAP_' {
        (Get-Completion 'New-SeccompFilter -Capability sys_adm').CompletionText | Should -Be 'CAP_SYS_ADMIN'
        (Get-Completion 'New-SeccompFilter -Capability CAP_NET_R').CompletionText | Should -Be 'CAP_NET_RAW'
        (Get-Completion 'New-SeccompFilter -Capability A').CompletionText | Should -Contain 'ALL'
    }
}

Describe 'Parameters that take no file names' {
    BeforeAll {
        # A file in the current folder that default completion would offer.
        Push-Location $TestDrive
        New-Item -ItemType File 'some-file.txt' | Out-Null
    }
    AfterAll { Pop-Location }

    It 'offers no files for <Script>' -ForEach @(
        @{ Script = 'Start-TracedProcess -Id ' }
        @{ Script = 'Start-TracedProcess -Inject ' }
        @{ Script = 'New-SyscallFault -Name getpid -Occurrence ' }
        @{ Script = 'New-SyscallFault -Name getpid -ProcessId ' }
    ) {
        (Get-Completion $Script).CompletionText | Should -Not -Contain './some-file.txt'
        (Get-Completion $Script).CompletionText | Should -Not -Contain 'some-file.txt'
    }

    It 'offers the variables that hold faults for -Inject' {
        $global:pssyscallTestFault = New-SyscallFault -Name openat -Errno ENOENT
        try {
            (Get-Completion 'Start-TracedProcess -Inject $pssyscallTest').CompletionText | Should -Be '$pssyscallTestFault'
            (Get-Completion 'Start-TracedProcess -Inject ').CompletionText | Should -Contain '$pssyscallTestFault'
        }
        finally { Remove-Variable pssyscallTestFault -Scope Global }
    }

    It 'offers strace''s occurrence forms, each of which New-SyscallFault takes' {
        $forms = Get-Completion 'New-SyscallFault -Name getpid -Occurrence '
        $forms.Count | Should -BeGreaterThan 3
        foreach ($form in $forms) {
            { New-SyscallFault -Name getpid -Errno EIO -Occurrence $form.CompletionText } | Should -Not -Throw
            $form.ToolTip | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Completion of syscall names for another machine' {
    It 'offers the names of the ABI -Architecture names' {
        (Get-Completion 'Test-SeccompFilter $f -Architecture Arm -Name arm_').CompletionText | Should -Be @('arm_fadvise64_64', 'arm_sync_file_range')
        (Get-Completion 'Test-SeccompFilter $f -Name arm_').CompletionText | Should -BeNullOrEmpty
        (Get-Completion 'Test-SeccompFilter $f -Architecture S390x -Name s390_r').CompletionText | Should -Be @('s390_runtime_instr')
    }
}
