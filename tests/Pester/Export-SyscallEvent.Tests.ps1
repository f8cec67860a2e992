# Export-SyscallEvent: record traces to JSON Lines, CSV or strace text, and read them back.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
}

Describe 'Export-SyscallEvent' {
    It 'writes a <Format> file that Get-SyscallEvent reads back event for event' -ForEach @(
        @{ Format = 'JsonLines' }
        @{ Format = 'Csv' }
        @{ Format = 'Strace' }
    ) {
        $file = "$TestDrive/roundtrip.$Format"
        $live = @(Start-TracedProcess -- sh -c 'cat /etc/hostname > /dev/null; exit 2' | Export-SyscallEvent $file -Format $Format -PassThru)
        $read = @(Get-SyscallEvent $file)
        $live.Count | Should -BeGreaterThan 10
        $read | Should -HaveCount $live.Count
        # One line per difference, so that a failure names every event that differs.
        $differences = for ($i = 0; $i -lt $live.Count; $i++) {
            $a = $live[$i]; $b = $read[$i]
            if ($a.GetType() -ne $b.GetType() -or $a.ThreadId -ne $b.ThreadId -or
                ($a -is [PSSyscall.SyscallEvent] -and ($a.Name -cne $b.Name -or $a.Result -cne $b.Result))) {
                "event ${i}: '$a' was read back as '$b'"
            }
        }
        $differences | Should -BeNullOrEmpty
        @($read | Where-Object EventType -eq Exit | Where-Object ExitCode -eq 2) | Should -HaveCount 1
    }

    It 'keeps every property exactly in JSON Lines, to the tick' {
        $file = "$TestDrive/exact.jsonl"
        $live = @(Start-TracedProcess -- sh -c 'cat /etc/hostname /nonexistent >/dev/null 2>&1' | Export-SyscallEvent $file -PassThru)
        $read = @(Get-SyscallEvent $file)
        $live.Count | Should -BeGreaterThan 10
        $read | Should -HaveCount $live.Count
        # Every property, compared by Equals (the same type and value, a DateTime to the tick and
        # with its Kind); one line per difference.
        $differences = for ($i = 0; $i -lt $live.Count; $i++) {
            foreach ($property in $live[$i].PSObject.Properties) {
                $again = $read[$i].($property.Name)
                if (-not [object]::Equals($property.Value, $again) -or
                    ($property.Value -is [datetime] -and $property.Value.Kind -ne $again.Kind)) {
                    "event $i's $($property.Name): '$($property.Value)' was read back as '$again'"
                }
            }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'starts a JSON Lines file with a header naming the format, command, host and start time' {
        $file = "$TestDrive/header.jsonl"
        Start-TracedProcess /bin/true | Export-SyscallEvent $file
        $header = Get-Content -LiteralPath $file -TotalCount 1 | ConvertFrom-Json
        $header.Format | Should -BeExactly 'PSSyscall.TraceEvents'
        $header.Version | Should -Be 1
        $header.Command | Should -Match 'Start-TracedProcess /bin/true'
        $header.Host | Should -BeExactly ([System.Environment]::MachineName)
        $header.StartTime | Should -BeLessThan ([datetime]::Now)
    }

    It 'chooses the format by the file''s extension, unless -Format says otherwise' {
        Push-Location $TestDrive
        try {
            Start-TracedProcess /bin/true | Export-SyscallEvent by-extension.csv
            Start-TracedProcess /bin/true | Export-SyscallEvent by-format.csv -Format JsonLines
        }
        finally {
            Pop-Location
        }
        Get-Content -LiteralPath "$TestDrive/by-extension.csv" -TotalCount 1 | Should -BeLike '"EventType",*'
        Get-Content -LiteralPath "$TestDrive/by-format.csv" -TotalCount 1 | Should -BeLike '{"Format":"PSSyscall.TraceEvents"*'
    }

    It 'quotes CSV as Export-Csv does: a header row, every field quoted, no #TYPE line' {
        $file = "$TestDrive/quoted.csv"
        Start-TracedProcess /bin/true | Export-SyscallEvent $file
        $lines = Get-Content -LiteralPath $file
        $lines[0] | Should -Match '^"EventType","Name","Number","Architecture","Arguments",'
        $lines[1] | Should -Match '^"Syscall","execve","59","X86_64",'
        $lines | Should -Not -Contain '#TYPE PSSyscall.SyscallEvent'
        # Import-Csv reads it as Export-Csv's own, one row per event.
        @(Import-Csv -LiteralPath $file) | Should -HaveCount ($lines.Count - 1)
        (Import-Csv -LiteralPath $file)[0].Name | Should -BeExactly 'execve'
    }

    It 'writes strace -f -tt -T -y style text' {
        $file = "$TestDrive/trace.txt"
        Start-TracedProcess /bin/true | Export-SyscallEvent $file
        $lines = Get-Content -LiteralPath $file
        $lines[0] | Should -Match '^\d+ +\d\d:\d\d:\d\d\.\d{6} execve\(.*\) += 0 <\d+\.\d{6}>$'
        $lines[-1] | Should -Match '^\d+ +\d\d:\d\d:\d\d\.\d{6} \+\+\+ exited with 0 \+\+\+$'
    }

    It 'appends with -Append, without a second header' {
        $file = "$TestDrive/append.jsonl"
        $first = @(Start-TracedProcess /bin/true | Export-SyscallEvent $file -PassThru).Count
        $second = @(Start-TracedProcess /bin/true | Export-SyscallEvent $file -Append -PassThru).Count
        @(Get-SyscallEvent $file) | Should -HaveCount ($first + $second)
        @(Get-Content -LiteralPath $file | Where-Object { $_.StartsWith('{"Format"') }) | Should -HaveCount 1
    }

    It 'fails clearly when the file cannot be written' {
        $err = { Start-TracedProcess /bin/true | Export-SyscallEvent /nonexistent-dir/x.jsonl } | Should -Throw -ErrorId 'TraceFileNotWritable,PSSyscall.Commands.ExportSyscallEventCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'WriteError'
    }
}

Describe 'Start-TracedProcess -OutFile and -Summary' {
    It 'records to -OutFile what it writes to the pipeline, and sets $LASTEXITCODE' {
        $file = "$TestDrive/outfile.jsonl"
        $live = @(Start-TracedProcess -OutFile $file -- sh -c 'cat /etc/hostname >/dev/null; exit 4')
        $LASTEXITCODE | Should -Be 4
        $read = @(Get-SyscallEvent $file)
        $live.Count | Should -BeGreaterThan 10
        $read | ForEach-Object ToString | Should -BeExactly @($live | ForEach-Object ToString)
        (Get-Content -LiteralPath $file -TotalCount 1 | ConvertFrom-Json).Command | Should -BeExactly 'sh -c cat /etc/hostname >/dev/null; exit 4'
    }

    It 'fails clearly when -OutFile cannot be written' {
        { Start-TracedProcess -OutFile /nonexistent-dir/x.jsonl /bin/true } | Should -Throw -ErrorId 'TraceFileNotWritable,PSSyscall.Commands.StartTracedProcessCommand'
    }

    It 'writes only strace -c''s table with -Summary, counting calls and errors as strace -f -c does' {
        $command = 'sh', '-c', 'cat /etc/hostname; ls /nonexistent; exit 0'
        $rows = @(Start-TracedProcess -CaptureOutput -Summary -- @command 6>$null)
        $rows.Count | Should -BeGreaterThan 10
        $rows | ForEach-Object { $_ | Should -BeOfType PSSyscall.SyscallSummary }
        $ours = @{}; $rows | ForEach-Object { $ours[$_.Name] = $_.Calls }
        $ourErrors = @{}; $rows | Where-Object Errors | ForEach-Object { $ourErrors[$_.Name] = $_.Errors }
        $theirs = Get-StraceCount -- @command
        $theirErrors = Get-StraceCount -Errors -- @command
        foreach ($table in $ours, $theirs, $ourErrors, $theirErrors) { $table.Remove('rt_sigreturn') }
        foreach ($name in @($theirErrors.Keys)) { if ($theirErrors[$name] -eq 0) { $theirErrors.Remove($name) } }
        Compare-SyscallCount $ours $theirs | Should -BeNullOrEmpty
        Compare-SyscallCount $ourErrors $theirErrors | Should -BeNullOrEmpty
    }

    It 'records every event with -Summary -OutFile, and Measure-SyscallEvent of the file gives the same table' {
        $file = "$TestDrive/summary.jsonl"
        $rows = @(Start-TracedProcess -Summary -OutFile $file -- sh -c 'cat /etc/hostname /nonexistent >/dev/null 2>&1')
        $rows.Count | Should -BeGreaterThan 10
        $measured = @(Measure-SyscallEvent $file)
        $measured | ForEach-Object { "$($_.Name) $($_.Calls) $($_.Errors)" } | Sort-Object |
            Should -BeExactly @($rows | ForEach-Object { "$($_.Name) $($_.Calls) $($_.Errors)" } | Sort-Object)
        $byProcess = @(Get-SyscallEvent $file | Measure-SyscallEvent -By ProcessId)
        $byProcess[0].PSObject.TypeNames[0] | Should -BeExactly 'PSSyscall.SyscallSummary#ByProcess'
        $byProcess | Where-Object { $null -eq $_.ProcessId } | Should -BeNullOrEmpty
        ($byProcess | Measure-Object Calls -Sum).Sum | Should -Be ($rows | Measure-Object Calls -Sum).Sum
    }
}
