using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;
using static PSSyscall.Engine.Decoding.FlagTables;

namespace PSSyscall.Engine.Decoding;

/// <summary>What a formatter sees of one call: raw registers, result and the captures.</summary>
internal ref struct DecodeContext
{
    public SyscallSignature Signature;
    public ReadOnlySpan<ulong> Args;
    public long Return;
    public bool Failed;
    public bool Unfinished;
    public int StringLimit;
    public CapturedData Data;
    /// <summary>The next descriptor annotation inside an array (fd_set bits, SCM_RIGHTS), numbered
    /// across the call's arguments in the order the tracer captured them.</summary>
    public int ArrayFdNext;

    public readonly int Errno => Failed ? (int)-Return : 0;
}

/// <summary>
/// Turns a call's registers and captured memory into strace's text, on the consumer thread: a small
/// driver over the signature. Each argument has a codec (Decoding/Codecs, by the signature table's
/// token) that prints it; multiplexed calls have a per-syscall printer (Decoding/Printers). The
/// result text is strace's too ("3&lt;/etc/passwd&gt;", "0x7f..", "-1 ENOENT (No such file or
/// directory)", "1 ([{fd=3, revents=POLLIN}])": a result codec adds the parenthesised part).
/// </summary>
internal static class SyscallDecoder
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FormatArguments(ref DecodeContext c, StringBuilder sb)
    {
        if (c.Signature.Codecs is not { } codecs)
        {
            for (int i = 0; i < c.Signature.RawArgumentCount && i < 6; i++)
            {
                if (i > 0) sb.Append(", ");
                StraceText.Hex(sb, c.Args[i]);
            }
            return;
        }
        if (c.Signature.Printer is { } printer)
        {
            printer.PrintArguments(ref c, sb);
            return;
        }
        bool first = true;
        c.ArrayFdNext = 0;
        for (int i = 0; i < codecs.Length && i < 6; i++)
        {
            int mark = sb.Length;
            if (!first) sb.Append(", ");
            if (!codecs[i]!.Print(ref c, i, sb))
            {
                sb.Length = mark; // an argument strace leaves out (openat's mode without O_CREAT)
                continue;
            }
            first = false;
        }
    }

    // ---- results ----
    public static string FormatResult(ref DecodeContext c, StringBuilder sb)
    {
        sb.Clear();
        if (c.Unfinished)
            return "?";
        if (c.Failed)
        {
            int errno = c.Errno;
            string name = ErrnoNames.GetName(errno) ?? errno.ToString(Inv);
            // Kernel-internal restart codes never reach the program: strace shows "?".
            sb.Append(errno >= 512 ? "? " : "-1 ").Append(name).Append(" (").Append(ErrnoNames.GetMessage(errno)).Append(')');
            return sb.ToString();
        }
        long ret = c.Return;
        ReadOnlySpan<byte> b;
        if (c.Signature.Printer is { } printer)
        {
            printer.PrintResult(ref c, sb);
            return sb.ToString();
        }
        if (c.Signature.ResultCodec is { } decoration)
        {
            if (c.Signature.ReturnKind == ReturnKind.Hex) StraceText.Hex(sb, (ulong)ret); else sb.Append(ret.ToString(Inv));
            decoration.PrintResult(ref c, ret, sb);
            return sb.ToString();
        }
        switch (c.Signature.ReturnKind)
        {
            case ReturnKind.Fd:
                sb.Append(ret.ToString(Inv));
                if (c.Data.TryGetFull(CaptureSlot.ReturnFdLink, 1, out b)) StraceText.Link(sb, b);
                return sb.ToString();
            case ReturnKind.Hex:
                StraceText.Hex(sb, (ulong)ret);
                return sb.ToString();
            case ReturnKind.Octal:
                StraceText.Octal(sb, (ulong)ret);
                return sb.ToString();
            case ReturnKind.Signal:
                sb.Append(ret.ToString(Inv)).Append(" (").Append(SignalNames.GetName((int)ret)).Append(')');
                return sb.ToString();
        }
        sb.Append(ret.ToString(Inv));
        return sb.ToString();
    }
}
