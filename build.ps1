#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds, tests or packages the PSSyscall module. Run it in pwsh 7.4+; from a clone, the pinned pwsh
is `dotnet tool restore` then `dotnet pwsh ./build.ps1`.

.DESCRIPTION
Build    dotnet build -c Release: lays out the loadable module in output/PSSyscall/<version>/
         (manifest, assemblies, linux-x64/ native shim, format and type files, en-US/ help built
         from docs/en-US). -Configuration Debug lays out output/Debug/PSSyscall/<version>/ instead,
         so the module users import is always a Release build.
Test     Build, then every test: the xunit projects (dotnet test) and tests/Pester/*.Tests.ps1
         under the pinned Pester 5.9.1 in a fresh pwsh with the built module imported. Ends with
         the line "N passed, N failed" over both; the exit code is 0 only when nothing failed.
Package  Build, then a PowerShell module package: output/PSSyscall.<version>.nupkg, made by
         Publish-PSResource into a throw-away local repository. Install it with
         Register-PSResourceRepository -Name Local -Uri <folder> -Trusted;
         Install-PSResource PSSyscall -Repository Local.

.EXAMPLE
dotnet tool restore; dotnet pwsh ./build.ps1
.EXAMPLE
dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
dotnet pwsh ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot

function Invoke-Dotnet {
    # Out-Host: dotnet's output is for the reader, not part of what the calling function returns.
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile -Path (Join-Path $root 'PSSyscall.psd1')).ModuleVersion
}

function Get-ModuleDirectory {
    $layout = if ($Configuration -eq 'Release') { 'output' } else { 'output/Debug' }
    Join-Path $root "$layout/PSSyscall/$(Get-ModuleVersion)"
}

function Invoke-Build {
    Write-Verbose "Building PSSyscall.sln ($Configuration)"
    Invoke-Dotnet build (Join-Path $root 'PSSyscall.sln') -c $Configuration --nologo -v quiet
    $moduleDir = Get-ModuleDirectory
    if (-not (Test-Path (Join-Path $moduleDir 'PSSyscall.psd1'))) { throw "The build did not lay out the module in $moduleDir." }
    $moduleDir
}

function Get-TrxCount {
    # Sums the outcome counters of the .trx files dotnet test wrote.
    param([string] $Directory)
    $passed = 0; $failed = 0
    foreach ($file in Get-ChildItem -Path $Directory -Filter '*.trx' -Recurse) {
        $counters = ([xml](Get-Content -Raw -LiteralPath $file.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

function Write-TrxFailure {
    # Each failed xunit test again, name and first lines of its message: the Pester run's output
    # follows dotnet test's, and a CI log is often kept only by its tail.
    param([string] $Directory)
    foreach ($file in Get-ChildItem -Path $Directory -Filter '*.trx' -Recurse) {
        $run = ([xml](Get-Content -Raw -LiteralPath $file.FullName)).TestRun
        foreach ($result in @($run.Results.UnitTestResult | Where-Object outcome -ne 'Passed' | Where-Object outcome -ne 'NotExecuted')) {
            Write-Host "[-] $($result.testName) ($($result.outcome))"
            $message = "$($result.Output.ErrorInfo.Message)".Trim() -split "`n" | Select-Object -First 4
            foreach ($line in $message) { Write-Host "    $($line.Trim())" }
        }
    }
}

function Invoke-AllTests {
    $moduleDir = Invoke-Build
    $results = Join-Path ([System.IO.Path]::GetTempPath()) "pssyscall-tests-$([System.IO.Path]::GetRandomFileName())"
    $null = New-Item -ItemType Directory -Path $results
    try {
        Write-Host '== xunit (engine and tools) =='
        # Out-Host: the runners' output is for the reader as it comes, not this function's result.
        # A hung test fails (with a dump of where it hung) instead of holding the run forever.
        & dotnet test (Join-Path $root 'PSSyscall.sln') -c $Configuration --no-build --nologo `
            --logger 'console;verbosity=normal' --logger 'trx' --results-directory $results `
            --blame-hang-timeout 10m --blame-hang-dump-type none | Out-Host
        $xunitExit = $LASTEXITCODE
        $xunit = Get-TrxCount -Directory $results
        if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }   # a crashed test host counts

        Write-Host '== Pester (cmdlets, in a fresh pwsh) =='
        $summary = Join-Path $results 'pester.json'
        $pwsh = Join-Path $PSHOME pwsh   # this pwsh, also when started as `dotnet pwsh`
        # timeout(1): a hung Pester run ends as a failure (no summary file) rather than never.
        & timeout --kill-after=30 1800 $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/Invoke-PesterSuite.ps1') `
            -ModulePath (Join-Path $moduleDir 'PSSyscall.psd1') -SummaryPath $summary -Output Detailed | Out-Host
        $pester = if (Test-Path -LiteralPath $summary) { Get-Content -Raw -LiteralPath $summary | ConvertFrom-Json }
                  else { [pscustomobject]@{ Passed = 0; Failed = 1 } }   # Pester never reported

        if ($xunit.Failed) {
            Write-Host '== xunit failures (again) =='
            Write-TrxFailure -Directory $results
        }
        Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"
        Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed"
        $failed = $xunit.Failed + $pester.Failed
        Write-Host "$($xunit.Passed + $pester.Passed) passed, $failed failed"
        $failed
    }
    finally {
        Remove-Item -LiteralPath $results -Recurse -Force -ErrorAction Ignore
    }
}

function New-ModulePackage {
    $moduleDir = Invoke-Build
    $version = Get-ModuleVersion
    $null = Test-ModuleManifest -Path (Join-Path $moduleDir 'PSSyscall.psd1')
    # Publish-PSResource wants a folder named after the module; the package holds what an
    # installed module holds, without debug symbols.
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "pssyscall-package-$([System.IO.Path]::GetRandomFileName())"
    $staging = Join-Path $work 'PSSyscall'
    $repository = Join-Path $work 'repository'
    $repositoryName = "PSSyscallBuild$([System.IO.Path]::GetRandomFileName().Replace('.', ''))"
    try {
        $null = New-Item -ItemType Directory -Path $staging, $repository
        Copy-Item -Path (Join-Path $moduleDir '*') -Destination $staging -Recurse
        Get-ChildItem -Path $staging -Filter '*.pdb' -Recurse | Remove-Item
        Register-PSResourceRepository -Name $repositoryName -Uri $repository -Trusted
        try {
            Publish-PSResource -Path $staging -Repository $repositoryName -SkipDependenciesCheck
        }
        finally {
            Unregister-PSResourceRepository -Name $repositoryName
        }
        $package = Get-ChildItem -Path $repository -Filter '*.nupkg' | Select-Object -First 1
        if (-not $package) { throw 'Publish-PSResource made no package.' }
        $target = Join-Path $root "output/PSSyscall.$version.nupkg"
        Copy-Item -LiteralPath $package.FullName -Destination $target -Force
        $target
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }
}

switch ($Task) {
    'Build' {
        $moduleDir = Invoke-Build
        Write-Host "Module: $(Join-Path $moduleDir 'PSSyscall.psd1')"
    }
    'Test' {
        $failed = Invoke-AllTests
        exit ([Math]::Min([int]$failed, 255))
    }
    'Package' {
        $package = New-ModulePackage
        Write-Host "Package: $package"
    }
}
