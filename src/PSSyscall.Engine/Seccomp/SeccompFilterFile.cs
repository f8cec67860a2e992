using System.Globalization;

namespace PSSyscall.Engine.Seccomp;

/// <summary>What a seccomp filter file holds.</summary>
public enum SeccompFileFormat
{
    /// <summary>An OCI runtime-spec or Docker seccomp profile (JSON).</summary>
    Json,
    /// <summary>A raw classic-BPF program (struct sock_filter[]).</summary>
    Bpf,
}

/// <summary>
/// Reads a seccomp filter file of either form, told apart by content: a JSON profile starts with
/// '{' (after a BOM and white space), which no seccomp program can (0x7b is not an instruction
/// seccomp allows); anything else must be a whole number of 8-byte instructions that pass the
/// kernel's install-time checks. The extension only shapes the message when it is neither.
/// </summary>
public static class SeccompFilterFile
{
    /// <summary>The largest program the kernel installs: BPF_MAXINSNS instructions.</summary>
    public const int MaxProgramBytes = SeccompCompiler.MaxInstructions * 8;

    /// <summary>The file's bytes and which form they are. A FIFO or device is read as it comes
    /// (up to the profile limit); <paramref name="cancel"/> ends a read that waits on one.</summary>
    public static (byte[] Bytes, SeccompFileFormat Format) Read(string path, CancellationToken cancel = default)
    {
        byte[] bytes;
        try
        {
            using Stream stream = Storage.TraceInput.Open(path, cancel, out long length);
            if (length > SeccompProfile.MaxProfileBytes)
                throw NotAFilter(path, string.Format(CultureInfo.InvariantCulture, "it is {0:N0} bytes, more than any profile or program", length));
            bytes = ReadBounded(stream, path);
        }
        catch (FileNotFoundException)
        {
            throw new SeccompException("ProfileNotFound", $"Cannot find the seccomp filter file '{path}'.", path);
        }
        catch (DirectoryNotFoundException)
        {
            throw new SeccompException("ProfileNotFound", $"Cannot find the seccomp filter file '{path}'.", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SeccompException("ProfileNotReadable", $"Cannot read the seccomp filter file '{path}': {e.Message}", path);
        }
        return (bytes, Detect(bytes, path));
    }

    /// <summary>Which form the bytes are; throws NotASeccompFilter (with the reason a program
    /// would be refused) when they are neither.</summary>
    public static SeccompFileFormat Detect(ReadOnlySpan<byte> bytes, string source)
    {
        if (LooksLikeJson(bytes))
            return SeccompFileFormat.Json;
        if (bytes.Length == 0)
            throw NotAFilter(source, "it is empty");
        if (bytes.Length % 8 != 0)
            throw NotAFilter(source, $"its {bytes.Length} bytes are not a whole number of 8-byte BPF instructions, and it does not start with '{{' as JSON does");
        if (bytes.Length > MaxProgramBytes)
            throw NotAFilter(source, $"as a BPF program it would have {bytes.Length / 8} instructions, more than the kernel's {SeccompCompiler.MaxInstructions}");
        try
        {
            BpfInterpreter.Validate(bytes);
        }
        catch (InvalidOperationException e)
        {
            throw NotAFilter(source, "as a BPF program, the kernel would refuse it: " + e.Message);
        }
        return SeccompFileFormat.Bpf;
    }

    /// <summary>Reads a file that must hold a BPF program (a JSON profile is compiled first by
    /// the caller, who knows the capabilities to assume).</summary>
    public static SeccompBpfProgram ReadProgram(string path, CancellationToken cancel = default)
    {
        var (bytes, format) = Read(path, cancel);
        if (format != SeccompFileFormat.Bpf)
            throw new SeccompException("InvalidBpfProgram", $"'{path}' is a JSON seccomp profile, not a BPF program.", path);
        SeccompBpfProgram program = SeccompBpfProgram.FromBytes(bytes, path);
        program.Path = path;
        return program;
    }

    /// <summary>True when the path is a regular file that holds a raw BPF program (not a JSON
    /// profile). Never reads a FIFO or device (they can be read only once).</summary>
    public static bool IsBpfProgramFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length == 0 || info.Length % 8 != 0 || info.Length > MaxProgramBytes)
                return false;
            if ((info.Attributes & (FileAttributes.Device | FileAttributes.Directory)) != 0)
                return false;
            byte[] bytes = File.ReadAllBytes(path);
            return bytes.Length == info.Length && Detect(bytes, path) == SeccompFileFormat.Bpf;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SeccompException)
        {
            return false;
        }
    }

    /// <summary>The text of a JSON profile read by <see cref="Read"/> (UTF-8, BOM dropped).</summary>
    public static string Text(byte[] bytes)
    {
        ReadOnlySpan<byte> utf8 = bytes;
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            utf8 = utf8[3..];
        return System.Text.Encoding.UTF8.GetString(utf8);
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            bytes = bytes[3..];
        foreach (byte b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                continue;
            return b == (byte)'{';
        }
        return false;
    }

    private static byte[] ReadBounded(Stream stream, string path)
    {
        var buffer = new MemoryStream();
        byte[] block = new byte[64 * 1024];
        int n;
        while ((n = stream.Read(block)) > 0)
        {
            if (buffer.Length + n > SeccompProfile.MaxProfileBytes)
                throw NotAFilter(path, "it runs on past any profile's or program's size");
            buffer.Write(block, 0, n);
        }
        return buffer.ToArray();
    }

    private static SeccompException NotAFilter(string path, string reason)
    {
        string ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        string expected = ext switch
        {
            ".json" => " The name says JSON, but it is not a JSON profile.",
            ".bpf" => " The name says BPF.",
            _ => "",
        };
        return new SeccompException("NotASeccompFilter",
            $"'{path}' is neither a seccomp profile (OCI/Docker JSON) nor a seccomp BPF program (struct sock_filter[], as Export-SeccompFilter -Format Bpf writes it): {reason}.{expected}", path);
    }
}
