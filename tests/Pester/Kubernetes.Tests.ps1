# Export-SeccompFilter -Format SeccompProfile and -Format Kubelet: the Security Profiles Operator's
# resource, checked against the CRD schema in tests/data/kubernetes, and the kubelet's localhost profile.

Describe 'Export-SeccompFilter for Kubernetes' {
    BeforeAll {
        $crd = Join-Path $PSScriptRoot '../data/kubernetes/seccompprofile-crd.yaml'
        $validator = Join-Path $PSScriptRoot '../tools/validate-crd.py'
        $dockerProfile = Join-Path $PSScriptRoot '../data/seccomp/docker-default.json'
        # Validates resource files against the CRD; returns the validator's lines and sets $LASTEXITCODE.
        function Test-Resource([string[]] $Path) { & /usr/bin/python3 $validator $crd @Path 2>&1 }
        $learned = Start-TracedProcess -- sh -c 'ls / >/dev/null' | New-SeccompFilter
        $withRules = New-SeccompFilter -Allow read, write, exit_group, '@file-system' -Flag Log `
            -Rule (New-SeccompRule openat Errno -ErrorNumber EACCES -Condition 'arg2 & 3 == 1'),
                  (New-SeccompRule socket Errno -ErrorNumber EAFNOSUPPORT -Condition 'arg0 == 40', 'arg1 != 0')
    }

    It 'writes a SeccompProfile resource that the CRD schema accepts, for <Case>' -ForEach @(
        @{ Case = 'a learned filter'; Source = 'learned' }
        @{ Case = 'rules with conditions and a flag'; Source = 'withRules' }
        @{ Case = 'Docker''s profile, resolved'; Source = 'docker' }
    ) {
        $filter = switch ($Source) { 'learned' { $learned } 'withRules' { $withRules } 'docker' { New-SeccompFilter -Path $dockerProfile } }
        $yaml = Join-Path $TestDrive "$Source.yaml"
        $json = Join-Path $TestDrive "$Source.json"
        Export-SeccompFilter $filter -Format SeccompProfile -Name "test-$($Source.ToLowerInvariant())" -Namespace security-profiles-operator -Path $yaml 3>$null
        Export-SeccompFilter $filter -Format SeccompProfile -Name "test-$($Source.ToLowerInvariant())" -AsJson -Path $json 3>$null
        $problems = Test-Resource $yaml, $json
        $LASTEXITCODE | Should -Be 0 -Because ($problems -join "`n")

        $resource = Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
        $resource.apiVersion | Should -BeExactly 'security-profiles-operator.x-k8s.io/v1beta1'
        $resource.kind | Should -BeExactly 'SeccompProfile'
        $resource.spec.defaultAction | Should -BeExactly 'SCMP_ACT_ERRNO'
        $resource.spec.architectures | Should -Contain 'SCMP_ARCH_X86_64'
        # The YAML says what the JSON says.
        $fromYaml = & /usr/bin/python3 -c 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), sort_keys=True))' $yaml
        $fromJson = & /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["metadata"]["namespace"]="security-profiles-operator"; print(json.dumps(d, sort_keys=True))' $json
        $fromYaml | Should -BeExactly $fromJson
    }

    It 'keeps the rules: names, actions, errnoRet and args' {
        $resource = Export-SeccompFilter $withRules -Format SeccompProfile -Name rules -AsJson | ConvertFrom-Json
        $openat = $resource.spec.syscalls | Where-Object { $_.names -contains 'openat' -and $_.action -eq 'SCMP_ACT_ERRNO' }
        $openat.errnoRet | Should -Be 13
        $openat.args[0].op | Should -BeExactly 'SCMP_CMP_MASKED_EQ'
        $openat.args[0].value | Should -Be 3
        $openat.args[0].valueTwo | Should -Be 1
        $socket = $resource.spec.syscalls | Where-Object { $_.names -contains 'socket' }
        $socket.args | Should -HaveCount 2
        $resource.spec.flags | Should -Be @('SECCOMP_FILTER_FLAG_LOG')
        ($resource.spec.syscalls | Where-Object action -eq 'SCMP_ACT_ALLOW').names | Should -Contain 'newfstatat'   # @file-system expanded
    }

    It 'is checked by a validator that refuses what the schema does not allow' {
        $bad = Join-Path $TestDrive 'bad.yaml'
        (Export-SeccompFilter $withRules -Format SeccompProfile -Name bad) -replace 'SCMP_CMP_MASKED_EQ', 'SCMP_CMP_BOGUS' -replace 'defaultAction:', "defaultErrnoRet: 38`n  defaultAction:" |
            Set-Content -LiteralPath $bad
        $problems = Test-Resource $bad
        $LASTEXITCODE | Should -Be 1
        $problems -join "`n" | Should -Match 'SCMP_CMP_BOGUS'
        $problems -join "`n" | Should -Match 'defaultErrnoRet'
    }

    It 'refuses a name Kubernetes would refuse, as InvalidResourceName' {
        $err = { Export-SeccompFilter $withRules -Format SeccompProfile -Name Not_A_Name -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidResourceName,PSSyscall.Commands.ExportSeccompFilterCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -BeExactly 'Not_A_Name'
    }

    It 'writes the kubelet''s localhost profile as OCI JSON that reads back to the same program' {
        $dir = Join-Path $TestDrive 'kubelet/seccomp/profiles'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $file = Join-Path $dir 'learned.json'
        Export-SeccompFilter $learned -Format Kubelet -Path $file
        $again = New-SeccompFilter -Path $file
        [Convert]::ToBase64String((Export-SeccompFilter $again -Format Bpf)) | Should -BeExactly ([Convert]::ToBase64String((Export-SeccompFilter $learned -Format Bpf)))
        $profile = Get-Content -LiteralPath $file -Raw | ConvertFrom-Json
        $profile.defaultAction | Should -BeExactly 'SCMP_ACT_ERRNO'
        $profile.PSObject.Properties.Name | Should -Not -Contain 'archMap'
    }

    It 'resolves a portable profile for this machine for the kubelet, and says so' {
        $docker = New-SeccompFilter -Path $dockerProfile
        $text = Export-SeccompFilter $docker -Format Kubelet -WarningVariable warnings 3>$null
        $warnings -join ' ' | Should -Match 'resolved for SCMP_ARCH_X86_64'
        $text | Should -Not -Match 'includes|archMap'
        ($text | ConvertFrom-Json).architectures | Should -Be @('SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32')
    }
}

Describe 'Invoke-Sandboxed with a filter for another machine' {
    It 'refuses it as ForeignArchitecture instead of killing the command' {
        $arm = New-SeccompFilter -Allow '@system-service' -Architecture Aarch64
        $err = { Invoke-Sandboxed -Filter $arm -- /bin/true } | Should -Throw -ErrorId 'ForeignArchitecture,PSSyscall.Commands.InvokeSandboxedCommand' -PassThru
        $err.Exception.Message | Should -Match 'Aarch64'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }
}
