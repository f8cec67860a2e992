# Helpers shared by tests/Pester/*.Tests.ps1. Dot-source it in a BeforeAll:
#
#     BeforeAll { . $PSScriptRoot/TestSupport.ps1 }
#
# The rule for every comparison with strace: the traced program gets the same stdio, environment,
# PATH and working directory on both sides, whatever the host's own stdout is (a terminal, a pipe,
# a file) and wherever the test run started. Our side runs `Start-TracedProcess -CaptureOutput ...
# 6>$null` (stdout and stderr are pipes the cmdlet reads; their lines are information records, which
# 6>$null drops); strace's side goes through Invoke-Strace, which gives the traced program pipes too.
# Name new helpers for their area (Get-Strace..., Wait-Process...), and document each.

function Invoke-Strace {
    <#
    .SYNOPSIS
    Runs `strace OPTIONS -- COMMAND` with the command's stdio and environment set up as
    `Start-TracedProcess -CaptureOutput` sets them up, and returns its exit code and output.
    .DESCRIPTION
    strace (and so the program it traces) starts in PowerShell's current location, with this
    process's environment plus PWD set to that location (Start-TracedProcess exports PWD the same
    way: a shell whose PWD is stale calls getcwd at start), stdout and stderr on pipes read to the
    end here, and stdin inherited from the host as on our side. Returns an object with ExitCode
    (strace's, which is the program's), StandardOutput and StandardError (strace's own messages are
    in StandardError too unless -o sends them elsewhere).
    .PARAMETER StraceOption
    strace's options, before the `--` that ends them.
    .EXAMPLE
    (Invoke-Strace -StraceOption '-f', '-qq', '-o', '/dev/null' cat /etc/hostname).StandardOutput
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $FilePath,
        [Parameter(Position = 1, ValueFromRemainingArguments)] [string[]] $ArgumentList = @(),
        [string[]] $StraceOption = @()
    )
    $strace = Get-Command strace -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($null -eq $strace) { throw 'strace is not installed; the Pester tests use it as their oracle (apt-get install strace).' }
    $cwd = (Get-Location -PSProvider FileSystem).ProviderPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($strace.Source)
    foreach ($argument in @($StraceOption) + '--' + $FilePath + @($ArgumentList)) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $cwd
    $start.Environment['PWD'] = $cwd
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        # Both pipes are drained at once, so a program that fills one cannot block on it.
        $output = $process.StandardOutput.ReadToEndAsync()
        $errors = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode       = $process.ExitCode
            StandardOutput = $output.GetAwaiter().GetResult()
            StandardError  = $errors.GetAwaiter().GetResult()
        }
    }
    finally {
        $process.Dispose()
    }
}

