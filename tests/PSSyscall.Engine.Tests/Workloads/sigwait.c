// Signal calls: pending sets, timed waits, queued signals, alternate stacks.
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, &old);
    syscall(SYS_rt_sigpending, &old, 8);
    kill(getpid(), SIGUSR1);
    syscall(SYS_rt_sigpending, &old, 8);
    siginfo_t si;
    struct timespec ts = {0, 1000};
    syscall(SYS_rt_sigtimedwait, &s, &si, &ts, 8);
    syscall(SYS_rt_sigtimedwait, &s, &si, &ts, 8);
    memset(&si, 0, sizeof si);
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si);
    syscall(SYS_rt_sigtimedwait, &s, NULL, NULL, 8);
    static char stack[16384];
    stack_t st = { .ss_sp = stack, .ss_size = sizeof stack, .ss_flags = 0 };
    stack_t ost;
    syscall(SYS_sigaltstack, &st, &ost);
    syscall(SYS_sigaltstack, NULL, &ost);
    syscall(SYS_tgkill, getpid(), gettid(), 0);
    return 0;
}
