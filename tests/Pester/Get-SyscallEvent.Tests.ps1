# Get-SyscallEvent: read our trace files and strace's logs back as events, with filters.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
}

Describe 'Get-SyscallEvent' {
    BeforeAll {
        # One command traced by us and by strace, its stdio the same on both sides (pipes).
        $command = 'sh', '-c', 'cat /etc/hostname /nonexistent; exit 0'
        $trace = Join-Path $TestDrive 'trace.jsonl'
        $straceLog = Join-Path $TestDrive 'strace.log'
        $live = @(Start-TracedProcess -CaptureOutput -OutFile $trace -- @command 6>$null)
        $null = Invoke-Strace -StraceOption '-f', '-tt', '-T', '-y', '-s', '64', '-o', $straceLog @command
        $null = Invoke-Strace -StraceOption '-ff', '-tt', '-T', '-y', '-o', (Join-Path $TestDrive 'ff') sh -c 'cat /etc/hostname > /dev/null'
        $live.Count | Should -BeGreaterThan 10
    }

    Context 'reading' {
        It 'reads a recorded trace as the same typed events' {
            $read = Get-SyscallEvent $trace
            $read | Should -HaveCount $live.Count
            $read[0] | Should -BeOfType PSSyscall.SyscallEvent
            @($read | Where-Object EventType -eq Exit) | Should -HaveCount @($live | Where-Object EventType -eq Exit).Count
        }

        It 'imports strace -f -tt -T -y output with the same calls per name as our trace' {
            $imported = Get-SyscallEvent $straceLog
            $imported[0] | Should -BeOfType PSSyscall.SyscallEvent
            $ours = $live | ConvertTo-SyscallCount
            $theirs = $imported | ConvertTo-SyscallCount
            $ours.Remove('rt_sigreturn'); $theirs.Remove('rt_sigreturn')
            Compare-SyscallCount $ours $theirs | Should -BeNullOrEmpty
            $open = @($imported | Where-Object Name -eq openat | Where-Object Path -eq '/nonexistent')
            $open | Should -HaveCount 1
            $open[0].Errno | Should -BeExactly 'ENOENT'
            $open[0].Fd | Should -BeNullOrEmpty
            $open[0].ProcessName | Should -BeExactly 'cat'
        }

        It 'reads the files of strace -ff -o PREFIX as one trace, from PREFIX or PREFIX.*' {
            $fromPrefix = @(Get-SyscallEvent (Join-Path $TestDrive 'ff'))
            @(Get-SyscallEvent (Join-Path $TestDrive 'ff.*')) | Should -HaveCount $fromPrefix.Count
            $processes = $fromPrefix | Group-Object ProcessId
            $processes | Should -HaveCount 2
            $fromPrefix.ProcessName | Should -Contain 'cat'
            @($fromPrefix | Where-Object EventType -eq Exit) | Should -HaveCount 2
        }

        Context 'files by name, wildcard and pipeline' {
            BeforeAll {
                Push-Location $TestDrive
                Start-TracedProcess /bin/true | Export-SyscallEvent w1.jsonl
                Start-TracedProcess /bin/true | Export-SyscallEvent w2.jsonl
                $one = @(Get-SyscallEvent w1.jsonl).Count
                $one | Should -BeGreaterThan 10
            }

            AfterAll {
                Pop-Location
            }

            It 'reads <Case>' -ForEach @(
                @{ Case = 'a wildcard, relative to the current location'; Read = { Get-SyscallEvent w*.jsonl }; Files = 2 }
                @{ Case = '-LiteralPath'; Read = { Get-SyscallEvent -LiteralPath w1.jsonl }; Files = 1 }
                @{ Case = 'Get-ChildItem''s files from the pipeline'; Read = { Get-ChildItem w*.jsonl | Get-SyscallEvent }; Files = 2 }
                @{ Case = 'a FileInfo from the pipeline'; Read = { [System.IO.FileInfo]::new((Join-Path $TestDrive w1.jsonl)) | Get-SyscallEvent }; Files = 1 }
                @{ Case = 'objects with a PSPath from the pipeline'; Read = { [pscustomobject]@{ PSPath = (Join-Path $TestDrive w1.jsonl) }, [pscustomobject]@{ PSPath = (Join-Path $TestDrive w2.jsonl) } | Get-SyscallEvent }; Files = 2 }
                @{ Case = 'paths from the pipeline'; Read = { 'w1.jsonl', 'w1.jsonl' | Get-SyscallEvent }; Files = 2 }
            ) {
                @(& $Read) | Should -HaveCount ($Files * $one)
            }
        }
    }

    Context 'filters' {
        BeforeAll {
            $calls = @($live | Where-Object EventType -eq Syscall)
        }

        It 'keeps calls by -Name with wildcards, whatever their case' {
            $names = @(Get-SyscallEvent $trace -Name 'OPEN*', 'close' | ForEach-Object Name)
            $names | Should -Contain 'openat'
            $names | Should -BeExactly @($calls | Where-Object { $_.Name -like 'open*' -or $_.Name -eq 'close' } | ForEach-Object Name)
        }

        It 'keeps failed or successful calls' {
            $failed = @(Get-SyscallEvent $trace -Failed)
            $failed.Count | Should -BeGreaterThan 0
            $failed | Should -HaveCount @($calls | Where-Object { $null -ne $_.Errno }).Count
            $failed | Where-Object { $null -eq $_.Errno } | Should -BeNullOrEmpty
            $ok = @(Get-SyscallEvent $trace -Successful)
            $ok | Should -HaveCount @($calls | Where-Object { $null -eq $_.Errno -and -not $_.Unfinished }).Count
            $ok | Where-Object { $null -ne $_.Errno -or $_.Unfinished } | Should -BeNullOrEmpty
        }

        It 'keeps calls touching a path, through fds that strace -y annotated too' {
            $touching = @(Get-SyscallEvent $straceLog -AccessedPath /etc/hostname)
            # openat by its path; read and close by the fd strace -y annotated with it.
            @($touching | Where-Object { $_.Name -eq 'openat' -and $_.Path -eq '/etc/hostname' }) | Should -HaveCount 1
            @($touching | Where-Object { $_.Name -eq 'read' -and $_.Fd -eq 3 }).Count | Should -BeGreaterThan 0
            $touching.Name | Should -Contain 'close'
            $touching | Where-Object { $_.Path -ne '/etc/hostname' -and $_.Arguments -notmatch '</etc/hostname>' } | Should -BeNullOrEmpty
            # A wildcard matches the calls whose own path matches; fd annotations are not patterns.
            @(Get-SyscallEvent $straceLog -AccessedPath /etc/host*) | Should -HaveCount @($touching | Where-Object Path -eq '/etc/hostname').Count
        }

        It 'keeps events of a process, and between times' {
            $cat = ($live | Where-Object ProcessName -eq cat)[0].ProcessId
            $mine = @(Get-SyscallEvent $trace -ProcessId $cat)
            $mine | Where-Object ProcessId -ne $cat | Should -BeNullOrEmpty
            $mine.Count | Should -Be @($live | Where-Object ProcessId -eq $cat).Count
            @(Get-SyscallEvent $trace -ProcessId 1) | Should -BeNullOrEmpty
            $middle = $calls[[int]($calls.Count / 2)].Timestamp
            @(Get-SyscallEvent $trace -After $middle) | Should -HaveCount @($live | Where-Object Timestamp -ge $middle).Count
            @(Get-SyscallEvent $trace -Before $middle) | Should -HaveCount @($live | Where-Object Timestamp -lt $middle).Count
        }

        It 'refuses -Failed with -Successful' {
            $err = { Get-SyscallEvent $trace -Failed -Successful } | Should -Throw -ErrorId 'ContradictoryFilters,PSSyscall.Commands.GetSyscallEventCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'completes -Name from the syscall table' {
            $line = 'Get-SyscallEvent x.jsonl -Name opena'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'openat'
        }
    }

    Context 'bad input' {
        It 'reports each bad file with its own error, in order, and reads the good events' {
            $good = Join-Path $TestDrive 'good.jsonl'
            Start-TracedProcess /bin/true | Export-SyscallEvent $good
            $count = @(Get-SyscallEvent $good).Count
            $count | Should -BeGreaterThan 10
            Add-Content -LiteralPath $good -Value '{"EventType":"Syscall","Name":"trunc' -NoNewline
            Set-Content -LiteralPath (Join-Path $TestDrive 'empty.jsonl') -Value @() -NoNewline
            Set-Content -LiteralPath (Join-Path $TestDrive 'junk.bin') -AsByteStream -Value ([byte[]](0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0xff, 0xfe))

            $files = 'missing.jsonl', 'empty.jsonl', 'junk.bin', 'good.jsonl' | ForEach-Object { Join-Path $TestDrive $_ }
            $events = @(Get-SyscallEvent $files -ErrorVariable problems -ErrorAction SilentlyContinue)
            $events | Should -HaveCount $count
            $problems.FullyQualifiedErrorId | Should -BeExactly @(
                'TraceFileNotFound', 'EmptyTraceFile', 'NotATraceFile', 'MalformedTraceLine' | ForEach-Object { "$_,PSSyscall.Commands.GetSyscallEventCommand" })
            $problems.CategoryInfo.Category | Should -Be 'ObjectNotFound', 'InvalidData', 'InvalidData', 'InvalidData'
            # The header line, the good events, then the cut one.
            $problems[3].ErrorDetails.Message | Should -BeLike "*Line $($count + 2) of '$good'*"
        }

        It 'names the file and line of a truncated last line of a strace log, after the good events' {
            $lines = Get-Content -LiteralPath $straceLog
            $cut = Join-Path $TestDrive 'cut.log'
            Set-Content -LiteralPath $cut -Value (@($lines) + '4242  12:00:00.000001 openat(AT_FDCWD, "/et') -NoNewline:$false
            $events = @(Get-SyscallEvent $cut -ErrorVariable problems -ErrorAction SilentlyContinue)
            $events.Count | Should -Be @(Get-SyscallEvent $straceLog).Count
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeExactly 'MalformedTraceLine,PSSyscall.Commands.GetSyscallEventCommand'
            $problems[0].ErrorDetails.Message | Should -Match "Line $($lines.Count + 1) of '.*cut.log'"
        }
    }
}
