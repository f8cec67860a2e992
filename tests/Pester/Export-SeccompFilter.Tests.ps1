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

    It 'replaces a file, as Export-Csv does, and refuses to with -NoClobber' {
        $file = Join-Path $TestDrive 'exists.json'
        Set-Content -LiteralPath $file -Value 'keep me'
        $err = { Export-SeccompFilter $docker -Path $file -NoClobber } | Should -Throw -ErrorId 'NoClobber,PSSyscall.Commands.ExportSeccompFilterCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content -LiteralPath $file | Should -BeExactly 'keep me'
        Export-SeccompFilter $docker -Path $file
        (New-SeccompFilter -Path $file).DefaultAction.ToString() | Should -BeExactly 'Errno(1)'
    }
}
