using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using PSSyscall.Engine.Native;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// The OCI runtime spec's seccomp listener (config-linux.md, "listenerPath"): when a profile that
/// uses SCMP_ACT_NOTIFY names a listenerPath, the runtime connects to that AF_UNIX SOCK_STREAM
/// socket and sends, in one connection that is then closed, the container process state as JSON
/// (ociVersion, fds: ["seccompFd"], pid, metadata: the profile's listenerMetadata, state) with the
/// seccomp listener descriptor as SCM_RIGHTS in the first sendmsg. The agent listening there then
/// answers the notifications.
/// </summary>
public static unsafe partial class OciSeccompListener
{
    private const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000, SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_NOSIGNAL = 0x4000;
    public const string OciVersion = "1.0.2";
    public const string SeccompFdName = "seccompFd";

    /// <summary>The listenerPath and listenerMetadata of a profile's JSON root (null when absent).</summary>
    public static (string? Path, string? Metadata) ReadSettings(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (null, null);
            string? path = doc.RootElement.TryGetProperty("listenerPath", out JsonElement p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            string? metadata = doc.RootElement.TryGetProperty("listenerMetadata", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (string.IsNullOrEmpty(path) ? null : path, metadata);
        }
        catch (JsonException)
        {
            return (null, null); // the profile parser reports what is wrong with it
        }
    }

    /// <summary>The container process state the spec defines, for one sandboxed command.</summary>
    public static string StateJson(int pid, string id, string bundle, string? metadata)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("ociVersion", OciVersion);
            w.WriteStartArray("fds");
            w.WriteStringValue(SeccompFdName);
            w.WriteEndArray();
            w.WriteNumber("pid", pid);
            if (metadata is not null)
                w.WriteString("metadata", metadata);
            w.WriteStartObject("state");
            w.WriteString("ociVersion", OciVersion);
            w.WriteString("id", id);
            w.WriteString("status", "creating");
            w.WriteNumber("pid", pid);
            w.WriteString("bundle", bundle);
            w.WriteStartObject("annotations");
            w.WriteString("io.pssyscall.command", id);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Connects to the socket, sends the state with the descriptor, and closes the
    /// connection. Throws SandboxException (SetupFailed, stage Seccomp) when any step fails, as the
    /// spec asks of a runtime.</summary>
    public static void Send(string socketPath, int listenerFd, string stateJson)
    {
        byte[] path = Encoding.UTF8.GetBytes(socketPath);
        if (path.Length >= 108)
            throw Failure(socketPath, $"the path is {path.Length} bytes, longer than a unix socket address holds (107)", 0);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw Failure(socketPath, "socket: " + Libc.ErrorText(Libc.LastError), Libc.LastError);
        try
        {
            byte* address = stackalloc byte[110];
            new Span<byte>(address, 110).Clear();
            *(ushort*)address = AF_UNIX;
            path.CopyTo(new Span<byte>(address + 2, 108));
            while (connect(fd, address, (uint)(2 + path.Length + 1)) != 0)
            {
                if (Libc.LastError != Libc.EINTR)
                    throw Failure(socketPath, "connect: " + Libc.ErrorText(Libc.LastError), Libc.LastError);
            }

            byte[] payload = Encoding.UTF8.GetBytes(stateJson);
            int sent = 0;
            bool first = true;
            // struct cmsghdr (16 bytes) + one int, padded to 24.
            byte* control = stackalloc byte[24];
            fixed (byte* data = payload)
            {
                while (sent < payload.Length)
                {
                    var iov = new Libc.IoVec { Base = data + sent, Length = (nuint)(payload.Length - sent) };
                    var msg = new Libc.MsgHdr { Iov = &iov, IovLen = 1 };
                    if (first)
                    {
                        new Span<byte>(control, 24).Clear();
                        *(nuint*)control = 20;               // CMSG_LEN(sizeof(int))
                        *(int*)(control + 8) = SOL_SOCKET;
                        *(int*)(control + 12) = SCM_RIGHTS;
                        *(int*)(control + 16) = listenerFd;
                        msg.Control = control;
                        msg.ControlLen = 24;                 // CMSG_SPACE(sizeof(int))
                    }
                    nint n = sendmsg(fd, &msg, MSG_NOSIGNAL);
                    if (n < 0)
                    {
                        if (Libc.LastError == Libc.EINTR)
                            continue;
                        throw Failure(socketPath, "sendmsg: " + Libc.ErrorText(Libc.LastError), Libc.LastError);
                    }
                    sent += (int)n;
                    first = false;
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static SandboxException Failure(string socketPath, string reason, int errno)
        => new(SandboxFailure.SetupFailed, socketPath,
            $"Could not send the seccomp listener to the profile's listenerPath '{socketPath}' ({reason}). Is the seccomp agent listening there?",
            errno, LaunchStage.Seccomp);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int connect(int fd, byte* address, uint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendmsg(int fd, Libc.MsgHdr* msg, int flags);
}
