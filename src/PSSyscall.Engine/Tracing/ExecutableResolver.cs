namespace PSSyscall.Engine.Tracing;

/// <summary>
/// Resolves a command the way a POSIX shell does: a name containing '/' is a path (relative to
/// the working directory), any other name is looked up in PATH, and a candidate counts only if it
/// is a regular file we may execute. A name found only without execute permission is reported as
/// such rather than as missing, as execvp does.
/// </summary>
public static class ExecutableResolver
{
    public static string Resolve(string command, string workingDirectory, string? path = null)
    {
        if (string.IsNullOrEmpty(command))
            throw new TraceException(TraceFailure.CommandNotFound, command, "The command name is empty.");

        if (command.Contains('/'))
        {
            string full = Path.GetFullPath(command, workingDirectory);
            return Check(full) switch
            {
                Verdict.Executable => full,
                Verdict.NotExecutable => throw NotExecutable(command, full),
                _ => throw new TraceException(TraceFailure.CommandNotFound, command, $"The file '{full}' does not exist.", Native.Libc.ENOENT),
            };
        }

        string? deniedAt = null;
        foreach (string dir in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? workingDirectory : Path.GetFullPath(dir, workingDirectory), command);
            switch (Check(candidate))
            {
                case Verdict.Executable:
                    return candidate;
                case Verdict.NotExecutable:
                    deniedAt ??= candidate;
                    break;
            }
        }
        if (deniedAt is not null)
            throw NotExecutable(command, deniedAt);
        throw new TraceException(TraceFailure.CommandNotFound, command,
            $"The command '{command}' was not found in PATH.", Native.Libc.ENOENT);
    }

    private static TraceException NotExecutable(string command, string full)
        => new(TraceFailure.PermissionDenied, command, $"The file '{full}' is not an executable file, or you may not execute it.", Native.Libc.EACCES);

    private enum Verdict { Missing, NotExecutable, Executable }

    private static Verdict Check(string file)
    {
        // FileInfo follows symlinks; Exists is false for a directory, which is never a command.
        var info = new FileInfo(file);
        if (!info.Exists)
            return Directory.Exists(file) ? Verdict.NotExecutable : Verdict.Missing;
        // access(X_OK) judges as execve does for the real uid (root too needs an execute bit).
        if (Native.Libc.access(file, Native.Libc.X_OK) != 0)
            return Verdict.NotExecutable;
        return Verdict.Executable;
    }
}
