Describe 'the module package' {
    BeforeAll {
        $repoRoot = (Resolve-Path "$PSScriptRoot/../..").Path
        $pwsh = Join-Path $PSHOME pwsh   # this pwsh, also when started as `dotnet pwsh`
        # A home of its own: Install-PSResource writes the module and the repository list under it,
        # so nothing of the user's own PowerShell set-up is touched.
        $isolatedHome = Join-Path $TestDrive 'home'
        $repository = Join-Path $TestDrive 'repository'
        # The folders must exist: .NET gives an empty path for a special folder that does not,
        # and PSResourceGet would then keep its repository list under the current directory.
        $null = New-Item -ItemType Directory -Path $isolatedHome, $repository, (Join-Path $isolatedHome '.local/share'), (Join-Path $isolatedHome '.config')

        $built = & $pwsh -NoProfile -NonInteractive -File (Join-Path $repoRoot 'build.ps1') -Task Package 6>&1 2>&1
        $packageLine = $built | ForEach-Object { "$_" } | Where-Object { $_ -like 'Package: *' } | Select-Object -Last 1
        $package = if ($packageLine) { $packageLine.Substring('Package: '.Length) }
        $version = (Import-PowerShellDataFile -Path (Join-Path $repoRoot 'PSSyscall.psd1')).ModuleVersion

        function Invoke-IsolatedPwsh([string] $Script) {
            $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; PSModulePath = $env:PSModulePath }
            try {
                $env:HOME = $isolatedHome
                $env:XDG_DATA_HOME = Join-Path $isolatedHome '.local/share'
                $env:XDG_CONFIG_HOME = Join-Path $isolatedHome '.config'
                # The child builds its own module path from its home, as a new user's pwsh does.
                Remove-Item Env:PSModulePath
                & $pwsh -NoProfile -NonInteractive -Command $Script 2>&1
            }
            finally {
                foreach ($name in $saved.Keys) { Set-Item "Env:$name" -Value $saved[$name] -ErrorAction Ignore; if ($null -eq $saved[$name]) { Remove-Item "Env:$name" -ErrorAction Ignore } }
            }
        }
    }

    It 'is built by build.ps1 -Task Package as a nupkg' {
        $package | Should -Not -BeNullOrEmpty -Because ($built -join "`n")
        $package | Should -Exist
        $package | Should -BeLike "*PSSyscall.$version.nupkg"
    }

    It 'installs with Install-PSResource from a local repository and imports by name in a new pwsh' {
        Copy-Item -LiteralPath $package -Destination $repository
        $out = Invoke-IsolatedPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LocalTest -Uri '$repository' -Trusted
Install-PSResource -Name PSSyscall -Repository LocalTest -Scope CurrentUser -TrustRepository
Import-Module PSSyscall
`$m = Get-Module PSSyscall
"version=`$(`$m.Version) base=`$(`$m.ModuleBase)"
(Start-TracedProcess -Name openat -CaptureOutput -- cat /etc/hostname 6>`$null | Measure-Object).Count
"@
        $text = $out -join "`n"
        $text | Should -Match "version=$([regex]::Escape($version)) base=$([regex]::Escape($isolatedHome))"
        # cat opens at least its libraries and the file it reads.
        [int]($out | Select-Object -Last 1) | Should -BeGreaterThan 1 -Because $text
    }

    It 'shows the built help for the installed module' {
        $out = Invoke-IsolatedPwsh 'Import-Module PSSyscall; Get-Help Start-TracedProcess -Full | Out-String -Width 200'
        $text = $out -join "`n"
        $text | Should -Match 'SYNOPSIS'
        $text | Should -Match '-CaptureOutput'
        $text | Should -Match 'EXAMPLE 1'
    }
}
