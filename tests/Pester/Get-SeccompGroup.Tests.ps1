# Get-SeccompGroup: systemd's syscall groups.

Describe 'Get-SeccompGroup' {
    It 'lists every group the issue names' {
        $names = Get-SeccompGroup | ForEach-Object Name
        foreach ($g in '@system-service', '@file-system', '@network-io', '@process', '@signal', '@basic-io', '@io-event',
                 '@ipc', '@memlock', '@timer', '@clock', '@privileged', '@mount', '@module', '@raw-io', '@reboot', '@swap',
                 '@debug', '@obsolete', '@cpu-emulation', '@keyring', '@resources', '@setuid', '@chown', '@sync', '@aio', '@default') {
            $names | Should -Contain $g
        }
    }

    It 'expands nested groups' {
        $privileged = Get-SeccompGroup privileged
        $privileged.Members | Should -Contain '@chown'
        $privileged.Syscalls | Should -Contain 'fchownat'
        $privileged.Syscalls | Should -Not -Contain '@chown'
        $privileged.Count | Should -Be $privileged.Syscalls.Count
    }

    It 'finds the groups of a syscall' {
        $groups = Get-SeccompGroup -Syscall mount | ForEach-Object Name
        $groups | Should -Contain '@mount'
        $groups | Should -Not -Contain '@file-system'
    }

    It 'matches wildcards and reports unknown groups' {
        @(Get-SeccompGroup 'set*') | Should -HaveCount 1
        Get-SeccompGroup nope -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Match '^UnknownGroup'
    }
}
