using System.Runtime.CompilerServices;
using System.Text;
using PSSyscall.Engine.Decoding;
using PSSyscall.Engine.Syscalls;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// What an event needs to be decoded later: its signature, result and a copy of the memory
/// captured at the stops. Arguments, Result and Path are formatted on first use, with the same
/// text eager decoding gives (the captures are the state at the stop, not now). Events that are
/// only counted or thrown away (| Out-Null, Measure-Object) are never formatted.
/// </summary>
internal sealed class PendingDecode
{
    [ThreadStatic] private static StringBuilder? t_text;
    [ThreadStatic] private static StringBuilder? t_result;

    private readonly SyscallSignature _signature;
    private readonly long _return;
    private readonly int _stringLimit;
    private readonly byte[]? _captures;
    private readonly DecodeOptions _options;

    public PendingDecode(SyscallSignature signature, long returnValue, int stringLimit, ReadOnlySpan<byte> captures, DecodeOptions options = default)
    {
        _options = options;
        _signature = signature;
        _return = returnValue;
        _stringLimit = stringLimit;
        _captures = captures.IsEmpty ? null : captures.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Complete(SyscallEvent e)
    {
        Span<ulong> args = [e.Argument0, e.Argument1, e.Argument2, e.Argument3, e.Argument4, e.Argument5];
        _signature.Normalize(args);
        var context = new DecodeContext
        {
            Signature = _signature,
            Args = args,
            Return = _return,
            Failed = !e.Unfinished && _return < 0 && _return >= -ErrnoNames.MaxErrno,
            Unfinished = e.Unfinished,
            StringLimit = _stringLimit,
            Data = new CapturedData(_captures),
        };
        StringBuilder text = t_text ??= new StringBuilder(256);
        StringBuilder result = t_result ??= new StringBuilder(64);
        string arguments, resultText;
        using DecodeStyle.Scope style = DecodeStyle.Use(_options); // the forms of this event's trace (-X, -v, -x)
        try
        {
            text.Clear();
            SyscallDecoder.FormatArguments(ref context, text);
            arguments = text.ToString();
            resultText = SyscallDecoder.FormatResult(ref context, result);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            // A capture this decoder cannot read: show the raw registers rather than lose the event.
            context.Signature = new SyscallSignature(_signature.Name, _signature.Classes, ReturnKind.Decimal, null, 6);
            context.Data = default;
            text.Clear();
            SyscallDecoder.FormatArguments(ref context, text);
            arguments = text.ToString();
            resultText = SyscallDecoder.FormatResult(ref context, result);
        }
        e.Path = FirstPath(_signature, new CapturedData(_captures));
        e.Result = resultText;
        e.Arguments = arguments;
        e.Pending = null;
    }

    private static string? FirstPath(SyscallSignature signature, CapturedData data)
    {
        if (signature.Arguments is not { } kinds)
            return null;
        for (int i = 0; i < kinds.Length && i < 6; i++)
        {
            if (kinds[i] == ArgKind.Path)
                return data.TryGet(CaptureSlot.Entry(i), out ReadOnlySpan<byte> b, out CaptureStatus st) && st != CaptureStatus.Fault
                    ? Encoding.UTF8.GetString(b) : null;
        }
        return null;
    }
}
