using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Text;

namespace PSSyscall.Formatting;

/// <summary>
/// Text for the computed columns of module/PSSyscall.Format.ps1xml. A view's last column has no
/// width, so it takes whatever the console leaves; these methods fill it with strace-like text
/// (<c>openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3</c>) whose arguments are shortened first, so
/// that the call's name and its whole result stay visible at 80 columns and a wider console shows
/// more arguments instead of padding.
/// </summary>
/// <remarks>
/// A format script block cannot learn the width of the table it is part of, and PowerShell cuts an
/// over-long cell at its end (where the result is). So the views ask the host for its width, as
/// PowerShell's own error view does: right for what users see in a console (Out-Default), and for
/// <c>Out-String -Width</c> up to the host's width. A narrower Out-String still cuts at the end.
/// </remarks>
public static class ViewText
{
    /// <summary>What a view assumes when the host has no console (a hosted runspace).</summary>
    private const int DefaultHostWidth = 120;

    /// <summary>The characters left for a view's last column: the host's width, less the other
    /// columns and their separators (<paramref name="fixedColumns"/>), less the one character a
    /// console leaves free at the end of its lines.</summary>
    public static int LastColumnWidth(PSHost? host, int fixedColumns)
    {
        int width = DefaultHostWidth;
        try
        {
            int hostWidth = host?.UI?.RawUI?.BufferSize.Width ?? 0;
            if (hostWidth > 0)
                width = hostWidth;
        }
        catch (Exception e) when (e is NotImplementedException or NotSupportedException or InvalidOperationException or IOException)
        {
            // A host without a raw UI: keep the default.
        }
        return Math.Max(8, width - 1 - fixedColumns);
    }

    /// <summary>One trace event as the default table's Call column shows it: a syscall as
    /// <c>name(arguments) = result</c>, a signal as <c>--- SIGCHLD {...} ---</c>, an exit as
    /// <c>+++ exited with 0 +++</c>, shortened to <paramref name="width"/> characters.</summary>
    public static string Call(object? traceEvent, int width) => Unwrap(traceEvent) switch
    {
        PSCustomObject when traceEvent is PSObject received => Deserialized(received, width),
        SyscallEvent call => Fit(Prefix(call.Architecture) + call.Name, call.Arguments, " = " + ResultText(call), width),
        SignalEvent signal => Fit("--- " + signal.Signal + " ", SignalInfo(signal), " ---", width, '{', '}'),
        ProcessExitEvent exit => ExitText(exit),
        SeccompViolation v => Fit(Prefix(v.Architecture) + v.Name, v.Arguments, "", width),
        SeccompTestResult t => Fit(Prefix(t.Architecture) + t.Name, t.Arguments, "", width),
        null => "",
        var other => other.ToString() ?? "",
    };

    /// <summary>An event that came back from remoting or a job (Deserialized.PSSyscall.*): the same
    /// text, from its properties.</summary>
    private static string Deserialized(PSObject e, int width)
    {
        string? Text(string name) => e.Properties[name]?.Value?.ToString();
        // Select-Object and the like put their own type name first: look for ours anywhere.
        string type = e.TypeNames.FirstOrDefault(t => t.Contains("PSSyscall.", StringComparison.Ordinal)) ?? "";
        if (type.EndsWith("PSSyscall.SyscallEvent", StringComparison.Ordinal))
        {
            string architecture = Text("Architecture") ?? "X86_64";
            string prefix = architecture == "X86_64" ? "" : "[" + architecture.ToLowerInvariant() + "] ";
            string result = Text("Result") ?? "";
            if (e.Properties["Injected"]?.Value is true)
                result += " (INJECTED)";
            return Fit(prefix + Text("Name"), Text("Arguments") ?? "", " = " + result, width);
        }
        if (type.EndsWith("PSSyscall.SignalEvent", StringComparison.Ordinal))
            return Fit("--- " + Text("Signal") + " ", $"si_signo={Text("Signal")}, si_code={Text("Code")}, si_pid={Text("SenderProcessId")}, si_uid={Text("SenderUserId")}", " ---", width, '{', '}');
        if (type.EndsWith("PSSyscall.ProcessExitEvent", StringComparison.Ordinal))
            return string.IsNullOrEmpty(Text("Signal")) ? $"+++ exited with {Text("ExitCode")} +++" : $"+++ killed by {Text("Signal")} +++";
        return e.ToString() ?? "";
    }

