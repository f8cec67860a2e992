# PesterCompat: the subset of Pester 5 that tests/Pester/*.Tests.ps1 use, for hosts without Pester
# (the hosted System.Management.Automation engine that tests/PSSyscall.Module.Tests drives).
#
# Supported, with Pester 5's meaning:
#   Describe, Context, It (-Skip, -TestCases), BeforeAll, AfterAll, BeforeEach, AfterEach
#   Should -Be -BeExactly -BeGreaterThan -BeLessThan -BeGreaterOrEqual -BeLessOrEqual -Contain
#          -Match -BeLike -Throw (-ExpectedMessage, -ErrorId, -ExceptionType) -BeNullOrEmpty
#          -HaveCount -BeTrue -BeFalse -BeOfType, with -Not and -Because
#
# Two phases, as in Pester 5. Discovery runs the file and the Describe/Context bodies and records
# the Its and the hooks; nothing else runs then. Run walks the tree: each block gets a scope
# (a child of its parent block's), its BeforeAll hooks are dot-sourced into it, and each It runs
# in a child scope of its block together with the BeforeEach/AfterEach hooks. So variables set in
# BeforeAll are visible to the block's Its and nested blocks, and nothing an It sets leaks into
# another. The scopes are created in the caller's session state (where the test file's script
# blocks live), not in this module's, which is why the walk is a script run with
# SessionState.InvokeCommand.InvokeScript; its variables are named $__pc_* to stay out of the way.
#
# Stricter than Pester in one way: an It in which no Should ran fails, so an assertion that is
# never reached (a loop over an empty result, say) cannot pass silently.

Set-StrictMode -Version 3.0

$script:Discovery = $null      # the block being discovered, or $null outside discovery
$script:Run = $null            # the state of the run in progress

function New-PcBlock([string] $Name, [string] $Kind, $Parent, [string] $File) {
    [pscustomobject]@{
        Name       = $Name
        Kind       = $Kind
        Parent     = $Parent
        File       = $File
        Items      = [System.Collections.Generic.List[object]]::new()   # tests and blocks, in order
        BeforeAll  = [System.Collections.Generic.List[scriptblock]]::new()
        AfterAll   = [System.Collections.Generic.List[scriptblock]]::new()
        BeforeEach = [System.Collections.Generic.List[scriptblock]]::new()
        AfterEach  = [System.Collections.Generic.List[scriptblock]]::new()
    }
}

function Get-PcBlockPath($Block) {
    $names = [System.Collections.Generic.List[string]]::new()
    for ($b = $Block; $null -ne $b; $b = $b.Parent) {
        $names.Insert(0, $b.Name)
    }
    $names
}

function Assert-PcDiscovery([string] $Command) {
    if ($null -eq $script:Discovery) {
        throw "$Command was called outside a test file run by Invoke-PesterCompat."
    }
}

function Describe {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [scriptblock] $Fixture
    )
    Add-PcBlock -Name $Name -Kind Describe -Fixture $Fixture
}

function Context {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [scriptblock] $Fixture
    )
    Add-PcBlock -Name $Name -Kind Context -Fixture $Fixture
}

function Add-PcBlock([string] $Name, [string] $Kind, [scriptblock] $Fixture) {
    Assert-PcDiscovery $Kind
    $parent = $script:Discovery
    $block = New-PcBlock -Name $Name -Kind $Kind -Parent $parent -File $parent.File
    $parent.Items.Add($block)
    $script:Discovery = $block
    try {
        # The body runs now, in a scope of its own in the test file's session state; only the
        # Its and hooks it declares are kept (Pester 5 discovery).
        $null = & $Fixture
    }
    finally {
        $script:Discovery = $parent
    }
}

