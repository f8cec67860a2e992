# Measure-SyscallEvent: strace -c's table from events or files.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
}

Describe 'Measure-SyscallEvent' {
    It 'counts calls and errors as strace -f -c does for <Command>' -ForEach @(
        @{ Command = 'cat with a missing file'; Arguments = @('cat', '/etc/hostname', '/nonexistent') }
        @{ Command = 'a shell running two commands'; Arguments = @('sh', '-c', 'cat /etc/hostname; ls /nonexistent; exit 0') }
    ) {
        $rows = Start-TracedProcess -CaptureOutput -- @Arguments 6>$null | Measure-SyscallEvent
        $calls = @{}; $errors = @{}
        foreach ($row in $rows) { $calls[$row.Name] = $row.Calls; if ($row.Errors) { $errors[$row.Name] = $row.Errors } }
        $theirCalls = Get-StraceCount -- @Arguments
        $theirErrors = Get-StraceCount -Errors -- @Arguments
        foreach ($table in $calls, $theirCalls, $errors, $theirErrors) { $table.Remove('rt_sigreturn') }
        foreach ($name in @($theirErrors.Keys)) { if ($theirErrors[$name] -eq 0) { $theirErrors.Remove($name) } }
        Compare-SyscallCount $calls $theirCalls | Should -BeNullOrEmpty
        Compare-SyscallCount $errors $theirErrors | Should -BeNullOrEmpty
    }

    It 'sorts by time and gives each call its share' {
        $rows = @(Start-TracedProcess -- sh -c 'ls -la /usr/share >/dev/null' | Measure-SyscallEvent)
        $rows.Count | Should -BeGreaterThan 10
        $rows.TotalTime | Should -BeExactly @($rows.TotalTime | Sort-Object -Descending)
        $total = ($rows | Measure-Object PercentTime -Sum).Sum
        $total | Should -BeGreaterThan 99
        $total | Should -BeLessThan 101
        # Integer division, as strace -c computes usecs/call.
        $rows[0].AverageTime.Ticks | Should -Be ([Math]::Floor($rows[0].TotalTime.Ticks / $rows[0].Calls))
        $rows[0].MinTime | Should -Not -BeGreaterThan $rows[0].MaxTime
    }

    It 'reads files with -Path and groups by process with -By ProcessId' {
        $file = "$TestDrive/t.jsonl"
        $null = Start-TracedProcess -OutFile $file -- sh -c 'cat /etc/hostname > /dev/null'
        $fromFile = @(Measure-SyscallEvent $file)
        $fromPipe = @(Get-SyscallEvent $file | Measure-SyscallEvent)
        $fromFile | Should -HaveCount $fromPipe.Count
        $byProcess = @(Measure-SyscallEvent -Path $file -By ProcessId)
        $processes = @($byProcess | Group-Object ProcessId)
        $processes | Should -HaveCount 2
        $byProcess.ProcessName | Should -Contain 'cat'
        ($byProcess | Measure-Object Calls -Sum).Sum | Should -Be ($fromFile | Measure-Object Calls -Sum).Sum
    }

    It 'summarises strace''s own log of a run as strace -c does' {
        $null = Invoke-Strace -StraceOption '-f', '-o', "$TestDrive/strace.log" cat /etc/hostname /nonexistent
        $calls = @{}; Measure-SyscallEvent "$TestDrive/strace.log" | ForEach-Object { $calls[$_.Name] = $_.Calls }
        Compare-SyscallCount $calls (Get-StraceCount cat /etc/hostname /nonexistent) | Should -BeNullOrEmpty
    }
}
