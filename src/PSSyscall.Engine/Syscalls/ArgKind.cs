namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// An argument's role beyond its text: whether it names a file (a path, a descriptor, a directory
/// descriptor), for the event's Path and Fd, strace -P matching and fault paths. How an argument is
/// captured and printed is its codec's business (Decoding/Codecs, named by its token in the
/// signature table, registered in CodecRegistry); the codec says the role (ArgCodec.Role).
/// </summary>
public enum ArgKind : byte
{
    /// <summary>An argument with no file role (a number, flags, a structure...).</summary>
    Codec,
    /// <summary>A descriptor: 3&lt;/etc/passwd&gt;.</summary>
    Fd,
    /// <summary>A directory descriptor of the *at calls: AT_FDCWD or a descriptor.</summary>
    DirFd,
    /// <summary>A path read at entry (never cut at the string limit).</summary>
    Path,
    /// <summary>Not matched by -P (a per-syscall printer's answer for arguments that are not files).</summary>
    Skip,
}
