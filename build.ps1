#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds, tests or packages the PSSyscall module (for people with pwsh; the same steps are plain
dotnet commands, see README.md).

.DESCRIPTION
Build    dotnet build -c <Configuration>: lays out the loadable module in
         output/PSSyscall/<version>/ (manifest, assemblies, linux-x64/ native libraries, format
         and type files, en-US/ help built from docs/en-US).
Test     dotnet test PSSyscall.sln -c <Configuration>: engine tests, hosted cmdlet tests and the
         Pester files in tests/Pester (run by the repository's Pester-compatible runner, so
         Pester itself is not needed).
Package  Build, then zip output/PSSyscall/<version> into output/PSSyscall-<version>.zip with the
         layout Install-Module/Publish-Module use (PSSyscall/<version>/...), after checking the
         manifest with Test-ModuleManifest.

.EXAMPLE
./build.ps1                       # Build (Release)
./build.ps1 -Task Test
./build.ps1 -Task Package
Import-Module ./output/PSSyscall/0.1.0/PSSyscall.psd1
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
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    (Import-PowerShellDataFile -Path (Join-Path $root 'PSSyscall.psd1')).ModuleVersion
}

function Invoke-Build {
    Invoke-Dotnet build (Join-Path $root 'PSSyscall.sln') -c $Configuration
    $moduleDir = Join-Path $root "output/PSSyscall/$(Get-ModuleVersion)"
    if (-not (Test-Path (Join-Path $moduleDir 'PSSyscall.psd1'))) { throw "The build did not lay out the module in $moduleDir." }
    $moduleDir
}

switch ($Task) {
    'Build' {
        $moduleDir = Invoke-Build
        Write-Host "Module: $moduleDir"
    }
    'Test' {
        Invoke-Dotnet test (Join-Path $root 'PSSyscall.sln') -c $Configuration
    }
    'Package' {
        $moduleDir = Invoke-Build
        $null = Test-ModuleManifest -Path (Join-Path $moduleDir 'PSSyscall.psd1')
        $version = Get-ModuleVersion
        # Stage as PSSyscall/<version>/..., the layout of an installed module, so the zip can be
        # expanded into any path in $env:PSModulePath.
        $staging = Join-Path ([System.IO.Path]::GetTempPath()) "pssyscall-package-$([System.IO.Path]::GetRandomFileName())"
        try {
            $target = Join-Path $staging "PSSyscall/$version"
            $null = New-Item -ItemType Directory -Path $target -Force
            Copy-Item -Path (Join-Path $moduleDir '*') -Destination $target -Recurse
            # Debug symbols stay out of the package.
            Get-ChildItem -Path $target -Filter '*.pdb' -Recurse | Remove-Item
            $zip = Join-Path $root "output/PSSyscall-$version.zip"
            Remove-Item -Path $zip -ErrorAction Ignore
            Compress-Archive -Path (Join-Path $staging 'PSSyscall') -DestinationPath $zip
            Write-Host "Package: $zip"
        }
        finally {
            Remove-Item -Path $staging -Recurse -Force -ErrorAction Ignore
        }
    }
}
