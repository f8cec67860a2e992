# Bad input costs only itself: each cmdlet (Invoke-Sandboxed has its own table) given wrong, huge,
# endless or hostile input answers with the module's ErrorRecord (its whole id and category), never
# a raw .NET exception, a hang or a process left behind. Each case runs in its own runspace with a
# time bound; endless input (FIFOs) is stopped as Ctrl+C stops it.

BeforeDiscovery {
    # Files the cases name are made in BeforeAll under $dir; '{dir}' stands for it here.
    $script:cases = @(
        # Get-SyscallEvent
        @{ Case = 'Get-SyscallEvent -Name ''['' {dir}/good.log'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SyscallEvent -AccessedPath ''['' {dir}/good.log'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SyscallEvent -ProcessId 0 {dir}/good.log'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SyscallEvent -Failed -Successful {dir}/good.log'; Id = 'ContradictoryFilters,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidArgument' }
        @{ Case = 'Get-SyscallEvent {dir}/missing.log'; Id = 'TraceFileNotFound,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'ObjectNotFound' }
        @{ Case = 'Get-SyscallEvent -LiteralPath /proc/self/mem'; Id = 'TraceFileUnreadable,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'ReadError' }
        @{ Case = 'Get-SyscallEvent -LiteralPath /dev/zero'; Id = 'NotATraceFile,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SyscallEvent -LiteralPath {dir}'; Id = 'TraceFileUnreadable,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'ReadError' }
        @{ Case = 'Get-SyscallEvent {dir}/prose.txt'; Id = 'NotATraceFile,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SyscallEvent {dir}/forged.log'; Id = 'MalformedTraceLine,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SyscallEvent {dir}/unclosed.csv'; Id = 'MalformedTraceLine,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SyscallEvent Env:PATH'; Id = 'NotFileSystemPath,PSSyscall.Commands.GetSyscallEventCommand'; Category = 'InvalidArgument' }
        # Measure-SyscallEvent
        @{ Case = 'Measure-SyscallEvent {dir}/missing.log'; Id = 'TraceFileNotFound,PSSyscall.Commands.MeasureSyscallEventCommand'; Category = 'ObjectNotFound' }
        @{ Case = 'Measure-SyscallEvent -LiteralPath /proc/self/mem'; Id = 'TraceFileUnreadable,PSSyscall.Commands.MeasureSyscallEventCommand'; Category = 'ReadError' }
        @{ Case = 'Measure-SyscallEvent -By Thread {dir}/good.log'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.MeasureSyscallEventCommand'; Category = 'InvalidData' }
        # Export-SyscallEvent and Export-SeccompFilter
        @{ Case = '[PSSyscall.SyscallEvent]::new() | Export-SyscallEvent /proc/none/trace.jsonl'; Id = 'TraceFileNotWritable,PSSyscall.Commands.ExportSyscallEventCommand'; Category = 'WriteError' }
        @{ Case = '[PSSyscall.SyscallEvent]::new() | Export-SyscallEvent '''''; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.ExportSyscallEventCommand'; Category = 'InvalidData' }
        @{ Case = '[PSSyscall.SyscallEvent]::new() | Export-SyscallEvent {dir}/noreader.fifo'; Id = 'TraceFileNotWritable,PSSyscall.Commands.ExportSyscallEventCommand'; Category = 'WriteError' }
        @{ Case = 'New-SeccompFilter -Allow read | Export-SeccompFilter -Path /proc/none/filter.json'; Id = 'ExportFailed,PSSyscall.Commands.ExportSeccompFilterCommand'; Category = 'WriteError' }
        @{ Case = 'New-SeccompFilter -Allow read | Export-SeccompFilter -Path {dir}/noreader.fifo -Force'; Id = 'ExportFailed,PSSyscall.Commands.ExportSeccompFilterCommand'; Category = 'WriteError' }
        # New-SeccompFilter
        @{ Case = 'New-SeccompFilter -Path {dir}/sparse.json'; Id = 'ProfileTooLarge,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'LimitsExceeded' }
        @{ Case = 'New-SeccompFilter -Path /dev/zero'; Id = 'ProfileTooLarge,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'LimitsExceeded' }
        @{ Case = 'New-SeccompFilter -Path {dir}/errno.json'; Id = 'InvalidProfile,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompFilter -Path {dir}/arch.json'; Id = 'InvalidProfile,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompFilter -Path {dir}/prose.txt'; Id = 'InvalidProfile,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompFilter -Path /proc/self/mem'; Id = 'ProfileNotReadable,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'ReadError' }
        @{ Case = 'New-SeccompFilter -Path {dir}/missing.json'; Id = 'ProfileNotFound,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'ObjectNotFound' }
        @{ Case = 'New-SeccompFilter -Path {dir}'; Id = 'ProfileNotReadable,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'ReadError' }
        @{ Case = 'New-SeccompFilter -Capability CAP_BOGUS -Allow read'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompFilter -ErrorNumber EBOGUS -Deny read'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompFilter -DefaultAction Bogus'; Id = 'UnknownAction,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidArgument' }
        @{ Case = 'New-SeccompFilter -Allow nonexistentcall'; Id = 'UnknownSyscall,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'ObjectNotFound' }
        @{ Case = 'New-SeccompFilter -Rule $null'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompFilter -Allow '''''; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompFilter -Architecture Bogus'; Id = 'CannotConvertArgumentNoMessage,PSSyscall.Commands.NewSeccompFilterCommand'; Category = 'InvalidArgument' }
        # New-SeccompRule, Test-SeccompFilter, Get-SeccompGroup
        @{ Case = 'New-SeccompRule read Errno -ErrorNumber 5000'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSeccompRuleCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SeccompRule read Errno -Condition garbage'; Id = 'InvalidCondition,PSSyscall.Commands.NewSeccompRuleCommand'; Category = 'InvalidArgument' }
        @{ Case = 'New-SeccompRule read ''Errno(99999)'''; Id = 'UnknownAction,PSSyscall.Commands.NewSeccompRuleCommand'; Category = 'InvalidArgument' }
        @{ Case = 'Test-SeccompFilter (New-SeccompFilter -Allow read) -Name nonexistentcall'; Id = 'UnknownSyscall,PSSyscall.Commands.TestSeccompFilterCommand'; Category = 'ObjectNotFound' }
        @{ Case = 'Test-SeccompFilter (New-SeccompFilter -Allow read) -Name read -Argument 1,2,3,4,5,6,7'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.TestSeccompFilterCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SeccompGroup -Name ''['''; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.GetSeccompGroupCommand'; Category = 'InvalidData' }
        @{ Case = 'Get-SeccompGroup -Syscall nonexistentcall'; Id = 'UnknownSyscall,PSSyscall.Commands.GetSeccompGroupCommand'; Category = 'ObjectNotFound' }
        # New-SyscallFault
        @{ Case = 'New-SyscallFault read -Errno EIO -PathLike ''['''; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SyscallFault read -Errno EBOGUS'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SyscallFault read -Signal SIGBOGUS'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SyscallFault read -Errno EIO -Probability 2'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SyscallFault read -Errno EIO -ProcessId -5'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'InvalidData' }
        @{ Case = 'New-SyscallFault read -DelayEntry ([timespan]::FromSeconds(-1))'; Id = 'InvalidDelay,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'InvalidArgument' }
        @{ Case = 'New-SyscallFault read -Errno EIO -Occurrence x..y'; Id = 'InvalidOccurrence,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'InvalidArgument' }
        @{ Case = 'New-SyscallFault nonexistentcall -Errno EIO'; Id = 'UnknownSyscall,PSSyscall.Commands.NewSyscallFaultCommand'; Category = 'ObjectNotFound' }
        # Start-TracedProcess (validation only: its argument binding is being rewritten)
        @{ Case = 'Start-TracedProcess -Id -1'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.StartTracedProcessCommand'; Category = 'InvalidData' }
        @{ Case = 'Start-TracedProcess -Id 2147483647'; Id = 'ProcessNotFound,PSSyscall.Commands.StartTracedProcessCommand'; Category = 'ObjectNotFound' }
        @{ Case = 'Start-TracedProcess /nonexistent/command'; Id = 'CommandNotFound,PSSyscall.Commands.StartTracedProcessCommand'; Category = 'ObjectNotFound' }
        @{ Case = 'Start-TracedProcess -Name ''['' /bin/true'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.StartTracedProcessCommand'; Category = 'InvalidData' }
        @{ Case = 'Start-TracedProcess -StringLimit -1 /bin/true'; Id = 'ParameterArgumentValidationError,PSSyscall.Commands.StartTracedProcessCommand'; Category = 'InvalidData' }
        @{ Case = 'Start-TracedProcess -Class Bogus /bin/true'; Id = 'UnknownSyscallClass,PSSyscall.Commands.StartTracedProcessCommand'; Category = 'InvalidArgument' }
        @{ Case = 'Start-TracedProcess -OutFile /proc/none/trace.jsonl /bin/true'; Id = 'TraceFileNotWritable,PSSyscall.Commands.StartTracedProcessCommand'; Category = 'WriteError' }
    )
}

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1
    $script:dir = $TestDrive
    $script:module = (Get-Module PSSyscall).Path

    Set-Content "$dir/good.log" '1 getpid() = 1'
    Set-Content "$dir/prose.txt" ((1..50) | ForEach-Object { "Line $_ of some prose, not a trace." })
    Set-Content "$dir/forged.log" "1 getpid() = 1`n1 nonexistentcall(1) = 0`n1 99:99:99 getppid() = 0"
    Set-Content "$dir/unclosed.csv" "EventType,Name,ReturnValue`nSyscall,getpid,1`n""Syscall,getpid,2`nSyscall,getppid,3"
    Set-Content "$dir/errno.json" '{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 999999 }'
    Set-Content "$dir/arch.json" '{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": [ "SCMP_ARCH_X86_64", "SCMP_ARCH_BOGUS" ] }'
    # 3 GB that take no disk: a reader that holds a whole file would run out of memory.
    $sparse = [System.IO.File]::Create("$dir/sparse.json")
    $sparse.SetLength(3GB)
    $sparse.Dispose()
    & mkfifo "$dir/noreader.fifo"

    # The processes this pwsh has started: none of a case's may outlive it.
    function Get-ChildProcessId {
        Get-ChildItem /proc -Directory -ErrorAction Ignore | Where-Object Name -Match '^\d+$' | ForEach-Object {
            $stat = Get-Content -LiteralPath "$($_.FullName)/stat" -Raw -ErrorAction Ignore
            if ($stat -and [int]($stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[1]) -eq $PID) { [int]$_.Name }
        }
    }

    # Runs a script in a new runspace with the module; returns its outputs and error records, or
    # stops it (as Ctrl+C does) after $Seconds and says so.
    function Invoke-Bounded([string] $Script, [int] $Seconds = 120, [int] $StopAfterSeconds = 0) {
        $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $state.ImportPSModule($script:module)
        $ps = [powershell]::Create($state)
        try {
            $null = $ps.AddScript($Script)
            $async = $ps.BeginInvoke()
            $wait = if ($StopAfterSeconds -gt 0) { $StopAfterSeconds } else { $Seconds }
            $finished = $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($wait))
            $stopped = $false
            if (-not $finished) {
                $stopped = $true
                $stop = $ps.BeginStop($null, $null)
                if (-not $stop.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($Seconds))) {
                    return [pscustomobject]@{ Hung = $true; Stopped = $true; Output = @(); Errors = @() }
                }
            }
            $output = @()
            $errors = @()
            try {
                $output = @($ps.EndInvoke($async))
            }
            catch [System.Management.Automation.MethodInvocationException] {
                $inner = $_.Exception.InnerException
                if ($inner -is [System.Management.Automation.IContainsErrorRecord] -and $inner -isnot [System.Management.Automation.PipelineStoppedException]) {
                    $errors += $inner.ErrorRecord
                }
            }
            $errors = @($ps.Streams.Error) + $errors
            [pscustomobject]@{ Hung = $false; Stopped = $stopped; Output = $output; Errors = $errors }
        }
        finally {
            $ps.Dispose()
        }
    }

    function New-Fifo([string] $Name) {
        $path = "$script:dir/$Name"
        & mkfifo $path
        $LASTEXITCODE | Should -Be 0
        $path
    }
}

Describe 'Bad input' {
    It '<Case> fails with <Id>' -ForEach $script:cases {
        $before = @(Get-ChildProcessId)
        $result = Invoke-Bounded ($Case -replace '\{dir\}', $script:dir)
        $result.Hung | Should -BeFalse -Because 'every case ends by itself'
        $result.Stopped | Should -BeFalse -Because 'every case ends by itself'
        $result.Errors | Should -Not -BeNullOrEmpty
        $first = $result.Errors[0]
        $first.FullyQualifiedErrorId | Should -BeExactly $Id
        $first.CategoryInfo.Category | Should -Be $Category
        foreach ($e in $result.Errors) {
            # A raw .NET exception reaches the user as an ErrorRecord PowerShell makes up: the
            # exception's type name as id (System.IO.IOException, RuntimeException), NotSpecified.
            $e.FullyQualifiedErrorId | Should -Match '^[A-Za-z]+,PSSyscall\.Commands\.' -Because 'each error has the id of the cmdlet that gave it'
            $e.FullyQualifiedErrorId | Should -Not -Match '^(System\.|RuntimeException,|.*Exception,)' -Because 'no raw .NET exception surfaces'
            $e.CategoryInfo.Category | Should -Not -Be 'NotSpecified'
        }
        @(Get-ChildProcessId | Where-Object { $_ -notin $before }) | Should -BeNullOrEmpty -Because 'no process outlives its case'
    }

    It 'a file that is no trace is one error, not one per line' {
        $result = Invoke-Bounded "Get-SyscallEvent '$script:dir/prose.txt'"
        $result.Errors | Should -HaveCount 1
        $result.Errors[0].ErrorDetails.Message | Should -Match 'Line 1: '
    }

    It 'an unclosed CSV quote costs its own row only' {
        $result = Invoke-Bounded "Get-SyscallEvent '$script:dir/unclosed.csv'"
        $result.Output.Name | Should -Be @('getpid', 'getppid')
        $result.Errors | Should -HaveCount 1
        $result.Errors[0].ErrorDetails.Message | Should -Match '^Line 3 of '
    }

    Context 'endless input ends when the user says' {
        It '<Command> on a FIFO that no one writes to ends at Ctrl+C' -ForEach @(
            @{ Command = 'Get-SyscallEvent' }
            @{ Command = 'Measure-SyscallEvent' }
            @{ Command = 'New-SeccompFilter -Path' }
        ) {
            $fifo = New-Fifo "idle-$($Command.Split(' ')[0]).fifo"
            $result = Invoke-Bounded "$Command '$fifo'" -StopAfterSeconds 2
            $result.Stopped | Should -BeTrue -Because 'with no writer the read waits'
            $result.Hung | Should -BeFalse -Because 'Ctrl+C ends the wait'
            $result.Errors | Should -BeNullOrEmpty
        }

        It 'Select-Object -First ends a FIFO that a writer fills without end, and the writer with it' {
            $fifo = New-Fifo 'endless.fifo'
            # yes writes for ever; it ends by SIGPIPE once the reader has closed the FIFO.
            $start = [System.Diagnostics.ProcessStartInfo]::new('sh')
            foreach ($a in '-c', 'exec yes "1 getpid() = 1" > "$1"', 'sh', $fifo) { $start.ArgumentList.Add($a) }
            $writer = [System.Diagnostics.Process]::Start($start)
            try {
                $result = Invoke-Bounded "Get-SyscallEvent '$fifo' | Select-Object -First 3"
                $result.Hung | Should -BeFalse
                $result.Stopped | Should -BeFalse -Because 'Select-Object -First stops the read'
                $result.Output | Should -HaveCount 3
                $result.Output[0].Name | Should -Be 'getpid'
                $writer.WaitForExit(60000) | Should -BeTrue -Because 'the writer gets SIGPIPE once the FIFO is closed'
            }
            finally {
                if (-not $writer.HasExited) { $writer.Kill() }
            }
        }
    }
}

Describe 'a missing command and -ErrorAction' {
    It '<Cmdlet> stops at a missing command, unless errors are silenced' -ForEach @(
        @{ Cmdlet = 'Start-TracedProcess' }
        @{ Cmdlet = 'Invoke-Sandboxed' }
    ) {
        $id = "CommandNotFound,PSSyscall.Commands.$($Cmdlet -replace '-', '')Command"
        { & $Cmdlet pssyscall-no-such-command } | Should -Throw -ErrorId $id
        { & $Cmdlet -ErrorAction SilentlyContinue pssyscall-no-such-command } | Should -Not -Throw
        $null = & $Cmdlet -ErrorAction SilentlyContinue -ErrorVariable failure pssyscall-no-such-command
        $failure[0].FullyQualifiedErrorId | Should -Be $id
        { & $Cmdlet -ErrorAction Ignore pssyscall-no-such-command } | Should -Not -Throw
    }
}
