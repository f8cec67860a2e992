# Invoke-Sandboxed, as a user sees it: real programs that try to get out, and must fail to.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $DockerDefault = Join-Path $PSScriptRoot '../data/seccomp/docker-default.json'
}

Describe 'Invoke-Sandboxed' {
    Context 'the program''s streams and exit code' {
        It 'writes stdout as output and stderr as information tagged StandardError, and sets $LASTEXITCODE' {
            $output = Invoke-Sandboxed -InformationVariable information -ErrorVariable problems -- sh -c 'echo out; echo err >&2; exit 4' 6>$null
            $output | Should -BeExactly 'out'
            $LASTEXITCODE | Should -Be 4
            $problems | Should -BeNullOrEmpty
            $information | Should -HaveCount 1
            $information[0].MessageData | Should -BeExactly 'err'
            $information[0].Tags | Should -Contain 'StandardError'
        }

        It 'with -NoCapture hands a console''s terminal to the command, and captures its output anywhere else' {
            $hostTerminal = $Host.Name -eq 'ConsoleHost' -and -not [Console]::IsOutputRedirected
            $output = @(Invoke-Sandboxed -NoCapture -PassThru -- sh -c '[ -t 1 ] && echo terminal >/dev/null || echo captured; exit 2')
            $output[-1] | Should -BeOfType PSSyscall.SandboxResult
            $output[-1].ExitCode | Should -Be 2
            if ($hostTerminal) { $output | Should -HaveCount 1 -Because 'the command wrote to the terminal' }
            else { $output[0..($output.Count - 2)] | Should -BeExactly 'captured' }
        }

        It 'clears and sets the environment' {
            $output = @(Invoke-Sandboxed -ClearEnvironment -Environment @{ GREETING = 'hello' } -ErrorVariable problems /usr/bin/env)
            $problems | Should -BeNullOrEmpty
            $output | Should -BeExactly 'GREETING=hello'
        }
    }

    Context 'under Docker''s default seccomp profile' {
        It 'denies unshare with EPERM, reports it as a violation, and the program goes on' {
            $result = Invoke-Sandboxed -Path $DockerDefault -PassThru -InformationVariable information -- sh -c 'echo start; unshare -U true; echo rc=$?' 3>$null 6>$null
            $result[0..1] | Should -BeExactly 'start', 'rc=1'
            $result[-1] | Should -BeOfType PSSyscall.SandboxResult
            $LASTEXITCODE | Should -Be 0
            $result[-1].Violations | Should -HaveCount 1
            $violation = $result[-1].Violations[0]
            $violation.Name | Should -BeExactly 'unshare'
            $violation.ProcessName | Should -BeExactly 'unshare'
            $violation.Errno | Should -BeExactly 'EPERM'
            $violation.Action | Should -BeExactly 'Errno(EPERM)'
            # unshare(1) says why on stderr, which arrives as information tagged StandardError.
            @($information | Where-Object { $_.Tags -contains 'StandardError' -and "$($_.MessageData)" -match 'Operation not permitted' }) | Should -HaveCount 1
        }

        It 'writes each violation as a warning while the command runs' {
            $warnings = @(Invoke-Sandboxed -Path $DockerDefault -- sh -c 'unshare -U true 2>/dev/null; true' 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -Match 'unshare\(CLONE_NEWUSER\)'
            $warnings[0].Message | Should -Match 'Errno\(EPERM\)'
        }

        It 'runs <Command> normally' -ForEach @(
            @{ Command = 'ls /'; Arguments = @('ls', '/'); Expected = 'usr' }
            @{ Command = 'sh -c'; Arguments = @('sh', '-c', 'echo $((6 * 7))'); Expected = '42' }
            @{ Command = 'python3 -c'; Arguments = @('python3', '-c', 'print(6 * 7)'); Expected = '42' }
        ) {
            $result = Invoke-Sandboxed -Path $DockerDefault -PassThru -- @Arguments
            $result | Should -Contain $Expected
            $result[-1].ExitCode | Should -Be 0
            $result[-1].Violations | Should -HaveCount 0
        }
    }

    Context 'learn, then enforce' {
        It 'runs what the trace saw, and stops only what is new' {
            # The trace gives ls the stdio Invoke-Sandboxed gives it (stdout a pipe), so that the
            # filter learns the calls ls makes for that stdout.
            $f = Start-TracedProcess -CaptureOutput -- ls / 6>$null | New-SeccompFilter -DefaultAction Errno
            $learned = @($f.Rules | ForEach-Object Names)
            $learned | Should -Contain 'getdents64'
            $same = Invoke-Sandboxed -Filter $f -PassThru -- ls / 6>$null
            $same[-1].ExitCode | Should -Be 0
            $same[-1].Violations | Should -HaveCount 0
            $more = Invoke-Sandboxed -Filter $f -PassThru -- ls -l / 3>$null 6>$null
            $more[-1].Violations | Should -Not -BeNullOrEmpty
            $more[-1].Violations | ForEach-Object {
                $_.Name | Should -Not -BeIn $learned
                $_.Action | Should -BeExactly 'Errno(EPERM)'
            }
        }

        It 'audits in place: the same violations are reported and the command completes' {
            $filter = [PSSyscall.SeccompFilter]::new()
            $filter.Rules.Add([PSSyscall.SeccompRule]::new([string[]]@('unshare'), [PSSyscall.SeccompAction]::Errno(13), $null))
            $enforced = Invoke-Sandboxed -Filter $filter -PassThru -- sh -c 'unshare -U true 2>/dev/null; echo $?' 3>$null
            $audited = Invoke-Sandboxed -Filter $filter -AuditOnly -PassThru -- sh -c 'unshare -U true 2>/dev/null; echo $?' 3>$null
            $enforced[0] | Should -BeExactly '1'
            $audited[0] | Should -BeExactly '0'
            $enforced[-1].Violations | Should -HaveCount 1
            $audited[-1].Violations | Should -HaveCount 1
            $audited[-1].Violations[0].Name | Should -BeExactly 'unshare'
            $audited[-1].Violations[0].Action | Should -BeExactly 'Errno(EACCES)'
            $enforced[-1].Violations[0].Enforced | Should -BeTrue
            $audited[-1].Violations[0].Enforced | Should -BeFalse
        }
    }

    Context 'isolation and limits' {
        It 'gives -NoNetwork a network with only loopback' {
            $links = Invoke-Sandboxed -NoNetwork -- cat /proc/net/dev
            @($links | Where-Object { $_ -match '^\s*\w+:' }) -replace ':.*' | ForEach-Object Trim | Should -BeExactly 'lo'
        }

        It 'denies writes outside -ReadWritePath with Landlock' {
            $outside = "/tmp/pssyscall-landlock-outside-$PID"
            $null = Invoke-Sandboxed -ReadWritePath $TestDrive -ExecutablePath /usr -ReadOnlyPath /etc -InformationVariable information -- sh -c "echo ok > '$TestDrive/inside'; echo no > '$outside'" 6>$null
            Test-Path -LiteralPath "$TestDrive/inside" | Should -BeTrue
            Test-Path -LiteralPath $outside | Should -BeFalse
            ($information.MessageData -join "`n") | Should -Match 'Permission denied'
        }

        It 'kills the whole tree at -Timeout and says so' {
            $result = Invoke-Sandboxed -Timeout 00:00:01 -PassThru -- sh -c 'sleep 60 & sleep 60 & echo $!; wait' 3>&1
            $warnings = @($result | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike '*did not end within*'
            $result[-1].TimedOut | Should -BeTrue
            $result[-1].Signal | Should -BeExactly 'SIGKILL'
            $LASTEXITCODE | Should -Be 137
            $sleep = [int]($result | Where-Object { $_ -is [string] } | Select-Object -First 1)
            $sleep | Should -BeGreaterThan 0
            Wait-ProcessGone $sleep | Should -BeTrue -Because 'the background sleep is part of the tree'
        }

        It 'kills the command on Ctrl+C (PowerShell.Stop)' {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$(Get-ModuleManifestPath)'; Invoke-Sandboxed -- sh -c 'echo `$`$; exec sleep 64'")
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $run = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                while ($output.Count -eq 0 -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 20 }
                # Count, not the collection itself: enumerating an open PSDataCollection blocks until it closes.
                $output.Count | Should -Be 1 -Because 'the command printed its process id'
                $id = [int]"$($output[0])"
                $shell.Stop()   # what Ctrl+C does in pwsh
                $run.IsCompleted | Should -BeTrue
                Wait-ProcessGone $id | Should -BeTrue
            }
            finally {
                $shell.Dispose()
                Get-DescendantProcess -CommandLine 'sleep 64' | ForEach-Object { Stop-TestProcess $_ }
            }
        }
    }

    Context 'set-up failures' {
        It 'reports <Case> as <Id> (<Category>) before the command runs' -ForEach @(
            @{ Case = 'a missing command'; Arguments = @{ FilePath = 'no-such-command-pssyscall' }; Id = 'CommandNotFound'; Category = 'ObjectNotFound'; Message = $null }
            @{ Case = 'a missing Landlock path'; Arguments = @{ ReadOnlyPath = '/no/such/dir'; FilePath = '/bin/true' }; Id = 'SandboxPathNotFound'; Category = 'ObjectNotFound'; Message = '*did not run*' }
            @{ Case = 'a missing profile'; Arguments = @{ Path = '/no/such/profile.json'; FilePath = '/bin/true' }; Id = 'ProfileNotFound'; Category = 'InvalidData'; Message = $null }
            @{ Case = 'a command Landlock does not let run'; Arguments = @{ ReadOnlyPath = '/'; FilePath = '/bin/true' }; Id = 'CommandNotExecutable'; Category = 'PermissionDenied'; Message = '*did not run*' }
        ) {
            $err = { Invoke-Sandboxed @Arguments } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.InvokeSandboxedCommand" -PassThru
            $err.CategoryInfo.Category | Should -Be $Category
            if ($Message) { $err.ErrorDetails.Message | Should -BeLike $Message }
        }
    }
}
