// i386's older entry points, which strace still decodes: sigaction/sigprocmask/sigpending with
// the one-word old_sigset_t, the non-64 stat/lstat/fstat and statfs/fstatfs, sendfile's 32-bit
// offset, nice, timer_create's sigevent, and a SA_SIGINFO handler's rt_sigreturn.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct old_sa { uint32_t handler, mask, flags, restorer; };

static void on_info(int sig, siginfo_t *si, void *uc) { (void)sig; (void)si; (void)uc; }

int main(void) {
    struct old_sa sa = {(uint32_t)(uintptr_t)SIG_IGN, 1u << (SIGUSR2 - 1), SA_RESTART, 0}, old;
    syscall(SYS_sigaction, SIGUSR1, &sa, &old);
    syscall(SYS_sigaction, SIGUSR1, NULL, &old);
    uint32_t set = 1u << (SIGUSR1 - 1), oset;
    syscall(SYS_sigprocmask, SIG_BLOCK, &set, &oset);
    syscall(SYS_sigpending, &oset);
    syscall(SYS_sigprocmask, SIG_UNBLOCK, &set, NULL);
    char st[64], sfs[64];
    syscall(SYS_stat, "/etc/passwd", st);
    syscall(SYS_lstat, "/etc", st);
    syscall(SYS_fstat, 0, st);
    syscall(SYS_statfs, "/", sfs);
    syscall(SYS_fstatfs, 0, sfs);
    syscall(SYS_nice, 0);
    int in = open("/etc/passwd", O_RDONLY), out = open("/dev/null", O_WRONLY);
    int32_t off = 4;
    syscall(SYS_sendfile, out, in, &off, 10);
    int64_t off64 = 2;
    syscall(SYS_sendfile64, out, in, &off64, 10);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR2;
    sev.sigev_value.sival_int = 42;
    timer_t timer;
    if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &timer) == 0)
        syscall(SYS_timer_delete, timer);
    struct sigaction info;
    memset(&info, 0, sizeof info);
    info.sa_sigaction = on_info;
    info.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &info, NULL);
    raise(SIGUSR1);
    char uts[6 * 65];
    syscall(SYS_olduname, uts);
    syscall(SYS_uname, uts);
    return 0;
}
