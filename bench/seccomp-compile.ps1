#!/usr/bin/env pwsh
# Benchmark: compiling Docker's default seccomp profile with libseccomp.
#
#   dotnet pwsh -NoProfile -File bench/seccomp-compile.ps1 [-Runs 20] [-Warmup 3]
#
# Prints the median (and min/max) of warm runs for (a) loading the profile (JSON -> SeccompFilter,
# Docker's includes/excludes resolved) and (b) compiling it to BPF (libseccomp, export through a
# memfd), beside the program's instruction count and the worst-case number of BPF instructions
# one syscall executes, measured by running the program in the module's interpreter for every
# syscall number of x86_64, i386 and x32 with several argument vectors.
param(
    [int] $Runs = 20,
    [int] $Warmup = 3,
    [string] $ProfilePath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'tests', 'data', 'seccomp', 'docker-default.json')
)

# The Release module this checkout built (build.ps1), unless one is imported already.
if (-not (Get-Module PSSyscall)) { Import-Module (Join-Path $PSScriptRoot '../output/PSSyscall') -ErrorAction Stop }

$ErrorActionPreference = 'Stop'
if (-not (Get-Command New-SeccompFilter -ErrorAction SilentlyContinue)) {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'output', 'PSSyscall', '0.1.0', 'PSSyscall.psd1'))
}

function Measure-Median([scriptblock] $Action) {
    for ($i = 0; $i -lt $Warmup; $i++) { $null = & $Action }
    $times = [double[]]::new($Runs)
    for ($i = 0; $i -lt $Runs; $i++) {
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $null = & $Action
        $sw.Stop()
        $times[$i] = $sw.Elapsed.TotalMilliseconds
    }
    [Array]::Sort($times)
    $median = if ($Runs % 2) { $times[[int][math]::Floor($Runs / 2)] } else { ($times[$Runs / 2 - 1] + $times[$Runs / 2]) / 2 }
    [pscustomobject]@{ Median = $median; Min = $times[0]; Max = $times[-1] }
}

$profileFull = [System.IO.Path]::GetFullPath($ProfilePath)
$filter = New-SeccompFilter -Path $profileFull
$load = Measure-Median { [PSSyscall.Engine.Seccomp.SeccompProfile]::Load($profileFull, $null) }
$compile = Measure-Median { $filter.Compile() }
$compiled = $filter.Compile()
$worst = [PSSyscall.Engine.Seccomp.SeccompEmulator]::WorstCaseInstructions($compiled)
$tree = $filter.Copy(); $tree.BinaryTree = $true
$treeCompile = Measure-Median { $tree.Compile() }
$treeCompiled = $tree.Compile()
$treeWorst = [PSSyscall.Engine.Seccomp.SeccompEmulator]::WorstCaseInstructions($treeCompiled)
$read = $compiled.Evaluate('read', 'X86_64', $null).InstructionsExecuted
$i386 = $compiled.Evaluate('getpid', 'I386', $null).InstructionsExecuted

$culture = [System.Globalization.CultureInfo]::InvariantCulture
"Docker default profile ($([System.IO.Path]::GetFileName($profileFull))), $($filter.Rules.Count) rules, $(($filter.Architectures | ForEach-Object { $_.ToString().ToLowerInvariant() }) -join ',')"
"runs: $Runs warm (after $Warmup warm-up)"
''
'| measure | median | min | max |'
'|---|---|---|---|'
'| load profile (JSON -> filter) | {0} ms | {1} ms | {2} ms |' -f $load.Median.ToString('0.000', $culture), $load.Min.ToString('0.000', $culture), $load.Max.ToString('0.000', $culture)
'| compile (libseccomp -> BPF) | {0} ms | {1} ms | {2} ms |' -f $compile.Median.ToString('0.000', $culture), $compile.Min.ToString('0.000', $culture), $compile.Max.ToString('0.000', $culture)
''
"BPF instructions in the program: $($compiled.InstructionCount)"
"worst-case instructions executed per syscall (emulator, every number of x86_64/i386/x32): $worst"
''
"with -BinaryTree (libseccomp's binary-tree layout): compile median $($treeCompile.Median.ToString('0.000', $culture)) ms, $($treeCompiled.InstructionCount) instructions, worst case $treeWorst per syscall"
"instructions executed for read (x86_64): $read; for getpid (i386): $i386"
