using System.Globalization;
using System.Text.RegularExpressions;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Seccomp;

namespace PSSyscall;

/// <summary>What a notify rule or handler does with a notified call.</summary>
public enum SeccompNotifyAction
{
    /// <summary>Let the call run (SECCOMP_USER_NOTIF_FLAG_CONTINUE).</summary>
    Allow,
    /// <summary>Fail the call with an errno (ErrorNumber, EPERM by default) without running it.</summary>
    Deny,
    /// <summary>Return ReturnValue without running the call.</summary>
    Return,
    /// <summary>Let the call run, and record it (an information record tagged SeccompNotification).</summary>
    Log,
}

/// <summary>
/// One line of Invoke-Sandboxed's -NotifyRule table: which notified calls it matches (syscall
/// names or groups; a wildcard over the decoded arguments) and what to answer. Rules are tried in
/// order; the first that matches decides. From PowerShell a hashtable converts:
/// <c>@{ Name = 'mkdir', 'mkdirat'; Arguments = '*"/tmp/*'; Action = 'Deny'; ErrorNumber = 'EACCES' }</c>.
/// </summary>
public sealed class SeccompNotifyRule
{
    private Regex? _pattern;
    private string? _patternText;
    private HashSet<string>? _names;
    private string[]? _namesFrom;

    /// <summary>Syscall names or groups (@file-system) the rule matches; empty matches every call.</summary>
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>A wildcard pattern (* and ?) the decoded arguments must match, as
    /// <see cref="SeccompNotification.Arguments"/> shows them: '*"/etc/*'. Null or empty: any.</summary>
    public string? Arguments { get; set; }

    public SeccompNotifyAction Action { get; set; } = SeccompNotifyAction.Allow;

    /// <summary>The errno of Deny: a name (EACCES) or number; EPERM when not given.</summary>
    public string? ErrorNumber { get; set; }

    /// <summary>The value Return makes the call return.</summary>
    public long ReturnValue { get; set; }

    /// <summary>The answer this rule gives. Throws SeccompException (UnknownErrno) for a bad errno.</summary>
    public SeccompNotifyResponse Response
    {
        get
        {
            switch (Action)
            {
                case SeccompNotifyAction.Deny:
                    int errno = SeccompAction.DefaultErrno;
                    if (!string.IsNullOrWhiteSpace(ErrorNumber) && !ErrnoNames.TryParse(ErrorNumber, out errno))
                        throw new SeccompException("UnknownErrno", $"'{ErrorNumber}' is not an errno name or number (1-4095).", ErrorNumber);
                    return SeccompNotifyResponse.Errno(errno);
                case SeccompNotifyAction.Return:
                    return SeccompNotifyResponse.Return(ReturnValue);
                case SeccompNotifyAction.Log:
                    return SeccompNotifyResponse.Allow with { Log = true };
                default:
                    return SeccompNotifyResponse.Allow;
            }
        }
    }

    /// <summary>Names (groups expanded); throws SeccompException for an unknown one.</summary>
    public void Validate()
    {
        _ = Response;
        _ = Names();
    }

    public bool Matches(SeccompNotification call)
    {
        HashSet<string> names = Names();
        if (names.Count > 0 && !names.Contains(call.Name))
            return false;
        if (string.IsNullOrEmpty(Arguments))
            return true;
        if (_pattern is null || !ReferenceEquals(_patternText, Arguments))
        {
            string regex = "^" + Regex.Escape(Arguments).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
            _pattern = new Regex(regex, RegexOptions.Singleline | RegexOptions.CultureInvariant);
            _patternText = Arguments;
        }
        return _pattern.IsMatch(call.Arguments);
    }

    private HashSet<string> Names()
    {
        if (_names is null || !ReferenceEquals(_namesFrom, Name))
        {
            _names = new HashSet<string>(SeccompCompiler.ExpandNames(Name.Where(n => !string.IsNullOrWhiteSpace(n) && n.Trim() != "*").Select(n => n.Trim()), ignoreUnknown: false, skipped: null), StringComparer.Ordinal);
            _namesFrom = Name;
        }
        return _names;
    }

    public override string ToString()
    {
        string names = Name.Length == 0 ? "*" : string.Join(",", Name);
        string args = string.IsNullOrEmpty(Arguments) ? "" : $" ({Arguments})";
        string answer = Action switch
        {
            SeccompNotifyAction.Deny => $"Errno({(string.IsNullOrWhiteSpace(ErrorNumber) ? "EPERM" : ErrorNumber)})",
            SeccompNotifyAction.Return => $"Return({ReturnValue.ToString(CultureInfo.InvariantCulture)})",
            _ => Action.ToString(),
        };
        return $"{names}{args} -> {answer}";
    }
}

/// <summary>The answer to a notified call: let it run, fail it with an errno, or return a value.</summary>
public readonly record struct SeccompNotifyResponse(SeccompNotifyResponseKind Kind, int Error, long Value, bool Log = false)
{
    public static SeccompNotifyResponse Allow => new(SeccompNotifyResponseKind.Continue, 0, 0);
    public static SeccompNotifyResponse Errno(int errno) => new(SeccompNotifyResponseKind.Errno, errno, 0);
    public static SeccompNotifyResponse Return(long value) => new(SeccompNotifyResponseKind.Return, 0, value);

    /// <summary>What users write: Allow, Continue, Log, Deny, Deny(EACCES), Errno(EACCES), EACCES,
    /// Return(0) (case-insensitive).</summary>
    public static bool TryParse(string? text, out SeccompNotifyResponse response)
    {
        response = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        string t = text.Trim();
        string word = t, inner = "";
        int open = t.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && t.EndsWith(')'))
        {
            word = t[..open].Trim();
            inner = t[(open + 1)..^1].Trim();
        }
        switch (word.ToUpperInvariant())
        {
            case "ALLOW" or "CONTINUE" when inner.Length == 0:
                response = Allow;
                return true;
            case "LOG" when inner.Length == 0:
                response = Allow with { Log = true };
                return true;
            case "DENY" or "ERRNO":
                int errno = SeccompAction.DefaultErrno;
                if (inner.Length > 0 && !ErrnoNames.TryParse(inner, out errno))
                    return false;
                response = Errno(errno);
                return true;
            case "RETURN" when long.TryParse(inner, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value):
                response = Return(value);
                return true;
        }
        if (open < 0 && t.StartsWith('E') && ErrnoNames.TryParse(t, out int named))
        {
            response = Errno(named);
            return true;
        }
        return false;
    }

    public override string ToString() => Kind switch
    {
        SeccompNotifyResponseKind.Errno => $"Errno({ErrnoNames.GetName(Error) ?? Error.ToString(CultureInfo.InvariantCulture)})",
        SeccompNotifyResponseKind.Return => $"Return({Value.ToString(CultureInfo.InvariantCulture)})",
        _ => Log ? "Allow (logged)" : "Allow",
    };
}

public enum SeccompNotifyResponseKind
{
    Continue,
    Errno,
    Return,
}
