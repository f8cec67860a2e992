using System.Management.Automation;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Commands;

/// <summary>Maps engine launch/attach failures to ErrorRecords with stable ids and categories.</summary>
internal static class TraceErrors
{
    /// <summary>Resolves a command as a shell would, from the PowerShell location (not the process's
    /// working directory). A command that is missing or not executable ends the cmdlet with its
    /// ErrorRecord (null is returned then): a terminating error, unless the user silenced errors
    /// (-ErrorAction SilentlyContinue or Ignore, or $ErrorActionPreference), which silences this
    /// one too, as it does for a missing item.</summary>
    public static (string Path, string WorkingDirectory)? ResolveCommand(PSCmdlet cmdlet, string command)
    {
        string cwd = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        try
        {
            return (ExecutableResolver.Resolve(command, cwd), cwd);
        }
        catch (TraceException e)
        {
            ErrorRecord record = FromTraceException(e);
            if (ErrorsSilenced(cmdlet))
                cmdlet.WriteError(record);
            else
                cmdlet.ThrowTerminatingError(record);
            return null;
        }
    }

    private static bool ErrorsSilenced(PSCmdlet cmdlet)
    {
        object? preference = cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? bound)
            ? bound : cmdlet.GetVariableValue("ErrorActionPreference");
        if (preference is PSObject pso)
            preference = pso.BaseObject;
        return LanguagePrimitives.TryConvertTo(preference, out ActionPreference action)
            && action is ActionPreference.SilentlyContinue or ActionPreference.Ignore;
    }

    public static ErrorRecord FromTraceException(TraceException e) => ModuleErrors.From(e);
}
