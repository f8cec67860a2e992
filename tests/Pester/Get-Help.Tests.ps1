# Get-Help shows every cmdlet's MAML help, which the build makes from docs/en-US/<Cmdlet>.md
# (tools/HelpBuilder): what the page says, and the parameters and parameter sets the cmdlet has.

BeforeDiscovery {
    # The manifest's list, so that a cmdlet exported without a page is found whatever is imported.
    $cmdlets = (Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot '../../PSSyscall.psd1')).CmdletsToExport |
        ForEach-Object { @{ Cmdlet = $_ } }
}

BeforeAll {
    $docs = Join-Path $PSScriptRoot '../../docs/en-US'
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # The text of a '## NAME' section of a help page, without its heading.
    function Get-PageSection {
        param([string[]] $Page, [string] $Name)
        $start = [array]::IndexOf($Page, "## $Name")
        if ($start -lt 0) { throw "The page has no '## $Name' section." }
        $Page | Select-Object -Skip ($start + 1) | ForEach-Object -Begin { $inside = $true } -Process {
            if ($_ -like '## *') { $inside = $false }
            if ($inside) { $_ }
        }
    }

    # A line per way a cmdlet's help differs from the cmdlet (less the common parameters): nothing
    # when its help page is complete.
    function Get-HelpProblem {
        param([System.Management.Automation.CommandInfo] $Command)
        $help = Get-Help $Command.Name -Full
        # Without a MAML entry Get-Help makes a stub (ExtendedCmdletHelpInfo) from the cmdlet itself.
        if ($help.PSObject.TypeNames -notcontains 'MamlCommandHelpInfo') {
            "$($Command.Name): no help page (docs/en-US/$($Command.Name).md)"
            return
        }
        # Hidden parameters (DontShow) are not for users: no help, no syntax, as Get-Command shows them.
        $hidden = @($Command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow } } | ForEach-Object Name)
        $documented = @($help.parameters.parameter.name)
        foreach ($p in $Command.Parameters.Keys) {
            if ($p -notin $common -and $p -notin $hidden -and $p -notin $documented) { "$($Command.Name): -$p is not documented" }
        }
        foreach ($p in $documented) {
            if (-not $Command.Parameters.ContainsKey($p)) { "$($Command.Name): documents -$p, which it does not have" }
        }
        $sets = @($Command.ParameterSets | ForEach-Object { (@($_.Parameters.Name | Where-Object { $_ -notin $common -and $_ -notin $hidden }) | Sort-Object) -join ',' }) | Sort-Object
        $syntax = @($help.syntax.syntaxItem | ForEach-Object { (@($_.parameter.name | Where-Object { $_ -notin $common }) | Sort-Object) -join ',' }) | Sort-Object
        if (($sets -join ' | ') -ne ($syntax -join ' | ')) { "$($Command.Name): the syntax shows [$($syntax -join ' | ')], the parameter sets are [$($sets -join ' | ')]" }
    }
}

Describe 'Get-Help <Cmdlet>' -ForEach $cmdlets {
    BeforeAll {
        $page = Get-Content -LiteralPath (Join-Path $docs "$Cmdlet.md")
        $help = Get-Help $Cmdlet -Full
    }

    It 'shows the page''s synopsis, from MAML' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
        $synopsis = (@(Get-PageSection $page SYNOPSIS) | Where-Object { $_ }) -join ' '
        $synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -BeExactly $synopsis
    }

    It 'documents exactly the parameters and parameter sets the cmdlet has' {
        Get-HelpProblem (Get-Command $Cmdlet) | Should -BeNullOrEmpty
    }

    It 'lists the page''s output types' {
        $outputs = @(Get-PageSection $page OUTPUTS | Where-Object { $_ -like '### *' } | ForEach-Object { $_.Substring(4).Trim() })
        $outputs | Should -Not -BeNullOrEmpty
        @($help.returnValues.returnValue.type.name) | Should -BeExactly $outputs
    }

    It 'shows the page''s examples with -Examples' {
        $titles = @(Get-PageSection $page EXAMPLES | Where-Object { $_ -like '### *' } | ForEach-Object { $_.Substring(4).Trim() })
        $titles | Should -Not -BeNullOrEmpty
        $examples = @((Get-Help $Cmdlet -Examples).examples.example)
        $examples | Should -HaveCount $titles.Count
        for ($i = 0; $i -lt $titles.Count; $i++) {
            $examples[$i].title | Should -BeLike "*$($titles[$i])*"
            $examples[$i].code | Should -Not -BeNullOrEmpty
        }
    }

    It 'renders the full view with its synopsis and every parameter' {
        $text = $help | Out-String -Width 200
        $text | Should -BeLike "*$($help.Synopsis.Substring(0, [Math]::Min(40, $help.Synopsis.Length)))*"
        foreach ($parameter in $help.parameters.parameter.name) { $text | Should -Match "(?m)^\s+-$parameter\b" }
    }
}

Describe 'Get-Help Start-TracedProcess, in detail' {
    It 'describes -FilePath: required, first, a string, what it is' {
        $filePath = Get-Help Start-TracedProcess -Parameter FilePath
        $filePath.required | Should -Be 'true'
        $filePath.position | Should -Be '0'
        $filePath.type.name | Should -BeExactly 'String'
        $filePath.description[0].Text | Should -BeLike 'The command to run*'
    }

    It 'lists the errors in its notes' {
        ((Get-Help Start-TracedProcess -Full).alertSet.alert.Text -join "`n") | Should -BeLike '*CommandNotExecutable (PermissionDenied)*'
    }

    It 'shows the first example''s title, code and remarks' {
        $first = (Get-Help Start-TracedProcess -Examples).examples.example[0]
        $first.title | Should -BeLike '*Example 1: The files a command opens*'
        $first.code | Should -BeExactly 'Start-TracedProcess ls / | Where-Object Name -eq openat'
        ($first.remarks.Text -join "`n") | Should -BeLike '*keeps only its openat calls*'
    }
}

Describe 'the help check' {
    It 'finds a cmdlet without MAML help (pwsh''s own, whose help is not installed)' {
        Get-HelpProblem (Get-Command Import-Module) | Should -BeExactly 'Import-Module: no help page (docs/en-US/Import-Module.md)'
    }
}
