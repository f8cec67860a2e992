// Kernel interfaces strace decodes that most programs never call: keys, fanotify, file handles,
// the new mount API, Landlock rules, robust futex lists, AIO and epoll variants, modules (calls
// that fail harmlessly), ptrace requests that fail.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/mount.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utime.h>
int main(void) {
    long key = syscall(SYS_add_key, "user", "pssyscall:test", "data", 4, -2 /* KEY_SPEC_PROCESS_KEYRING */);
    syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -2, 0);
    syscall(SYS_request_key, "user", "pssyscall:none", NULL, 0);
    syscall(SYS_keyctl, 3 /* KEYCTL_REVOKE */, key);
    int fan = syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
    syscall(SYS_fanotify_mark, fan, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, "/tmp");
    close(fan);
    struct { unsigned bytes; int type; unsigned char h[128]; } fh = {128, 0};
    int mount_id;
    syscall(SYS_name_to_handle_at, AT_FDCWD, "/etc/hostname", &fh, &mount_id, 0);
    int fs = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "1M", 0);
    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
    int mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV);
    close(mnt);
    close(fs);
    int pick = syscall(SYS_fspick, AT_FDCWD, "/proc", FSPICK_CLOEXEC);
    close(pick);
    int tree = syscall(SYS_open_tree, AT_FDCWD, "/tmp", OPEN_TREE_CLOEXEC);
    close(tree);
    struct mount_attr ma = {.attr_set = MOUNT_ATTR_RDONLY};
    syscall(SYS_mount_setattr, -1, "", AT_EMPTY_PATH, &ma, sizeof ma);
    struct landlock_ruleset_attr ra = {.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE};
    int rs = syscall(SYS_landlock_create_ruleset, &ra, sizeof ra, 0);
    struct landlock_path_beneath_attr pb = {.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE, .parent_fd = -1};
    syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
    syscall(SYS_landlock_restrict_self, -1, 0);
    close(rs);
    void *head;
    size_t len;
    syscall(SYS_get_robust_list, 0, &head, &len);
    int ep = epoll_create1(0);
    struct epoll_event ev;
    sigset_t set;
    sigemptyset(&set);
    syscall(SYS_epoll_pwait, ep, &ev, 1, 0, &set, 8);
    struct timespec zero = {0, 0};
    syscall(SYS_epoll_pwait2, ep, &ev, 1, &zero, NULL, 8);
    close(ep);
    syscall(SYS_utime, "/nonexistent", NULL);
    syscall(SYS_swapoff, "/nonexistent");
    syscall(SYS_swapon, "/nonexistent", 0);
    syscall(SYS_delete_module, "pssyscall_none", O_NONBLOCK);
    syscall(SYS_finit_module, -1, "", 0);
    syscall(SYS_memfd_secret, 0);
    syscall(SYS_process_mrelease, -1, 0);
    syscall(SYS_futex_waitv, NULL, 0, 0, NULL, 0);
    syscall(SYS_process_madvise, -1, NULL, 0, MADV_COLD, 0);
    syscall(SYS_mq_notify, -1, NULL);
    syscall(SYS_ptrace, PTRACE_PEEKDATA, 1, 0x1000, 0);
    syscall(SYS_ptrace, PTRACE_CONT, 1, 0, SIGCONT);
    syscall(SYS_ptrace, PTRACE_ATTACH, 1, 0, 0);
    syscall(SYS_remap_file_pages, 0, 0, 0, 0, 0);
    // Administrative calls with arguments the kernel rejects (nothing changes).
    syscall(SYS_sethostname, "x", 100);
    syscall(SYS_setdomainname, "x", 100);
    syscall(SYS_iopl, 4);
    syscall(SYS_ioperm, 0x1000000, 1, 1);
    syscall(SYS_reboot, 0, 0, 0, 0);
    syscall(SYS_ustat, 0, 0);
    syscall(SYS_modify_ldt, 0, 0, 0);
    syscall(SYS_io_getevents, 0, 0, 0, 0, 0);
    syscall(SYS_io_submit, 0, 0, 0);
    syscall(SYS_io_cancel, 0, 0, 0);
    syscall(SYS_migrate_pages, 0, 0, 0, 0);
    syscall(SYS_move_pages, 0, 0, 0, 0, 0, 0);
    syscall(SYS_perf_event_open, 0, 0, -1, -1, 0);
    syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, 0, 0);
    syscall(SYS_name_to_handle_at, AT_FDCWD, "/", 0, 0, 0);
    syscall(SYS_open_by_handle_at, -1, 0, 0);
    syscall(SYS_io_uring_setup, 0, 0);
    syscall(SYS_io_uring_enter, -1, 0, 0, 0, 0, 0);
    syscall(SYS_io_uring_register, -1, 0, 0, 0);
    syscall(SYS_io_pgetevents, 0, 0, 0, 0, 0, 0);
    syscall(SYS_kexec_file_load, -1, -1, 0, 0, 0);
    syscall(SYS_kexec_load, 0, 0, 0, (62 << 16) | 1);
    syscall(SYS_quotactl, (0x800007 << 8) | 1, "/dev/null", 0, 0);
    int root = open("/", O_RDONLY);
    syscall(SYS_quotactl_fd, root, (0x800007 << 8) | 1, 0, 0);
    close(root);
    return 0;
}
