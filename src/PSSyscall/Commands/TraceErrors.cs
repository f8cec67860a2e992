using System.Management.Automation;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Commands;

/// <summary>Maps engine launch/attach failures to ErrorRecords with stable ids and categories.</summary>
internal static class TraceErrors
{
    /// <summary>Resolves a command as a shell would, from the PowerShell location (not the process's
    /// working directory); a command that is missing or not executable ends the cmdlet with its
    /// ErrorRecord.</summary>
    public static (string Path, string WorkingDirectory) ResolveCommandOrThrow(PSCmdlet cmdlet, string command)
    {
        string cwd = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        try
        {
            return (ExecutableResolver.Resolve(command, cwd), cwd);
        }
        catch (TraceException e)
        {
            cmdlet.ThrowTerminatingError(FromTraceException(e));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    public static ErrorRecord FromTraceException(TraceException e) => ModuleErrors.From(e);
}
