/* sandbox_probe: what the sandbox tests run inside Invoke-Sandboxed's engine. Each command tries
 * one thing and prints what happened as "<what> <result> <errno name or OK>" on stdout. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
    switch (e) {
    case 0: return "OK";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ENOSYS: return "ENOSYS";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ENETUNREACH: return "ENETUNREACH";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EROFS: return "EROFS";
    default: return "E?";
    }
}

static void show(const char *what, long rc)
{
    printf("%s %ld %s\n", what, rc, rc < 0 ? errname(errno) : "OK");
    fflush(stdout);
}

static long call(const char *name)
{
    errno = 0;
    if (!strcmp(name, "unshare")) return syscall(SYS_unshare, CLONE_NEWUSER);
    if (!strcmp(name, "mount")) return mount("none", "/mnt", "tmpfs", 0, NULL);
    if (!strcmp(name, "keyctl")) return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -1, 0);
    if (!strcmp(name, "bpf")) return syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, NULL, 0);
    if (!strcmp(name, "io_uring_setup")) { char params[120] = {0}; return syscall(425, 1, params); }
    if (!strcmp(name, "ptrace")) return syscall(SYS_ptrace, PTRACE_ATTACH, 1, 0, 0);
    if (!strcmp(name, "getppid")) return syscall(SYS_getppid);
    errno = EINVAL;
    return -1;
}

/* The same call through the i386 ABI: int 0x80 from a 64-bit process. */
static long call_i386(long nr, long a1)
{
    long rc;
    __asm__ volatile("int $0x80" : "=a"(rc) : "a"(nr), "b"(a1), "c"(0), "d"(0) : "memory");
    if (rc < 0 && rc > -4096) { errno = (int)-rc; return -1; }
    return rc;
}

static void tree(void)
{
    /* Two children, each with a grandchild that leaves the session; all sleep. */
    for (int i = 0; i < 2; i++) {
        pid_t c = fork();
        if (c == 0) {
            pid_t g = fork();
            if (g == 0) {
                setsid();
                printf("grandchild %d\n", getpid());
                fflush(stdout);
                for (;;) pause();
            }
            printf("child %d\n", getpid());
            fflush(stdout);
            for (;;) pause();
        }
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) pause();
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    const char *cmd = argv[1];
    if (!strcmp(cmd, "call")) {
        for (int i = 2; i < argc; i++) show(argv[i], call(argv[i]));
        return 0;
    }
    if (!strcmp(cmd, "repeat")) { /* repeat <name> <n>: make the call n times, count failures */
        long n = strtol(argv[3], NULL, 0), failed = 0;
        for (long i = 0; i < n; i++)
            if (call(argv[2]) < 0) failed++;
        printf("failed %ld of %ld\n", failed, n);
        return 0;
    }
    if (!strcmp(cmd, "i386")) { /* i386 numbers: unshare 310 */
        show("i386", call_i386(strtol(argv[2], NULL, 0), strtol(argc > 3 ? argv[3] : "0", NULL, 0)));
        return 0;
    }
    if (!strcmp(cmd, "x32")) { /* x32 numbers with __X32_SYSCALL_BIT: unshare 272 */
        errno = 0;
        show("x32", syscall(0x40000000L | strtol(argv[2], NULL, 0), strtol(argc > 3 ? argv[3] : "0", NULL, 0)));
        return 0;
    }
    if (!strcmp(cmd, "fork-loop")) {
        int n = 0;
        for (;;) {
            pid_t p = fork();
            if (p < 0) { printf("forks %d %s\n", n, errname(errno)); fflush(stdout); return 0; }
            if (p == 0) { for (;;) pause(); }
            if (++n >= 2000) { printf("forks %d OK\n", n); fflush(stdout); return 0; }
        }
    }
    if (!strcmp(cmd, "alloc")) { /* allocate and touch MiB chunks up to argv[2] MiB */
        long max = strtol(argv[2], NULL, 0), n = 0;
        for (; n < max; n++) {
            char *p = malloc(1 << 20);
            if (!p) break;
            memset(p, 1, 1 << 20);
        }
        printf("allocated %ld\n", n);
        return n < max ? 3 : 0;
    }
    if (!strcmp(cmd, "tree")) tree();
    if (!strcmp(cmd, "connect")) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        show("connect", connect(s, (struct sockaddr *)&a, sizeof a));
        return 0;
    }
    if (!strcmp(cmd, "loopback")) { /* a server and a client, both inside */
        int srv = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = { .sin_family = AF_INET };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (bind(srv, (struct sockaddr *)&a, sizeof a) || listen(srv, 1) || getsockname(srv, (struct sockaddr *)&a, &len)) {
            show("listen", -1);
            return 0;
        }
        int c = socket(AF_INET, SOCK_STREAM, 0);
        show("loopback", connect(c, (struct sockaddr *)&a, sizeof a));
        return 0;
    }
    if (!strcmp(cmd, "write")) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0 && write(fd, "x\n", 2) != 2) fd = -1;
        show("write", fd);
        return 0;
    }
    if (!strcmp(cmd, "read")) {
        int fd = open(argv[2], O_RDONLY);
        char buf[16];
        if (fd >= 0 && read(fd, buf, sizeof buf) < 0) fd = -1;
        show("read", fd);
        return 0;
    }
    if (!strcmp(cmd, "stderr")) {
        fprintf(stderr, "to stderr\n");
        printf("to stdout\n");
        return 7;
    }
    return 2;
}