function It {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Position = 1)] [scriptblock] $Test,
        [System.Collections.IDictionary[]] $TestCases,
        [switch] $Skip
    )
    Assert-PcDiscovery 'It'
    $block = $script:Discovery
    if ($null -eq $Test) {
        # Pester reports an It without a body as pending; here it is a test that cannot fail.
        $Skip = $true
        $Test = {}
    }
    if (-not $PSBoundParameters.ContainsKey('TestCases')) { $TestCases = @(@{}) }
    foreach ($case in $TestCases) {
        $data = [ordered]@{}
        $expanded = $Name
        foreach ($key in $case.Keys) {
            $data[$key] = $case[$key]
            $expanded = $expanded.Replace("<$key>", "$($case[$key])")
        }
        $block.Items.Add([pscustomobject]@{
            Name  = $expanded
            Kind  = 'It'
            Block = $block
            Body  = $Test
            Data  = $data
            Skip  = [bool] $Skip
            Line  = $MyInvocation.ScriptLineNumber
            Id    = $null
        })
    }
}

function BeforeAll { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery BeforeAll; $script:Discovery.BeforeAll.Add($Scriptblock) }
function AfterAll { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery AfterAll; $script:Discovery.AfterAll.Add($Scriptblock) }
function BeforeEach { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery BeforeEach; $script:Discovery.BeforeEach.Add($Scriptblock) }
function AfterEach { param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock) Assert-PcDiscovery AfterEach; $script:Discovery.AfterEach.Add($Scriptblock) }

# --- Should -------------------------------------------------------------------------------------

function Format-PcValue($Value) {
    if ($null -eq $Value) { return '$null' }
    if ($Value -is [string]) { return "'$Value'" }
    if ($Value -is [bool]) { return "`$$Value" }
    if ($Value -is [scriptblock]) { return "{$Value}" }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [System.Collections.IDictionary]) {
        $items = @($Value | ForEach-Object { Format-PcValue $_ })
        if ($items.Count -gt 10) { $items = @($items[0..9]) + '...' }
        return "@($($items -join ', '))"
    }
    "$Value"
}

function Test-PcCollection($Value) {
    $Value -is [System.Collections.IEnumerable] -and $Value -isnot [string] -and $Value -isnot [System.Collections.IDictionary]
}

function Test-PcEqual($Actual, $Expected, [switch] $CaseSensitive) {
    if ((Test-PcCollection $Actual) -or (Test-PcCollection $Expected)) {
        $a = @($Actual); $e = @($Expected)
        if ($a.Count -ne $e.Count) { return $false }
        for ($i = 0; $i -lt $a.Count; $i++) {
            if (-not (Test-PcEqual $a[$i] $e[$i] -CaseSensitive:$CaseSensitive)) { return $false }
        }
        return $true
    }
    if ($null -eq $Actual -or $null -eq $Expected) { return $null -eq $Actual -and $null -eq $Expected }
    if ($CaseSensitive) { return [bool]($Actual -ceq $Expected) }
    [bool]($Actual -eq $Expected)
}

