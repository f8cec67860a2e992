using System.Globalization;
using System.Runtime.InteropServices;
using PSSyscall.Engine.Native;

namespace PSSyscall.Engine.Tracing;

/// <summary>
/// Who a command runs as with Start-TracedProcess -User (strace -u): the user's uid, primary gid
/// and supplementary groups, from the passwd and group databases as initgroups(3) reads them.
/// </summary>
public sealed record UserIdentity(string Name, int UserId, int GroupId, IReadOnlyList<int> SupplementaryGroups)
{
    /// <summary>Resolves a user name, a numeric uid, or "uid:gid". A uid the passwd database does
    /// not know runs with the gid given (else the same number) and no supplementary groups.
    /// Throws <see cref="TraceException"/> (CommandNotFound's sibling: UserNotFound) otherwise.</summary>
    public static unsafe UserIdentity Resolve(string user)
    {
        string text = user.Trim();
        int? explicitGid = null;
        int colon = text.IndexOf(':');
        if (colon > 0)
        {
            if (!uint.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out uint g) || g > int.MaxValue)
                throw NotFound(user, $"'{user}' is not a user: after ':' comes a numeric group id.");
            explicitGid = (int)g;
            text = text[..colon];
        }
        bool numeric = uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint uid) && uid <= int.MaxValue;
        const int BufferSize = 16384;
        byte* buffer = (byte*)NativeMemory.Alloc(BufferSize);
        try
        {
            Libc.Passwd pwd;
            Libc.Passwd* found = null;
            // A name is looked up as a name first (a user may be called "1000"), as strace does.
            if (text.Length > 0)
                Libc.getpwnam_r(text, &pwd, buffer, BufferSize, &found);
            if (found is null && numeric)
                Libc.getpwuid_r(uid, &pwd, buffer, BufferSize, &found);
            if (found is null)
            {
                if (numeric)
                    return new UserIdentity(text, (int)uid, explicitGid ?? (int)uid, Array.Empty<int>());
                throw NotFound(user, $"No user named '{user}' exists in the passwd database. Give a user name, a numeric uid, or uid:gid.");
            }
            string name = Marshal.PtrToStringUTF8((nint)found->Name) ?? text;
            int gid = explicitGid ?? (int)found->Gid;
            return new UserIdentity(name, (int)found->Uid, gid, explicitGid is null ? GroupsOf(name, (uint)gid) : Array.Empty<int>());
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    private static unsafe int[] GroupsOf(string name, uint gid)
    {
        int count = 64;
        while (true)
        {
            uint[] groups = new uint[count];
            int n = count;
            fixed (uint* p = groups)
            {
                if (Libc.getgrouplist(name, gid, p, &n) >= 0)
                    return groups.Take(n).Select(g => (int)g).ToArray();
            }
            if (n <= count || count > 1 << 16)
                return new[] { (int)gid };
            count = n;
        }
    }

    private static TraceException NotFound(string user, string message)
        => new(TraceFailure.UserNotFound, user, message);
}
