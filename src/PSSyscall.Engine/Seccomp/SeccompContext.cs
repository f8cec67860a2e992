using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Seccomp;

/// <summary>
/// One libseccomp filter context: add architectures and rules, then export the classic-BPF program
/// (struct sock_filter[], 8 bytes per instruction) that seccomp(2) installs. libseccomp 2.5 can only
/// export to a file descriptor, so export goes through a memfd.
/// </summary>
internal sealed unsafe class SeccompContext : IDisposable
{
    private nint _ctx;

    public SeccompContext(uint defaultAction)
    {
        if (!LibSeccomp.IsAvailable)
            throw new SeccompException("LibSeccompMissing", "libseccomp.so.2 could not be loaded. Install it (Debian: apt-get install libseccomp2).");
        _ctx = LibSeccomp.Init(defaultAction);
        if (_ctx == 0)
            throw new SeccompException("SeccompInitFailed", $"seccomp_init failed for default action 0x{defaultAction:x8}.");
    }

    /// <summary>Adds an ABI to the filter (the native x86_64 is there from the start).</summary>
    public void AddArchitecture(uint arch)
    {
        int rc = LibSeccomp.ArchAdd(_ctx, arch);
        if (rc < 0 && rc != -17 /* EEXIST */)
            throw new SeccompException("SeccompArchitecture", $"seccomp_arch_add(0x{arch:x8}) failed: {Libc.ErrorText(-rc)}.");
    }

    public void SetAttribute(int attribute, uint value)
    {
        int rc = LibSeccomp.AttrSet(_ctx, attribute, value);
        if (rc < 0)
            throw new SeccompException("SeccompAttribute", $"seccomp_attr_set({attribute}, {value}) failed: {Libc.ErrorText(-rc)}.");
    }

    /// <summary>Adds a rule for a syscall number as libseccomp resolves it (-1 and below: pseudo
    /// numbers libseccomp knows for calls an ABI lacks). Returns the libseccomp result (0 or -errno).</summary>
    public int AddRule(uint action, int syscall, ReadOnlySpan<LibSeccomp.ArgCmp> conditions)
    {
        fixed (LibSeccomp.ArgCmp* p = conditions)
            return LibSeccomp.RuleAddArray(_ctx, action, syscall, (uint)conditions.Length, p);
    }

    /// <summary>The syscall number libseccomp uses for a name on an architecture, or null.</summary>
    public static int? ResolveName(uint arch, string name)
    {
        int nr = LibSeccomp.ResolveNameArch(arch, name);
        return nr == LibSeccomp.NrScmpError ? null : nr;
    }

    /// <summary>Adds a rule with the number exactly as given (no translation between ABIs): for
    /// calls libseccomp's tables do not know yet, on a single-ABI context.</summary>
    public int AddRuleExact(uint action, int syscall, ReadOnlySpan<LibSeccomp.ArgCmp> conditions)
    {
        fixed (LibSeccomp.ArgCmp* p = conditions)
            return LibSeccomp.RuleAddExactArray(_ctx, action, syscall, (uint)conditions.Length, p);
    }

    public void RemoveArchitecture(uint arch)
    {
        int rc = LibSeccomp.ArchRemove(_ctx, arch);
        if (rc < 0)
            throw new SeccompException("SeccompArchitecture", $"seccomp_arch_remove(0x{arch:x8}) failed: {Libc.ErrorText(-rc)}.");
    }

    /// <summary>Moves another context's ABIs and rules into this one (seccomp_merge; the other
    /// context is consumed). Both must have the same attributes and disjoint ABIs.</summary>
    public void Merge(SeccompContext other)
    {
        int rc = LibSeccomp.Merge(_ctx, other._ctx);
        if (rc < 0)
            throw new SeccompException("SeccompMerge", $"seccomp_merge failed: {Libc.ErrorText(-rc)}.");
        other._ctx = 0;
    }

    public byte[] ExportBpf() => Export(LibSeccomp.ExportBpf);

    /// <summary>libseccomp's own pseudo-filter-code rendering of the policy.</summary>
    public string ExportPfc() => System.Text.Encoding.UTF8.GetString(Export(LibSeccomp.ExportPfc));

    private byte[] Export(Func<nint, int, int> export)
    {
        int fd = (int)Libc.syscall(319 /* memfd_create */, (long)(nint)NameBytes, 1 /* MFD_CLOEXEC */, 0);
        if (fd < 0)
            throw new SeccompException("SeccompExport", "memfd_create failed: " + Libc.ErrorText(Libc.LastError));
        try
        {
            int rc = export(_ctx, fd);
            if (rc < 0)
                throw new SeccompException("SeccompExport", "libseccomp could not export the filter: " + Libc.ErrorText(-rc));
            using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false), FileAccess.Read);
            stream.Seek(0, SeekOrigin.Begin);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static readonly byte* NameBytes = (byte*)System.Runtime.InteropServices.Marshal.StringToCoTaskMemUTF8("pssyscall-bpf");

    public void Dispose()
    {
        if (_ctx != 0)
        {
            LibSeccomp.Release(_ctx);
            _ctx = 0;
        }
    }
}