function Should {
    [CmdletBinding(DefaultParameterSetName = 'Be')]
    param(
        [Parameter(ValueFromPipeline)] [AllowNull()] [object] $ActualValue,
        [switch] $Not,
        [string] $Because,

        [Parameter(ParameterSetName = 'Be', Mandatory)] [AllowNull()] [object] $Be,
        [Parameter(ParameterSetName = 'BeExactly', Mandatory)] [AllowNull()] [object] $BeExactly,
        [Parameter(ParameterSetName = 'BeGreaterThan', Mandatory)] [object] $BeGreaterThan,
        [Parameter(ParameterSetName = 'BeLessThan', Mandatory)] [object] $BeLessThan,
        [Parameter(ParameterSetName = 'BeGreaterOrEqual', Mandatory)] [object] $BeGreaterOrEqual,
        [Parameter(ParameterSetName = 'BeLessOrEqual', Mandatory)] [object] $BeLessOrEqual,
        [Parameter(ParameterSetName = 'Contain', Mandatory)] [AllowNull()] [object] $Contain,
        [Parameter(ParameterSetName = 'Match', Mandatory)] [string] $Match,
        [Parameter(ParameterSetName = 'BeLike', Mandatory)] [string] $BeLike,
        [Parameter(ParameterSetName = 'HaveCount', Mandatory)] [int] $HaveCount,
        [Parameter(ParameterSetName = 'BeOfType', Mandatory)] [object] $BeOfType,
        [Parameter(ParameterSetName = 'BeNullOrEmpty', Mandatory)] [switch] $BeNullOrEmpty,
        [Parameter(ParameterSetName = 'BeTrue', Mandatory)] [switch] $BeTrue,
        [Parameter(ParameterSetName = 'BeFalse', Mandatory)] [switch] $BeFalse,
        [Parameter(ParameterSetName = 'Throw', Mandatory)] [switch] $Throw,
        [Parameter(ParameterSetName = 'Throw', Position = 0)] [string] $ExpectedMessage,
        [Parameter(ParameterSetName = 'Throw')] [string] $ErrorId,
        [Parameter(ParameterSetName = 'Throw')] [type] $ExceptionType
    )
    begin {
        $inputs = [System.Collections.Generic.List[object]]::new()
        if ($null -ne $script:Run) { $script:Run.Assertions++ }
    }
    process {
        # Only pipeline input is collected here; -ActualValue given by name is used as it is.
        if ($MyInvocation.ExpectingInput) { $inputs.Add($ActualValue) }
    }
    end {
        $op = $PSCmdlet.ParameterSetName
        $actual = if (-not $MyInvocation.ExpectingInput) { $ActualValue }
                  elseif ($inputs.Count -eq 1) { $inputs[0] }
                  elseif ($inputs.Count -eq 0 -and $op -in 'HaveCount', 'Contain', 'BeNullOrEmpty') { , @() }
                  elseif ($inputs.Count -eq 0) { $null }
                  else { , $inputs.ToArray() }
        $expected = if ($PSBoundParameters.ContainsKey($op)) { $PSBoundParameters[$op] } else { $null }
        $becauseText = if ($Because) { ", because $Because," } else { '' }
        $notText = if ($Not) { 'not ' } else { '' }

        switch ($op) {
            'Be' { $ok = Test-PcEqual $actual $expected; $what = "Expected ${notText}$(Format-PcValue $expected)$becauseText but got $(Format-PcValue $actual)." }
            'BeExactly' { $ok = Test-PcEqual $actual $expected -CaseSensitive; $what = "Expected ${notText}exactly $(Format-PcValue $expected)$becauseText but got $(Format-PcValue $actual)." }
            'BeGreaterThan' { $ok = [bool]($actual -gt $expected); $what = "Expected the actual value to be ${notText}greater than $(Format-PcValue $expected)$becauseText but got $(Format-PcValue $actual)." }
            'BeLessThan' { $ok = [bool]($actual -lt $expected); $what = "Expected the actual value to be ${notText}less than $(Format-PcValue $expected)$becauseText but got $(Format-PcValue $actual)." }
            'BeGreaterOrEqual' { $ok = [bool]($actual -ge $expected); $what = "Expected the actual value to be ${notText}greater than or equal to $(Format-PcValue $expected)$becauseText but got $(Format-PcValue $actual)." }
            'BeLessOrEqual' { $ok = [bool]($actual -le $expected); $what = "Expected the actual value to be ${notText}less than or equal to $(Format-PcValue $expected)$becauseText but got $(Format-PcValue $actual)." }
            'Contain' { $ok = [bool](@($actual) -contains $expected); $what = "Expected $(Format-PcValue $expected) to ${notText}be found in collection $(Format-PcValue $actual)$becauseText but it was$(if (-not $Not) { ' not' }) found." }
            'Match' { $ok = [bool]("$actual" -match $expected); $what = "Expected regular expression $(Format-PcValue $expected) to ${notText}match $(Format-PcValue $actual)$becauseText but it did$(if (-not $Not) { ' not' }) match." }
            'BeLike' { $ok = [bool]("$actual" -like $expected); $what = "Expected like wildcard $(Format-PcValue $expected) to ${notText}match $(Format-PcValue $actual)$becauseText but it did$(if (-not $Not) { ' not' }) match." }
            'HaveCount' {
                $count = if ($null -eq $actual) { 0 } else { @($actual).Count }
                $ok = $count -eq $expected
                $what = "Expected a collection with size ${notText}$expected$becauseText but got $(if ($Not) { 'that size' } else { "size $count" }): $(Format-PcValue $actual)."
            }
            'BeOfType' {
                # In argument mode [int] arrives as the string '[int]'; Pester accepts it, and so do we.
                $type = if ($expected -is [type]) { $expected } else { ("$expected" -replace '^\[(.*)\]$', '$1') -as [type] }
                if ($null -eq $type) { throw "Should -BeOfType: '$expected' is not a type." }
                $ok = $actual -is $type
                $what = "Expected the value to ${notText}have type [$($type.FullName)] or any of its subtypes$becauseText but got $(Format-PcValue $actual) with type [$(if ($null -ne $actual) { $actual.GetType().FullName } else { '$null' })]."
            }
            'BeNullOrEmpty' {
                $ok = $null -eq $actual -or ($actual -is [string] -and $actual.Length -eq 0) -or ((Test-PcCollection $actual) -and @($actual).Count -eq 0)
                $what = "Expected $(if ($Not) { 'a value' } else { '$null or empty' })$becauseText but got $(Format-PcValue $actual)."
            }
            'BeTrue' { $ok = [bool]$actual; $what = "Expected ${notText}`$true$becauseText but got $(Format-PcValue $actual)." }
            'BeFalse' { $ok = -not [bool]$actual; $what = "Expected ${notText}`$false$becauseText but got $(Format-PcValue $actual)." }
            'Throw' {
                if ($actual -isnot [scriptblock]) { throw "Should -Throw: the actual value must be a script block, e.g. { Get-Thing } | Should -Throw; got $(Format-PcValue $actual)." }
                $caught = $null
                try { $null = & $actual } catch { $caught = $_ }
                $filters = @()
                if ($ExpectedMessage) { $filters += "message like '$ExpectedMessage'" }
                if ($ErrorId) { $filters += "FullyQualifiedErrorId like '*$ErrorId*'" }
                if ($ExceptionType) { $filters += "exception type [$($ExceptionType.FullName)]" }
                $with = if ($filters) { ' with ' + ($filters -join ', ') } else { '' }
                if ($null -eq $caught) {
                    $ok = $false
                    $what = "Expected an exception$with to be thrown$becauseText but no exception was thrown."
                }
                elseif ($Not) {
                    $ok = $true   # inverted below: with -Not, any exception fails
                    $what = "Expected no exception to be thrown$becauseText but an exception was thrown: [$($caught.Exception.GetType().FullName)] '$($caught.Exception.Message)' (FullyQualifiedErrorId '$($caught.FullyQualifiedErrorId)')."
                }
                else {
                    $ok = (-not $ExpectedMessage -or $caught.Exception.Message -like $ExpectedMessage) -and
                          (-not $ErrorId -or $caught.FullyQualifiedErrorId -like "*$ErrorId*") -and
                          (-not $ExceptionType -or $caught.Exception -is $ExceptionType)
                    $what = "Expected an exception$with to be thrown$becauseText but got [$($caught.Exception.GetType().FullName)] '$($caught.Exception.Message)' (FullyQualifiedErrorId '$($caught.FullyQualifiedErrorId)')."
                }
            }
        }
        if ($Not) { $ok = -not $ok }
        if (-not $ok) {
            $exception = [System.Exception]::new($what)
            $exception.Data['PesterCompat.Assertion'] = $true
            $record = [System.Management.Automation.ErrorRecord]::new($exception, 'PesterAssertionFailed', [System.Management.Automation.ErrorCategory]::InvalidResult, $actual)
            # Thrown as Should's own error so its InvocationInfo is the Should line in the test file.
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }
}

# --- Discovery and run ------------------------------------------------------------------------

function Get-PcTests($Block) {
    foreach ($item in $Block.Items) {
        if ($item.Kind -eq 'It') { $item } else { Get-PcTests $item }
    }
}

function Invoke-PcDiscovery([string] $Path, $SessionState) {
    $fileName = [System.IO.Path]::GetFileName($Path)
    $root = New-PcBlock -Name $fileName -Kind File -Parent $null -File $Path
    $script:Discovery = $root
    $discoveryError = $null
    try {
        $runFile = [scriptblock]::Create('param($__pc_path) $null = & $__pc_path')
        $null = $SessionState.InvokeCommand.InvokeScript($SessionState, $runFile, @($Path))
    }
    catch {
        $discoveryError = $_
    }
    finally {
        $script:Discovery = $null
    }
    # Ids: "File > Describe > Context > It", made unique within the file.
    $seen = @{}
    foreach ($test in Get-PcTests $root) {
        $id = (@(Get-PcBlockPath $test.Block) + $test.Name) -join ' > '
        if ($seen.ContainsKey($id)) { $seen[$id]++; $id = "$id #$($seen[$id])" } else { $seen[$id] = 1 }
        $test.Id = $id
    }
    [pscustomobject]@{ Root = $root; Error = $discoveryError }
}

function Format-PcError($ErrorRecord) {
    $info = $ErrorRecord.InvocationInfo
    $text = $ErrorRecord.Exception.Message
    if ($null -ne $info -and $info.ScriptName) {
        $text += "`nat $($info.ScriptName):$($info.ScriptLineNumber)`n    $($info.Line.Trim())"
    }
    if (-not $ErrorRecord.Exception.Data.Contains('PesterCompat.Assertion') -and $ErrorRecord.ScriptStackTrace) {
        $text += "`n$($ErrorRecord.ScriptStackTrace)"
    }
    $text
}

function New-PcResult($Test, [string] $Outcome, [string] $Message) {
    [pscustomobject]@{
        PSTypeName = 'PesterCompat.TestResult'
        Id         = $Test.Id
        Name       = $Test.Name
        File       = $Test.Block.File
        Line       = $Test.Line
        Outcome    = $Outcome
        Message    = $Message
    }
}

# What the walk (which runs in the test file's session state) calls back into.
$script:Api = @{
    StartTest = {
        param($Test)
        $script:Run.Assertions = 0
        if ($null -ne $script:Run.Progress) { $script:Run.Progress['Current'] = $Test.Id }
    }
    EndTest   = {
        param($Test, $ErrorRecord)
        if ($null -ne $ErrorRecord) {
            $script:Run.Results[$Test.Id] = New-PcResult $Test Failed (Format-PcError $ErrorRecord)
        }
        elseif ($script:Run.Assertions -eq 0) {
            $script:Run.Results[$Test.Id] = New-PcResult $Test Failed "The test ran no Should assertion, so it could not fail (an assertion in a loop over an empty collection?).`nat $($Test.Block.File):$($Test.Line)"
        }
        else {
            $script:Run.Results[$Test.Id] = New-PcResult $Test Passed ''
        }
    }
    Skip      = {
        param($Test)
        $script:Run.Results[$Test.Id] = New-PcResult $Test Skipped 'Skipped (-Skip).'
    }
    FailBlock = {
        # A hook failed: every test of the block that has no failure yet fails with it.
        param($Block, $ErrorRecord, [string] $Hook)
        $message = "$Hook in '$($Block.Name)' failed: $(Format-PcError $ErrorRecord)"
        foreach ($test in Get-PcTests $Block) {
            $previous = $script:Run.Results[$test.Id]
            if ($null -eq $previous -or $previous.Outcome -eq 'Passed') {
                $script:Run.Results[$test.Id] = New-PcResult $test Failed $message
            }
        }
    }
    EachHooks = {
        # BeforeEach outermost first, AfterEach innermost first, as Pester runs them.
        param($Test)
        $before = [System.Collections.Generic.List[scriptblock]]::new()
        $after = [System.Collections.Generic.List[scriptblock]]::new()
        for ($b = $Test.Block; $null -ne $b; $b = $b.Parent) {
            $before.InsertRange(0, $b.BeforeEach)
            $after.AddRange($b.AfterEach)
        }
        , @($before, $after)
    }
}

# The walk. It runs in the test file's session state so that the scopes it makes (& { }) are the
# scopes the test script blocks see; BeforeAll and the each-hooks are dot-sourced into them.
$script:Walk = @'
param($__pc_root, $__pc_api)
$__pc_runBlock = {
    param($__pc_block)
    $__pc_failed = $false
    try {
        foreach ($__pc_hook in $__pc_block.BeforeAll) { $null = . $__pc_hook }
    }
    catch {
        $__pc_failed = $true
        & $__pc_api.FailBlock $__pc_block $_ 'BeforeAll'
    }
    if (-not $__pc_failed) {
        foreach ($__pc_item in $__pc_block.Items) {
            if ($__pc_item.Kind -ne 'It') {
                & $__pc_runBlock $__pc_item
                continue
            }
            if ($__pc_item.Skip) {
                & $__pc_api.Skip $__pc_item
                continue
            }
            & {
                param($__pc_test)
                $__pc_hooks = & $__pc_api.EachHooks $__pc_test
                $__pc_error = $null
                & $__pc_api.StartTest $__pc_test
                try {
                    foreach ($__pc_kv in $__pc_test.Data.GetEnumerator()) {
                        $ExecutionContext.SessionState.PSVariable.Set($__pc_kv.Key, $__pc_kv.Value)
                    }
                    foreach ($__pc_hook in $__pc_hooks[0]) { $null = . $__pc_hook }
                    $__pc_body = $__pc_test.Body
                    $__pc_data = $__pc_test.Data
                    $null = . $__pc_body @__pc_data
                }
                catch {
                    $__pc_error = $_
                }
                foreach ($__pc_hook in $__pc_hooks[1]) {
                    try { $null = . $__pc_hook } catch { if ($null -eq $__pc_error) { $__pc_error = $_ } }
                }
                & $__pc_api.EndTest $__pc_test $__pc_error
            } $__pc_item
        }
    }
    try {
        foreach ($__pc_hook in $__pc_block.AfterAll) { $null = . $__pc_hook }
    }
    catch {
        & $__pc_api.FailBlock $__pc_block $_ 'AfterAll'
    }
}
& $__pc_runBlock $__pc_root
'@

<#
.SYNOPSIS
Discovers and runs one Pester 5 test file; returns one result per It (Id, Name, File, Line,
Outcome Passed/Failed/Skipped/NotRun, Message). With -DiscoveryOnly nothing but discovery runs and
every result is NotRun (or Skipped). A file that fails discovery gives one Failed result with the
Id "<file> > (discovery)".
#>
function Invoke-PesterCompat {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [switch] $DiscoveryOnly,
        # Optional: the runner sets its 'Current' key to the Id of the It it is running, for a
        # host that wants to say which It hung.
        [System.Collections.IDictionary] $Progress
    )
    # Resolve-Path is not a Core cmdlet; the hosted engine lacks it.
    $Path = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not [System.IO.File]::Exists($Path)) { throw "The test file '$Path' does not exist." }
    # The caller's session state: the test file runs there, as it would under Invoke-Pester.
    $state = $PSCmdlet.SessionState
    $discovery = Invoke-PcDiscovery -Path $Path -SessionState $state
    $tests = @(Get-PcTests $discovery.Root)
    if ($null -ne $discovery.Error) {
        [pscustomobject]@{
            PSTypeName = 'PesterCompat.TestResult'
            Id = "$([System.IO.Path]::GetFileName($Path)) > (discovery)"; Name = '(discovery)'; File = $Path; Line = 0
            Outcome = 'Failed'; Message = "Discovery of $Path failed: $(Format-PcError $discovery.Error)"
        }
        return
    }
    if ($DiscoveryOnly) {
        foreach ($test in $tests) { New-PcResult $test $(if ($test.Skip) { 'Skipped' } else { 'NotRun' }) '' }
        return
    }

    $script:Run = @{ Assertions = 0; Results = @{}; Progress = $Progress }
    try {
        $walk = [scriptblock]::Create($script:Walk)
        try {
            $null = $state.InvokeCommand.InvokeScript($state, $walk, @($discovery.Root, $script:Api))
        }
        catch {
            # Only a failure of the runner itself gets here; the tests still without a result fail with it.
            $runError = $_
            foreach ($test in $tests) {
                if (-not $script:Run.Results.ContainsKey($test.Id)) {
                    $script:Run.Results[$test.Id] = New-PcResult $test Failed "The run stopped: $(Format-PcError $runError)"
                }
            }
        }
        foreach ($test in $tests) {
            if ($script:Run.Results.ContainsKey($test.Id)) { $script:Run.Results[$test.Id] }
            else { New-PcResult $test Failed 'The test was discovered but never ran.' }
        }
    }
    finally {
        $script:Run = $null
    }
}

Export-ModuleMember -Function Describe, Context, It, BeforeAll, AfterAll, BeforeEach, AfterEach, Should, Invoke-PesterCompat
