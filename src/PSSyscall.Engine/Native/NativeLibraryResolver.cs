using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// Finds the shim (and the BPF loader) next to the engine assembly: in <c>linux-x64/</c> (the module layout, which is
/// also what PowerShell probes) or beside the dll. libseccomp is the system's <c>libseccomp.so.2</c>.
/// Registered once, when the engine assembly loads.
/// </summary>
internal static class NativeLibraryResolver
{
    public const string LibSeccomp = "seccomp";

#pragma warning disable CA2255 // a library initializer is exactly what registering a resolver needs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
    }

    private static string EngineDirectory
        => Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location) ?? AppContext.BaseDirectory;

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name == Shim.Library)
        {
            string dir = EngineDirectory;
            foreach (string candidate in new[] { Path.Combine(dir, "linux-x64", "libpssyscall.so"), Path.Combine(dir, "libpssyscall.so") })
            {
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out nint handle))
                    return handle;
            }
        }
        else if (name == BpfLoader.Library)
        {
            if (Tracing.Ebpf.EbpfTracer.FindLoader() is { } path && NativeLibrary.TryLoad(path, out nint handle))
                return handle;
        }
        else if (name == LibSeccomp)
        {
            if (NativeLibrary.TryLoad("libseccomp.so.2", out nint handle))
                return handle;
        }
        return 0;
    }
}
