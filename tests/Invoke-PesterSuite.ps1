#!/usr/bin/env pwsh
<#
.SYNOPSIS
Runs tests/Pester/*.Tests.ps1 under the pinned Pester (restored from NuGet) with the built module
imported, in this pwsh.

.DESCRIPTION
Restores Pester 5.9.1 through tools/Pester (a PackageDownload: the package's tools/ folder is the
module), imports it and the module laid out by the Release build, and runs Invoke-Pester. The last
line of output is "N passed, N failed"; the exit code is the number of failed tests (at most 255)
or 1 when Pester itself could not run a file.

.EXAMPLE
dotnet pwsh -NoProfile -File tests/Invoke-PesterSuite.ps1
.EXAMPLE
dotnet pwsh -NoProfile -File tests/Invoke-PesterSuite.ps1 -Path tests/Pester/Get-SyscallEvent.Tests.ps1 -Output Detailed
#>
[CmdletBinding()]
param(
    # Test files or folders; every *.Tests.ps1 below tests/Pester by default.
    [string[]] $Path = @((Join-Path $PSScriptRoot 'Pester')),

    # The module manifest to import; the Release build's layout by default.
    [string] $ModulePath,

    # Pester's output verbosity. Normal prints each failing test with its name, message and line.
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Normal',

    # Also write NUnit XML results here.
    [string] $ResultPath,

    # Also write {"Passed": N, "Failed": N} here (build.ps1 -Task Test adds it to xunit's counts).
    [string] $SummaryPath
)

$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent

$pesterProject = Join-Path $root 'tools/Pester/Pester.csproj'
$null = & dotnet restore $pesterProject --verbosity quiet
if ($LASTEXITCODE -ne 0) { throw "dotnet restore $pesterProject failed with exit code $LASTEXITCODE." }
$pesterManifest = (& dotnet msbuild $pesterProject -getProperty:PesterModule).Trim()
if (-not (Test-Path -LiteralPath $pesterManifest)) { throw "Pester was not restored: $pesterManifest does not exist." }
Import-Module $pesterManifest -Force

if (-not $ModulePath) {
    $version = (Import-PowerShellDataFile -Path (Join-Path $root 'PSSyscall.psd1')).ModuleVersion
    $ModulePath = Join-Path $root "output/PSSyscall/$version/PSSyscall.psd1"
}
if (-not (Test-Path -LiteralPath $ModulePath)) { throw "No built module at ${ModulePath}: build first (dotnet pwsh ./build.ps1)." }
Import-Module $ModulePath -Force

# The tests run with PowerShell's default error preference, as in a user's pwsh: 'Stop' (for the
# set-up above) would turn every error record a command writes into an exception.
$ErrorActionPreference = 'Continue'
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Output
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = $ResultPath
}
$result = Invoke-Pester -Configuration $configuration

# A failed BeforeAll or a file that does not parse fails its tests without counting them: count it.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount

# Each failure again at the end, in a few lines: a CI log is often kept only by its tail, and
# Pester reports a failure where it happens, hundreds of lines before the summary.
if ($failed) {
    '== Failed =='
    foreach ($test in $result.Failed) {
        $record = $test.ErrorRecord | Select-Object -First 1
        "[-] $($test.ExpandedPath)"
        if ("$record".Trim()) { "    $("$record".Trim() -replace '\s*\n\s*', ' | ')" }
        $where = "$($record.ScriptStackTrace)" -split "`n" | Where-Object { $_ -match '\.Tests\.ps1' } | Select-Object -First 1
        if ($where) { "    $($where.Trim())" }
    }
    foreach ($block in @($result.FailedBlocks) + @($result.FailedContainers)) {
        if (-not $block) { continue }
        $record = $block.ErrorRecord | Select-Object -First 1
        "[-] $(if ($block.ExpandedPath) { $block.ExpandedPath } else { $block.Item }) (set-up)"
        "    $("$record".Trim() -replace '\s*\n\s*', ' | ')"
    }
}
if ($SummaryPath) {
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
}
"Pester: $($result.PassedCount) passed, $failed failed"
exit ([Math]::Min($failed, 255))
