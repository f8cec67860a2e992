# strace's output options as Start-TracedProcess and Export-SyscallEvent offer them: -i
# (InstructionPointer), -r/-t/-ttt (RelativeTime, -TimestampFormat), -e read=/write= (-HexDumpRead,
# -HexDumpWrite, HexDump). strace 6.1 is the oracle.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
}

Describe 'strace output options' {
    Context '-i: InstructionPointer' {
        It 'gives each call the address strace -i prints (address randomisation off on both sides)' {
            $log = Join-Path $TestDrive 'ip.strace'
            $null = Invoke-Strace -StraceOption '-f', '-qq', '-i', '-o', $log setarch x86_64 -R cat /etc/hostname
            $theirs = @(Get-Content -LiteralPath $log | ForEach-Object {
                    if ($_ -match '^\d+ +\[([0-9a-f]{16})\] (\w+)\(') { "$($Matches[2]) $($Matches[1])" } })
            $ours = @(Start-TracedProcess -CaptureOutput setarch x86_64 -R cat /etc/hostname 6>$null |
                Where-Object EventType -eq Syscall | ForEach-Object { '{0} {1:x16}' -f $_.Name, $_.InstructionPointer })
            # after cat's own execve, which setarch's randomised code makes
            $theirs = $theirs[([array]::FindLastIndex([string[]]$theirs, [Predicate[string]] { $args[0] -like 'execve *' }) + 1)..($theirs.Count - 1)]
            $ours = $ours[([array]::FindLastIndex([string[]]$ours, [Predicate[string]] { $args[0] -like 'execve *' }) + 1)..($ours.Count - 1)]
            $theirs.Count | Should -BeGreaterThan 20
            $ours | Should -Be $theirs
        }
    }

    Context '-r, -t, -ttt: RelativeTime and -TimestampFormat' {
        It 'writes strace -r -i prefixes that Get-SyscallEvent reads back to the same RelativeTime and InstructionPointer' {
            $events = @(Start-TracedProcess -CaptureOutput cat /etc/hostname 6>$null)
            $events[0].RelativeTime | Should -Be ([timespan]::Zero)
            @($events | Where-Object RelativeTime -gt 0).Count | Should -BeGreaterThan 10
            $path = Join-Path $TestDrive 'relative.txt'
            $events | Export-SyscallEvent $path -TimestampFormat Relative -IncludeInstructionPointer
            $lines = @(Get-Content -LiteralPath $path)
            $lines | Should -HaveCount $events.Count
            foreach ($line in $lines) { $line | Should -Match '^\d+ +\d+\.\d{6} \[([0-9a-f]{16}|\?{16})\] ' }
            $back = @(Get-SyscallEvent $path)
            $back.RelativeTime | Should -Be $events.RelativeTime
            ($back | Where-Object EventType -eq Syscall).InstructionPointer | Should -Be ($events | Where-Object EventType -eq Syscall).InstructionPointer
        }

        It 'records an -OutFile of strace -r -i -k text that reads back to the same events' {
            $path = Join-Path $TestDrive 'out.txt'
            $events = @(Start-TracedProcess -CaptureOutput -OutFile $path -TimestampFormat Relative -IncludeInstructionPointer -StackTrace cat /etc/hostname 6>$null)
            Get-Content -LiteralPath $path -TotalCount 1 | Should -Match '^\d+ +0\.000000 \[[0-9a-f]{16}\] execve\('
            $back = @(Get-SyscallEvent $path)
            $back.Count | Should -Be $events.Count
            $back.RelativeTime | Should -Be $events.RelativeTime
            $calls = @($events | Where-Object EventType -eq Syscall)
            $backCalls = @($back | Where-Object EventType -eq Syscall)
            $backCalls.InstructionPointer | Should -Be $calls.InstructionPointer
            $backCalls.StackTrace | Should -Be $calls.StackTrace
        }

        It 'writes -ttt times that read back to the microsecond' {
            $events = @(Start-TracedProcess -CaptureOutput cat /etc/hostname 6>$null)
            $path = Join-Path $TestDrive 'epoch.txt'
            $events | Export-SyscallEvent $path -TimestampFormat UnixTime
            Get-Content -LiteralPath $path -TotalCount 1 | Should -Match '^\d+ +\d{10}\.\d{6} execve\('
            (Get-SyscallEvent $path).Timestamp | Should -Be $events.Timestamp
        }
    }

    Context '-e read= / -e write=: HexDump' {
        It 'dumps what strace -e write=1 dumps, and only for descriptor 1' {
            $script = 'printf "hello\tworld, a line longer than sixteen bytes\n"; ls /nonexistent-pssyscall'
            $log = Join-Path $TestDrive 'write.strace'
            $null = Invoke-Strace -StraceOption '-f', '-qq', '-e', 'trace=write', '-e', 'write=1', '-o', $log sh -c $script
            # one entry per write: its dump lines, or '' for a write strace did not dump
            $theirs = @()
            foreach ($line in Get-Content -LiteralPath $log) {
                if ($line -like ' | *') { $theirs[-1] = ($theirs[-1] ? $theirs[-1] + "`n" : '') + $line }
                elseif ($line -match '^\d+ +write\(') { $theirs += '' }
            }
            $ours = @(Start-TracedProcess -CaptureOutput -Name write -HexDumpWrite 1 sh -c $script 6>$null |
                Where-Object EventType -eq Syscall)
            $ours.Count | Should -BeGreaterThan 1
            @($ours | ForEach-Object { [string]$_.HexDump }) | Should -Be $theirs
            $ours[0].HexDump | Should -Match 'hello\.world'
            $toStderr = @($ours | Where-Object Fd -eq 2)
            $toStderr.Count | Should -BeGreaterThan 0
            foreach ($call in $toStderr) { $call.HexDump | Should -BeNullOrEmpty }   # descriptor 2 was not asked for
        }

        It 'keeps HexDump through strace text, Export-Clixml and Export-Csv' {
            $events = @(Start-TracedProcess -CaptureOutput -HexDumpRead * cat /etc/hostname 6>$null)
            $dumped = @($events | Where-Object HexDump)
            $dumped.Count | Should -BeGreaterThan 0
            foreach ($format in 'txt', 'csv', 'jsonl') {
                $path = Join-Path $TestDrive "dump.$format"
                $events | Export-SyscallEvent $path
                @(Get-SyscallEvent $path | Where-Object HexDump).HexDump | Should -Be $dumped.HexDump -Because "$format keeps it"
            }
            $xml = Join-Path $TestDrive 'dump.clixml'
            $events | Export-Clixml $xml
            @(Import-Clixml $xml | Where-Object HexDump).HexDump | Should -Be $dumped.HexDump
        }

        It 'refuses a descriptor set that is not numbers or *' {
            { Start-TracedProcess -HexDumpRead 'stdin' true } | Should -Throw -ErrorId 'InvalidDescriptorSet,PSSyscall.Commands.StartTracedProcessCommand'
        }
    }
}

