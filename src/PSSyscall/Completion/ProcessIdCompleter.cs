using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Completion;

/// <summary>
/// Tab completion of process ids (Start-TracedProcess -Id, New-SyscallFault -ProcessId): the
/// running processes whose id or command name starts with the word, listed as "1234 sleep" with
/// the command line as the tooltip, so <c>-Id sle&lt;Tab&gt;</c> finds sleep's pid. Never file names.
/// </summary>
public sealed class ProcessIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        var results = new List<(int Pid, CompletionResult Result)>();
        foreach (string dir in SafeDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                continue;
            string name = ProcFs.ReadCommand(pid);
            string id = pid.ToString(CultureInfo.InvariantCulture);
            if (!id.StartsWith(word, StringComparison.Ordinal) && !name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                continue;
            string commandLine = ReadCommandLine(pid);
            results.Add((pid, new CompletionResult(id, $"{id} {name}", CompletionResultType.ParameterValue,
                commandLine.Length > 0 ? commandLine : name.Length > 0 ? name : id)));
        }
        return results.OrderBy(r => r.Pid).Select(r => r.Result).ToList();
    }

    /// <summary>/proc/PID/cmdline with its NULs as spaces ("" for a kernel thread or a process gone).</summary>
    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static IEnumerable<string> SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (IOException)
        {
            return Array.Empty<string>();
        }
        catch (UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }
}
