namespace PSSyscall.Engine.Tracing;

/// <summary>A set of descriptor numbers, or all of them (strace's -e read=SET / -e write=SET).</summary>
public sealed class DescriptorSet
{
    private readonly bool[] _small = new bool[1024];
    private readonly HashSet<int> _large = new();

    private DescriptorSet(bool all) => All = all;

    /// <summary>Every descriptor.</summary>
    public bool All { get; }

    public static DescriptorSet Everything { get; } = new(true);

    public static DescriptorSet Of(IEnumerable<int> fds)
    {
        var set = new DescriptorSet(false);
        foreach (int fd in fds)
        {
            if (fd < 0)
                throw new ArgumentOutOfRangeException(nameof(fds), fd, "A descriptor number is 0 or more.");
            if (fd < set._small.Length)
                set._small[fd] = true;
            else
                set._large.Add(fd);
        }
        return set;
    }

    public bool Contains(int fd)
        => fd >= 0 && (All || (fd < _small.Length ? _small[fd] : _large.Contains(fd)));
}
