using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// The parts of the system's libbpf (libbpf.so.1, from Debian's libbpf1) the eBPF backend uses
/// once its programs are loaded (<see cref="BpfLoader"/> loads them): map updates and lookups,
/// and the ring buffer's reader. libbpf 1.x returns NULL with errno set, or a negative errno.
/// </summary>
internal static unsafe partial class LibBpf
{
    public const string Library = "libbpf.so.1";

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem")]
    public static partial int MapUpdate(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem")]
    public static partial int MapLookup(int fd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "bpf_map_get_next_key")]
    public static partial int MapNextKey(int fd, void* key, void* nextKey);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int PossibleCpus();

    [LibraryImport(Library, EntryPoint = "ring_buffer__new")]
    public static partial nint RingBufferNew(int mapFd, delegate* unmanaged[Cdecl]<nint, nint, nuint, int> sample, nint context, nint options);

    [LibraryImport(Library, EntryPoint = "ring_buffer__poll")]
    public static partial int RingBufferPoll(nint ring, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "ring_buffer__consume")]
    public static partial int RingBufferConsume(nint ring);

    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    public static partial void RingBufferFree(nint ring);

    /// <summary>True when libbpf.so.1 can be loaded at all.</summary>
    public static bool IsPresent()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(LibBpf).Assembly, null, out nint handle))
            return false;
        NativeLibrary.Free(handle);
        return true;
    }
}
