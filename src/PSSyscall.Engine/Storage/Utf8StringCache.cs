using System.Runtime.CompilerServices;
using System.Text;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Turns short UTF-8 values into strings, reusing the string when the same bytes come again.
/// A trace repeats a few hundred names (syscalls, processes, errnos, paths) millions of times;
/// sharing them keeps a million read events from holding a million copies of "openat".
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxCachedLength = 64;
    private const int Slots = 4096; // power of two

    private readonly byte[]?[] _keys = new byte[Slots][];
    private readonly string?[] _values = new string[Slots];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
            return "";
        if (utf8.Length > MaxCachedLength)
            return Encoding.UTF8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        int slot = hash.ToHashCode() & (Slots - 1);
        byte[]? key = _keys[slot];
        if (key is not null && utf8.SequenceEqual(key))
            return _values[slot]!;
        string value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
            return "";
        if (text.Length > MaxCachedLength)
            return new string(text);
        Span<byte> utf8 = stackalloc byte[MaxCachedLength * 3];
        int n = Encoding.UTF8.GetBytes(text, utf8);
        return Get(utf8[..n]);
    }
}
