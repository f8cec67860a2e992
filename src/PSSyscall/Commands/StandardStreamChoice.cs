using System.Management.Automation;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Commands;

/// <summary>
/// How Start-TracedProcess and Invoke-Sandboxed connect the program's standard streams, one rule
/// for both (about_PSSyscall, "The program's input and output"):
/// <list type="bullet">
/// <item>A -RedirectStandard* path wins: the program reads or writes that file.</item>
/// <item>Objects piped into the cmdlet are the program's stdin, one line each, as for a native command.</item>
/// <item>A stream that is a terminal of an interactive console host is handed to the program, so
/// interactive programs work as they do untraced.</item>
/// <item>Anywhere else (remoting, jobs, a host whose stdout is a pipe or a file) the program never
/// touches the host's own streams, which may carry PowerShell's protocol: stdin is /dev/null, and
/// what the program writes is captured and comes back through the cmdlet.</item>
/// </list>
/// </summary>
internal static class StandardStreamChoice
{
    /// <summary>Whether descriptor <paramref name="fd"/> of this process is a terminal that an
    /// interactive console host owns: only then may the program use it directly.</summary>
    public static bool HostTerminal(PSCmdlet cmdlet, int fd)
        => cmdlet.Host.Name == "ConsoleHost" && Libc.isatty(fd) == 1;

    public static StreamSpec Input(PSCmdlet cmdlet, string? redirect, IReadOnlyList<string>? pipedLines)
    {
        if (!string.IsNullOrEmpty(redirect))
            return StreamSpec.File(Resolve(cmdlet, redirect));
        if (pipedLines is not null)
            return StreamSpec.FromLines(pipedLines);
        return HostTerminal(cmdlet, 0) ? StreamSpec.Inherit : StreamSpec.Null;
    }

    /// <summary>stdout (fd 1) or stderr (fd 2): a file, the host's terminal, or captured.</summary>
    public static StreamSpec Output(PSCmdlet cmdlet, string? redirect, int fd, bool capture)
    {
        if (!string.IsNullOrEmpty(redirect))
            return StreamSpec.File(Resolve(cmdlet, redirect));
        return !capture && HostTerminal(cmdlet, fd) ? StreamSpec.Inherit : StreamSpec.Pipe;
    }

    private static string Resolve(PSCmdlet cmdlet, string path)
        => cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Writes a captured line to the information stream, tagged StandardOutput or
    /// StandardError. With <paramref name="show"/> it also carries PSHOST, so the host shows it as
    /// it shows Write-Host output (also after remoting and in Receive-Job); either way
    /// -InformationVariable and 6>&amp;1 collect it and 6>$null hides it. Information rather than
    /// errors for stderr: as for native commands in pwsh 7.4+, -ErrorAction does not apply to what a
    /// program writes to stderr.</summary>
    public static void WriteLine(Cmdlet cmdlet, CapturedLine line, string source, bool show)
    {
        var record = new InformationRecord(show ? new HostInformationMessage { Message = line.Text, NoNewLine = false } : line.Text, source);
        if (show)
            record.Tags.Add("PSHOST");
        record.Tags.Add(line.IsError ? "StandardError" : "StandardOutput");
        cmdlet.WriteInformation(record);
    }

    /// <summary>Whether this command's success stream is redirected (<c>&gt; $null</c>,
    /// <c>&gt; file</c>, <c>*&gt;</c>): then the program's output follows it out of sight instead of
    /// going to the terminal, as a native command's would.</summary>
    public static bool OutputRedirected(PSCmdlet cmdlet)
    {
        string? statement = cmdlet.MyInvocation.Statement;
        if (string.IsNullOrEmpty(statement))
            return false;
        var ast = System.Management.Automation.Language.Parser.ParseInput(statement, out _, out var errors);
        if (errors.Length > 0 || ast.Find(a => a is System.Management.Automation.Language.CommandAst, false) is not System.Management.Automation.Language.CommandAst command)
            return false;
        return command.Redirections.Any(r => r.FromStream is System.Management.Automation.Language.RedirectionStream.Output or System.Management.Automation.Language.RedirectionStream.All);
    }
}
