# The fleet story over real PowerShell remoting: an sshd of the test's own on 127.0.0.1 (installed
# from the Debian packages when the machine lacks it), a throw-away key, this pwsh as the
# 'powershell' subsystem. Everything is removed afterwards.

BeforeAll {
    if (-not (Test-Path /usr/sbin/sshd)) {
        $env:DEBIAN_FRONTEND = 'noninteractive'
        $null = & apt-get update -qq 2>&1
        $null = & apt-get install -y -qq openssh-server 2>&1
        if (-not (Test-Path /usr/sbin/sshd)) { throw 'openssh-server could not be installed (apt-get install openssh-server).' }
    }
    $modulePath = (Get-Module PSSyscall).Path
    $dir = Join-Path $TestDrive 'sshd'
    $null = New-Item -ItemType Directory -Path $dir
    & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $dir 'host_key')
    & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $dir 'user_key')
    Copy-Item (Join-Path $dir 'user_key.pub') (Join-Path $dir 'authorized_keys')

    # The subsystem runs this very pwsh; a dotnet-tool pwsh needs to find its runtime.
    $dotnet = Get-Command dotnet -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    $dotnetRoot = if ($env:DOTNET_ROOT) { $env:DOTNET_ROOT } elseif ($dotnet) { Split-Path ((Get-Item $dotnet.Source).ResolvedTarget ?? $dotnet.Source) } else { '' }
    $subsystem = Join-Path $dir 'pwsh-subsystem.sh'
    Set-Content -Path $subsystem -Value @(
        '#!/bin/sh'
        "export DOTNET_ROOT='$dotnetRoot'"
        "exec '$(Join-Path $PSHOME pwsh)' -sshs -NoLogo -NoProfile"
    )
    & chmod 755 $subsystem

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $pidFile = Join-Path $dir 'sshd.pid'
    Set-Content -Path (Join-Path $dir 'sshd_config') -Value @(
        "Port $port"
        'ListenAddress 127.0.0.1'
        "HostKey $(Join-Path $dir 'host_key')"
        "AuthorizedKeysFile $(Join-Path $dir 'authorized_keys')"
        'PermitRootLogin prohibit-password'
        'PasswordAuthentication no'
        'KbdInteractiveAuthentication no'
        'UsePAM no'
        'StrictModes no'
        "PidFile $pidFile"
        "Subsystem powershell $subsystem"
    )
    $null = New-Item -ItemType Directory -Path /run/sshd -Force
    & /usr/sbin/sshd -f (Join-Path $dir 'sshd_config') -E (Join-Path $dir 'sshd.log')
    if ($LASTEXITCODE -ne 0) { throw "sshd did not start: $(Get-Content (Join-Path $dir 'sshd.log') -Raw)" }

    $sessionOptions = @{
        HostName    = '127.0.0.1'
        Port        = $port
        UserName    = [Environment]::UserName
        KeyFilePath = Join-Path $dir 'user_key'
        Options     = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    }
    $session = New-PSSession @sessionOptions
}

AfterAll {
    if ($session) { Remove-PSSession $session }
    if ($pidFile -and (Test-Path $pidFile)) {
        $sshd = [int](Get-Content $pidFile)
        & kill $sshd 2>$null
    }
}

Describe 'tracing over PowerShell remoting (SSH)' {
    BeforeAll {
        # On the remote side: trace a program that prints, and judge the live events there.
        $remote = Invoke-Command -Session $session -InformationVariable remoteInfo -ScriptBlock {
            Import-Module $using:modulePath
            $events = Start-TracedProcess sh -c 'echo printed-remotely; cat /etc/hostname'
            $rule = New-SeccompFilter -DefaultAction Allow -Rule (New-SeccompRule -Name openat -Action Errno -Condition 'Argument2 & 0x80000 == 0x80000')
            [pscustomobject]@{
                Events  = $events
                Counts  = ($events | Measure-SyscallEvent | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Calls)/$($_.Errors)" }) -join ' '
                Denied  = @($events | Test-SeccompFilter $rule | Where-Object Action -ne Allow).Count
                Learned = ($events | New-SeccompFilter -DefaultAction Errno | Export-SeccompFilter)
            }
        }
        $rule = New-SeccompFilter -DefaultAction Allow -Rule (New-SeccompRule -Name openat -Action Errno -Condition 'Argument2 & 0x80000 == 0x80000')
    }

    It 'keeps the session usable while the traced program prints' {
        $session.State | Should -Be 'Opened'
        Invoke-Command -Session $session { 'still here' } | Should -Be 'still here'
    }

    It 'brings the program''s output back as information, not into the protocol' {
        $lines = $remoteInfo | Where-Object { $_.Tags -contains 'StandardOutput' } | ForEach-Object { "$($_.MessageData)" }
        $lines | Should -Contain 'printed-remotely'
    }

    It 'returns events that give the remote results locally: Measure-SyscallEvent, Test-SeccompFilter, New-SeccompFilter' {
        $events = $remote.Events
        @($events).Count | Should -BeGreaterThan 10
        $events[0].PSObject.TypeNames[0] | Should -BeLike 'Deserialized.PSSyscall.*'
        $remote.Denied | Should -BeGreaterThan 0 -Because 'the trace must exercise the argument rule'
        (($events | Measure-SyscallEvent | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Calls)/$($_.Errors)" }) -join ' ') | Should -Be $remote.Counts
        @($events | Test-SeccompFilter $rule | Where-Object Action -ne Allow).Count | Should -Be $remote.Denied
        ($events | New-SeccompFilter -DefaultAction Errno | Export-SeccompFilter) | Should -Be $remote.Learned
    }
}
