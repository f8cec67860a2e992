# Get-SyscallEvent: read our trace files and strace's logs back as events, with filters.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:dir = New-TestDirectory
    $script:trace = "$script:dir/trace.jsonl"
    $script:live = Start-TracedProcess -OutFile $script:trace -- sh -c 'cat /etc/hostname /nonexistent; exit 0' 2>$null
    $null = & strace -f -tt -T -y -s 64 -o "$script:dir/strace.log" -- sh -c 'cat /etc/hostname /nonexistent; exit 0' 2>$null
    $null = & strace -ff -tt -T -y -o "$script:dir/ff" -- sh -c 'cat /etc/hostname > /dev/null' 2>$null
}

AfterAll {
    Remove-TestDirectory $script:dir
}

Describe 'Get-SyscallEvent' {
    Context 'reading' {
        It 'reads what Export-Csv -IncludeTypeInformation wrote, its #TYPE line first' {
            $events = Get-SyscallEvent $script:trace
            $events | Export-Csv "$script:dir/typed.csv" -IncludeTypeInformation
            (Get-Content "$script:dir/typed.csv" -TotalCount 1) | Should -BeLike '#TYPE *'
            $read = Get-SyscallEvent "$script:dir/typed.csv"
            $read | Should -HaveCount $events.Count
            $read.Name | Should -Be $events.Name
        }

        It 'reads a recorded trace as the same typed events' {
            $read = Get-SyscallEvent $script:trace
            $read | Should -HaveCount $script:live.Count
            $read[0] | Should -BeOfType PSSyscall.SyscallEvent
            @($read | Where-Object EventType -eq Exit) | Should -HaveCount @($script:live | Where-Object EventType -eq Exit).Count
        }

        It 'imports strace -f -tt -T -y output with the same calls per name as our trace' {
            $imported = Get-SyscallEvent "$script:dir/strace.log"
            $imported[0] | Should -BeOfType PSSyscall.SyscallEvent
            $ours = $script:live | ConvertTo-SyscallCount
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
            $fromPrefix = Get-SyscallEvent "$script:dir/ff"
            @(Get-SyscallEvent "$script:dir/ff.*") | Should -HaveCount $fromPrefix.Count
            $processes = @{}; $fromPrefix | ForEach-Object { $processes[$_.ProcessId] = $_.ProcessName }
            $processes.Count | Should -Be 2
            $processes.Values | Should -Contain 'cat'
            @($fromPrefix | Where-Object EventType -eq Exit) | Should -HaveCount 2
        }

        It 'takes files from the pipeline, as Get-ChildItem gives them' {
            @([pscustomobject]@{ PSPath = $script:trace } | Get-SyscallEvent) | Should -HaveCount $script:live.Count
            @($script:trace, $script:trace | Get-SyscallEvent) | Should -HaveCount (2 * $script:live.Count)
        }
    }

    Context 'filters' {
        It 'keeps calls by -Name with wildcards' {
            $names = @(Get-SyscallEvent $script:trace -Name 'open*', 'close' | ForEach-Object Name)
            $names | Should -Contain 'openat'
            $names | Where-Object { $_ -notlike 'open*' -and $_ -ne 'close' } | Should -BeNullOrEmpty
        }

        It 'keeps failed or successful calls' {
            $failed = @(Get-SyscallEvent $script:trace -Failed)
            $failed.Count | Should -BeGreaterThan 0
            $failed | Where-Object { $null -eq $_.Errno } | Should -BeNullOrEmpty
            $ok = @(Get-SyscallEvent $script:trace -Successful)
            $ok | Where-Object { $null -ne $_.Errno -or $_.Unfinished } | Should -BeNullOrEmpty
        }

        It 'keeps calls touching a path, through fds that strace -y annotated too' {
            $touching = @(Get-SyscallEvent "$script:dir/strace.log" -AccessedPath /etc/hostname)
            @($touching | ForEach-Object Name) | Should -Contain 'openat'
            @($touching | ForEach-Object Name) | Should -Contain 'read'
            $touching | Where-Object { $_.Path -ne '/etc/hostname' -and $_.Arguments -notmatch '</etc/hostname>' } | Should -BeNullOrEmpty
        }

        It 'keeps events of a process, and between times' {
            $cat = ($script:live | Where-Object ProcessName -eq cat)[0].ProcessId
            $mine = @(Get-SyscallEvent $script:trace -ProcessId $cat)
            $mine | Where-Object ProcessId -ne $cat | Should -BeNullOrEmpty
            $mine.Count | Should -Be @($script:live | Where-Object ProcessId -eq $cat).Count
            $middle = $script:live[[int]($script:live.Count / 2)].Timestamp
            @(Get-SyscallEvent $script:trace -After $middle).Count + @(Get-SyscallEvent $script:trace -Before $middle).Count | Should -Be $script:live.Count
        }

        It 'refuses -Failed with -Successful' {
            { Get-SyscallEvent $script:trace -Failed -Successful } | Should -Throw -ErrorId 'ContradictoryFilters*'
        }
    }

    Context 'bad input' {
        It 'reports a missing file and goes on with the others' {
            $events = Get-SyscallEvent "$script:dir/missing.jsonl", $script:trace -ErrorVariable problems -ErrorAction SilentlyContinue
            $events | Should -HaveCount $script:live.Count
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -Match '^TraceFileNotFound'
        }

        It 'reports an empty file and a binary one' {
            [System.IO.File]::WriteAllBytes("$script:dir/empty.log", [byte[]]@())
            [System.IO.File]::WriteAllBytes("$script:dir/junk.bin", [byte[]](0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0))
            $events = Get-SyscallEvent "$script:dir/empty.log", "$script:dir/junk.bin" -ErrorVariable problems -ErrorAction SilentlyContinue
            $events | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -Match '^EmptyTraceFile'
            $problems[1].FullyQualifiedErrorId | Should -Match '^NotATraceFile'
        }

        It 'names the file and line of a truncated last line, after the good events' {
            $lines = [System.IO.File]::ReadAllLines("$script:dir/strace.log")
            [System.IO.File]::WriteAllText("$script:dir/cut.log", ($lines -join "`n") + "`n" + '4242  12:00:00.000001 openat(AT_FDCWD, "/et')
            $events = Get-SyscallEvent "$script:dir/cut.log" -ErrorVariable problems -ErrorAction SilentlyContinue
            $events.Count | Should -Be @(Get-SyscallEvent "$script:dir/strace.log").Count
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -Match '^MalformedTraceLine'
            $problems[0].ErrorDetails.Message | Should -Match "Line $($lines.Count + 1) of '.*cut.log'"
        }
    }
}
