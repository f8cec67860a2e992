# Get-SeccompGroup: systemd's syscall groups.

Describe 'Get-SeccompGroup' {
    It 'lists the group <_>' -ForEach @(
        '@system-service', '@file-system', '@network-io', '@process', '@signal', '@basic-io', '@io-event',
        '@ipc', '@memlock', '@timer', '@clock', '@privileged', '@mount', '@module', '@raw-io', '@reboot', '@swap',
        '@debug', '@obsolete', '@cpu-emulation', '@keyring', '@resources', '@setuid', '@chown', '@sync', '@aio', '@default'
    ) {
        (Get-SeccompGroup).Name | Should -Contain $_
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

    It 'matches wildcards' {
        @(Get-SeccompGroup 'set*').Name | Should -BeExactly '@setuid'
    }

    It 'reports an unknown group as UnknownGroup (ObjectNotFound), naming the closest' {
        $groups = @(Get-SeccompGroup netwrk-io -ErrorVariable errs -ErrorAction SilentlyContinue)
        $groups | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeExactly 'UnknownGroup,PSSyscall.Commands.GetSeccompGroupCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].ErrorDetails.Message | Should -BeLike "*'@network-io'*"
    }
}
