using System.Text;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>
/// A structure of one fixed size, captured whole (its <see cref="ArgCodec.Plan"/> says when and
/// how many bytes) and printed by one method: stat, statfs, utsname, sysinfo, rusage, sigaction...
/// Fewer bytes than the plan's size are never printed: the driver shows the address, as strace
/// does for memory it could not read whole.
/// </summary>
internal abstract class FixedStructCodec : ArgCodec
{
    protected sealed override bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> b, CaptureStatus status, StringBuilder sb)
    {
        if (b.Length < Plan.Bytes)
            return false;
        PrintStruct(sb, b);
        return true;
    }

    /// <summary>The structure, from at least the plan's size of bytes.</summary>
    protected abstract void PrintStruct(StringBuilder sb, ReadOnlySpan<byte> b);
}
