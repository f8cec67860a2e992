// Process attributes strace decodes: credentials, scheduling, memory locking and policies, waitid.
#define _GNU_SOURCE
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
struct attr { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t prio; uint64_t rt, dl, per; };
int main(void) {
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    gid_t rg, eg, sg;
    getresgid(&rg, &eg, &sg);
    gid_t groups[16];
    int n = getgroups(16, groups);
    setgroups(n, groups);
    setresuid(-1, -1, -1);
    cpu_set_t set;
    CPU_ZERO(&set);
    syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
    syscall(SYS_sched_setaffinity, 0, sizeof set, &set);
    struct attr a;
    memset(&a, 0, sizeof a);
    syscall(SYS_sched_getattr, 0, &a, sizeof a, 0);
    syscall(SYS_sched_getscheduler, 0);
    struct sched_param sp;
    syscall(SYS_sched_getparam, 0, &sp);
    syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp);
    syscall(SYS_sched_get_priority_max, SCHED_FIFO);
    syscall(SYS_sched_get_priority_min, SCHED_RR);
    struct timespec ts;
    syscall(SYS_sched_rr_get_interval, 0, &ts);
    syscall(SYS_getpriority, PRIO_PROCESS, 0);
    syscall(SYS_setpriority, PRIO_PROCESS, 0, 0);
    syscall(SYS_mlockall, MCL_CURRENT);
    syscall(SYS_munlockall);
    syscall(SYS_personality, 0xffffffff);
    pid_t child = fork();
    if (child == 0)
        _exit(3);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    syscall(SYS_waitid, P_PID, child, &si, WEXITED, NULL);
    syscall(SYS_waitid, P_ALL, 0, &si, WEXITED | WNOHANG, NULL);
    unsigned long mask = 0;
    int mode = 0;
    syscall(SYS_get_mempolicy, &mode, &mask, 64, 0, 0);
    syscall(SYS_set_mempolicy, 0, NULL, 0);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    syscall(SYS_settimeofday, NULL, NULL);
    syscall(SYS_kcmp, getpid(), getpid(), 0, 0, 0);
    syscall(SYS_pkey_alloc, 0, 0);
    syscall(SYS_pkey_free, 15);
    return 0;
}
