using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PSSyscall.Engine.Decoding;

/// <summary>
/// strace's dump of I/O data (-e read=, -e write=): 16 bytes a line,
/// " | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a              hello world.     |",
/// the offset in at least five hex digits (more when the buffer needs them); a buffer of a vector
/// is announced with " * N bytes in buffer K", a message of an mmsghdr array with
/// " = N buffers in vector K". Lines are joined with "\n".
/// </summary>
internal static class HexDump
{
    /// <summary>The text of an <see cref="Tracing.IoDumpCapture"/> capture.</summary>
    public static string Format(ReadOnlySpan<byte> capture)
    {
        var sb = new StringBuilder(capture.Length * 5);
        int at = 0;
        while (at + 8 <= capture.Length)
        {
            int tag = BinaryPrimitives.ReadInt32LittleEndian(capture[at..]);
            int length = BinaryPrimitives.ReadInt32LittleEndian(capture[(at + 4)..]);
            at += 8;
            if (tag < -1)
            {
                Line(sb).Append(" = ").Append((tag - int.MinValue).ToString(CultureInfo.InvariantCulture))
                    .Append(" buffers in vector ").Append(length.ToString(CultureInfo.InvariantCulture));
                continue;
            }
            length = Math.Min(length, capture.Length - at);
            if (tag >= 0)
                Line(sb).Append(" * ").Append(length.ToString(CultureInfo.InvariantCulture))
                    .Append(" bytes in buffer ").Append(tag.ToString(CultureInfo.InvariantCulture));
            Append(sb, capture.Slice(at, length));
            at += length;
        }
        return sb.ToString();
    }

    private static StringBuilder Line(StringBuilder sb) => sb.Length > 0 ? sb.Append('\n') : sb;

    /// <summary>One buffer's lines.</summary>
    public static void Append(StringBuilder sb, ReadOnlySpan<byte> data)
    {
        int width = 5;
        for (long last = data.Length - 1L; last >> (4 * width) != 0; width++) { }
        for (int offset = 0; offset < data.Length; offset += 16)
        {
            ReadOnlySpan<byte> row = data.Slice(offset, Math.Min(16, data.Length - offset));
            Line(sb).Append(" | ").Append(offset.ToString("x" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).Append("  ");
            for (int i = 0; i < 16; i++)
            {
                if (i < row.Length)
                    sb.Append(Hex[row[i] >> 4]).Append(Hex[row[i] & 15]).Append(' ');
                else
                    sb.Append("   ");
                if (i == 7)
                    sb.Append(' ');
            }
            sb.Append(' ');
            for (int i = 0; i < 16; i++)
                sb.Append(i < row.Length ? (row[i] is >= 0x20 and < 0x7f ? (char)row[i] : '.') : ' ');
            sb.Append(" |");
        }
    }

    private const string Hex = "0123456789abcdef";
}
