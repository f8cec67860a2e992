namespace PSSyscall.Engine.Decoding;

/// <summary>errno names by number, as the kernel's uapi headers define them (the first name where
/// two share a number, as strace prints: EAGAIN, not EWOULDBLOCK), plus the kernel-internal codes
/// (512 and up) that a tracer can observe on interrupted calls.</summary>
public static class ErrnoNames
{
    private static readonly string?[] Names =
    {
        null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
        "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK",
        "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE",
        "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK",
        "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY",
        "ELOOP", null, "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST",
        "ELNRNG", "EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL", "ENOANO",
        "EBADRQC", "EBADSLT", null, "EBFONT", "ENOSTR", "ENODATA", "ETIME", "ENOSR",
        "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT", "ECOMM", "EPROTO",
        "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW", "ENOTUNIQ", "EBADFD", "EREMCHG", "ELIBACC",
        "ELIBBAD", "ELIBSCN", "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS",
        "ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP",
        "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED",
        "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT", "ECONNREFUSED",
        "EHOSTDOWN", "EHOSTUNREACH", "EALREADY", "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL",
        "EISNAM", "EREMOTEIO", "EDQUOT", "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED",
        "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD", "ENOTRECOVERABLE", "ERFKILL", "EHWPOISON",
    };

    private static readonly (int Number, string Name, string Message)[] KernelInternal =
    {
        (512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"),
        (513, "ERESTARTNOINTR", "To be restarted"),
        (514, "ERESTARTNOHAND", "To be restarted if no handler"),
        (515, "ENOIOCTLCMD", "No ioctl command"),
        (516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"),
        (517, "EPROBE_DEFER", "Driver probe deferred"),
        (518, "EOPENSTALE", "Stale open"),
        (519, "ENOPARAM", "Parameter not supported"),
        (521, "EBADHANDLE", "Illegal NFS file handle"),
        (522, "ENOTSYNC", "Update synchronization mismatch"),
        (523, "EBADCOOKIE", "Cookie is stale"),
        (524, "ENOTSUPP", "Operation is not supported"),
        (525, "ETOOSMALL", "Buffer or request is too small"),
        (526, "ESERVERFAULT", "An untranslatable error occurred"),
        (527, "EBADTYPE", "Type not supported by server"),
        (528, "EJUKEBOX", "Request initiated, but will not complete before timeout"),
        (529, "EIOCBQUEUED", "iocb queued, will get completion event"),
        (530, "ERECALLCONFLICT", "Conflict with recalled state"),
    };

    private static readonly Dictionary<string, int> ByName = BuildByName();

    /// <summary>Largest errno a syscall return value can carry (the kernel's MAX_ERRNO).</summary>
    public const int MaxErrno = 4095;

    /// <summary>The name of an errno value, or null when it has none.</summary>
    public static string? GetName(int errno)
    {
        if (errno > 0 && errno < Names.Length)
            return Names[errno];
        foreach (var (number, name, _) in KernelInternal)
            if (number == errno)
                return name;
        return null;
    }

    /// <summary>The message strace prints in parentheses: the C library's strerror text, or the
    /// kernel's meaning for its internal codes.</summary>
    public static string GetMessage(int errno)
    {
        foreach (var (number, _, message) in KernelInternal)
            if (number == errno)
                return message;
        return System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
    }

    /// <summary>Parses a name (EPERM, case-insensitive; EWOULDBLOCK and other aliases too) or a number.</summary>
    public static bool TryParse(string text, out int errno)
    {
        text = text.Trim();
        if (int.TryParse(text, out errno))
            return errno > 0 && errno <= MaxErrno;
        return ByName.TryGetValue(text, out errno);
    }

    /// <summary>Every known name, for completion and suggestions.</summary>
    public static IEnumerable<string> AllNames => ByName.Keys;

    private static Dictionary<string, int> BuildByName()
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < Names.Length; i++)
            if (Names[i] is string n)
                map[n] = i;
        foreach (var (number, name, _) in KernelInternal)
            map[name] = number;
        map["EWOULDBLOCK"] = 11;
        map["EDEADLOCK"] = 35;
        map["ENOTSUP"] = 95;
        return map;
    }
}
