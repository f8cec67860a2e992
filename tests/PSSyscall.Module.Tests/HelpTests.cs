using System.Management.Automation;

namespace PSSyscall.Module.Tests;

/// <summary>Get-Help in a runspace with the built module imported reads the MAML that
/// tools/HelpBuilder made from docs/en-US. (The hosted engine has no Out-String, so the tests read
/// the help object's properties, which are what Get-Help's views print.)</summary>
public class HelpTests
{
    [Fact]
    public void FullHelpHasSynopsisSyntaxParametersAndOutputs()
    {
        using var ps = new HostedPowerShell();
        var (output, errors) = ps.Run("Get-Help Start-TracedProcess -Full");
        Assert.Empty(errors);
        PSObject help = Assert.Single(output);
        // Without MAML, Get-Help makes a stub whose synopsis is the syntax line.
        Assert.StartsWith("Runs a command, or attaches to running processes, under a ptrace tracer", help.Properties["Synopsis"].Value?.ToString());

        var (names, _) = ps.Run("(Get-Help Start-TracedProcess -Full).parameters.parameter | ForEach-Object name");
        Assert.Equal(new[] { "ArgumentList", "Class", "ExcludeName", "Failed", "FilePath", "Id", "Inject", "Name", "NoFollow", "OutFile", "Path", "StringLimit", "Successful", "Summary" }, names.Select(n => n.ToString()).ToArray());

        var (filePath, _) = ps.Run("(Get-Help Start-TracedProcess -Parameter FilePath) | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.required, $_.position, $_.type.name, $_.description[0].Text }");
        Assert.StartsWith("true|0|String|The command to run", filePath.Single().ToString());

        var (syntax, _) = ps.Run("(Get-Help Start-TracedProcess -Full).syntax.syntaxItem | ForEach-Object { ($_.parameter | ForEach-Object name) -join ',' }");
        Assert.Equal(new[] { "FilePath,ArgumentList,NoFollow,OutFile,Summary,Name,Class,ExcludeName,Failed,Successful,Path,StringLimit,Inject", "Id,NoFollow,OutFile,Summary,Name,Class,ExcludeName,Failed,Successful,Path,StringLimit,Inject" }, syntax.Select(s => s.ToString()).ToArray());

        var (outputs, _) = ps.Run("(Get-Help Start-TracedProcess -Full).returnValues.returnValue | ForEach-Object { $_.type.name }");
        Assert.Equal(new[] { "PSSyscall.SyscallEvent", "PSSyscall.SignalEvent", "PSSyscall.ProcessExitEvent", "PSSyscall.SyscallSummary" }, outputs.Select(s => s.ToString()).ToArray());

        var (notes, _) = ps.Run("(Get-Help Start-TracedProcess -Full).alertSet.alert | ForEach-Object Text");
        Assert.Contains(notes, n => n.ToString()!.Contains("CommandNotExecutable (PermissionDenied)"));
    }

    [Fact]
    public void ExamplesShowTitleCodeAndRemarks()
    {
        using var ps = new HostedPowerShell();
        var (examples, errors) = ps.Run("(Get-Help Start-TracedProcess -Examples).examples.example");
        Assert.Empty(errors);
        Assert.True(examples.Count >= 5, $"{examples.Count} examples");
        PSObject first = examples[0];
        Assert.Contains("Example 1: The files a command opens", first.Properties["title"].Value?.ToString());
        Assert.Equal("Start-TracedProcess ls / | Where-Object Name -eq openat", first.Properties["code"].Value?.ToString());
        var (remarks, _) = ps.Run("(Get-Help Start-TracedProcess -Examples).examples.example[0].remarks | ForEach-Object Text");
        Assert.Contains(remarks, r => r.ToString()!.Contains("keeps only its openat calls"));
    }

    // For each command: a line per problem with its help, nothing when its help is complete.
    private const string CheckHelp = """
        param($Commands)
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($command in $Commands) {
            $help = Get-Help $command.Name -Full
            # Without a MAML entry Get-Help makes a stub (ExtendedCmdletHelpInfo) from the cmdlet itself.
            if ($help.PSObject.TypeNames -notcontains 'MamlCommandHelpInfo') {
                "$($command.Name): no help page (docs/en-US/$($command.Name).md)"
                continue
            }
            $documented = @($help.parameters.parameter | ForEach-Object name)
            foreach ($p in $command.Parameters.Keys) {
                if ($p -notin $common -and $p -notin $documented) { "$($command.Name): -$p is not documented" }
            }
            foreach ($p in $documented) {
                if (-not $command.Parameters.ContainsKey($p)) { "$($command.Name): documents -$p, which it does not have" }
            }
        }
        """;

    [Fact]
    public void EveryExportedCmdletIsDocumentedWithItsParameters()
    {
        // Each cmdlet's help lists exactly the parameters the cmdlet has (less the common ones):
        // a cmdlet or parameter without documentation, or a page that documents a parameter the
        // cmdlet lacks, fails here rather than in a user's Get-Help.
        using var ps = new HostedPowerShell();
        var (problems, errors) = ps.Run($"& {{ {CheckHelp} }} (Get-Command -Module PSSyscall -CommandType Cmdlet)");
        Assert.Empty(errors);
        Assert.Empty(problems.Select(p => p.ToString()));

        // The check itself: a cmdlet without MAML help (the engine's own, whose help is not installed here) is caught.
        var (stub, _) = ps.Run($"& {{ {CheckHelp} }} (Get-Command Import-Module)");
        Assert.Equal("Import-Module: no help page (docs/en-US/Import-Module.md)", Assert.Single(stub).ToString());
    }
}
