# Export-SeccompFilter: OCI JSON, raw BPF and a disassembly.

Describe 'Export-SeccompFilter' {
    BeforeAll {
        $dockerProfile = [System.IO.Path]::Combine($PSScriptRoot, '..', 'data', 'seccomp', 'docker-default.json')
        $docker = New-SeccompFilter -Path $dockerProfile
    }

    It 'writes OCI JSON that reads back to the same BPF program' {
        $file = [System.IO.Path]::GetTempFileName()
        try {
            Export-SeccompFilter $docker -Path $file -Force
            $again = New-SeccompFilter -Path $file
            $a = [Convert]::ToBase64String((Export-SeccompFilter $docker -Format Bpf))
            $b = [Convert]::ToBase64String((Export-SeccompFilter $again -Format Bpf))
            $b | Should -BeExactly $a
            $json = [System.IO.File]::ReadAllText($file)
            $json | Should -Match '"defaultAction": "SCMP_ACT_ERRNO"'
            $json | Should -Match '"SCMP_ARCH_X86"'
            $json | Should -Not -Match 'includes'
        }
        finally {
            [System.IO.File]::Delete($file)
        }
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

    It 'refuses to overwrite a file without -Force' {
        $file = [System.IO.Path]::GetTempFileName()
        try {
            Export-SeccompFilter $docker -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Match '^FileExists'
        }
        finally {
            [System.IO.File]::Delete($file)
        }
    }
}
