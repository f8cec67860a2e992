# Export-SyscallEvent: record traces to JSON Lines, CSV or strace text, and read them back.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:dir = New-TestDirectory
}

AfterAll {
    Remove-TestDirectory $script:dir
}

Describe 'Export-SyscallEvent' {
    It 'writes a <Format> file that Get-SyscallEvent reads back event for event' -TestCases @(
        @{ Format = 'JsonLines' }
        @{ Format = 'Csv' }
        @{ Format = 'Strace' }
    ) {
        param($Format)
        $file = "$script:dir/roundtrip.$Format"
        $live = Start-TracedProcess -- sh -c 'cat /etc/hostname > /dev/null; exit 2' | Export-SyscallEvent $file -Format $Format -PassThru
        $read = Get-SyscallEvent $file
        $read | Should -HaveCount $live.Count
        for ($i = 0; $i -lt $live.Count; $i++) {
            $read[$i].GetType() | Should -Be $live[$i].GetType()
            $read[$i].ThreadId | Should -Be $live[$i].ThreadId
            if ($live[$i] -is [PSSyscall.SyscallEvent]) {
                $read[$i].Name | Should -BeExactly $live[$i].Name
                $read[$i].Result | Should -BeExactly $live[$i].Result
            }
        }
        @($read | Where-Object EventType -eq Exit | Where-Object ExitCode -eq 2) | Should -HaveCount 1
    }

    It 'keeps every property exactly in JSON Lines, to the tick' {
        $file = "$script:dir/exact.jsonl"
        $live = Start-TracedProcess cat /etc/hostname /nonexistent 2>$null | Export-SyscallEvent $file -PassThru
        $read = Get-SyscallEvent $file
        for ($i = 0; $i -lt $live.Count; $i++) {
            foreach ($property in $live[$i].PSObject.Properties) {
                $read[$i].($property.Name) | Should -Be $property.Value -Because "event $i's $($property.Name)"
            }
            $read[$i].Timestamp.Ticks | Should -Be $live[$i].Timestamp.Ticks
            $read[$i].Timestamp.Kind | Should -Be $live[$i].Timestamp.Kind
        }
    }

    It 'starts a JSON Lines file with a header naming the format, command, host and start time' {
        $file = "$script:dir/header.jsonl"
        Start-TracedProcess /bin/true | Export-SyscallEvent $file
        $header = [System.Text.Json.JsonDocument]::Parse([System.IO.File]::ReadAllLines($file)[0]).RootElement
        $header.GetProperty('Format').GetString() | Should -BeExactly 'PSSyscall.TraceEvents'
        $header.GetProperty('Version').GetInt32() | Should -Be 1
        $header.GetProperty('Command').GetString() | Should -Match 'Start-TracedProcess /bin/true'
        $header.GetProperty('Host').GetString() | Should -BeExactly ([System.Environment]::MachineName)
        $header.GetProperty('StartTime').GetDateTime() | Should -BeLessThan ([datetime]::Now)
    }

    It 'quotes CSV as Export-Csv does: a header row, every field quoted, no #TYPE line' {
        $file = "$script:dir/quoted.csv"
        Start-TracedProcess /bin/true | Export-SyscallEvent $file
        $lines = [System.IO.File]::ReadAllLines($file)
        $lines[0] | Should -Match '^"EventType","Name","Number","Architecture","Arguments",'
        $lines[1] | Should -Match '^"Syscall","execve","59","X86_64",'
        $lines | Should -Not -Contain '#TYPE PSSyscall.SyscallEvent'
    }

    It 'writes strace -f -tt -T -y style text' {
        $file = "$script:dir/trace.txt"
        Start-TracedProcess /bin/true | Export-SyscallEvent $file
        $lines = [System.IO.File]::ReadAllLines($file)
        $lines[0] | Should -Match '^\d+ +\d\d:\d\d:\d\d\.\d{6} execve\(.*\) += 0 <\d+\.\d{6}>$'
        $lines[-1] | Should -Match '^\d+ +\d\d:\d\d:\d\d\.\d{6} \+\+\+ exited with 0 \+\+\+$'
    }

    It 'appends with -Append, without a second header' {
        $file = "$script:dir/append.jsonl"
        $first = @(Start-TracedProcess /bin/true | Export-SyscallEvent $file -PassThru).Count
        $second = @(Start-TracedProcess /bin/true | Export-SyscallEvent $file -Append -PassThru).Count
        @(Get-SyscallEvent $file) | Should -HaveCount ($first + $second)
        @([System.IO.File]::ReadAllLines($file) | Where-Object { $_.StartsWith('{"Format"') }) | Should -HaveCount 1
    }

    It 'fails clearly when the file cannot be written' {
        { Start-TracedProcess /bin/true | Export-SyscallEvent /nonexistent-dir/x.jsonl } | Should -Throw -ErrorId 'TraceFileNotWritable*'
    }
}

Describe 'Start-TracedProcess -OutFile and -Summary' {
    It 'records to -OutFile what it writes to the pipeline' {
        $file = "$script:dir/outfile.jsonl"
        $live = Start-TracedProcess -OutFile $file cat /etc/hostname
        $read = Get-SyscallEvent $file
        $read | Should -HaveCount $live.Count
        $read[-1].ToString() | Should -BeExactly $live[-1].ToString()
    }

    It 'writes only strace -c''s table with -Summary, counting as strace -f -c does' {
        $rows = Start-TracedProcess -Summary -- sh -c 'cat /etc/hostname; ls /nonexistent; exit 0' 2>$null
        $rows | ForEach-Object { $_ | Should -BeOfType PSSyscall.SyscallSummary }
        $ours = @{}; $rows | ForEach-Object { $ours[$_.Name] = $_.Calls }
        $theirs = Get-StraceCount -- sh -c 'cat /etc/hostname; ls /nonexistent; exit 0'
        $ours.Remove('rt_sigreturn'); $theirs.Remove('rt_sigreturn')
        Compare-SyscallCount $ours $theirs | Should -BeNullOrEmpty
    }
}
