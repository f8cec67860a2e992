# Invoke-Sandboxed -NotifyHandler and -NotifyRule: the calls a policy sends to user space
# (SCMP_ACT_NOTIFY), answered from PowerShell; the kernel's answer is what the program sees.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $Notify = New-SeccompFilter -Rule (New-SeccompRule -Name mkdir, mkdirat -Action Notify)
    $Script = 'for d in one two three; do if mkdir /tmp/$d 2>/dev/null; then echo "made $d"; else echo "refused $d: $?"; fi; done; ls /tmp'
}

Describe 'Invoke-Sandboxed -NotifyHandler' {
    It 'asks the handler on the pipeline thread, with the decoded call, and the program gets its answers' {
        $pipelineThread = [Environment]::CurrentManagedThreadId
        $seen = [System.Collections.Generic.List[object]]::new()
        $threads = [System.Collections.Generic.List[int]]::new()
        $output = Invoke-Sandboxed -Filter $Notify -Tmpfs /tmp -WorkingDirectory / -NotifyHandler {
            param($call)
            $seen.Add($call)
            $threads.Add([Environment]::CurrentManagedThreadId)
            switch -Wildcard ($call.Arguments) {
                '*"/tmp/one"*' { 'Allow' }
                '*"/tmp/two"*' { 'EROFS' }
                default { 'Return(0)' }   # success without running: three is never made
            }
        } -- sh -c $Script

        $output | Should -Be @('made one', 'refused two: 1', 'made three', 'one')
        $seen | Should -HaveCount 3
        $seen[0] | Should -BeOfType PSSyscall.SeccompNotification
        $seen[0].Name | Should -BeIn 'mkdir', 'mkdirat'
        $seen[0].Arguments | Should -Match '"/tmp/one", 0777'
        $seen[0].ProcessName | Should -BeExactly 'mkdir'
        $seen.Response | Should -Be @('Allow', 'Errno(EROFS)', 'Return(0)')
        $seen.DecidedBy | Should -Be @('handler', 'handler', 'handler')
        $threads | Should -Be @($pipelineThread, $pipelineThread, $pipelineThread)
    }

    It 'fails the call with EPERM when the handler fails or gives no answer, and says so' {
        $output = Invoke-Sandboxed -Filter $Notify -Tmpfs /tmp -WorkingDirectory / -ErrorVariable problems -ErrorAction SilentlyContinue -NotifyHandler {
            param($call)
            if ($call.Arguments -like '*one*') { throw 'no opinion' }
        } -WarningVariable warnings -WarningAction SilentlyContinue -- sh -c 'mkdir /tmp/one 2>/dev/null; echo $?; mkdir /tmp/two 2>/dev/null; echo $?; ls /tmp | wc -l'
        $output | Should -Be @('1', '1', '0')
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeExactly 'NotifyHandlerFailed,PSSyscall.Commands.InvokeSandboxedCommand'
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match 'no answer'
    }
}

Describe 'Invoke-Sandboxed -NotifyRule' {
    It 'answers with the first matching rule: deny with an errno, return a value, log' {
        $output = Invoke-Sandboxed -Filter $Notify -Tmpfs /tmp -WorkingDirectory / -PassThru -InformationVariable logged -NotifyRule @(
            @{ Name = 'mkdir', 'mkdirat'; Arguments = '*"/tmp/two"*'; Action = 'Deny'; ErrorNumber = 'EACCES' }
            @{ Arguments = '*three*'; Action = 'Return'; ReturnValue = 0 }
            @{ Action = 'Log' }
        ) -- sh -c 'mkdir /tmp/one && echo made one; mkdir /tmp/two 2>&1; mkdir /tmp/three && echo made three; ls /tmp'

        $result = $output[-1]
        $lines = $output[0..($output.Count - 2)]
        $lines | Should -HaveCount 4
        $lines[0] | Should -BeExactly 'made one'
        $lines[1] | Should -Match '/tmp/two.*Permission denied' -Because 'EACCES is "Permission denied"'
        $lines[2..3] | Should -Be @('made three', 'one') -Because 'three returned 0 without being made'
        $result.NotificationCount | Should -Be 3
        $logged | Should -HaveCount 1
        $logged[0].Tags | Should -Contain 'SeccompNotification'
        $logged[0].MessageData.Arguments | Should -Match '"/tmp/one"'
        $logged[0].MessageData.DecidedBy | Should -BeExactly 'rule 3'
        $logged[0].MessageData.Response | Should -BeExactly 'Allow (logged)'
    }

    It 'answers every call of a policy that notifies everything, the command''s first calls included' {
        $all = New-SeccompFilter -DefaultAction Notify
        $output = @(Invoke-Sandboxed -Filter $all -PassThru -NotifyRule @{ Name = 'write'; Action = 'Deny'; ErrorNumber = 'EIO' }, @{ Action = 'Allow' } /bin/echo hello)
        $output | Should -HaveCount 1 -Because 'echo could not write'
        $output[0].ExitCode | Should -Be 1
        $output[0].NotificationCount | Should -BeGreaterThan 20 -Because 'the loader''s calls (mmap, openat...) were notified too'
    }

    It 'denies with EPERM what no rule decides' {
        $output = Invoke-Sandboxed -Filter $Notify -Tmpfs /tmp -WorkingDirectory / -NotifyRule @{ Name = 'mkdirat'; Action = 'Allow' }, @{ Name = 'mkdir'; Arguments = '*nomatch*' } -- sh -c 'mkdir /tmp/one 2>&1'
        $output | Should -Match 'Operation not permitted'
    }

    It 'refuses rules and handlers without a policy, and rules with unknown names or errnos' {
        { Invoke-Sandboxed -NotifyHandler { 'Allow' } /bin/true } | Should -Throw -ErrorId 'NotifyWithoutPolicy,PSSyscall.Commands.InvokeSandboxedCommand'
        { Invoke-Sandboxed -Filter $Notify -NotifyRule @{ Name = 'mkdri' } /bin/true } | Should -Throw -ErrorId 'UnknownSyscall,PSSyscall.Commands.InvokeSandboxedCommand'
        { Invoke-Sandboxed -Filter $Notify -NotifyRule @{ Action = 'Deny'; ErrorNumber = 'EBOGUS' } /bin/true } | Should -Throw -ErrorId 'UnknownErrno,PSSyscall.Commands.InvokeSandboxedCommand'
    }

    It 'warns when the policy notifies nothing' {
        $null = Invoke-Sandboxed -Filter (New-SeccompFilter -Deny ptrace) -NotifyRule @{ Action = 'Log' } -WarningVariable warnings -WarningAction SilentlyContinue /bin/true
        "$warnings" | Should -Match 'notifies no call'
    }
}

