using System.Runtime.CompilerServices;
using System.Text;

namespace PSSyscall.Engine.Decoding;

/// <summary>strace's quoting of strings and buffers: C escapes, octal for other bytes (three digits
/// when a digit follows), or \xNN throughout when asked to.</summary>
internal static class StraceText
{
    public static void Quote(StringBuilder sb, ReadOnlySpan<byte> bytes, bool truncated, bool hex = false)
    {
        hex |= InHex(bytes);
        sb.Append('"');
        Escape(sb, bytes, hex, escapeAngles: false);
        sb.Append('"');
        if (truncated)
            sb.Append("...");
    }

    /// <summary>Text of a descriptor link inside &lt;...&gt; as strace -y prints it: quoted-string
    /// escapes without the quotes, and &lt; &gt; escaped (octal) so the brackets stay unambiguous.</summary>
    public static void Link(StringBuilder sb, ReadOnlySpan<byte> link)
    {
        // strace -yy (Tracing/FdDescriber): "LINK\0DETAILS". A socket's or pidfd's details replace
        // its link ("<TCP:[127.0.0.1:42->127.0.0.1:80]>", "<pid:1234>"); a device's follow its path
        // ("</dev/null<char 1:3>>").
        int nul = link.IndexOf((byte)0);
        if (nul >= 0)
        {
            ReadOnlySpan<byte> details = link[(nul + 1)..];
            link = link[..nul];
            sb.Append('<');
            if (link.StartsWith("socket:["u8) || link.SequenceEqual("anon_inode:[pidfd]"u8))
            {
                sb.Append(Encoding.UTF8.GetString(details));
            }
            else
            {
                Escape(sb, link, hex: false, escapeAngles: true);
                sb.Append('<').Append(Encoding.UTF8.GetString(details)).Append('>');
            }
            sb.Append('>');
            return;
        }
        // A deleted file's link reads "PATH (deleted)": strace shows <PATH>(deleted).
        bool deleted = link.EndsWith(" (deleted)"u8);
        sb.Append('<');
        ReadOnlySpan<byte> path = deleted ? link[..^10] : link;
        Escape(sb, path, hex: InHex(path), escapeAngles: true);
        sb.Append('>');
        if (deleted)
            sb.Append("(deleted)");
    }

    /// <summary>strace -xx: every string in hex; -x: a string with any byte that is neither printable
    /// ASCII nor one of \t \n \v \f \r (<see cref="DecodeStyle.HexStrings"/>).</summary>
    private static bool InHex(ReadOnlySpan<byte> bytes)
    {
        switch (DecodeStyle.HexStrings)
        {
            case HexStringStyle.All:
                return true;
            case HexStringStyle.NonAscii:
                foreach (byte c in bytes)
                    if ((c < 0x20 || c >= 0x7f) && c is not ((byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r'))
                        return true;
                return false;
            default:
                return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Escape(StringBuilder sb, ReadOnlySpan<byte> bytes, bool hex, bool escapeAngles)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            byte c = bytes[i];
            if (hex)
            {
                sb.Append("\\x").Append(HexDigit(c >> 4)).Append(HexDigit(c & 15));
                continue;
            }
            switch (c)
            {
                case (byte)'"': sb.Append("\\\""); continue;
                case (byte)'\\': sb.Append("\\\\"); continue;
                case (byte)'\f': sb.Append("\\f"); continue;
                case (byte)'\n': sb.Append("\\n"); continue;
                case (byte)'\r': sb.Append("\\r"); continue;
                case (byte)'\t': sb.Append("\\t"); continue;
                case (byte)'\v': sb.Append("\\v"); continue;
            }
            if (c >= 0x20 && c < 0x7f && !(escapeAngles && c is (byte)'<' or (byte)'>'))
            {
                sb.Append((char)c);
                continue;
            }
            sb.Append('\\');
            bool digitFollows = i + 1 < bytes.Length && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
            if (digitFollows || (c >> 6) != 0)
                sb.Append((char)('0' + (c >> 6)));
            if (digitFollows || (c >> 3) != 0)
                sb.Append((char)('0' + ((c >> 3) & 7)));
            sb.Append((char)('0' + (c & 7)));
        }
    }

    private static char HexDigit(int d) => (char)(d < 10 ? '0' + d : 'a' + d - 10);

    public static void Hex(StringBuilder sb, ulong v)
    {
        if (v == 0)
            sb.Append('0');
        else
            sb.Append("0x").Append(v.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
    }

    public static void Pointer(StringBuilder sb, ulong v)
    {
        if (v == 0)
            sb.Append("NULL");
        else
            sb.Append("0x").Append(v.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
    }

    public static void Octal(StringBuilder sb, ulong v)
    {
        // printf("%#03o"): a leading 0, at least three characters.
        string o = v == 0 ? "0" : "0" + Convert.ToString((long)v, 8);
        sb.Append(o.PadLeft(3, '0'));
    }
}
