/*
 * seccomp-stack: installs a known filter with libseccomp on top of whatever filters it inherited,
 * writes that filter's BPF with seccomp_export_bpf, then either waits (for its filters to be read
 * from outside with PTRACE_SECCOMP_GET_FILTER) or runs a command under the stack.
 *
 *   seccomp-stack <exported.bpf> wait               prints "ready\n" on stdout, then pauses
 *   seccomp-stack <exported.bpf> exec PROGRAM ARGS  execv(PROGRAM, ARGS...)
 *
 * The filter (default Allow) is built to meet the one the tests install first, so that the
 * kernel's rule of precedence between stacked filters shows:
 *   getgid  -> Errno(EPERM)    (the first filter says Errno(ENOENT): same action, the newer wins)
 *   getuid  -> Trap            (the first says Errno(EACCES): Trap is more restrictive)
 *   getppid -> Log             (the first says Errno(EAGAIN): Errno is more restrictive)
 *   umask   -> Errno(EPERM) when its argument is 0777, else Allow
 *
 * Build: gcc -o seccomp-stack seccomp-stack.c -lseccomp
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: seccomp-stack <exported.bpf> wait | exec PROGRAM [ARGS...]\n");
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL)
        return 3;
    int rc = 0;
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(getgid), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(getuid), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(umask), 1, SCMP_A0(SCMP_CMP_EQ, 0777));
    /* The caller sets no_new_privs (the engine's launch does). */
    rc |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (rc != 0) {
        fprintf(stderr, "seccomp_rule_add failed\n");
        return 4;
    }
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0 || close(fd) != 0) {
        fprintf(stderr, "exporting the filter failed: %s\n", strerror(errno));
        return 5;
    }
    if (seccomp_load(ctx) != 0) {
        fprintf(stderr, "seccomp_load failed\n");
        return 6;
    }
    seccomp_release(ctx);
    if (strcmp(argv[2], "wait") == 0) {
        /* write(2), not stdio: the line must be out before the pause. */
        static const char ready[] = "ready\n";
        if (write(1, ready, sizeof ready - 1) < 0)
            return 7;
        for (;;)
            pause();
    }
    if (strcmp(argv[2], "exec") == 0 && argc > 3) {
        execv(argv[3], argv + 3);
        fprintf(stderr, "execv %s: %s\n", argv[3], strerror(errno));
        return 127;
    }
    return 2;
}
