using System.Collections.ObjectModel;
using System.Management.Automation;
using PSSyscall.Engine.Storage;

namespace PSSyscall.Commands;

/// <summary>
/// Turns -Path (wildcards) and -LiteralPath values into file-system paths, as Get-Content does. A
/// path that names no file but is the PREFIX of strace -ff -o PREFIX files stands for those files.
/// Missing paths become one error each; the others are returned.
/// </summary>
internal static class TraceFilePathResolver
{
    public static List<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (string.IsNullOrEmpty(path))
                continue;
            if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
            {
                try
                {
                    Collection<string> resolved = cmdlet.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                    if (!IsFileSystem(cmdlet, provider, path))
                        continue;
                    if (resolved.Count == 0)
                        cmdlet.WriteError(TraceFileErrors.NotFound(path));
                    files.AddRange(resolved.Where(p => !Directory.Exists(p)));
                }
                catch (ItemNotFoundException)
                {
                    cmdlet.WriteError(TraceFileErrors.NotFound(path));
                }
                continue;
            }
            string full;
            try
            {
                full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                if (!IsFileSystem(cmdlet, provider, path))
                    continue;
            }
            catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                cmdlet.WriteError(TraceFileErrors.NotFound(path));
                continue;
            }
            if (File.Exists(full) || Directory.Exists(full))
            {
                files.Add(full);
                continue;
            }
            IReadOnlyList<string> perProcess = TraceFiles.FindPerProcessFiles(full);
            if (perProcess.Count > 0)
                files.AddRange(perProcess);
            else
                cmdlet.WriteError(TraceFileErrors.NotFound(path));
        }
        return files;
    }

    private static bool IsFileSystem(PSCmdlet cmdlet, ProviderInfo provider, string path)
    {
        if (provider.Name == "FileSystem")
            return true;
        string message = $"'{path}' is on the {provider.Name} provider; trace files must be on the file system.";
        var record = new ErrorRecord(new ArgumentException(message), "NotFileSystemPath", ErrorCategory.InvalidArgument, path);
        record.ErrorDetails = new ErrorDetails(message);
        cmdlet.WriteError(record);
        return false;
    }
}
