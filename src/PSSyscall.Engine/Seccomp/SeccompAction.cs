using System.Globalization;
using PSSyscall.Engine.Decoding;

namespace PSSyscall;

/// <summary>
/// A seccomp action with its data: <c>Allow</c>, <c>Errno(1)</c>, <c>Trace(7)</c>, <c>KillProcess</c>...
/// Immutable; compares by value. <see cref="Parse"/> accepts what users type (Errno, Errno(EPERM),
/// errno(13), Kill, SCMP_ACT_ERRNO) and is also what PowerShell uses to convert a string to this type.
/// </summary>
public sealed class SeccompAction : IEquatable<SeccompAction>
{
    // The kernel's SECCOMP_RET_* values (linux/seccomp.h).
    internal const uint RetKillProcess = 0x80000000, RetKillThread = 0x00000000, RetTrap = 0x00030000,
        RetErrno = 0x00050000, RetUserNotif = 0x7fc00000, RetTrace = 0x7ff00000, RetLog = 0x7ffc0000,
        RetAllow = 0x7fff0000, RetActionFull = 0xffff0000, RetData = 0x0000ffff;

    public static readonly SeccompAction Allow = new(SeccompActionKind.Allow, 0);
    public static readonly SeccompAction KillThread = new(SeccompActionKind.KillThread, 0);
    public static readonly SeccompAction KillProcess = new(SeccompActionKind.KillProcess, 0);
    public static readonly SeccompAction Trap = new(SeccompActionKind.Trap, 0);
    public static readonly SeccompAction Log = new(SeccompActionKind.Log, 0);
    public static readonly SeccompAction Notify = new(SeccompActionKind.Notify, 0);

    /// <summary>EPERM: what a deny without an explicit errno returns (as Docker's profile does).</summary>
    public const int DefaultErrno = 1;

    public SeccompAction(SeccompActionKind kind, int data = 0)
    {
        if (kind == SeccompActionKind.Errno && (data < 0 || data > ErrnoNames.MaxErrno))
            throw new ArgumentOutOfRangeException(nameof(data), data, $"An errno is 0..{ErrnoNames.MaxErrno}.");
        if (kind == SeccompActionKind.Trace && (data < 0 || data > 0xffff))
            throw new ArgumentOutOfRangeException(nameof(data), data, "A trace message is 0..65535.");
        Kind = kind;
        Data = kind is SeccompActionKind.Errno or SeccompActionKind.Trace ? data : 0;
    }

    public static SeccompAction Errno(int errno) => new(SeccompActionKind.Errno, errno);
    public static SeccompAction Trace(int message = 0) => new(SeccompActionKind.Trace, message);

    public SeccompActionKind Kind { get; }

    /// <summary>The errno for Errno, the message for Trace, else 0.</summary>
    public int Data { get; }

    /// <summary>The errno name (EPERM) for an Errno action, else null.</summary>
    public string? ErrnoName => Kind == SeccompActionKind.Errno ? ErrnoNames.GetName(Data) : null;

    /// <summary>True for the actions that stop the call from running as asked (Errno, kills, Trap).</summary>
    public bool Denies => Kind is SeccompActionKind.Errno or SeccompActionKind.KillThread or SeccompActionKind.KillProcess or SeccompActionKind.Trap;