function Get-StraceCount {
    <#
    .SYNOPSIS
    Runs a command under `strace -f -c` (the tests' oracle) through Invoke-Strace and returns its
    per-syscall counts: a hashtable of name -> calls (or -> errors with -Errors), or with -Name the
    one count (0 when the call never happened).
    .NOTES
    strace -c counts a call when it returns, so calls that never return (exit, exit_group, a call
    cut short by the process's death) are not counted; compare with ConvertTo-SyscallCount, which
    leaves out Start-TracedProcess's unfinished calls the same way. Compare it with
    `Start-TracedProcess -CaptureOutput ... 6>$null`, which gives the program the same stdio.
    .PARAMETER StraceOption
    More strace options, such as a selection (-P PATH, -e trace=NAME) whose counts to compare.
    .EXAMPLE
    Get-StraceCount ls / -Name openat
    .EXAMPLE
    Get-StraceCount -- sh -c 'ls / | wc -l'
    .EXAMPLE
    Get-StraceCount cat /etc/hostname -StraceOption '-P', '/etc/hostname'
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $FilePath,
        [Parameter(Position = 1, ValueFromRemainingArguments)] [string[]] $ArgumentList = @(),
        [string] $Name,
        [switch] $Errors,
        [string[]] $StraceOption = @()
    )
    $summary = [System.IO.Path]::GetTempFileName()
    try {
        $null = Invoke-Strace -StraceOption (@('-f', '-c', '-U', 'name,calls,errors', '-o', $summary) + $StraceOption) $FilePath @ArgumentList
        $counts = @{}
        foreach ($line in Get-Content -LiteralPath $summary) {
            $fields = $line.Trim() -split '\s+'
            if ($fields.Count -lt 2 -or $fields[0] -in 'syscall', 'total' -or $fields[0].StartsWith('-')) { continue }
            $counts[$fields[0]] = if ($Errors) { if ($fields.Count -ge 3) { [int]$fields[2] } else { 0 } } else { [int]$fields[1] }
        }
        if ($counts.Count -eq 0) { throw "strace counted no system calls for '$FilePath $ArgumentList'." }
        if ($PSBoundParameters.ContainsKey('Name')) { return [int]$counts[$Name] }
        $counts
    }
    finally {
        Remove-Item -LiteralPath $summary -ErrorAction Ignore
    }
}

function ConvertTo-SyscallCount {
    <#
    .SYNOPSIS
    Counts Start-TracedProcess's SyscallEvents by name, as strace -c counts them: finished calls
    only. Returns a hashtable of name -> calls (or -> failed calls with -Errors). Anything that is
    not a SyscallEvent (exit and signal events, output lines) is left out.
    .EXAMPLE
    Start-TracedProcess -CaptureOutput cat /etc/hostname 6>$null | ConvertTo-SyscallCount
    #>
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)] $InputObject,
        [switch] $Errors
    )
    begin { $counts = @{} }
    process {
        if ($InputObject -is [PSSyscall.SyscallEvent] -and -not $InputObject.Unfinished -and (-not $Errors -or $null -ne $InputObject.Errno)) {
            $counts[$InputObject.Name] = 1 + [int]$counts[$InputObject.Name]
        }
    }
    end { $counts }
}

