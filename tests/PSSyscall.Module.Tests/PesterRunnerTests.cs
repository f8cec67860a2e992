namespace PSSyscall.Module.Tests;

/// <summary>
/// The Pester-compatible runner itself, on sample files written to a temporary directory: that
/// failures fail (with the failing line), that scoping and hooks follow Pester 5, and that each
/// Should operator passes and fails where Pester's would. In the operator samples an It's name
/// starts with "pass:" or "fail:", the outcome it must have.
/// </summary>
public sealed class PesterRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pssyscall-pester-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IReadOnlyList<PesterResult> RunSample(string name, string text)
    {
        string file = Path.Combine(_dir, name);
        File.WriteAllText(file, text);
        return PesterRunner.Run(file);
    }

    private static PesterResult Single(IReadOnlyList<PesterResult> results, string name)
        => Assert.Single(results, r => r.Name == name);

    [Fact]
    public void AFailingShouldFailsTheTestAndNamesTheLine()
    {
        var results = RunSample("Failing.Tests.ps1", """
            Describe 'sample' {
                It 'fails' {
                    $x = 2
                    $x | Should -Be 3
                }
                It 'passes' {
                    1 | Should -Be 1
                }
            }
            """);
        PesterResult failed = Single(results, "fails");
        Assert.Equal("Failed", failed.Outcome);
        Assert.Equal("Failing.Tests.ps1 > sample > fails", failed.Id);
        Assert.Contains("Expected 3 but got 2.", failed.Message);
        Assert.Contains($"{Path.Combine(_dir, "Failing.Tests.ps1")}:4", failed.Message);
        Assert.Contains("$x | Should -Be 3", failed.Message);
        Assert.Equal("Passed", Single(results, "passes").Outcome);
    }

    [Fact]
    public void AnItWhoseShouldIsNeverReachedFails()
    {
        var results = RunSample("Unreached.Tests.ps1", """
            Describe 'sample' {
                It 'asserts on each of nothing' {
                    foreach ($item in @()) { $item | Should -Be 1 }
                }
                It 'asserts on an empty pipeline' {
                    @() | Where-Object { $_ } | Should -Be 1
                }
            }
            """);
        Assert.Equal("Failed", Single(results, "asserts on each of nothing").Outcome);
        Assert.Contains("ran no Should assertion", Single(results, "asserts on each of nothing").Message);
        // An empty pipeline still asserts, on $null, as in Pester.
        Assert.Equal("Failed", Single(results, "asserts on an empty pipeline").Outcome);
    }

    [Fact]
    public void ErrorsInTestsAndHooksFailTheTestsTheyConcern()
    {
        var results = RunSample("Errors.Tests.ps1", """
            Describe 'throwing test' {
                It 'throws' { throw 'boom' }
                It 'calls a missing command' { Get-NoSuchThing; 1 | Should -Be 1 }
            }
            Describe 'failing BeforeAll' {
                BeforeAll { throw 'setup broke' }
                It 'a' { 1 | Should -Be 1 }
                Context 'inner' {
                    It 'b' { 1 | Should -Be 1 }
                }
            }
            Describe 'failing AfterEach' {
                AfterEach { throw 'cleanup broke' }
                It 'c' { 1 | Should -Be 1 }
            }
            Describe 'unaffected' {
                It 'd' { 1 | Should -Be 1 }
            }
            """);
        Assert.Contains("boom", Single(results, "throws").Message);
        Assert.Equal("Failed", Single(results, "throws").Outcome);
        // A missing command throws inside the It's try, as in Pester.
        Assert.Equal("Failed", Single(results, "calls a missing command").Outcome);
        Assert.Contains("Get-NoSuchThing", Single(results, "calls a missing command").Message);
        Assert.Equal("Failed", Single(results, "a").Outcome);
        Assert.Contains("BeforeAll in 'failing BeforeAll' failed: setup broke", Single(results, "a").Message);
        Assert.Equal("Failed", Single(results, "b").Outcome);
        Assert.Equal("Failed", Single(results, "c").Outcome);
        Assert.Contains("cleanup broke", Single(results, "c").Message);
        Assert.Equal("Passed", Single(results, "d").Outcome);
    }

    [Fact]
    public void AHangingFileIsStoppedAndNamesTheItThatHung()
    {
        string file = Path.Combine(_dir, "Hang.Tests.ps1");
        File.WriteAllText(file, """
            Describe 'sample' {
                It 'finishes' { 1 | Should -Be 1 }
                It 'spins' { while ($true) { } }
            }
            """);
        var e = Assert.Throws<TimeoutException>(() => PesterRunner.Run(file, TimeSpan.FromSeconds(3)));
        Assert.Contains("it was running 'Hang.Tests.ps1 > sample > spins'", e.Message);
    }

    [Fact]
    public void ADiscoveryFailureIsOneFailedResult()
    {
        var results = RunSample("Broken.Tests.ps1", """
            Describe 'sample' {
                throw 'discovery broke'
                It 'never seen' { 1 | Should -Be 1 }
            }
            """);
        PesterResult r = Assert.Single(results);
        Assert.Equal("Broken.Tests.ps1 > (discovery)", r.Id);
        Assert.Equal("Failed", r.Outcome);
        Assert.Contains("discovery broke", r.Message);
    }

    [Fact]
    public void ScopingFollowsPester5()
    {
        File.WriteAllText(Path.Combine(_dir, "Support.ps1"), "function Get-Answer { 42 }");
        var results = RunSample("Scoping.Tests.ps1", """
            BeforeAll {
                . $PSScriptRoot/Support.ps1
                $fileLevel = 'file'
            }
            Describe 'outer' {
                BeforeAll {
                    $outer = 'outer'
                    $log = [System.Collections.Generic.List[string]]::new()
                }
                BeforeEach { $each = 'each'; $log.Add('before') }
                AfterEach { $log.Add('after') }
                It 'sees BeforeAll variables, dot-sourced functions and BeforeEach variables' {
                    Get-Answer | Should -Be 42
                    $fileLevel | Should -Be 'file'
                    $outer | Should -Be 'outer'
                    $each | Should -Be 'each'
                    $PSScriptRoot | Should -Be ([System.IO.Path]::GetDirectoryName($PSCommandPath))
                    $leak = 'set by a test'
                }
                It 'does not see what another It set' {
                    $leak | Should -BeNullOrEmpty
                }
                Context 'inner' {
                    BeforeAll { $inner = "inner of $outer" }
                    BeforeEach { $log.Add('inner before') }
                    It 'runs outer hooks first and sees both levels' {
                        $inner | Should -Be 'inner of outer'
                        ($log -join ',') | Should -Be 'before,after,before,after,before,inner before'
                    }
                }
                Context 'sibling' {
                    It 'does not see a sibling block''s BeforeAll' {
                        $inner | Should -BeNullOrEmpty
                    }
                }
                It 'runs in the order written, after the Contexts' {
                    # 2 + 2 for the first Its, 3 in inner, 2 in sibling, and this one's BeforeEach.
                    $log.Count | Should -Be 10
                }
            }
            Describe 'cases and skips' {
                It 'case <Name> has value <Value>' -TestCases @(
                    @{ Name = 'one'; Value = 1 }
                    @{ Name = 'two'; Value = 2 }
                ) {
                    param($Name, $Value)
                    $Value | Should -BeGreaterThan 0
                    $Name | Should -BeLike 't*'
                }
                It 'is skipped' -Skip { throw 'must not run' }
            }
            """);
        foreach (var r in results.Where(r => r.Name.StartsWith("case ", StringComparison.Ordinal) || r.Name == "is skipped"))
            Assert.DoesNotContain("must not run", r.Message);
        Assert.All(results.Where(r => r.Id.Contains(" > outer > ", StringComparison.Ordinal)), r => Assert.True(r.Outcome == "Passed", $"{r.Id}: {r.Message}"));
        Assert.Equal(5, results.Count(r => r.Id.Contains(" > outer > ", StringComparison.Ordinal)));
        // TestCases: one test per case, names expanded, variables bound; the 'one' case fails its -BeLike.
        Assert.Equal("Failed", Single(results, "case one has value 1").Outcome);
        Assert.Equal("Passed", Single(results, "case two has value 2").Outcome);
        Assert.Equal("Skipped", Single(results, "is skipped").Outcome);
    }

    [Fact]
    public void ShouldOperatorsPassAndFailAsInPester()
    {
        var results = RunSample("Should.Tests.ps1", """
            Describe 'Should' {
                It 'pass: Be' { 3 | Should -Be 3; 'abc' | Should -Be 'ABC'; $null | Should -Be $null; @(1, 2) | Should -Be @(1, 2) }
                It 'fail: Be' { 3 | Should -Be 4 }
                It 'fail: Be with arrays of another length' { @(1, 2) | Should -Be @(1, 2, 3) }
                It 'pass: Not Be' { 3 | Should -Not -Be 4 }
                It 'fail: Not Be' { 3 | Should -Not -Be 3 }
                It 'pass: BeExactly' { 'abc' | Should -BeExactly 'abc' }
                It 'fail: BeExactly' { 'abc' | Should -BeExactly 'ABC' }
                It 'pass: comparisons' { 5 | Should -BeGreaterThan 4; 5 | Should -BeLessThan 6; 5 | Should -BeGreaterOrEqual 5; 5 | Should -BeLessOrEqual 5 }
                It 'fail: BeGreaterThan' { 4 | Should -BeGreaterThan 4 }
                It 'fail: BeLessThan' { 4 | Should -BeLessThan 4 }
                It 'fail: BeGreaterOrEqual' { 3 | Should -BeGreaterOrEqual 4 }
                It 'fail: BeLessOrEqual' { 5 | Should -BeLessOrEqual 4 }
                It 'pass: Contain' { @('a', 'b') | Should -Contain 'b'; @('a') | Should -Not -Contain 'z' }
                It 'fail: Contain' { @('a', 'b') | Should -Contain 'z' }
                It 'pass: Match and BeLike' { 'openat' | Should -Match '^open'; 'openat' | Should -BeLike 'open*' }
                It 'fail: Match' { 'openat' | Should -Match '^close' }
                It 'fail: BeLike' { 'openat' | Should -BeLike 'close*' }
                It 'pass: BeNullOrEmpty' { $null | Should -BeNullOrEmpty; '' | Should -BeNullOrEmpty; @() | Should -BeNullOrEmpty; 'x' | Should -Not -BeNullOrEmpty }
                It 'fail: BeNullOrEmpty' { 'x' | Should -BeNullOrEmpty }
                It 'fail: Not BeNullOrEmpty' { $null | Should -Not -BeNullOrEmpty }
                It 'pass: HaveCount' { @(1, 2, 3) | Should -HaveCount 3; @() | Should -HaveCount 0; 'one' | Should -HaveCount 1 }
                It 'fail: HaveCount' { @(1, 2) | Should -HaveCount 3 }
                It 'pass: BeTrue and BeFalse' { $true | Should -BeTrue; 1 | Should -BeTrue; $false | Should -BeFalse; 0 | Should -BeFalse }
                It 'fail: BeTrue' { $false | Should -BeTrue }
                It 'fail: BeFalse' { $true | Should -BeFalse }
                It 'pass: BeOfType' { 1 | Should -BeOfType [int]; 'x' | Should -BeOfType System.String; 1 | Should -Not -BeOfType [string] }
                It 'fail: BeOfType' { 1 | Should -BeOfType [string] }
                It 'pass: Throw' {
                    { throw 'bad thing' } | Should -Throw
                    { throw 'bad thing' } | Should -Throw 'bad*'
                    { throw [System.IO.FileNotFoundException]::new('gone') } | Should -Throw -ExceptionType ([System.IO.IOException])
                    { Get-Command no-such-command-xyz -ErrorAction Stop } | Should -Throw -ErrorId CommandNotFoundException
                    { 1 } | Should -Not -Throw
                }
                It 'fail: Throw without an exception' { { 1 } | Should -Throw }
                It 'fail: Throw with another message' { { throw 'bad thing' } | Should -Throw 'other*' }
                It 'fail: Throw with another ErrorId' { { throw 'bad thing' } | Should -Throw -ErrorId NoSuchId }
                It 'fail: Throw with another exception type' { { throw 'bad thing' } | Should -Throw -ExceptionType ([System.IO.IOException]) }
                It 'fail: Not Throw' { { throw 'bad thing' } | Should -Not -Throw }
                It 'fail: Because' { 1 | Should -Be 2 -Because 'one is not two' }
                It 'pass: ActualValue by name' { Should -ActualValue 3 -Be 3 }
            }
            """);
        Assert.True(results.Count >= 30, $"only {results.Count} results");
        foreach (PesterResult r in results)
        {
            string expected = r.Name.StartsWith("pass:", StringComparison.Ordinal) ? "Passed" : "Failed";
            Assert.True(expected == r.Outcome, $"{r.Name}: expected {expected}, got {r.Outcome}. {r.Message}");
        }
        Assert.Contains("Expected 2, because one is not two, but got 1.", Single(results, "fail: Because").Message);
        Assert.Contains("bad thing", Single(results, "fail: Not Throw").Message);
    }
}