Describe 'strace -yy: -FdDecoding' {
    It 'annotates a device with its numbers and a connected UNIX pair with its peers, as strace -yy' {
        $script = 'exec 3<>/dev/null; echo hi >&3'
        $log = Join-Path $TestDrive 'yy.strace'
        $null = Invoke-Strace -StraceOption '-f', '-qq', '-yy', '-e', 'trace=write', '-o', $log sh -c $script
        $theirs = @(Get-Content -LiteralPath $log | ForEach-Object { ($_ -replace '^\d+ +', '') -replace ' +=', ' =' })
        $ours = @(Start-TracedProcess -CaptureOutput -FdDecoding All -Name write sh -c $script 6>$null | Where-Object EventType -eq Syscall |
            ForEach-Object { "$($_.Name)($($_.Arguments)) = $($_.Result)" })
        $ours | Should -Be ($theirs -replace ' <[\d.]+>$', '')
        $ours[0] | Should -BeLike 'write(1</dev/null<char 1:3>>*'   # dash moves the file to descriptor 1
    }

    It 'shows strace -y links without it' {
        $ours = @(Start-TracedProcess -CaptureOutput -Name write sh -c 'exec 3<>/dev/null; echo hi >&3' 6>$null | Where-Object EventType -eq Syscall)
        $ours[0].Arguments | Should -BeLike '1</dev/null>,*'
    }
}

Describe 'strace -k: -StackTrace' {
    It 'gives each write the frames strace -k prints for it' {
        $script = 'echo one; echo two'
        $log = Join-Path $TestDrive 'k.strace'
        $null = Invoke-Strace -StraceOption '-f', '-qq', '-k', '-e', 'trace=write', '-o', $log sh -c $script
        $theirs = @()
        foreach ($line in Get-Content -LiteralPath $log) {
            if ($line -like ' > *') { $theirs[-1] += "`n" + $line.Substring(3) }
            elseif ($line -match '^\d+ +write\(') { $theirs += 'write' }
        }
        $ours = @(Start-TracedProcess -CaptureOutput -StackTrace -Name write sh -c $script 6>$null |
            Where-Object EventType -eq Syscall | ForEach-Object { "write`n$($_.StackTrace)" })
        $ours | Should -HaveCount 2
        $ours[0] | Should -Match 'libc\.so\.6\(__write\+0x[0-9a-f]+\) \[0x[0-9a-f]+\]'
        $ours | Should -Be $theirs
    }

    It 'keeps StackTrace through strace text and Export-Clixml' {
        $events = @(Start-TracedProcess -CaptureOutput -StackTrace -Name write sh -c 'echo one' 6>$null | Where-Object EventType -eq Syscall)
        $path = Join-Path $TestDrive 'k.txt'
        $events | Export-SyscallEvent $path
        (Get-Content -LiteralPath $path | Where-Object { $_ -like ' > *' }).Count | Should -BeGreaterThan 2
        (Get-SyscallEvent $path).StackTrace | Should -Be $events.StackTrace
        $xml = Join-Path $TestDrive 'k.clixml'
        $events | Export-Clixml $xml
        (Import-Clixml $xml).StackTrace | Should -Be $events.StackTrace
    }
}
