using System.Runtime.InteropServices;

namespace PSSyscall.Engine.Native;

/// <summary>
/// The .NET runtime's own native shim (libSystem.Native, shipped with every runtime). .NET keeps
/// the terminal in a mode of its own (no echo, no line editing) between reads of keys, and restores
/// the terminal's initial mode while a child that System.Diagnostics.Process started uses it. Our
/// children are started by the shim, not by Process, so we tell the runtime the same thing Process
/// does; otherwise a program handed the terminal reads it without echo and Ctrl+D is no end of file.
/// </summary>
internal static partial class SystemNative
{
    private const string Library = "libSystem.Native";

    /// <summary>1 before a child that uses the terminal starts (counted: the terminal's initial
    /// mode comes back), 0 once it has ended (the last one gives .NET its mode back).</summary>
    [LibraryImport(Library, EntryPoint = "SystemNative_ConfigureTerminalForChildProcess")]
    private static partial void ConfigureTerminalForChildProcess(int childUsesTerminal);

    public static void ChildUsesTerminal(bool uses)
    {
        try
        {
            ConfigureTerminalForChildProcess(uses ? 1 : 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another runtime without this entry point: the terminal stays as it is.
        }
    }
}
