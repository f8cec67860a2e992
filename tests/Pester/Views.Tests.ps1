# The views of module/PSSyscall.Format.ps1xml as a user sees them: rendered by a child pwsh in a
# pseudo-terminal of 80 and of 200 columns (util-linux's script(1) makes the terminal; stty sets its
# width), so Out-Default lays the tables out for that console exactly as it would for a user.

BeforeDiscovery {
    $widths = @(80, 200)
}

Describe 'Views at <_> columns' -ForEach $widths {
    BeforeAll {
        $width = $_
        $manifest = Join-Path (Get-Module PSSyscall).ModuleBase 'PSSyscall.psd1'
        $missing = '/nonexistent/pssyscall-views-test'

        # Each snippet writes "#### name" and then its formatted output; the sections are split on those lines.
        $sections = [ordered]@{
            trace      = '$events | Out-Host'
            expect     = '$open = $events | Where-Object Name -eq openat | Where-Object Path -eq ''' + $missing + ''' | Select-Object -Last 1
                          $exec = $events | Where-Object Name -eq execve | Select-Object -First 1
                          "open=$($open.Name)($($open.Arguments)) = $($open.Result)"; "openstrace=$open"; "exec=$($exec.Name)($($exec.Arguments)) = $($exec.Result)"'
            strace     = '$events | Format-Table -View Strace | Out-Host'
            timing     = '$events | Format-Table -View Timing | Out-Host'
            thread     = '$events | Format-Table -View Thread | Out-Host'
            list       = '$events | Where-Object Name -eq openat | Where-Object Path -eq ''' + $missing + ''' | Format-List | Out-Host
                          $events | Where-Object EventType -ne Syscall | Format-List | Out-Host'
            filter     = '$filter | Out-Host'
            filterlist = '$filter | Format-List | Out-Host'
            rule       = '$filter.Rules | Out-Host'
            test       = 'Test-SeccompFilter $filter -Name getppid -Argument 4294967295 | Out-Host
                          Test-SeccompFilter $filter -Name openat -Architecture I386 | Out-Host'
            group      = 'Get-SeccompGroup | Out-Host'
            summary    = '$events | Measure-SyscallEvent | Out-Host'
            byprocess  = '$events | Measure-SyscallEvent -By ProcessId | Out-Host'
            fault      = 'New-SyscallFault -Name openat,openat2 -Errno ENAMETOOLONG -Occurrence 2..10+2 -Probability 0.5 -Seed 42 -PathLike ''*.so*'' | Out-Host'
            tree       = '$events | Get-TracedProcessTree | Out-Host'
            received   = '$received | Select-Object -Last 3 | Out-Host'
            sandbox    = '$result | Out-Host'
            violation  = '$result.Violations | Out-Host'
            sandboxlist = '$result | Format-List | Out-Host'
        }
        $script = @(
            '$ErrorActionPreference = ''Stop'''
            '$PSStyle.OutputRendering = ''PlainText'''
            '$ProgressPreference = ''SilentlyContinue'''
            "Import-Module '$manifest'"
            "`$events = Start-TracedProcess sh -c 'cat $missing 2>/dev/null; true'"
            '$filter = New-SeccompFilter -Allow getpid -Deny uname -Rule (New-SeccompRule -Name getppid -Action ''Errno(5)'' -Condition ''arg0 == 0xffffffff'')'
            '$result = Invoke-Sandboxed -Filter (New-SeccompFilter -Deny uname) -AuditOnly -PassThru sh -c ''uname >/dev/null; uname -a >/dev/null'' 3>$null 6>$null | Where-Object { $_ -is [PSSyscall.SandboxResult] }'
            # Events that come back from a job (or remoting) are deserialized property bags.
            "`$received = Start-Job { Import-Module '$manifest'; Start-TracedProcess -FilePath sh -ArgumentList '-c', 'exit 4' } | Receive-Job -Wait -AutoRemoveJob 6>`$null"
            foreach ($name in $sections.Keys) { "'#### $name'"; $sections[$name] }
        ) -join "`n"
        $file = Join-Path $TestDrive "views-$width.ps1"
        [System.IO.File]::WriteAllText($file, $script)

        $pwsh = [Environment]::ProcessPath
        $pwshArguments = if ([System.IO.Path]::GetFileName($pwsh) -eq 'dotnet') { "'$PSHOME/pwsh.dll' " } else { '' }
        $inner = "stty cols $width rows 50; exec '$pwsh' $pwshArguments-NoProfile -NonInteractive -File '$file'"
        $raw = & script -qec $inner /dev/null
        $text = ($raw -join "`n") -replace '\x1b\[[0-9;?]*[A-Za-z]', '' -replace '\x1b[=>]', '' -replace '\r', ''
        $script:out = @{}
        $current = $null
        foreach ($line in $text -split "`n") {
            if ($line -match '^#### (\w+)$') { $current = $Matches[1]; $out[$current] = [System.Collections.Generic.List[string]]::new(); continue }
            if ($current) { $out[$current].Add($line) }
        }
        $expect = @{}
        foreach ($line in $out['expect']) { if ($line -match '^(\w+)=(.*)$') { $expect[$Matches[1]] = $Matches[2] } }
        $script:expect = $expect
        if ($env:PSSYSCALL_VIEWS_DUMP) { [System.IO.File]::WriteAllText("$env:PSSYSCALL_VIEWS_DUMP-$width.txt", $text) }
        $timeAndPid = '^\d\d:\d\d:\d\d\.\d{6} +\d+ '
    }

    It 'renders every section (the child ran to the end)' {
        $text | Should -Not -Match 'Exception|Error:'
        foreach ($name in $sections.Keys) { $out.Contains($name) | Should -BeTrue -Because "section $name" }
        $expect['open'] | Should -Match "^openat\(.*$([regex]::Escape($missing)).*\) = -1 ENOENT \(No such file or directory\)$"
    }

    It 'fits every view into the console: no line is wider than <_> columns' {
        foreach ($name in $out.Keys | Where-Object { $_ -ne 'expect' }) {
            foreach ($line in $out[$name]) {
                $line.Length | Should -BeLessOrEqual $width -Because "[$name] $line"
            }
        }
    }

    It 'pads no line: the last column takes only what it needs' {
        # List views may end a line in an empty value ("Fd : "), as every PowerShell list does.
        foreach ($name in $out.Keys | Where-Object { $_ -ne 'expect' -and $_ -notlike '*list' }) {
            foreach ($line in $out[$name]) { $line | Should -Not -Match '\s$' -Because "[$name] '$line'" }
        }
    }

    It 'shows calls, signals and exits as rows of one table' {
        $trace = $out['trace']
        @($trace | Where-Object { $_ -match '^Time +PID +Call$' }) | Should -HaveCount 1
        @($trace | Where-Object { $_ -match '^\w+ +: ' }) | Should -HaveCount 0 -Because 'no event falls back to a list block'
        $signal = @($trace | Where-Object { $_ -match "$timeAndPid--- SIGCHLD \{si_signo=SIGCHLD, .*\} ---$" })
        $signal | Should -Not -BeNullOrEmpty
        @($trace | Where-Object { $_ -match "$timeAndPid\+\+\+ exited with 1 \+\+\+$" }) | Should -HaveCount 1 -Because 'cat fails on the missing file'
        @($trace | Where-Object { $_ -match "$timeAndPid\+\+\+ exited with 0 \+\+\+$" }) | Should -HaveCount 1
    }

    It 'shows the whole result of a call, and its arguments as far as they fit' {
        $row = @($out['trace'] | Where-Object { $_ -match "$timeAndPid(openat\(.*\) = -1 ENOENT \(No such file or directory\))$" -and $_ -match 'nonexistent|…' })
        $row | Should -Not -BeNullOrEmpty
        $call = $row[-1] -replace $timeAndPid, ''
        if ($width -ge 200) {
            $call | Should -BeExactly $expect['open']
        }
        else {
            $call.Length | Should -BeLessOrEqual ($width - 24)
            $call | Should -Match '^openat\(.*…\) = -1 ENOENT \(No such file or directory\)$'
        }
    }

    It 'shows more arguments on a wider console' {
        $exec = @($out['trace'] | Where-Object { $_ -match "${timeAndPid}execve\(" })[0] -replace $timeAndPid, ''
        if ($expect['exec'].Length -le $width - 25) { $exec | Should -BeExactly $expect['exec'] }
        else { $exec | Should -Match '…\) = 0$'; $exec.Length | Should -BeGreaterThan ($width - 40) }
    }

    It 'has a Strace view with "$event" lines, wrapped and never cut' {
        # Wrapping drops the blank at each break: compare without blanks.
        $joined = ($out['strace'] -join '') -replace '\s', ''
        $joined.Contains(($expect['openstrace'] -replace '\s', '')) | Should -BeTrue -Because "the Strace view shows: $($expect['openstrace'])"
        $out['strace'] | Should -Not -Contain 'Strace'
    }

    It 'has a Timing view with each call''s seconds' {
        @($out['timing'] | Where-Object { $_ -match '^ +PID +Seconds Call$' }) | Should -HaveCount 1
        @($out['timing'] | Where-Object { $_ -match '^ +\d+ +\d\.\d{6} openat\(.*\) = -1 ENOENT \(No such file or directory\)$' }) | Should -Not -BeNullOrEmpty
        @($out['timing'] | Where-Object { $_ -match '^ +\d+ {11}\+\+\+ exited with 0 \+\+\+$' }) | Should -HaveCount 1
    }

    It 'has a Thread view with thread ids and process names' {
        @($out['thread'] | Where-Object { $_ -match '^Time +PID +TID Process +Call$' }) | Should -HaveCount 1
        @($out['thread'] | Where-Object { $_ -match "$timeAndPid +\d+ cat +openat\(" }) | Should -Not -BeNullOrEmpty
    }

    It 'lists curated properties with sub-second timestamps' {
        $list = $out['list']
        @($list | Where-Object { $_ -match '^Timestamp +: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$' }).Count | Should -BeGreaterOrEqual 3
        $list | Should -Contain 'Result      : -1 ENOENT (No such file or directory)'
        @($list | Where-Object { $_ -match '^Path +: /nonexistent/pssyscall-views-test$' }) | Should -HaveCount 1
        @($list | Where-Object { $_ -match '^Argument0' }) | Should -HaveCount 0 -Because 'raw registers are for Format-List *'
        @($list | Where-Object { $_ -match '^Signal +: SIGCHLD$' }) | Should -Not -BeNullOrEmpty
        @($list | Where-Object { $_ -match '^ExitCode +: 1$' }) | Should -HaveCount 1
    }

    It 'shows a seccomp filter, its rules and their test results' {
        $out['filter'] | Should -Contain 'DefaultAction  Rules Architectures   Summary'
        @($out['filter'] | Where-Object { $_ -match '^Errno\(1\) +3 x86_64 +Allow×1, Errno\(1\)×1, Errno\(5\)×1$' }) | Should -HaveCount 1
        @($out['filterlist'] | Where-Object { $_ -match '^Rules +: ' }) | Should -HaveCount 1
        @($out['rule'] | Where-Object { $_ -match '^Errno\(5\) +getppid if arg0 == 0xffffffff$' }) | Should -HaveCount 1
        @($out['test'] | Where-Object { $_ -match '^Errno\(5\) EIO +\d+ getppid\(0xffffffff\)$' }) | Should -HaveCount 1
        @($out['test'] | Where-Object { $_ -match '^KillProcess +\d+ \[i386\] openat\(' }) | Should -HaveCount 1
    }

    It 'shows seccomp groups with their descriptions' {
        @($out['group'] | Where-Object { $_ -match '^@basic-io +\d+ Basic I/O' }) | Should -HaveCount 1
    }

    It 'shows summaries with strace -c''s columns' {
        @($out['summary'] | Where-Object { $_ -match '^ +% Time +Seconds Usecs/Call +Calls +Errors Name$' }) | Should -HaveCount 1
        @($out['summary'] | Where-Object { $_ -match '^ +\d+\.\d\d +\d+\.\d{6} +\d+ +\d+ +\d+ openat$' }) | Should -HaveCount 1
        @($out['byprocess'] | Where-Object { $_ -match '^ +Process: \d+ \(cat\)$' }) | Should -Not -BeNullOrEmpty
    }

    It 'shows a fault with its effect, occurrence, probability and where' {
        @($out['fault'] | Where-Object { $_ -match '^error=ENAMETOOLONG +2\.\.10\+2 +0\.5 \(seed 42\) openat,openat2 path \*\.so\*$' }) | Should -HaveCount 1
    }

    It 'shows the process tree with its branches and each command line as far as it fits' {
        @($out['tree'] | Where-Object { $_ -match '^ +PID Ending +Calls +InCalls +Wall Process$' }) | Should -HaveCount 1
        $cat = @($out['tree'] | Where-Object { $_ -match '^ +\d+ exit 1 +\d+ +\d\.\d{6} +\d\.\d{6} └─ cat \["cat", ' })
        $cat | Should -HaveCount 1
        # (The tracer cuts strings at 32 characters, as strace -s 32 does.)
        if ($width -ge 200) { $cat[0] | Should -Match '└─ cat \["cat", "/nonexistent/pssyscall-views-tes"\.\.\.\]$' }
        else { $cat[0] | Should -Match '…\]$' }
    }

    It 'shows events received from a job the same way' {
        $rows = $out['received'] -replace $timeAndPid, ''
        $rows | Should -Contain 'exit_group(4) = ?'
        $rows | Should -Contain '+++ exited with 4 +++'
    }

    It 'shows a sandbox result and its violations' {
        @($out['sandbox'] | Where-Object { $_ -match '^ +0 +False +\d+\.\d{3}s +\d+\.\dMB +2 /usr/bin/sh$' }) | Should -HaveCount 1
        @($out['violation'] | Where-Object { $_ -match "$timeAndPid\(Errno\(EPERM\)\) uname\(0x[0-9a-f]+\)$" }) | Should -HaveCount 2
        @($out['sandboxlist'] | Where-Object { $_ -match '^Violations +: \[pid \d+\] uname: uname\(' }) | Should -HaveCount 1
    }
}
