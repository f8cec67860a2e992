# Every example of every cmdlet's help (docs/en-US/*.md, from which the MAML help is built) runs as
# a user would paste it: on its own, in a new runspace with only the module imported, from an
# empty temporary folder. An example fails on any error. Examples hold code only: sample output goes
# in an ```Output block or in the prose after it.

BeforeDiscovery {
    $docs = Join-Path $PSScriptRoot '../../docs/en-US'
    $examples = foreach ($page in Get-ChildItem $docs -Filter '*-*.md') {
        $text = [System.IO.File]::ReadAllText($page.FullName) -replace "`r", ''
        $section = ($text -split '(?m)^## ' | Where-Object { $_ -like 'EXAMPLES*' }) -join ''
        foreach ($block in $section -split '(?m)^### ' | Select-Object -Skip 1) {
            $title = ($block -split "`n")[0].Trim()
            $fences = [regex]::Matches($block, '(?ms)^```(\w*)\n(.*?)^```')
            @{
                Cmdlet = $page.BaseName
                Title = $title
                Fences = @($fences | ForEach-Object { $_.Groups[1].Value })
                Code = @($fences | Where-Object { $_.Groups[1].Value -eq 'powershell' } | ForEach-Object { $_.Groups[2].Value }) -join "`n"
            }
        }
    }
}

Describe 'Help examples of <Cmdlet>' -ForEach ($examples | Group-Object { $_.Cmdlet } | ForEach-Object { @{ Cmdlet = $_.Name; Examples = @($_.Group) } }) {
    BeforeAll {
        $manifest = Join-Path (Get-Module PSSyscall).ModuleBase 'PSSyscall.psd1'
        # Examples that are Pester tests run with the Pester this suite runs under.
        $pester = (Get-Module Pester).Path
    }

    It '<Title>' -ForEach $Examples {
        $Fences | Should -Not -BeNullOrEmpty
        $Fences[0] | Should -BeExactly 'powershell' -Because 'an example starts with its code'
        foreach ($fence in $Fences) { $fence | Should -BeIn @('powershell', 'Output') -Because 'output goes in an Output block' }
        @($Fences | Where-Object { $_ -eq 'powershell' }) | Should -HaveCount 1 -Because 'an example is one piece of code'
        $Code | Should -Not -Match '(?m)^PS[ >]' -Because 'no prompts or sample output in the code'

        $folder = Join-Path ([System.IO.Path]::GetTempPath()) "pssyscall-example-$([guid]::NewGuid())"
        $null = New-Item -ItemType Directory $folder
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Set-Location -LiteralPath '$folder'; Import-Module '$manifest'").AddStatement()
            if ($Code -match '(?m)^\s*Describe ') {
                # A Pester test is saved as a .Tests.ps1 file and run, as its user would.
                [System.IO.File]::WriteAllText((Join-Path $folder 'Example.Tests.ps1'), $Code)
                $null = $ps.AddScript("Import-Module '$pester'; `$r = Invoke-Pester -Path ./Example.Tests.ps1 -PassThru -Output None; if (`$r.Result -ne 'Passed') { Write-Error ""The example's tests did not pass: `$(`$r.FailedCount) failed."" }")
            }
            else {
                $null = $ps.AddScript($Code)
            }
            $async = $ps.BeginInvoke()
            if (-not $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromMinutes(2))) {
                $ps.Stop()
                throw "The example did not finish within 2 minutes:`n$Code"
            }
            $null = $ps.EndInvoke($async)
            $errors = @($ps.Streams.Error | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId))" })
            ($errors -join "`n") | Should -BeNullOrEmpty -Because "the example runs without errors:`n$Code`n"
        }
        finally {
            $ps.Dispose()
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
        }
    }
}

Describe 'Help of every cmdlet' {
    BeforeDiscovery {
        $cmdlets = @(Get-Command -Module PSSyscall -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
    }

    It '<Name> has a docs page, and Get-Help -Online opens it' -ForEach $cmdlets {
        $page = Join-Path $PSScriptRoot "../../docs/en-US/$Name.md"
        Test-Path $page | Should -BeTrue
        $uri = [uri](Get-Command $Name).HelpUri
        $uri.IsAbsoluteUri | Should -BeTrue
        $uri.Scheme | Should -BeExactly 'https'
        $uri.AbsolutePath | Should -BeLike "*/docs/en-US/$Name.md"
        # Get-Help -Online opens the first related link that has a URI: it must be the same page.
        $first = @((Get-Help $Name).relatedLinks.navigationLink | Where-Object uri)[0]
        $first.uri | Should -BeExactly $uri.AbsoluteUri
        (Get-Help $Name).Examples.Example.Count | Should -BeGreaterThan 0
    }
}

Describe 'About topics' {
    It 'has <_>' -ForEach 'about_PSSyscall', 'about_PSSyscall_Tracing', 'about_PSSyscall_TraceFiles', 'about_PSSyscall_SeccompPolicies', 'about_PSSyscall_FaultInjection' {
        $text = Get-Help $_ | Out-String
        $text | Should -Match "TOPIC\s+$_"
    }

    It 'documents "$event", the strace line of an event, and it is what an event converts to' {
        $text = Get-Help about_PSSyscall_Tracing | Out-String
        $text | Should -Match '"\$event": THE STRACE LINE'
        $exit = Start-TracedProcess /bin/true | Where-Object EventType -eq Exit
        "$exit" | Should -Match '^\[pid \d+\] \+\+\+ exited with 0 \+\+\+$'
        $text | Should -Match ([regex]::Escape('[pid 4243] +++ exited with 0 +++'))
    }
}
