namespace PSSyscall.Engine.Syscalls;

/// <summary>
/// How one syscall argument (or return value) is captured at the stop and shown as text. Two
/// paths, while the migration lasts: the kinds below <see cref="Codec"/> are the older ones, with
/// a case in Tracing/ArgumentCapture.cs (capture) and one in Decoding/SyscallDecoder.cs (printing);
/// <see cref="Codec"/> arguments name a codec of Decoding/Codecs (CodecRegistry), which holds its
/// capture plan as data and its printer in one class, with direction a property. New kinds are
/// codecs. The short names in brackets are the spelling used in the signature table.
/// </summary>
public enum ArgKind : byte
{
    Int,            // [i]  int, decimal
    Long,           // [l]  long, decimal
    ULong,          // [u]  size_t and friends, unsigned decimal
    Hex,            // [x]  %#lx
    Pointer,        // [p]  NULL or 0x...
    Fd,             // [fd] 3</etc/passwd>
    DirFd,          // [dfd] AT_FDCWD</cwd> or an fd
    Path,           // [path] a NUL-terminated path, never truncated
    String,         // [str] a NUL-terminated string, truncated at the string limit
    OpenFlags,      // [oflags]
    OpenMode,       // [omode] shown only with O_CREAT or O_TMPFILE in the previous argument
    MmapFlags,      // [mflags]
    SocketType,     // [stype]
    SocketProtocol, // [proto] depends on the family (argument 0)
    SocketLevel,    // [sol]
    SocketOption,   // [sopt] depends on the level (previous argument)
    SockoptValIn,   // [soval] int in brackets when the length is 4
    IovecIn,        // [iovi] iovec array, count in the next argument
    IovecOut,       // [iovo] iovec array filled by the call, up to the return value
    MsghdrIn,       // [msgi]
    MsghdrOut,      // [msgo]
    PollFds,        // [pollfd] array, count in the next argument; revents shown in the result
    PipeFds,        // [pipefd] int[2] written by the call
    Argv,           // [argv]
    Envp,           // [envp]
    CloneFlags,     // [cflags] clone's whole argument list (strace's named form)
    CloneArgs,      // [clone3] struct clone_args
    ArchPrctlCode,  // [archp] arch_prctl's code and address
    DirentsOut,     // [dents] 0x... /* N entries */
    RtSigreturn,    // [sigret] {mask=[...]} read from the signal frame
    StatxMask,      // [stxmask]
    StatxFlags,     // [stxflags] AT_STATX_SYNC_* then AT_* flags
    MremapAddress,  // [mraddr] shown only with MREMAP_FIXED or MREMAP_DONTUNMAP
    FdSet,          // [fdset] fd_set of argument 0's size, read at entry (annotated) and at exit for the result
    TimevalLeft,    // [tvl] a timeout read at entry and, for the result's "left", at exit (select)
    TimespecLeft,   // [tsl] the same with a timespec (pselect6, ppoll)
    PselectSigmask, // [psmask] pselect6's {sigmask=[...], sigsetsize=8}
    SockoptValOut,  // [gsoval] getsockopt's value, its length through the next argument's pointer
    Skip,           // [-] not shown (placeholder)
    MmsghdrIn,      // [mmsgi] struct mmsghdr array sent (sendmmsg), count in the next argument
    MmsghdrOut,     // [mmsgo] struct mmsghdr array received (recvmmsg), count the result
    Codec,          // a codec of Decoding/Codecs (its capture plan and printer), named in the signature by its token
}
