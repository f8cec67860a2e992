# Measure-SyscallEvent: strace -c's table from events or files.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:dir = New-TestDirectory
}

AfterAll {
    Remove-TestDirectory $script:dir
}

Describe 'Measure-SyscallEvent' {
    It 'counts calls and errors as strace -f -c does for <Command>' -TestCases @(
        @{ Command = 'cat with a missing file'; Arguments = @('cat', '/etc/hostname', '/nonexistent') }
        @{ Command = 'a shell running two commands'; Arguments = @('sh', '-c', 'cat /etc/hostname; ls /nonexistent; exit 0') }
    ) {
        param($Command, $Arguments)
        $rows = Start-TracedProcess -- @Arguments 2>$null | Measure-SyscallEvent
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
        $rows = @(Start-TracedProcess ls -la /usr/share 2>$null | Measure-SyscallEvent)
        for ($i = 1; $i -lt $rows.Count; $i++) { $rows[$i].TotalTime | Should -Not -BeGreaterThan $rows[$i - 1].TotalTime }
        $total = 0.0; $rows | ForEach-Object { $total += $_.PercentTime }
        $total | Should -BeGreaterThan 99
        $total | Should -BeLessThan 101
        # Integer division, as strace -c computes usecs/call.
        $rows[0].AverageTime.Ticks | Should -Be ([Math]::Floor($rows[0].TotalTime.Ticks / $rows[0].Calls))
        $rows[0].MinTime | Should -Not -BeGreaterThan $rows[0].MaxTime
    }

    It 'reads files with -Path and groups by process with -By ProcessId' {
        $file = "$script:dir/t.jsonl"
        $null = Start-TracedProcess -OutFile $file -- sh -c 'cat /etc/hostname > /dev/null'
        $fromFile = @(Measure-SyscallEvent $file)
        $fromPipe = @(Get-SyscallEvent $file | Measure-SyscallEvent)
        $fromFile | Should -HaveCount $fromPipe.Count
        $byProcess = @(Measure-SyscallEvent -Path $file -By ProcessId)
        $pids = @{}; $byProcess | ForEach-Object { $pids[$_.ProcessId] = $_.ProcessName }
        $pids.Count | Should -Be 2
        $pids.Values | Should -Contain 'cat'
        $sum = 0; $byProcess | ForEach-Object { $sum += $_.Calls }
        $all = 0; $fromFile | ForEach-Object { $all += $_.Calls }
        $sum | Should -Be $all
    }

    It 'summarises strace''s own log of a run as strace -c does' {
        $null = & strace -f -o "$script:dir/strace.log" -- cat /etc/hostname /nonexistent 2>$null
        $calls = @{}; Measure-SyscallEvent "$script:dir/strace.log" | ForEach-Object { $calls[$_.Name] = $_.Calls }
        Compare-SyscallCount $calls (Get-StraceCount cat /etc/hostname /nonexistent) | Should -BeNullOrEmpty
    }
}
