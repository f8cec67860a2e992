using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// The module's BPF loader (src/bpf/pssyscall_loader.c, shipped as linux-x64/libpssyscall_bpf.so):
/// bpftool's light skeleton of the kernel program, which loads it with raw bpf(2) calls and lets
/// the kernel apply the CO-RE relocations. Returns an opaque skeleton; errors are errnos.
/// </summary>
internal static unsafe partial class BpfLoader
{
    public const string Library = "pssyscall_bpf";
    public const string FileName = "libpssyscall_bpf.so";

    [LibraryImport(Library, EntryPoint = "pss_bpf_load")]
    public static partial nint Load(uint entryKinds, uint exitKinds, uint ringBytes, byte* log, uint logSize, out int error);

    [LibraryImport(Library, EntryPoint = "pss_bpf_map_fd", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MapFd(nint skeleton, string name);

    [LibraryImport(Library, EntryPoint = "pss_bpf_attach")]
    public static partial int Attach(nint skeleton);

    [LibraryImport(Library, EntryPoint = "pss_bpf_destroy")]
    public static partial void Destroy(nint skeleton);
}
