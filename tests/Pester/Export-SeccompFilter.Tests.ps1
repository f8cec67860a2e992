# Export-SeccompFilter: OCI JSON, raw BPF and a disassembly.

Describe 'Export-SeccompFilter' {
    BeforeAll {
        $dockerProfile = Join-Path $PSScriptRoot '../data/seccomp/docker-default.json'
        $docker = New-SeccompFilter -Path $dockerProfile
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
        $json | Should -Not -Match 'includes'
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

    # Replacing a file, -NoClobber and -WhatIf: NativeCitizen.Tests.ps1, 'writers do not clobber silently'.
}
