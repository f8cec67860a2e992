using System.Globalization;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Sandbox;

/// <summary>
/// The command's view of the file system, as steps for the shim to apply in its private mount
/// namespace (in order, while it still has its privileges):
/// <list type="number">
/// <item>The kernel interfaces that could loosen the sandbox read-only: sysfs (and the cgroup
/// hierarchies beneath it: a command cannot move itself out of its cgroups), any other cgroup or
/// kernel file system mounted elsewhere; or, with a read-only root (asked for, or implied by
/// Landlock paths, whose rules do not cover chmod, chown, utimes or xattrs), every mount.</item>
/// <item>A fresh /proc for the new PID namespace, with /proc/sys, /proc/sysrq-trigger, /proc/irq and
/// /proc/bus bound read-only over it (host sysctls are not writable from inside).</item>
/// <item>The user's minimal /dev, tmpfs directories and binds, then the -ReadWritePath paths made
/// writable again beneath a read-only root.</item>
/// </list>
/// </summary>
internal static class SandboxMountPlan
{
    private static readonly string[] KernelFileSystems =
        ["sysfs", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs", "configfs", "bpf", "pstore", "efivarfs", "fusectl"];

    public static List<MountStep> Build(SandboxOptions o, int uid, int gid, bool readOnlyRoot)
    {
        var steps = new List<MountStep>();
        if (readOnlyRoot)
        {
            steps.Add(new MountStep(MountKind.ReadOnly, "/"));
        }
        else
        {
            foreach (string point in MountTable.Read().Outermost((_, fs) => KernelFileSystems.Contains(fs)))
                steps.Add(new MountStep(MountKind.ReadOnly, point));
        }

        steps.Add(new MountStep(MountKind.Proc, "/proc"));
        foreach (string path in new[] { "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus" })
        {
            if (Path.Exists(path))
                steps.Add(new MountStep(MountKind.Bind, path, path) { ReadOnly = true });
        }

        if (o.MinimalDev)
            steps.Add(new MountStep(MountKind.Dev, "/dev", Data: "mode=0755"));
        string owner = string.Create(CultureInfo.InvariantCulture, $"uid={uid},gid={gid}");
        foreach (string path in o.TmpfsPaths)
            steps.Add(new MountStep(MountKind.Tmpfs, path, Data: "mode=0755," + owner) { Create = true, Directory = true });
        foreach (SandboxBind bind in o.Binds)
        {
            steps.Add(new MountStep(MountKind.Bind, bind.Target, bind.Source)
            {
                ReadOnly = bind.ReadOnly,
                // Beneath a read-only root the bind starts read-only; a host mount that is
                // read-only stays so otherwise.
                Writable = !bind.ReadOnly && readOnlyRoot,
                Create = true,
                Directory = Directory.Exists(bind.Source),
            });
        }
        if (readOnlyRoot)
        {
            foreach (string path in o.ReadWritePaths)
                steps.Add(new MountStep(MountKind.Bind, path, path) { Writable = true });
        }
        return steps;
    }
}
