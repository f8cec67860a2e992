# Helpers shared by tests/Pester/*.Tests.ps1. Dot-source it in a BeforeAll:
#
#     BeforeAll { . $PSScriptRoot/TestSupport.ps1 }
#
# The hosted engine that runs these files has only PowerShell's Core cmdlets (no Test-Path,
# Get-Content, Remove-Item, Select-Object...), so the helpers use .NET and native commands
# directly. Name new helpers for their area (Get-Seccomp..., Get-Sandbox...).

function Get-StraceCount {
    <#
    .SYNOPSIS
    Runs a command under `strace -f -c` (the tests' oracle) and returns its per-syscall counts:
    a hashtable of name -> calls (or -> errors with -Errors), or with -Name the one count (0 when
    the call never happened). The command's output is discarded.
    .NOTES
    strace -c counts a call when it returns, so calls that never return (exit, exit_group, a call
    cut short by the process's death) are not counted; compare with ConvertTo-SyscallCount,
    which leaves out Start-TracedProcess's unfinished calls the same way.
    .EXAMPLE
    Get-StraceCount ls / -Name openat
    .EXAMPLE
    Get-StraceCount -- sh -c 'ls / | wc -l'
    .EXAMPLE
    Get-StraceCount cat /etc/hostname -StraceOption '-P', '/etc/hostname'
    .PARAMETER StraceOption
    More strace options, such as a selection (-P PATH, -e trace=NAME) whose counts to compare.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $FilePath,
        [Parameter(Position = 1, ValueFromRemainingArguments)] [string[]] $ArgumentList = @(),
        [string] $Name,
        [switch] $Errors,
        [string[]] $StraceOption = @()
    )
    $strace = Get-Command strace -CommandType Application -ErrorAction Ignore
    if ($null -eq $strace) { throw 'strace is not installed; the Pester tests use it as their oracle (apt-get install strace).' }
    $summary = [System.IO.Path]::GetTempFileName()
    try {
        # The command gets PWD set to the current location, as Start-TracedProcess gives it: a
        # shell whose PWD is stale calls getcwd at start, and the counts would differ for that.
        $cwd = $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath
        $null = & strace -f -c -U name,calls,errors -E "PWD=$cwd" -o $summary @StraceOption -- $FilePath @ArgumentList 2>$null
        $counts = @{}
        foreach ($line in [System.IO.File]::ReadAllLines($summary)) {
            $fields = $line.Trim() -split '\s+'
            if ($fields.Count -lt 2 -or $fields[0] -in 'syscall', 'total' -or $fields[0].StartsWith('-')) { continue }
            $counts[$fields[0]] = if ($Errors) { if ($fields.Count -ge 3) { [int]$fields[2] } else { 0 } } else { [int]$fields[1] }
        }
        if ($counts.Count -eq 0) { throw "strace counted no system calls for '$FilePath $ArgumentList'." }
        if ($PSBoundParameters.ContainsKey('Name')) {
            if ($counts.ContainsKey($Name)) { return $counts[$Name] }
            return 0
        }
        $counts
    }
    finally {
        [System.IO.File]::Delete($summary)
    }
}

function ConvertTo-SyscallCount {
    <#
    .SYNOPSIS
    Counts Start-TracedProcess's SyscallEvents by name, as strace -c counts them: finished calls
    only. Returns a hashtable of name -> calls (or -> failed calls with -Errors).
    .EXAMPLE
    Start-TracedProcess cat /etc/hostname | ConvertTo-SyscallCount
    #>
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)] $InputObject,
        [switch] $Errors
    )
    begin { $counts = @{} }
    process {
        if ($InputObject -is [PSSyscall.SyscallEvent] -and -not $InputObject.Unfinished) {
            if (-not $Errors) { $counts[$InputObject.Name] = 1 + [int]$counts[$InputObject.Name] }
            elseif ($null -ne $InputObject.Errno) { $counts[$InputObject.Name] = 1 + [int]$counts[$InputObject.Name] }
        }
    }
    end { $counts }
}

function Compare-SyscallCount {
    <#
    .SYNOPSIS
    Compares two name -> count hashtables; returns one line per difference ("openat: 12 vs 11"),
    nothing when they agree. For `Should -BeNullOrEmpty` with a readable failure.
    #>
    param([hashtable] $Ours, [hashtable] $Theirs)
    $names = @{}
    foreach ($n in $Ours.Keys) { $names[$n] = $true }
    foreach ($n in $Theirs.Keys) { $names[$n] = $true }
    foreach ($n in $names.Keys) {
        $a = [int]$Ours[$n]; $b = [int]$Theirs[$n]
        if ($a -ne $b) { "${n}: $a (ours) vs $b (strace)" }
    }
}

function Test-ProcessExists {
    <#
    .SYNOPSIS
    True while the process is alive in any sense that matters to "nothing left behind": running,
    stopped, or a zombie its parent has not reaped. A zombie reparented to init (PPid 1) is dead
    and init's to reap, as for any orphan, so it does not count.
    #>
    param([Parameter(Mandatory)] [int] $Id)
    try { $status = [System.IO.File]::ReadAllLines("/proc/$Id/status") }
    catch { return $false }
    $state = ($status | Where-Object { $_.StartsWith('State:') }) -replace '^State:\s*', ''
    $parent = ($status | Where-Object { $_.StartsWith('PPid:') }) -replace '^PPid:\s*', ''
    -not ($state.StartsWith('Z') -and $parent -eq '1')
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

function Start-BackgroundProcess {
    <#
    .SYNOPSIS
    Starts a command in the background, detached from the test (its parent exits at once), and
    returns its process id. For attach tests: Start-TracedProcess -Id (Start-BackgroundProcess sleep 30).
    Stop it with Stop-TestProcess.
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
    $id = & sh -c "$($quoted -join ' ') </dev/null >/dev/null 2>&1 & echo `$!"
    [int]$id
}

function Stop-TestProcess {
    <#
    .SYNOPSIS
    Kills a process (SIGKILL) if it still exists. For AfterAll/AfterEach clean-up.
    #>
    param([Parameter(Mandatory)] [int] $Id)
    if (Test-ProcessExists $Id) { $null = & kill -KILL $Id 2>$null }
}

function New-TestDirectory {
    <#
    .SYNOPSIS
    Creates an empty temporary directory and returns its path. Remove it with Remove-TestDirectory.
    #>
    $path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'pssyscall-test-' + [System.IO.Path]::GetRandomFileName())
    $null = [System.IO.Directory]::CreateDirectory($path)
    $path
}

function Remove-TestDirectory {
    param([Parameter(Mandatory)] [string] $Path)
    if ([System.IO.Directory]::Exists($Path)) { [System.IO.Directory]::Delete($Path, $true) }
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