    /// <summary>The 32-bit value a filter returns for this action.</summary>
    public uint ToKernelValue() => Kind switch
    {
        SeccompActionKind.Allow => RetAllow,
        SeccompActionKind.Errno => RetErrno | ((uint)Data & RetData),
        SeccompActionKind.KillThread => RetKillThread,
        SeccompActionKind.KillProcess => RetKillProcess,
        SeccompActionKind.Trap => RetTrap,
        SeccompActionKind.Log => RetLog,
        SeccompActionKind.Trace => RetTrace | ((uint)Data & RetData),
        SeccompActionKind.Notify => RetUserNotif,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    /// <summary>The action the kernel takes for a filter's return value. Like the kernel
    /// (kernel/seccomp.c), an unknown action value is treated as KillProcess.</summary>
    public static SeccompAction FromKernelValue(uint value)
    {
        int data = (int)(value & RetData);
        return (value & RetActionFull) switch
        {
            RetKillProcess => KillProcess,
            RetKillThread => KillThread,
            RetTrap => Trap,
            RetErrno => Errno(Math.Min(data, ErrnoNames.MaxErrno)),
            RetUserNotif => Notify,
            RetTrace => Trace(data),
            RetLog => Log,
            RetAllow => Allow,
            _ => KillProcess,
        };
    }

    /// <summary>Parses Allow, Errno, Errno(13), Errno(EPERM), Trace(3), KillProcess, Kill (= KillProcess),
    /// KillThread, Trap, Log, Notify (or UserNotif), and the OCI names (SCMP_ACT_ERRNO ...),
    /// case-insensitively. A bare Errno means EPERM, a bare Trace message 0.</summary>
    public static bool TryParse(string? text, out SeccompAction action)
    {
        action = Allow;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        string s = text.Trim();
        string? argument = null;
        int open = s.IndexOf('(');
        if (open > 0)
        {
            if (!s.EndsWith(')'))
                return false;
            argument = s[(open + 1)..^1].Trim();
            s = s[..open].Trim();
        }
        if (s.StartsWith("SCMP_ACT_", StringComparison.OrdinalIgnoreCase))
            s = s["SCMP_ACT_".Length..];
        s = s.Replace("_", "", StringComparison.Ordinal);
        SeccompActionKind kind;
        switch (s.ToLowerInvariant())
        {
            case "allow": kind = SeccompActionKind.Allow; break;
            case "errno": case "deny": kind = SeccompActionKind.Errno; break;
            case "kill": case "killprocess": kind = SeccompActionKind.KillProcess; break;
            case "killthread": kind = SeccompActionKind.KillThread; break;
            case "trap": kind = SeccompActionKind.Trap; break;
            case "log": kind = SeccompActionKind.Log; break;
            case "trace": kind = SeccompActionKind.Trace; break;
            case "notify": case "usernotif": kind = SeccompActionKind.Notify; break;
            default: return false;
        }
        int data = kind == SeccompActionKind.Errno ? DefaultErrno : 0;
        if (argument is not null)
        {
            if (kind == SeccompActionKind.Errno)
            {
                if (!ErrnoNames.TryParse(argument, out data))
                    return false;
            }
            else if (kind == SeccompActionKind.Trace)
            {
                if (!TryParseNumber(argument, out ulong message) || message > 0xffff)
                    return false;
                data = (int)message;
            }
            else if (argument.Length > 0)
            {
                return false;
            }
        }
        action = new SeccompAction(kind, data);
        return true;
    }

    /// <summary>For PowerShell's string conversion and scripts: throws FormatException on bad text.</summary>
    public static SeccompAction Parse(string text)
        => TryParse(text, out SeccompAction action) ? action : throw new FormatException($"'{text}' is not a seccomp action. Use one of: {string.Join(", ", Names)}.");

    /// <summary>The action names users type, for completion and messages.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<SeccompActionKind>();

    internal static bool TryParseNumber(string text, out ulong value)
    {
        text = text.Trim().Replace("_", "", StringComparison.Ordinal);
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        if (text.StartsWith('-') && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long negative))
        {
            value = unchecked((ulong)negative);
            return true;
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public override string ToString() => Kind switch
    {
        SeccompActionKind.Errno => $"Errno({Data})",
        SeccompActionKind.Trace => $"Trace({Data})",
        _ => Kind.ToString(),
    };

    public bool Equals(SeccompAction? other) => other is not null && other.Kind == Kind && other.Data == Data;
    public override bool Equals(object? obj) => obj switch
    {
        SeccompAction a => Equals(a),
        string s => TryParse(s, out SeccompAction parsed) && Equals(parsed),
        _ => false,
    };
    public override int GetHashCode() => HashCode.Combine(Kind, Data);
    public static bool operator ==(SeccompAction? a, SeccompAction? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(SeccompAction? a, SeccompAction? b) => !(a == b);
}
