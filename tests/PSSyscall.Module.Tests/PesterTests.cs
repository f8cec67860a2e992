using Xunit.Abstractions;

namespace PSSyscall.Module.Tests;

/// <summary>
/// tests/Pester/*.Tests.ps1, one xunit case per It ("File &gt; Describe &gt; Context &gt; It").
/// Discovery runs when xunit enumerates the cases; each file then runs once, in its own runspace,
/// and each case reports its It's outcome with the failing line.
/// </summary>
public class PesterTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Its()
    {
        foreach (string file in PesterRunner.TestFiles())
        {
            IReadOnlyList<PesterResult> tests;
            string? failure = null;
            try
            {
                tests = PesterRunner.Discover(file);
            }
            catch (Exception e)
            {
                tests = Array.Empty<PesterResult>();
                failure = e.Message;
            }
            if (failure is not null || tests.Count == 0)
                // Still a case, so a file that cannot be discovered (or has no It) fails the run.
                yield return new object[] { new PesterCase($"{Path.GetFileName(file)} > (discovery)") };
            foreach (PesterResult t in tests)
                yield return new object[] { new PesterCase(t.Id) };
        }
    }

    [Theory]
    [MemberData(nameof(Its))]
    public void It(PesterCase @case)
    {
        string test = @case.Id;
        string file = Path.Combine(PesterRunner.PesterDirectory, test[..test.IndexOf(" > ", StringComparison.Ordinal)]);
        Assert.True(File.Exists(file), $"The Pester file {file} of '{test}' is gone.");
        IReadOnlyList<PesterResult> results = PesterRunner.RunOnce(file);

        PesterResult? discovery = results.FirstOrDefault(r => r.Name == "(discovery)");
        if (discovery is not null)
            Assert.Fail(discovery.Message);
        if (test.EndsWith(" > (discovery)", StringComparison.Ordinal))
            Assert.Fail($"{file} has no It blocks.");

        PesterResult? result = results.FirstOrDefault(r => r.Id == test);
        Assert.True(result is not null, $"The It '{test}' was discovered but not run (renamed, or discovery differs between runs?).");
        switch (result!.Outcome)
        {
            case "Passed":
                break;
            case "Skipped":
                output.WriteLine($"Skipped: {test}");
                break;
            default:
                Assert.Fail($"{test}\n{result.Message}");
                break;
        }
    }
}
