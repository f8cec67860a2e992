using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace PSSyscall.Module.Tests;

/// <summary>A real PowerShell runspace with the built module imported, as a user's pwsh would
/// have it (less the Utility cmdlets the hosted engine lacks).</summary>
public sealed class HostedPowerShell : IDisposable
{
    public static string ModulePath { get; } = Metadata("PSSyscallModulePath");
    public static string RepoRoot { get; } = Metadata("RepoRoot");
    public static string ShellPath { get; } = Metadata("ShellPath");

    private readonly Runspace _runspace;

    public HostedPowerShell()
    {
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(ModulePath);
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
    }

    public Runspace Runspace => _runspace;

    /// <summary>Runs a script; returns its output and the errors it wrote.</summary>
    public (Collection<PSObject> Output, List<ErrorRecord> Errors) Run(string script, IDictionary<string, object?>? variables = null)
    {
        using PowerShell ps = PowerShell.Create(_runspace);
        if (variables is not null)
            foreach (var (name, value) in variables)
                _runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        Collection<PSObject> output = ps.Invoke();
        return (output, ps.Streams.Error.ToList());
    }

    /// <summary>Runs a script expected to fail; returns the first error (terminating or not).</summary>
    public ErrorRecord RunExpectingError(string script)
    {
        using PowerShell ps = PowerShell.Create(_runspace);
        ps.AddScript(script);
        try
        {
            ps.Invoke();
        }
        catch (RuntimeException e)
        {
            return e.ErrorRecord;
        }
        return ps.Streams.Error.FirstOrDefault() ?? throw new Xunit.Sdk.XunitException("The script did not fail: " + script);
    }

    public object? GetVariable(string name) => _runspace.SessionStateProxy.GetVariable(name);

    public void Dispose() => _runspace.Dispose();

    private static string Metadata(string key)
        => typeof(HostedPowerShell).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;
}
