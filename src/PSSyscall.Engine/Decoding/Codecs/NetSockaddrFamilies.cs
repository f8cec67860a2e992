using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>The sockaddr bodies of the rarer address families (after "sa_family=X"), as strace 6.1
/// prints them.</summary>
internal static class NetSockaddrFamilies
{
    private static readonly Named[] RxrpcServices =
    {
        new(1, "CM_SERVICE"), new(2500, "YFS_FS_SERVICE"), new(2501, "YFS_CM_SERVICE"), new(2503, "YFS_VL_SERVICE"),
    };

    /// <summary>sockaddr_rxrpc (36 bytes): service (hex with its name as a comment), transport type,
    /// transport length, and the transport address as far as transport_len reaches (28 at most):
    /// sin/sin6 as such, any other family as its raw bytes.</summary>
    public static void Rxrpc(StringBuilder sb, ReadOnlySpan<byte> b)
    {
        ushort service = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
        ushort tlen = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
        sb.Append(", srx_service=");
        StraceText.Hex(sb, service);
        sb.Append(" /* ").Append(FlagTables.NameOf(service, RxrpcServices) ?? "???_SERVICE").Append(" */");
        sb.Append(", transport_type=");
        FlagTables.Enum(sb, type, FlagTables.SocketTypes, "SOCK_???");
        sb.Append(", transport_len=").Append(tlen.ToString(CultureInfo.InvariantCulture)).Append(", transport=");
        ReadOnlySpan<byte> t = b.Slice(8, Math.Min((int)tlen, 28));
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(b[8..]);
        if ((family == 2 || family == 10) && t.Length >= 2)
        {
            string name = family == 2 ? "sin" : "sin6";
            sb.Append('{').Append(name).Append('=');
            int at = sb.Length;
            SyscallDecoder.Sockaddr(sb, t);
            sb.Replace("{sa_family=", "{" + name + "_family=", at, 11);
            sb.Replace("sa_data=", "", at, sb.Length - at);
            sb.Append('}');
            return;
        }
        sb.Append("{family=");
        FlagTables.Enum(sb, family, FlagTables.SocketFamilies, "AF_???");
        if (t.Length > 2)
        {
            sb.Append(", ");
            StraceText.Quote(sb, t[2..], false);
        }
        sb.Append('}');
    }
}