function Compare-SyscallCount {
    <#
    .SYNOPSIS
    Compares two name -> count hashtables; returns one line per difference ("openat: 12 (ours) vs
    11 (strace)"), nothing when they agree. For `Should -BeNullOrEmpty` with a readable failure.
    Both tables must be non-empty (an empty table is a broken run, not an agreement).
    #>
    param([Parameter(Mandatory)] [hashtable] $Ours, [Parameter(Mandatory)] [hashtable] $Theirs)
    if ($Ours.Count -eq 0 -or $Theirs.Count -eq 0) { throw "Nothing to compare: ours has $($Ours.Count) names, strace's $($Theirs.Count)." }
    foreach ($n in @($Ours.Keys) + @($Theirs.Keys) | Sort-Object -Unique) {
        $a = [int]$Ours[$n]; $b = [int]$Theirs[$n]
        if ($a -ne $b) { "${n}: $a (ours) vs $b (strace)" }
    }
}

function Get-ProcessStatus {
    <#
    .SYNOPSIS
    One field of /proc/<id>/status (State, PPid, TracerPid...), without its label, or $null when the
    process does not exist.
    .EXAMPLE
    Get-ProcessStatus $id TracerPid    # '0' when nothing traces it
    #>
    param([Parameter(Mandatory)] [int] $Id, [Parameter(Mandatory)] [string] $Field)
    try { $status = [System.IO.File]::ReadAllLines("/proc/$Id/status") }
    catch { return $null }
    $line = $status | Where-Object { $_.StartsWith("${Field}:") } | Select-Object -First 1
    if ($line) { $line.Substring($Field.Length + 1).Trim() }
}

function Get-ProcessState {
    <#
    .SYNOPSIS
    The state letter of a process from /proc/<id>/stat (R, S, D, T, t, Z...), or $null when it
    does not exist.
    #>
    param([Parameter(Mandatory)] [int] $Id)
    try { $stat = [System.IO.File]::ReadAllText("/proc/$Id/stat") }
    catch { return $null }
    # The name (field 2) is in parentheses and may contain spaces; the state follows the last ')'.
    $stat.Substring($stat.LastIndexOf(')') + 2, 1)
}

function Test-ProcessExists {
    <#
    .SYNOPSIS
    True while the process is alive in any sense that matters to "nothing left behind": running,
    stopped, or a zombie its parent has not reaped. A zombie reparented to init (PPid 1) is dead
    and init's to reap, as for any orphan, so it does not count.
    #>
    param([Parameter(Mandatory)] [int] $Id)
    $state = Get-ProcessStatus $Id State
    if ($null -eq $state) { return $false }
    -not ($state.StartsWith('Z') -and (Get-ProcessStatus $Id PPid) -eq '1')
}

function Wait-ProcessGone {
    <#
    .SYNOPSIS
    Waits until none of the processes exists (Test-ProcessExists) and returns $true, or returns
    $false once -TimeoutSeconds have passed with some still alive. The timeout only bounds a
    failing test: a passing one returns as soon as the processes are gone.
    #>
    param([Parameter(Mandatory)] [int[]] $Id, [double] $TimeoutSeconds = 10)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while (@($Id | Where-Object { Test-ProcessExists $_ }).Count -gt 0) {
        if ($clock.Elapsed.TotalSeconds -gt $TimeoutSeconds) { return $false }
        Start-Sleep -Milliseconds 20
    }
    $true
}

function Get-DescendantProcess {
    <#
    .SYNOPSIS
    The ids of the descendants of a process (this pwsh by default), read from
    /proc/<id>/task/*/children; with -CommandLine only those whose command line (arguments joined
    by spaces) is exactly that. Never other people's processes.
    .EXAMPLE
    Get-DescendantProcess -CommandLine 'sleep 30'
    #>
    param([int] $Id = $PID, [string] $CommandLine)
    $filter = @{}
    if ($PSBoundParameters.ContainsKey('CommandLine')) { $filter.CommandLine = $CommandLine }
    foreach ($children in Get-ChildItem -LiteralPath "/proc/$Id/task" -Directory -ErrorAction Ignore) {
        $text = try { [System.IO.File]::ReadAllText("$($children.FullName)/children") } catch { '' }
        foreach ($child in $text -split ' ' | Where-Object { $_ }) {
            $command = try { [System.IO.File]::ReadAllText("/proc/$child/cmdline").Replace([char]0, ' ').Trim() } catch { $null }
            if ($filter.Count -eq 0 -or $command -eq $CommandLine) { [int]$child }
            Get-DescendantProcess -Id $child @filter
        }
    }
}

function Wait-DescendantProcess {
    <#
    .SYNOPSIS
    Waits until at least -Count descendants of this pwsh have the command line, and returns their
    ids; throws after -TimeoutSeconds (the command never started).
    #>
    param([Parameter(Mandatory)] [string] $CommandLine, [int] $Count = 1, [double] $TimeoutSeconds = 30)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while ($clock.Elapsed.TotalSeconds -lt $TimeoutSeconds) {
        $found = @(Get-DescendantProcess -CommandLine $CommandLine)
        if ($found.Count -ge $Count) { return $found }
        Start-Sleep -Milliseconds 20
    }
    throw "'$CommandLine' did not start $Count time(s) within $TimeoutSeconds s."
}

function Start-BackgroundProcess {
    <#
    .SYNOPSIS
    Starts a command in the background, detached from the test (its parent exits at once, so init
    adopts it), with stdio on /dev/null, and returns its process id. For attach tests:
    Start-TracedProcess -Id (Start-BackgroundProcess sleep 30). Stop it with Stop-TestProcess.
    .NOTES
    Detached on purpose: a process that is a child of the test host itself (started with
    System.Diagnostics.Process) is one .NET reaps with waitpid(pid, WNOHANG) whenever any child of
    the host exits, and that call also takes the traced child's ptrace stops from the tracer.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $FilePath,
        [Parameter(Position = 1, ValueFromRemainingArguments)] [string[]] $ArgumentList = @()
    )
    $quoted = @($FilePath) + $ArgumentList | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }
    [int](& sh -c "$($quoted -join ' ') </dev/null >/dev/null 2>&1 & echo `$!")
}

function Stop-TestProcess {
    <#
    .SYNOPSIS
    Kills a process (SIGKILL) if it still exists. For AfterAll/AfterEach/finally clean-up.
    #>
    param([Parameter(Mandatory)] [int] $Id)
    if (Test-ProcessExists $Id) { $null = & kill -KILL $Id 2>$null }
}

function Get-PwshPath {
    <#
    .SYNOPSIS
    The command line that starts a new pwsh of the version running the tests: the apphost in
    $PSHOME, or `dotnet pwsh.dll` where a package has no apphost. Returns the executable, then the
    arguments to put before pwsh's own.
    .EXAMPLE
    $pwsh = @(Get-PwshPath); & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -c '1'
    #>
    $apphost = Join-Path $PSHOME 'pwsh'
    if (Test-Path -LiteralPath $apphost -PathType Leaf) { return $apphost }
    [System.Environment]::ProcessPath
    Join-Path $PSHOME 'pwsh.dll'
}

function Get-ModuleManifestPath {
    <#
    .SYNOPSIS
    The manifest of the PSSyscall module the tests run against (the imported one), for a new
    runspace or a new pwsh that must import the same build.
    #>
    $module = Get-Module PSSyscall | Select-Object -First 1
    if ($null -eq $module) { throw 'PSSyscall is not imported: run the tests with tests/Invoke-PesterSuite.ps1, or Import-Module the built module first.' }
    Join-Path $module.ModuleBase 'PSSyscall.psd1'
}

function Get-LiveProcessWithArgument {
    <#
    .SYNOPSIS
    The ids of live (not zombie) processes whose arguments include the marker: how a test finds
    the processes it started, whatever PID namespace they print their ids in.
    #>
    param([Parameter(Mandatory)] [string] $Marker)
    foreach ($dir in [System.IO.Directory]::GetDirectories('/proc')) {
        $id = 0
        if (-not [int]::TryParse([System.IO.Path]::GetFileName($dir), [ref] $id)) { continue }
        try { $argv = [System.IO.File]::ReadAllText("$dir/cmdline").Split([char]0) }
        catch { continue }
        if ($argv -contains $Marker -and (Get-ProcessState $id) -notin @($null, 'Z')) { $id }
    }
}

function New-TestDirectory {
    <#
    .SYNOPSIS
    Makes an empty directory of its own under the temporary folder and returns its path; remove it
    with Remove-TestDirectory. (TestDrive: is the simpler choice inside an It; this is for paths that
    must be made and removed inside one test, or outside Pester's TestDrive.)
    .EXAMPLE
    $dir = New-TestDirectory; try { ... } finally { Remove-TestDirectory $dir }
    #>
    [CmdletBinding()]
    param()
    $path = Join-Path ([System.IO.Path]::GetTempPath()) "pssyscall-test-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $path
    $path
}

function Remove-TestDirectory {
    <#
    .SYNOPSIS
    Removes a directory New-TestDirectory made, with everything in it.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction Ignore
}

function Assert-HostDeathEndsAll {
    <#
    .SYNOPSIS
    Kills a pwsh host (SIGKILL, as a crash would) and asserts that within 10 s no process whose
    command line holds the marker is left, nor any cgroup the host's sessions made
    (pssyscall-<host pid>-*): what the guardian and the PID namespace promise.
    .EXAMPLE
    Assert-HostDeathEndsAll -HostProcess $host_ -Marker $marker
    #>
    param(
        [Parameter(Mandatory)] [System.Diagnostics.Process] $HostProcess,
        [Parameter(Mandatory)] [string] $Marker
    )
    $HostProcess.Kill()
    $HostProcess.WaitForExit()
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (@(Get-LiveProcessWithArgument $Marker).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    Get-LiveProcessWithArgument $Marker | Should -BeNullOrEmpty
    $cgroups = { @(find /sys/fs/cgroup -maxdepth 5 -type d -name "pssyscall-$($HostProcess.Id)-*" 2>$null) }
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ((& $cgroups).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    & $cgroups | Should -BeNullOrEmpty
}
