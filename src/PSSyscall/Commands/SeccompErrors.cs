using System.Management.Automation;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall.Commands;

/// <summary>Seccomp input the cmdlets share: actions and errnos as users type them; failures go
/// through <see cref="ModuleErrors"/>.</summary>
internal static class SeccompErrors
{
    public static ErrorRecord From(SeccompException e, object? target = null) => ModuleErrors.From(e, target);

    public static SeccompAction ParseAction(string text, string? errorNumber)
    {
        if (!SeccompAction.TryParse(text, out SeccompAction action))
        {
            string hint = Engine.Syscalls.SyscallNameMatcher.DidYouMean(text.Split('(')[0].Trim(), SeccompAction.Names);
            throw new SeccompException("UnknownAction",
                $"'{text}' is not a seccomp action.{hint} Use one of {string.Join(", ", SeccompAction.Names)} (Errno and Trace take a value: Errno(EACCES), Trace(5)).", text);
        }
        if (!string.IsNullOrEmpty(errorNumber))
        {
            int errno = ParseErrno(errorNumber);
            if (action.Kind == SeccompActionKind.Errno)
                action = SeccompAction.Errno(errno);
        }
        return action;
    }

    public static int ParseErrno(string text)
    {
        if (Engine.Decoding.ErrnoNames.TryParse(text, out int errno))
            return errno;
        string hint = Engine.Syscalls.SyscallNameMatcher.DidYouMean(text.Trim().ToUpperInvariant(), Engine.Decoding.ErrnoNames.AllNames);
        throw new SeccompException("UnknownErrno", $"'{text}' is not an errno name or number (1-4095).{hint}", text);
    }

    /// <summary>Checks syscall and group names as a user typed them; throws for the first unknown one.</summary>
    public static void ValidateNames(IEnumerable<string> names)
    {
        foreach (string n in SeccompCompiler.ExpandNames(names, ignoreUnknown: false, skipped: null))
            _ = n;
    }
}
