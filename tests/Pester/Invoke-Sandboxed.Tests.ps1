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
            # /usr/bin's python: root's command runs as nobody, who cannot reach a pyenv shim in /root.
            @{ Command = 'python3 -c'; Arguments = @('/usr/bin/python3', '-c', 'print(6 * 7)'); Expected = '42' }
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
            $dir = Join-Path $TestDrive 'landlock'
            $null = New-Item -ItemType Directory -Path $dir
            # Writable by anyone: root's command runs as nobody, and only Landlock may stop it.
            [System.IO.File]::SetUnixFileMode($dir, [System.IO.UnixFileMode]511)
            $outside = "/tmp/pssyscall-landlock-outside-$PID"
            $null = Invoke-Sandboxed -ReadWritePath $dir -ExecutablePath /usr -ReadOnlyPath /etc -InformationVariable information -- sh -c "echo ok > '$dir/inside'; echo no > '$outside'" 6>$null
            Test-Path -LiteralPath "$dir/inside" | Should -BeTrue
            Test-Path -LiteralPath $outside | Should -BeFalse
            # Landlock denies it; beneath the read-only root that Landlock paths bring (for the
            # metadata Landlock does not cover), the mount says so first.
            ($information.MessageData -join "`n") | Should -Match 'Permission denied|Read-only file system'
        }

        It 'kills the whole tree at -Timeout and says so' {
            $marker = "timeout-$([guid]::NewGuid().ToString('N'))"
            $result = Invoke-Sandboxed -Timeout 00:00:01 -PassThru -- sh -c 'sleep 60 & sleep 60 & echo started; wait' $marker 3>&1
            $warnings = @($result | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike '*did not end within*'
            $result[0] | Should -BeExactly 'started'
            $result[-1].TimedOut | Should -BeTrue
            $result[-1].Signal | Should -BeExactly 'SIGKILL'
            Get-LiveProcessWithArgument $marker | Should -BeNullOrEmpty
            $LASTEXITCODE | Should -Be 137
        }

        It 'ends a detached child when the pipeline stops it (as Ctrl+C does)' {
            $marker = "stop-$([guid]::NewGuid().ToString('N'))"
            try {
                $first = Invoke-Sandboxed -- sh -c 'setsid sleep 300 "$0" </dev/null >/dev/null 2>&1 & echo started; sleep 300' $marker | Select-Object -First 1
                $first | Should -BeExactly 'started'
                Get-LiveProcessWithArgument $marker | Should -BeNullOrEmpty
            } finally {
                Get-LiveProcessWithArgument $marker | ForEach-Object { kill -9 $_ }
            }
        }

        It 'ends everything the command started when the host dies' {
            $marker = "host-$([guid]::NewGuid().ToString('N'))"
            $module = (Get-Module PSSyscall).Path
            $script = "Import-Module '$module'; Invoke-Sandboxed -- sh -c 'setsid sleep 300 `"`$0`" </dev/null >/dev/null 2>&1 & sleep 300' $marker"
            $pwsh = @(Get-PwshPath)
            $host_ = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-Command', $script) -PassThru
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while (@(Get-LiveProcessWithArgument $marker).Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                # The control: the sandboxed shell and its setsid child are running.
                @(Get-LiveProcessWithArgument $marker).Count | Should -BeGreaterOrEqual 2
                Assert-HostDeathEndsAll -HostProcess $host_ -Marker $marker
            } finally {
                if (-not $host_.HasExited) { $host_.Kill() }
                Get-LiveProcessWithArgument $marker | ForEach-Object { kill -9 $_ }
            }
        }

        It 'kills the command on Ctrl+C (PowerShell.Stop)' {
            $shell = [powershell]::Create()
            try {
                # The command is PID 1 of its own namespace: a marker in its argv finds it from here.
                $marker = "ctrlc-$([guid]::NewGuid().ToString('N'))"
                $null = $shell.AddScript("Import-Module '$(Get-ModuleManifestPath)'; Invoke-Sandboxed -- sh -c 'echo started; sleep 64; true' $marker")
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $run = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                while ($output.Count -eq 0 -and $clock.Elapsed.TotalSeconds -lt 30) { Start-Sleep -Milliseconds 20 }
                # Count, not the collection itself: enumerating an open PSDataCollection blocks until it closes.
                $output.Count | Should -Be 1 -Because 'the command printed that it started'
                $ids = @(Get-LiveProcessWithArgument $marker)
                $ids | Should -Not -BeNullOrEmpty -Because 'the control: the command runs'
                $shell.Stop()   # what Ctrl+C does in pwsh
                $run.IsCompleted | Should -BeTrue
                foreach ($id in $ids) { Wait-ProcessGone $id | Should -BeTrue }
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
            @{ Case = 'a command Landlock does not let run'; Arguments = @{ ReadOnlyPath = '/etc'; FilePath = '/bin/true' }; Id = 'CommandNotExecutable'; Category = 'PermissionDenied'; Message = '*did not run*' }
        ) {
            $err = { Invoke-Sandboxed @Arguments } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.InvokeSandboxedCommand" -PassThru
            $err.CategoryInfo.Category | Should -Be $Category
            if ($Message) { $err.ErrorDetails.Message | Should -BeLike $Message }
        }
    }
    Context 'promises the help makes' {
        It 'cuts a unix socket listener outside with -NoNetwork' {
            $dir = New-TestDirectory
            [System.IO.File]::SetUnixFileMode($dir, [System.IO.UnixFileMode]511)
            $path = "$dir/listener"
            $listener = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
            try {
                $listener.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($path))
                $listener.Listen(4)
                [System.IO.File]::SetUnixFileMode($path, [System.IO.UnixFileMode]511)
                $client = "import socket`ntry:`n  s = socket.socket(socket.AF_UNIX); s.connect('$path'); print('connected')`nexcept OSError as e:`n  print(e.errno)"
                # The control: without -NoNetwork the sandboxed client reaches the listener.
                Invoke-Sandboxed -- /usr/bin/python3 -c $client | Should -BeExactly 'connected'
                Invoke-Sandboxed -NoNetwork -- /usr/bin/python3 -c $client | Should -BeExactly '13' -Because 'socket(AF_UNIX) fails with EACCES'
            } finally {
                $listener.Dispose()
                Remove-TestDirectory $dir
            }
        }

        It 'leaves no metadata writable outside the Landlock paths' {
            $file = Join-Path (Get-PSDrive TestDrive).Root 'meta'
            [System.IO.File]::WriteAllText($file, 'x')
            # The control: outside, root changes its mode.
            chmod 0640 $file
            $LASTEXITCODE | Should -Be 0
            $null = Invoke-Sandboxed -UserId 0 -ReadOnlyPath /etc, /usr, /lib, /lib64 -InformationVariable err -- sh -c "chmod 0600 '$file'; touch -m '$file'" 6>$null
            ($err.MessageData -join "`n") | Should -Match 'Read-only file system'
            [System.IO.File]::GetUnixFileMode($file) | Should -Be ([System.IO.UnixFileMode]416) -Because 'the mode stays 0640'
        }
    }

    Context 'who the command is' {
        It 'runs root''s command as nobody, without capabilities, unless -UserId names a user' {
            $default = Invoke-Sandboxed -- sh -c 'id -u; id -g; id -G; grep ^CapEff /proc/self/status'
            $default | Should -Be @('65534', '65534', '65534', "CapEff:`t0000000000000000")
            Invoke-Sandboxed -UserId 0 -- id -u | Should -BeExactly '0'
            Invoke-Sandboxed -UserId 1000 -GroupId 1001 -- sh -c 'id -u; id -g' | Should -Be @('1000', '1001')
        }

        It 'keeps exactly the capabilities -Capability names' {
            Invoke-Sandboxed -Capability CAP_NET_BIND_SERVICE, net_raw -- grep ^CapEff /proc/self/status | Should -BeExactly "CapEff:`t0000000000002400"
        }

        It 'runs a program with file capabilities only when -Capability keeps them, and says so' {
            $program = Join-Path (Get-PSDrive TestDrive).Root 'captrue'
            [System.IO.File]::Copy('/bin/true', $program, $true)
            setcap cap_net_raw+ep $program
            $LASTEXITCODE | Should -Be 0 -Because 'setcap (libcap2-bin) gives the copy a file capability'
            $failure = { Invoke-Sandboxed -- $program } | Should -Throw -ErrorId 'CommandNotExecutable,PSSyscall.Commands.InvokeSandboxedCommand' -PassThru
            $failure.ErrorDetails.Message | Should -Match '-Capability'
            $failure.ErrorDetails.Message | Should -Not -Match '-ExecutablePath'
            (Invoke-Sandboxed -Capability CAP_NET_RAW -PassThru -- $program).ExitCode | Should -Be 0
        }
    }

    Context 'the file system view' {
        It 'gives -MinimalDev only the harmless devices' {
            (Invoke-Sandboxed -MinimalDev -- ls /dev) | Should -Be @('core', 'fd', 'full', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero')
            Invoke-Sandboxed -MinimalDev -- sh -c 'echo x > /dev/null && head -c 4 /dev/urandom | wc -c' | Should -BeExactly '4'
        }

        It 'mounts -Tmpfs owned by the command''s user, and binds -Bind and -ReadOnlyBind' {
            $dir = New-TestDirectory
            [System.IO.File]::SetUnixFileMode($dir, [System.IO.UnixFileMode]511)
            try {
                Invoke-Sandboxed -Tmpfs /mnt -- sh -c 'touch /mnt/x && stat -c %U /mnt/x' | Should -BeExactly 'nobody'
                Invoke-Sandboxed -Tmpfs /mnt -Bind "${dir}:/mnt/rw" -- sh -c 'echo inside > /mnt/rw/f'
                [System.IO.File]::ReadAllText("$dir/f") | Should -BeExactly "inside`n"
                $out = Invoke-Sandboxed -ReadOnlyBind "${dir}:/opt" -InformationVariable err -- sh -c 'cat /opt/f; echo no > /opt/g' 6>$null
                $out | Should -BeExactly 'inside'
                "$($err.MessageData)" | Should -Match 'Read-only file system'
                [System.IO.File]::Exists("$dir/g") | Should -BeFalse
            } finally {
                Remove-TestDirectory $dir
            }
        }

        It 'takes a bind''s source from the host''s view, also beneath a -Tmpfs' {
            $dir = New-TestDirectory   # under /tmp, which -Tmpfs /tmp covers inside
            [System.IO.File]::SetUnixFileMode($dir, [System.IO.UnixFileMode]511)
            try {
                Set-Content -Path "$dir/f" -Value 'from-the-host'
                Invoke-Sandboxed -Tmpfs /tmp -ReadOnlyBind "${dir}:/mnt" -WorkingDirectory / -- cat /mnt/f | Should -BeExactly 'from-the-host'
            } finally {
                Remove-TestDirectory $dir
            }
        }

        It 'makes every mount read-only with -ReadOnlyRoot, but -Tmpfs' {
            # From /: a -Tmpfs /tmp would hide a current directory beneath /tmp.
            $out = Invoke-Sandboxed -ReadOnlyRoot -Tmpfs /tmp -WorkingDirectory / -InformationVariable err -- sh -c 'touch /tmp/ok && echo tmp-ok; touch /var/tmp/pssyscall-ro-$$' 6>$null
            $out | Should -BeExactly 'tmp-ok'
            "$($err.MessageData)" | Should -Match 'Read-only file system'
        }

        It 'shows the command its own cgroup as the root, and no host process' {
            Invoke-Sandboxed -MaxProcesses 10 -- cat /proc/self/cgroup | ForEach-Object { ($_ -split ':', 3)[2] } | Sort-Object -Unique | Should -BeExactly '/'
            Invoke-Sandboxed -- sh -c 'ls /proc | grep -c "^[0-9]"' | Should -BeLessOrEqual 3
        }
    }

    Context 'parameters' {
        It 'refuses <Case>' -ForEach @(
            @{ Case = 'an unknown capability'; Splat = @{ Capability = 'CAP_BOGUS' }; Id = 'UnknownCapability' }
            @{ Case = 'a negative -Timeout'; Splat = @{ Timeout = [TimeSpan]::FromSeconds(-1) }; Id = 'ParameterArgumentValidationError' }
            @{ Case = 'a zero -Timeout'; Splat = @{ Timeout = [TimeSpan]::Zero }; Id = 'ParameterArgumentValidationError' }
            @{ Case = 'a negative -MaxCpuTime'; Splat = @{ MaxCpuTime = [TimeSpan]::FromSeconds(-1) }; Id = 'ParameterArgumentValidationError' }
            @{ Case = 'an empty -ReadWritePath'; Splat = @{ ReadWritePath = '' }; Id = 'ParameterArgumentValidationError' }
            @{ Case = 'an environment name with ='; Splat = @{ Environment = @{ 'A=B' = 'x' } }; Id = 'InvalidEnvironmentName' }
            @{ Case = 'an empty environment name'; Splat = @{ Environment = @{ '' = 'x' } }; Id = 'InvalidEnvironmentName' }
            @{ Case = 'a bind of a missing path'; Splat = @{ Bind = '/no/such/pssyscall-path' }; Id = 'InvalidBind' }
        ) {
            $marker = Join-Path (Get-PSDrive TestDrive).Root "ran-$([guid]::NewGuid().ToString('N'))"
            { Invoke-Sandboxed @Splat -- touch $marker } | Should -Throw -ErrorId "$Id,PSSyscall.Commands.InvokeSandboxedCommand"
            [System.IO.File]::Exists($marker) | Should -BeFalse
        }
    }
}
