# Export-SeccompFilter: OCI JSON, raw BPF and a disassembly.

Describe 'Export-SeccompFilter' {
    BeforeAll {
        $dockerProfile = Join-Path $PSScriptRoot '../data/seccomp/docker-default.json'
        $docker = New-SeccompFilter -Path $dockerProfile
        # JSON text with every object's keys sorted: equal documents, keys in any order, give equal text.
        function ConvertTo-CanonicalJson($Value) {
            if ($Value -is [System.Collections.IDictionary]) {
                $sorted = [ordered]@{}
                foreach ($key in @($Value.Keys) | Sort-Object) { $sorted[$key] = ConvertTo-CanonicalJson $Value[$key] }
                return $sorted
            }
            if ($Value -is [System.Collections.IList]) { return , @($Value | ForEach-Object { ConvertTo-CanonicalJson $_ }) }
            return $Value
        }
    }

    It 'writes OCI JSON that reads back to the same BPF program' {
        $file = Join-Path $TestDrive 'docker.json'
        Export-SeccompFilter $docker -Path $file
        $again = New-SeccompFilter -Path $file
        $a = [Convert]::ToBase64String((Export-SeccompFilter $docker -Format Bpf))
        $b = [Convert]::ToBase64String((Export-SeccompFilter $again -Format Bpf))
        $a.Length | Should -BeGreaterThan 100
        $b | Should -BeExactly $a
        (Test-SeccompFilter $again -Name mount).Action | Should -BeExactly 'Errno(1)'
        $json = Get-Content -LiteralPath $file -Raw
        $json | Should -Match '"defaultAction": "SCMP_ACT_ERRNO"'
        $json | Should -Match '"SCMP_ARCH_X86"'
    }

    It 'gives back <File> unchanged' -ForEach @(
        @{ File = 'docker-default.json' }, @{ File = 'podman-containers-common.json' }, @{ File = 'containerd-runtime-default.json' }
    ) {
        $path = Join-Path $PSScriptRoot "../data/seccomp/$File"
        $original = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -AsHashtable
        $exported = New-SeccompFilter -Path $path | Export-SeccompFilter | ConvertFrom-Json -AsHashtable
        $exported.syscalls.Count | Should -Be $original.syscalls.Count
        (ConvertTo-CanonicalJson $exported | ConvertTo-Json -Depth 20 -Compress) | Should -BeExactly (ConvertTo-CanonicalJson $original | ConvertTo-Json -Depth 20 -Compress)
    }

    It 'gives back Docker''s profile with its archMap, and a plain OCI profile once resolved' {
        $original = Get-Content -LiteralPath $dockerProfile -Raw | ConvertFrom-Json -AsHashtable
        $exported = Export-SeccompFilter $docker | ConvertFrom-Json -AsHashtable
        $exported.archMap.Count | Should -Be $original.archMap.Count
        $plain = $docker | Resolve-SeccompFilter | Export-SeccompFilter
        $plain | Should -Not -Match 'includes'
        $plain | Should -Not -Match 'archMap'
        $plain | Should -Match '"SCMP_ARCH_X32"'
    }

    It 'writes raw BPF as whole 8-byte instructions' {
        $bytes = Export-SeccompFilter (New-SeccompFilter -Allow read) -Format Bpf
        $bytes.GetType().Name | Should -BeExactly 'Byte[]'
        $bytes.Length % 8 | Should -Be 0
        $bytes.Length | Should -BeGreaterThan 32
    }

    It 'disassembles with syscall names and actions' {
        $text = Export-SeccompFilter (New-SeccompFilter -Allow read -Kill ptrace) -Format Disassembly
        $text | Should -Match 'ld \[4\]\s+; arch'
        $text | Should -Match '; ptrace'
        $text | Should -Match '; KillProcess'
    }

    It 'takes a filter back from Export-Clixml as the filter it was' {
        $docker = Join-Path $PSScriptRoot '../data/seccomp/docker-default.json'
        $filter = New-SeccompFilter -Path $docker -WarningAction SilentlyContinue
        $xml = Join-Path $TestDrive 'filter.xml'
        $filter | Export-Clixml -LiteralPath $xml
        $back = Import-Clixml -LiteralPath $xml
        $back | Should -BeOfType ([PSSyscall.SeccompFilter])
        ($back | Export-SeccompFilter -Format Json) | Should -BeExactly ($filter | Export-SeccompFilter -Format Json)
        (Test-SeccompFilter $back -Name mount).Action | Should -Be (Test-SeccompFilter $filter -Name mount).Action
    }

    # Replacing a file, -NoClobber and -WhatIf: NativeCitizen.Tests.ps1, 'writers do not clobber silently'.
}