    /// <summary>The Timing view's Seconds column: a finished call's time from entry to exit, as
    /// strace -T shows it (0.000012); empty for signals, exits and unfinished calls.</summary>
    public static string Seconds(object? traceEvent) => Unwrap(traceEvent) switch
    {
        SyscallEvent { Unfinished: false } call => call.Duration.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>A timestamp with microseconds, as the tables show it (local time of day).</summary>
    public static string Time(DateTime timestamp) => timestamp.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>A timestamp with date and microseconds, as the list views show it.</summary>
    public static string FullTime(DateTime timestamp) => timestamp.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary><c>name(arguments)tail</c> in at most <paramref name="width"/> characters: the
    /// arguments are cut (ending in "…") before the name or the tail are; when even those do not
    /// fit, the text is returned whole and the table cuts it.</summary>
    public static string Fit(string name, string arguments, string tail, int width, char open = '(', char close = ')')
    {
        // First give up the paths strace -y adds to descriptors (3</etc/passwd> -> 3): the
        // arguments themselves say more than where a descriptor points.
        if (name.Length + 2 + arguments.Length + tail.Length > width)
            arguments = WithoutDescriptorPaths(arguments);
        int whole = name.Length + 2 + arguments.Length + tail.Length;
        var text = new StringBuilder(Math.Min(whole, Math.Max(width, 16)));
        text.Append(name).Append(open);
        if (whole <= width)
        {
            text.Append(arguments);
        }
        else
        {
            int room = width - (name.Length + 2 + tail.Length) - 1;
            if (room > 0)
            {
                // Cut between two arguments when that keeps most of the room (a cut inside a
                // number or a flag would read as a different value), never inside a surrogate pair.
                int boundary = room >= 2 ? arguments.LastIndexOf(", ", Math.Min(room - 2, arguments.Length - 1), StringComparison.Ordinal) : -1;
                if (boundary > 0 && boundary >= room / 2)
                {
                    text.Append(arguments, 0, boundary).Append(", ");
                }
                else
                {
                    if (char.IsHighSurrogate(arguments[room - 1]))
                        room--;
                    text.Append(arguments, 0, room);
                }
            }
            text.Append('…');
        }
        return text.Append(close).Append(tail).ToString();
    }

    /// <summary>The arguments without the "&lt;path&gt;" after descriptors (3&lt;/etc/passwd&gt;,
    /// AT_FDCWD&lt;/home&gt;); quoted strings are left as they are.</summary>
    public static string WithoutDescriptorPaths(string arguments)
    {
        if (arguments.IndexOf('<') < 0)
            return arguments;
        var text = new StringBuilder(arguments.Length);
        bool quoted = false;
        for (int i = 0; i < arguments.Length; i++)
        {
            char c = arguments[i];
            if (quoted)
            {
                text.Append(c);
                if (c == '\\' && i + 1 < arguments.Length)
                    text.Append(arguments[++i]);
                else if (c == '"')
                    quoted = false;
                continue;
            }
            if (c == '"')
                quoted = true;
            else if (c == '<' && i > 0 && (char.IsAsciiDigit(arguments[i - 1]) || arguments[i - 1] == 'D'))
            {
                int end = arguments.IndexOf('>', i + 1);
                if (end > i)
                {
                    i = end;
                    continue;
                }
            }
            text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>A call's result as strace shows it, with the marker of an injected fault.</summary>
    public static string ResultText(SyscallEvent call) => call.Injected ? call.Result + call.InjectionNote : call.Result;

    /// <summary>The siginfo fields strace shows between the braces of a signal line.</summary>
    public static string SignalInfo(SignalEvent signal)
    {
        var info = new StringBuilder(96);
        info.Append("si_signo=").Append(signal.Signal).Append(", si_code=").Append(signal.Code);
        if (signal.Signal is "SIGSEGV" or "SIGBUS" or "SIGILL" or "SIGFPE" or "SIGTRAP" && !signal.Code.StartsWith("SI_", StringComparison.Ordinal))
        {
            info.Append(", si_addr=0x").Append(signal.Value.ToString("x", CultureInfo.InvariantCulture));
            return info.ToString();
        }
        info.Append(", si_pid=").Append(signal.SenderProcessId.ToString(CultureInfo.InvariantCulture))
            .Append(", si_uid=").Append(signal.SenderUserId.ToString(CultureInfo.InvariantCulture));
        if (signal.Signal == "SIGCHLD")
            info.Append(", si_status=").Append(signal.Value.ToString(CultureInfo.InvariantCulture));
        return info.ToString();
    }

    /// <summary>strace's exit line without its pid: "+++ exited with 0 +++".</summary>
    public static string ExitText(ProcessExitEvent exit) => exit.Signal is null
        ? "+++ exited with " + (exit.ExitCode ?? 0).ToString(CultureInfo.InvariantCulture) + " +++"
        : "+++ killed by " + exit.Signal + (exit.CoreDumped ? " (core dumped)" : "") + " +++";

    private static string Prefix(SyscallArchitecture architecture)
        => architecture == SyscallArchitecture.X86_64 ? "" : "[" + architecture.ToString().ToLowerInvariant() + "] ";

    private static object? Unwrap(object? value) => value is PSObject o ? o.BaseObject : value;
}