Describe 'Invoke-Sandboxed -Path with an OCI listenerPath' {
    BeforeAll {
        $Agent = Join-Path $PSScriptRoot '..' 'data' 'seccomp' 'seccomp-agent.py'
        function New-ListenerProfile([string] $Socket) {
            $file = Join-Path $TestDrive "profile-$([guid]::NewGuid().ToString('N')).json"
            @{
                defaultAction = 'SCMP_ACT_ALLOW'
                listenerPath = $Socket
                listenerMetadata = 'MKDIR=deny'
                syscalls = @(@{ names = @('mkdir', 'mkdirat'); action = 'SCMP_ACT_NOTIFY' })
            } | ConvertTo-Json -Depth 5 | Set-Content $file
            $file
        }
    }

    It 'sends the listener and the container state to the agent, which answers the notified calls' {
        $dir = New-TestDirectory
        try {
            $socket = Join-Path $dir 'agent.sock'
            $out = Join-Path $dir 'agent.json'
            $agentId = Start-BackgroundProcess /usr/bin/python3 $Agent $socket $out
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-Path "$out.ready") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }

            $output = Invoke-Sandboxed -Path (New-ListenerProfile $socket) -Tmpfs /tmp -WorkingDirectory / -PassThru -- sh -c 'mkdir /tmp/x 2>&1; echo $?; ls /tmp | wc -l'
            $result = $output[-1]
            $output[0] | Should -Match 'Invalid cross-device link' -Because 'the agent answered mkdir with EXDEV'
            $output[1..2] | Should -Be @('1', '0')
            $result.ExitCode | Should -Be 0
            $result.Notes -join ' ' | Should -Match 'listenerPath'

            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-Path $out) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $got = Get-Content $out -Raw | ConvertFrom-Json
            $got.fdCount | Should -Be 1
            $got.state.ociVersion | Should -Not -BeNullOrEmpty
            @($got.state.fds) | Should -Be @('seccompFd')
            $got.state.pid | Should -Be $result.ProcessId
            $got.state.metadata | Should -BeExactly 'MKDIR=deny'
            $got.state.state.status | Should -BeExactly 'creating'
            $got.state.state.pid | Should -Be $result.ProcessId
            $got.state.state.bundle | Should -BeExactly '/'
            # Only the call the profile notifies: not the launch's own execve.
            @($got.calls | ForEach-Object { $_[0] }) | Should -Be @(83)
        }
        finally {
            if ($agentId) { Stop-TestProcess $agentId }
            Remove-TestDirectory $dir
        }
    }

    It 'works as the first sandbox of a new pwsh (which learns where its launch makes execve from)' {
        $dir = New-TestDirectory
        try {
            $socket = Join-Path $dir 'agent.sock'
            $out = Join-Path $dir 'agent.json'
            $agentId = Start-BackgroundProcess /usr/bin/python3 $Agent $socket $out
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-Path "$out.ready") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $pwsh = @(Get-PwshPath)
            $script = "Import-Module '$(Get-ModuleManifestPath)'; Invoke-Sandboxed -Path '$(New-ListenerProfile $socket)' -Tmpfs /tmp -WorkingDirectory / -- sh -c 'mkdir /tmp/x 2>&1; echo rc=`$?'"
            $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
            $output | Should -Contain 'rc=1'
            ($output -join ' ') | Should -Match 'Invalid cross-device link'
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-Path $out) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            @((Get-Content $out -Raw | ConvertFrom-Json).calls | ForEach-Object { $_[0] }) | Should -Be @(83)
        }
        finally {
            if ($agentId) { Stop-TestProcess $agentId }
            Remove-TestDirectory $dir
        }
    }

    It 'fails before the command runs when no agent listens, and refuses notify handlers with it' {
        $listenerProfile = New-ListenerProfile (Join-Path $TestDrive 'nobody.sock')
        $marker = Join-Path $TestDrive 'ran'
        # As root's uid (the owner of the test folder), so that the command could write the marker if it ran.
        Invoke-Sandboxed -UserId 0 -- sh -c "touch $marker.control"
        Test-Path "$marker.control" | Should -BeTrue
        { Invoke-Sandboxed -Path $listenerProfile -UserId 0 -- sh -c "touch $marker" } | Should -Throw -ErrorId 'SandboxSetupFailed,PSSyscall.Commands.InvokeSandboxedCommand'
        Test-Path $marker | Should -BeFalse
        { Invoke-Sandboxed -Path $listenerProfile -NotifyRule @{ Action = 'Log' } /bin/true } | Should -Throw -ErrorId 'ListenerPathConflict,PSSyscall.Commands.InvokeSandboxedCommand'
    }
}
