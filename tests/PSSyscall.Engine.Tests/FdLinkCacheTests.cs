using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Tests;

public class FdLinkCacheTests
{
    [Fact]
    public void ACopyKeepsEntriesAndIsIndependent()
    {
        var cache = new FdLinkCache(enabled: true);
        cache.Set(3, "/etc/passwd"u8);
        cache.Set(100, "pipe:[1]"u8);
        cache.SetCwd("/tmp"u8);
        FdLinkCache copy = cache.Copy();
        Assert.Equal("/etc/passwd"u8.ToArray(), copy.Get(3).ToArray());
        Assert.Equal("pipe:[1]"u8.ToArray(), copy.Get(100).ToArray());
        Assert.Equal("/tmp"u8.ToArray(), copy.Cwd.ToArray());
        copy.Remove(3);
        Assert.True(copy.Get(3).IsEmpty);
        Assert.False(cache.Get(3).IsEmpty);
        var empty = new FdLinkCache(enabled: true).Copy();
        Assert.True(empty.Get(0).IsEmpty);
    }
}
