using System.Management.Automation;

namespace PSSyscall.Commands;

/// <summary>
/// Export-Csv's conventions for every file a cmdlet writes (Export-SyscallEvent,
/// Export-SeccompFilter, Start-TracedProcess -OutFile): an existing file is replaced unless
/// -NoClobber says not to (-Append adds to it either way); -Force also replaces a read-only file;
/// -WhatIf and -Confirm ask first.
/// </summary>
internal static class OutputFileGuard
{
    /// <summary>True when the cmdlet may write <paramref name="file"/>. False when the user declined
    /// (-WhatIf, -Confirm); a file -NoClobber protects ends the cmdlet with error NoClobber
    /// (ResourceExists), as Export-Csv does.</summary>
    public static bool MayWrite(PSCmdlet cmdlet, string file, bool noClobber, bool append, bool force, string action)
    {
        ThrowIfProtected(cmdlet, file, noClobber, append);
        if (!cmdlet.ShouldProcess(file, action))
            return false;
        if (force && File.Exists(file))
            MakeWritable(file);
        return true;
    }

    /// <summary>Ends the cmdlet with error NoClobber when -NoClobber protects an existing file.</summary>
    public static void ThrowIfProtected(PSCmdlet cmdlet, string file, bool noClobber, bool append)
    {
        if (noClobber && !append && File.Exists(file))
        {
            string message = $"The file '{file}' already exists, and -NoClobber was given. Remove -NoClobber to replace it, or choose another file.";
            cmdlet.ThrowTerminatingError(new ErrorRecord(new IOException(message), "NoClobber", ErrorCategory.ResourceExists, file)
            {
                ErrorDetails = new ErrorDetails(message),
            });
        }
    }

    /// <summary>-Force: a read-only file gets its owner's write permission back, as Export-Csv
    /// -Force clears the read-only attribute.</summary>
    private static void MakeWritable(string file)
    {
        try
        {
            UnixFileMode mode = File.GetUnixFileMode(file);
            if ((mode & UnixFileMode.UserWrite) == 0)
                File.SetUnixFileMode(file, mode | UnixFileMode.UserWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write that follows reports what is wrong.
        }
    }
}
