# Start-TracedProcess -Backend Ebpf (issue 17): the same calls as strace and as the ptrace
# backend, the kernel-side filters, the errors and the fallback, losses surfaced, and no BPF
# program left attached after a trace, a pipeline stop, Ctrl+C or the host's death.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1

    function Get-TracedSyscall {
        @(Start-TracedProcess -CaptureOutput @args 6>$null | Where-Object EventType -eq Syscall)
    }

    # The ids of loaded BPF programs that are ours (pss_sys_enter...), from bpftool.
    function Get-OurBpfProgram {
        @(& bpftool prog show --json 2>$null | ConvertFrom-Json | Where-Object { $_.name -like 'pss_*' } | ForEach-Object id)
    }

    # Programs are freed by the kernel shortly after their last descriptor closes (RCU): wait for it.
    function Wait-NoOurBpfProgram {
        param([int] $Seconds = 10)
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ((Get-OurBpfProgram).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Get-OurBpfProgram
    }
}

Describe 'Start-TracedProcess -Backend Ebpf' {
    Context 'the same calls' {
        It 'counts every call as strace -f -c does: <Command>' -ForEach @(
            @{ Command = 'cat'; Arguments = @('/etc/hostname') }
            @{ Command = 'ls'; Arguments = @('-la', '/usr/share/doc') }
        ) {
            $ours = Get-TracedSyscall -Backend Ebpf $Command @Arguments | ConvertTo-SyscallCount
            $theirs = Get-StraceCount $Command @Arguments
            Compare-SyscallCount -Ours $ours -Theirs $theirs | Should -BeNullOrEmpty
        }

        It 'gives the same decoded lines as the ptrace backend for cat' {
            $line = { "$($_.Name)($($_.Arguments)) = $($_.Result)" -replace 'pipe:\[\d+\]', 'pipe:[N]' -replace '0x[0-9a-f]+', '0x?' -replace '= \d{3,}$', '= N' }
            $ebpf = Get-TracedSyscall -Backend Ebpf -StringLimit 64 cat /etc/hostname /etc/os-release | Where-Object Name -notin 'getrandom', 'set_tid_address' | ForEach-Object $line
            $ptrace = Get-TracedSyscall -Backend Ptrace -StringLimit 64 cat /etc/hostname /etc/os-release | Where-Object Name -notin 'getrandom', 'set_tid_address' | ForEach-Object $line
            $ebpf.Count | Should -BeGreaterThan 30
            ($ebpf -join "`n") | Should -BeExactly ($ptrace -join "`n")
            $ebpf[0] | Should -Match '^execve\("/usr/bin/cat", \["cat", "/etc/hostname", "/etc/os-release"\], 0x\? /\* \d+ vars \*/\) = 0$'
        }

        It 'follows a shell pipeline and reports each process''s exit once' {
            $events = @(Start-TracedProcess -Backend Ebpf -CaptureOutput sh -c 'ls / | wc -l; echo done | tr a-z A-Z' 6>$null)
            $exits = @($events | Where-Object EventType -eq Exit)
            $exits.Count | Should -BeGreaterOrEqual 4
            @($exits | Where-Object IsRoot).Count | Should -Be 1
            @($exits.ProcessId | Sort-Object -Unique).Count | Should -Be $exits.Count
            @($events | Where-Object { $_.EventType -eq 'Syscall' -and $_.Name -eq 'execve' }).Count | Should -BeGreaterOrEqual 4
        }
    }

    Context 'filters in the kernel' {
        It '-Name openat reports only openat, as many as strace counts' {
            $ours = Get-TracedSyscall -Backend Ebpf -Name openat cat /etc/hostname
            $ours.Count | Should -BeGreaterThan 0
            @($ours | Where-Object Name -ne openat) | Should -BeNullOrEmpty
            $ours.Count | Should -Be (Get-StraceCount cat /etc/hostname -Name openat)
        }

        It '-Class and -ExcludeName select what the ptrace backend selects' {
            $ebpf = Get-TracedSyscall -Backend Ebpf -Class File -ExcludeName openat cat /etc/hostname | ConvertTo-SyscallCount
            $ptrace = Get-TracedSyscall -Backend Ptrace -Class File -ExcludeName openat cat /etc/hostname | ConvertTo-SyscallCount
            $ebpf.ContainsKey('openat') | Should -BeFalse
            Compare-SyscallCount -Ours $ebpf -Theirs $ptrace | Should -BeNullOrEmpty
        }

        It '-Failed and -Successful split the calls as strace counts them' {
            $missing = Join-Path $TestDrive 'no-such-file'
            $failed = Get-TracedSyscall -Backend Ebpf -Failed cat $missing
            $ok = Get-TracedSyscall -Backend Ebpf -Successful cat $missing
            @($failed | Where-Object { $null -eq $_.Errno }).Count | Should -Be 0
            @($ok | Where-Object { $null -ne $_.Errno }).Count | Should -Be 0
            $failed.Count | Should -Be ((Get-StraceCount cat $missing -Errors).Values | Measure-Object -Sum).Sum
            ($failed.Count + @($ok | Where-Object { -not $_.Unfinished }).Count) | Should -Be ((Get-StraceCount cat $missing).Values | Measure-Object -Sum).Sum
        }
    }

    Context 'what it cannot do' {
        It 'refuses -Inject with a clear error' {
            { Start-TracedProcess -Backend Ebpf -Inject (New-SyscallFault openat -Errno ENOENT) cat /etc/hostname } |
                Should -Throw -ErrorId 'EbpfUnavailable,PSSyscall.Commands.StartTracedProcessCommand'
        }

        It 'falls back to ptrace with -Backend Auto and -Inject, and says so with -Verbose' {
            $verbose = Start-TracedProcess -Backend Auto -Inject (New-SyscallFault openat -Errno ENOENT -Occurrence 1) -CaptureOutput -Verbose cat /etc/hostname 4>&1 6>$null |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'Backend: ptrace: faults \(-Inject\)'
        }

        It 'refuses what needs a stopped thread (-StackTrace, -Status) and names it' {
            { Start-TracedProcess -Backend Ebpf -StackTrace cat /etc/hostname } |
                Should -Throw -ErrorId 'EbpfUnavailable,PSSyscall.Commands.StartTracedProcessCommand' -ExpectedMessage '*-StackTrace*'
            { Start-TracedProcess -Backend Ebpf -Status Unfinished cat /etc/hostname } |
                Should -Throw -ErrorId 'EbpfUnavailable,PSSyscall.Commands.StartTracedProcessCommand' -ExpectedMessage '*-Status*'
        }

        It 'uses ptrace with -Backend Auto for hex dumps, which then are there' {
            $out = Start-TracedProcess -Backend Auto -HexDumpWrite 1 -Verbose sh -c 'printf hello' 4>&1 6>$null
            $verbose = $out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'Backend: ptrace: hex dumps'
            $write = @($out | Where-Object { $_ -is [PSSyscall.SyscallEvent] -and $_.Name -eq 'write' -and $_.Argument0 -eq 1 })
            $write.Count | Should -Be 1
            $write[0].HexDump | Should -Match 'hello'
        }

        It 'uses eBPF with -Backend Auto for a started command with -Name too, filtered in the kernel' {
            $out = Start-TracedProcess -Backend Auto -Name openat -CaptureOutput -Verbose cat /etc/hostname 4>&1 6>$null
            $verbose = $out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'Backend: eBPF'
            $calls = @($out | Where-Object { $_ -is [PSSyscall.SyscallEvent] })
            $calls.Name | Select-Object -Unique | Should -Be 'openat'
            @($calls | Where-Object Path -eq '/etc/hostname').Count | Should -Be 1
        }

        It 'says with -Verbose that Auto chose eBPF' {
            $verbose = Start-TracedProcess -Backend Auto -CaptureOutput -Verbose true 4>&1 6>$null | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'Backend: eBPF'
        }
    }

    Context 'nothing lost silently' {
        It 'warns and counts on the summary when a tiny ring drops events' {
            $rows = @(Start-TracedProcess -Backend Ebpf -BufferSize 4096 -Summary -CaptureOutput ls -laR /usr/share/doc 3>&1 6>$null)
            $warning = @($rows | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $summary = @($rows | Where-Object { $_ -is [PSSyscall.SyscallSummary] })
            $warning.Count | Should -Be 1
            $warning[0].Message | Should -Match '^\d+ event\(s\) were lost: the eBPF ring buffer \(4 KiB\)'
            $lost = [long]($warning[0].Message -split ' ')[0]
            $lost | Should -BeGreaterThan 0
            $summary.Count | Should -BeGreaterThan 0
            @($summary | Where-Object LostEvents -ne $lost) | Should -BeNullOrEmpty
        }

        It 'loses nothing when 8 threads outrun the pipeline (the reader buffers, the ring does not fill)' {
            $source = Join-Path $TestDrive 'busy.c'
            $program = Join-Path $TestDrive 'busy'
            Set-Content -LiteralPath $source -Value @'
#include <pthread.h>
#include <unistd.h>
#include <sys/syscall.h>
static void *work(void *arg) { (void)arg; for (int i = 0; i < 25000; i++) syscall(SYS_getppid); return 0; }
int main(void) {
    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], 0, work, 0);
    for (int i = 0; i < 8; i++) pthread_join(t[i], 0);
    return 0;
}
'@
            & gcc -O1 -pthread -o $program $source
            $LASTEXITCODE | Should -Be 0
            $getppid = 0
            $warnings = @(Start-TracedProcess -Backend Ebpf $program 3>&1 | ForEach-Object {
                    if ($_ -is [System.Management.Automation.WarningRecord]) { $_ }
                    elseif ($_.Name -eq 'getppid') { $getppid++ }
                })
            $warnings | Should -BeNullOrEmpty
            $getppid | Should -Be 200000
        }

        It 'loses nothing with the default ring' {
            $rows = @(Start-TracedProcess -Backend Ebpf -Summary -CaptureOutput ls -laR /usr/share/doc 3>&1 6>$null)
            @($rows | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
            @($rows | Where-Object { $_ -is [PSSyscall.SyscallSummary] -and $_.LostEvents -ne 0 }) | Should -BeNullOrEmpty
        }
    }

    Context 'attach' {
        It 'traces a running process with -Id until it ends' {
            $sleeper = Start-BackgroundProcess sh -c 'sleep 1; cat /etc/hostname > /dev/null'
            try {
                $events = @(Start-TracedProcess -Backend Ebpf -Id $sleeper)
                @($events | Where-Object { $_.EventType -eq 'Syscall' -and $_.Name -eq 'openat' -and $_.Path -eq '/etc/hostname' }).Count | Should -Be 1
                @($events | Where-Object { $_.EventType -eq 'Exit' -and $_.ProcessId -eq $sleeper }).Count | Should -Be 1
            }
            finally {
                Stop-TestProcess $sleeper
            }
        }
    }

    Context 'no BPF program left attached' {
        BeforeAll {
            Wait-NoOurBpfProgram | Should -BeNullOrEmpty -Because 'no trace runs before these tests'
        }

        It 'after a trace' {
            Start-TracedProcess -Backend Ebpf -CaptureOutput true 6>$null | Out-Null
            Wait-NoOurBpfProgram | Should -BeNullOrEmpty
        }

        It 'detached at once when the trace returns: no link of its programs is left' {
            $during = @{}
            Start-TracedProcess -Backend Ebpf -CaptureOutput sh -c 'sleep 0.3' 6>$null | ForEach-Object {
                if ($during.Count -eq 0) { foreach ($id in Get-OurBpfProgram) { $during[[int]$id] = $true } }
            }
            $during.Count | Should -BeGreaterThan 0 -Because 'the programs were loaded while the trace ran'
            $links = @(& bpftool link show --json 2>$null | ConvertFrom-Json | Where-Object { $during.ContainsKey([int]$_.prog_id) })
            $links | Should -BeNullOrEmpty -Because 'the links close before Start-TracedProcess returns (the kernel frees the programs themselves an RCU grace period later)'
            Wait-NoOurBpfProgram | Should -BeNullOrEmpty
        }

        It 'after a downstream stop (Select-Object -First 1), with the command killed' {
            $marker = "ebpf-stop-$([guid]::NewGuid().ToString('N'))"
            $first = Start-TracedProcess -Backend Ebpf sh -c "sleep 30; : $marker" | Select-Object -First 1
            $first.Name | Should -Be 'execve'
            Wait-NoOurBpfProgram | Should -BeNullOrEmpty
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-LiveProcessWithArgument $marker).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Get-LiveProcessWithArgument $marker | Should -BeNullOrEmpty
        }

        It 'after Ctrl+C (StopProcessing) in a runspace' {
            $marker = "ebpf-ctrlc-$([guid]::NewGuid().ToString('N'))"
            $ps = [PowerShell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$(Get-ModuleManifestPath)'; Start-TracedProcess -Backend Ebpf sh -c 'sleep 30; : $marker' | Out-Null")
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while ((Get-OurBpfProgram).Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                (Get-OurBpfProgram).Count | Should -BeGreaterThan 0 -Because 'the trace is running'
                $ps.Stop()
                $async.IsCompleted | Should -BeTrue
            }
            finally {
                $ps.Dispose()
            }
            Wait-NoOurBpfProgram | Should -BeNullOrEmpty
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-LiveProcessWithArgument $marker).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Get-LiveProcessWithArgument $marker | Should -BeNullOrEmpty
        }

        It 'after the host dies' {
            $marker = "ebpf-host-$([guid]::NewGuid().ToString('N'))"
            $script = "Import-Module '$(Get-ModuleManifestPath)'; Start-TracedProcess -Backend Ebpf sh -c 'sleep 60; : $marker' | Out-Null"
            $pwsh = @(Get-PwshPath)
            $host_ = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + '-NoProfile', '-NonInteractive', '-Command', $script) -PassThru
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-OurBpfProgram).Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            (Get-OurBpfProgram).Count | Should -BeGreaterThan 0 -Because 'the trace is running'
            Assert-HostDeathEndsAll -HostProcess $host_ -Marker $marker
            Wait-NoOurBpfProgram | Should -BeNullOrEmpty
        }
    }
}
