// i386 process, credential, time, signal and memory calls: uid16 and uid32 calls, time32 and
// time64 calls, old and rt signal calls, mmap2/old mmap, brk, uname/olduname, rlimits, waitpid.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };
struct sa32 { uint32_t handler, flags, restorer; uint32_t mask[2]; };

static void handler(int sig) { (void)sig; }

int main(void) {
    syscall(SYS_getuid); syscall(SYS_getuid32);
    syscall(SYS_getgid); syscall(SYS_getegid32);
    syscall(SYS_setuid, -1); syscall(SYS_setuid32, -1);
    syscall(SYS_setreuid, -1, -1); syscall(SYS_setresuid32, -1, -1, -1);
    syscall(SYS_chown, "/nonexistent", -1, -1);
    syscall(SYS_chown32, "/nonexistent", -1, 0);
    syscall(SYS_lchown, "/nonexistent", 0, -1);
    struct ts32 t32; struct ts64 t64;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t32);
    syscall(SYS_clock_gettime64, CLOCK_MONOTONIC, &t64);
    syscall(SYS_clock_getres, CLOCK_REALTIME, &t32);
    struct ts32 d32 = {0, 1000}; struct ts64 d64 = {0, 2000};
    syscall(SYS_nanosleep, &d32, NULL);
    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &d32, NULL);
    syscall(SYS_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, &d64, NULL);
    int32_t tv[2];
    syscall(SYS_gettimeofday, tv, NULL);
    int32_t now;
    syscall(SYS_time, &now);
    struct sa32 sa = {(uint32_t)(uintptr_t)handler, SA_RESTART, 0, {1u << (SIGUSR2 - 1), 0}};
    struct sa32 old;
    syscall(SYS_rt_sigaction, SIGUSR1, &sa, &old, 8);
    syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8);
    uint32_t set[2] = {1u << (SIGUSR1 - 1), 0}, oset[2];
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, set, oset, 8);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, oset, NULL, 8);
    syscall(SYS_kill, getpid(), 0);
    void *p = (void *)syscall(SYS_mmap2, NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    syscall(SYS_mprotect, p, 4096, PROT_READ);
    syscall(SYS_madvise, p, 8192, MADV_DONTNEED);
    syscall(SYS_munmap, p, 8192);
    uint32_t margs[6] = {0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, (uint32_t)-1, 0};
    p = (void *)syscall(SYS_mmap, margs);
    syscall(SYS_munmap, p, 4096);
    syscall(SYS_brk, 0);
    uint32_t rl[2];
    syscall(SYS_ugetrlimit, RLIMIT_NOFILE, rl);
    syscall(SYS_getrlimit, RLIMIT_NOFILE, rl);
    struct { uint64_t cur, max; } rl64;
    syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &rl64);
    char uts[6 * 65];
    syscall(SYS_uname, uts);
    syscall(SYS_getpid); syscall(SYS_getppid); syscall(SYS_gettid);
    syscall(SYS_umask, 022);
    syscall(SYS_getpriority, PRIO_PROCESS, 0);
    pid_t c = fork();
    if (c == 0)
        _exit(3);
    int status;
    syscall(SYS_waitpid, c, &status, 0);
    return 0;
}
