using System.Text;

namespace PSSyscall.Engine.Decoding;

/// <summary>
/// ioctl request names, generated from the uapi headers (IoctlNames.g.cs, tools/gen-ioctl-names.py).
/// Several requests can share a value (TCSETS is also SNDCTL_TMR_START): strace prints them all,
/// in name order, joined with " or ", and so do we.
/// </summary>
internal static partial class IoctlNames
{
    /// <summary>Appends the request's names; false when the headers name none.</summary>
    public static bool TryAppend(StringBuilder sb, uint request)
    {
        int lo = 0, hi = Table.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Table[mid].Request < request) lo = mid + 1; else hi = mid;
        }
        if (lo == Table.Length || Table[lo].Request != request)
            return false;
        for (int k = lo; k < Table.Length && Table[k].Request == request; k++)
        {
            if (k > lo) sb.Append(" or ");
            sb.Append(Table[k].Name);
        }
        return true;
    }
}
