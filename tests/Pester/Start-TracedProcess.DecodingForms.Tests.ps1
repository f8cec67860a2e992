# Start-TracedProcess's decoding forms (-ConstantStyle, -Unabbreviated, -HexString) against
# strace's -X, -v, -x and -xx on the same command, and the forms kept through Export-Clixml.

BeforeAll {
    . $PSScriptRoot/TestSupport.ps1

    # "name(arguments) = result" of each call of these names, from strace's log (no pid prefix: -f
    # is not given; signals and exits left out). Pipe inode numbers differ between two runs.
    function Get-StraceLine {
        param([string[]] $StraceOption, [string[]] $Name, [string] $FilePath, [string[]] $ArgumentList = @())
        $log = Join-Path $TestDrive "strace-$([guid]::NewGuid()).log"
        $null = Invoke-Strace -StraceOption (@('-y', '-qq', '-o', $log, '-e', "trace=$($Name -join ',')") + $StraceOption) $FilePath @ArgumentList
        @(Get-Content -LiteralPath $log | Where-Object { $_ -match '^\w+\(' } |
            ForEach-Object { $_ -replace '\)\s+= ', ') = ' -replace 'pipe:\[\d+\]', 'pipe:[N]' })
    }

    function Get-OurLine {
        param([hashtable] $Form, [string[]] $Name, [string] $FilePath, [string[]] $ArgumentList = @())
        @(Start-TracedProcess -CaptureOutput -Name $Name @Form $FilePath @ArgumentList 6>$null |
            Where-Object EventType -eq Syscall | ForEach-Object { "$($_.Name)($($_.Arguments)) = $($_.Result)" -replace 'pipe:\[\d+\]', 'pipe:[N]' })
    }
}

Describe 'Start-TracedProcess decoding forms' {
    BeforeAll {
        $file = Join-Path $TestDrive "caf$([char]0xe9).txt"
        Set-Content -LiteralPath $file -Value "line`n" -NoNewline
        # Read once now: with relatime the first read after a write moves the access time, which
        # -Unabbreviated shows, so that the two traces compared see the same times.
        $null = Get-Content -LiteralPath $file
    }

    It '-ConstantStyle <Style> prints constants as strace -X <Option> does' -ForEach @(
        @{ Style = 'Raw'; Option = 'raw' }
        @{ Style = 'Verbose'; Option = 'verbose' }
    ) {
        $strace = Get-StraceLine -StraceOption "-X$Option" -Name openat, fstat, newfstatat, read, close cat $file
        $ours = Get-OurLine -Form @{ ConstantStyle = $Style } -Name openat, fstat, newfstatat, read, close cat $file
        $strace.Count | Should -BeGreaterThan 5
        $ours | Should -Be $strace
        ($ours -join "`n") | Should -Match ($Style -eq 'Verbose' ? [regex]::Escape('0x80000 /* O_RDONLY|O_CLOEXEC */') : [regex]::Escape(', 0x80000) = 3'))
    }

    It '-HexString <Style> prints strings in hex as strace <Option> does' -ForEach @(
        @{ Style = 'NonAscii'; Option = '-x' }
        @{ Style = 'All'; Option = '-xx' }
    ) {
        $strace = Get-StraceLine -StraceOption $Option -Name openat, read cat $file
        $ours = Get-OurLine -Form @{ HexString = $Style } -Name openat, read cat $file
        $ours | Should -Be $strace
        ($ours -join "`n") | Should -Match ([regex]::Escape('\x63\x61\x66\xc3\xa9\x2e\x74\x78\x74'))
    }

    It '-Unabbreviated shows struct stat and the environment whole, as strace -v' {
        # Pipes are made anew for each run: their inode and times differ (files' do not).
        $strace = Get-StraceLine -StraceOption '-v' -Name fstat, newfstatat cat $file | Where-Object { $_ -notmatch 'pipe:' }
        $ours = Get-OurLine -Form @{ Unabbreviated = $true } -Name fstat, newfstatat cat $file | Where-Object { $_ -notmatch 'pipe:' }
        $strace.Count | Should -BeGreaterThan 2
        $ours | Should -Be $strace
        ($ours -join "`n") | Should -Match 'st_ino=\d+, st_mode=S_IFREG\|0644, st_nlink=1'
        $exec = Start-TracedProcess -Name execve -Unabbreviated /usr/bin/env -i A=1 B=2 /bin/true 6>$null |
            Where-Object Name -eq execve | Select-Object -Last 1
        $exec.Arguments | Should -BeExactly '"/bin/true", ["/bin/true"], ["A=1", "B=2"]'
    }

    It 'keeps each event''s forms through Export-Clixml' {
        $events = Start-TracedProcess -Name openat -ConstantStyle Verbose cat $file 6>$null | Where-Object Name -eq openat
        $path = Join-Path $TestDrive 'forms.clixml'
        $events | Export-Clixml -LiteralPath $path
        $back = Import-Clixml -LiteralPath $path
        $back[-1].Arguments | Should -BeExactly $events[-1].Arguments
        $back[-1].Arguments | Should -Match '^-100 /\* AT_FDCWD \*/'
    }
}
