// Less common calls strace decodes: scheduling attributes, memory policy and residency, I/O
// priorities, capabilities, signalfd, pipes spliced, copy_file_range, mmsg calls, time, AIO
// contexts, openat2, seccomp and Landlock queries.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
struct attr { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t prio; uint64_t rt, dl, per; uint32_t umin, umax; };
int main(void) {
    struct attr a;
    memset(&a, 0, sizeof a);
    syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
    a.size = 48;
    syscall(SYS_sched_setattr, 0, &a, 0);
    unsigned long mask[2] = {0, 0};
    int mode = 0;
    syscall(SYS_get_mempolicy, &mode, mask, 128, NULL, 0);
    void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char vec[2];
    ((char *)p)[0] = 1;
    mincore(p, 8192, vec);
    syscall(SYS_mlock2, p, 4096, 1 /* MLOCK_ONFAULT */);
    munlock(p, 4096);
    syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0);
    syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 4);
    unsigned cpu, node;
    syscall(SYS_getcpu, &cpu, &node, NULL);
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    syscall(SYS_capget, &h, d);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    int sfd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
    close(sfd);
    int fds[2], fds2[2];
    pipe(fds);
    pipe(fds2);
    write(fds[1], "spliced", 7);
    splice(fds[0], NULL, fds2[1], NULL, 7, SPLICE_F_NONBLOCK);
    tee(fds2[0], fds[1], 7, SPLICE_F_NONBLOCK);
    struct iovec iov = {"vm", 2};
    vmsplice(fds[1], &iov, 1, 0);
    int in = open("/etc/hostname", O_RDONLY);
    int out = open("copy.tmp", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    loff_t off = 0;
    syscall(SYS_copy_file_range, in, &off, out, NULL, 4, 0);
    unlink("copy.tmp");
    time_t t;
    syscall(SYS_time, NULL);
    struct timex tx;
    memset(&tx, 0, sizeof tx);
    syscall(SYS_adjtimex, &tx);
    syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
    syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    unsigned long ctx = 0;
    syscall(SYS_io_setup, 4, &ctx);
    syscall(SYS_io_destroy, ctx);
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
    int o2 = syscall(SYS_openat2, AT_FDCWD, "/etc/hostname", &how, sizeof how);
    close(o2);
    unsigned action = SECCOMP_RET_KILL_PROCESS;
    syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);
    syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    syscall(SYS_membarrier, 0 /* MEMBARRIER_CMD_QUERY */, 0, 0);
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    struct iovec i1 = {"one", 3}, i2 = {"two", 3};
    mm[0].msg_hdr.msg_iov = &i1; mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = &i2; mm[1].msg_hdr.msg_iovlen = 1;
    sendmmsg(sv[0], mm, 2, 0);
    char b1[8], b2[8];
    struct iovec r1 = {b1, 8}, r2 = {b2, 8};
    struct mmsghdr rm[2];
    memset(rm, 0, sizeof rm);
    rm[0].msg_hdr.msg_iov = &r1; rm[0].msg_hdr.msg_iovlen = 1;
    rm[1].msg_hdr.msg_iov = &r2; rm[1].msg_hdr.msg_iovlen = 1;
    struct timespec ts = {1, 0};
    recvmmsg(sv[1], rm, 2, 0, &ts);
    return 0;
}
