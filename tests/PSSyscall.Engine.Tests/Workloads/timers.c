// POSIX timers, timerfds, interval timers and clocks; system and resource figures; terminal ioctls
// on a pseudo-terminal. Only disarmed timers are read back, so every value is the same each run.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    // timer_create with each kind of notification (raw calls: glibc rewrites SIGEV_THREAD).
    int id = -1, id2 = -1, id3 = -1;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 42;
    syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id);
    sev.sigev_notify = SIGEV_NONE;
    syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &id2);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_value.sival_int = 0;
    sev._sigev_un._tid = getpid();
    syscall(SYS_timer_create, CLOCK_BOOTTIME, &sev, &id3);
    syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id3);
    syscall(SYS_timer_create, 99, &sev, &id3); // EINVAL: an unknown clock
    struct itimerspec arm = {{1, 5}, {100, 0}}, off = {{0, 0}, {0, 0}}, old;
    syscall(SYS_timer_settime, id, 0, &arm, NULL);
    syscall(SYS_timer_settime, id, 0, &off, NULL);
    syscall(SYS_timer_settime, id, TIMER_ABSTIME, &off, &old);
    syscall(SYS_timer_gettime, id, &old);
    syscall(SYS_timer_getoverrun, id);
    syscall(SYS_timer_delete, id);
    syscall(SYS_timer_gettime, id, &old); // EINVAL: deleted
    int tf = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    timerfd_settime(tf, 0, &arm, NULL);
    timerfd_settime(tf, 0, &off, NULL);
    timerfd_settime(tf, TFD_TIMER_ABSTIME, &off, &old);
    timerfd_gettime(tf, &old);
    close(tf);
    struct itimerval iv = {{0, 0}, {0, 0}}, oiv;
    setitimer(ITIMER_REAL, &iv, &oiv);
    setitimer(ITIMER_VIRTUAL, &iv, NULL);
    getitimer(ITIMER_PROF, &oiv);
    struct timespec ts;
    syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
    syscall(SYS_clock_gettime, 99, &ts); // EINVAL: an unknown clock
    ts.tv_sec = 0;
    ts.tv_nsec = 1000;
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    // Figures that change from run to run (the oracle compares their shape).
    struct sysinfo si;
    sysinfo(&si);
    syscall(SYS_sysinfo, NULL);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    getrusage(RUSAGE_CHILDREN, &ru);
    syscall(SYS_getrusage, 99, &ru);
    struct tms t;
    times(&t);
    // Terminal ioctls on a fresh pseudo-terminal (the kernel's default settings).
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    struct termios tio;
    ioctl(s, TCGETS, &tio);
    struct winsize ws = {24, 80, 0, 0};
    ioctl(m, TIOCSWINSZ, &ws);
    ioctl(s, TIOCGWINSZ, &ws);
    cfmakeraw(&tio);
    tcsetattr(s, TCSANOW, &tio);
    ioctl(s, TCGETS, &tio);
    // The old System V struct termio: the same flags in 16-bit fields.
    struct termio sysv;
    ioctl(s, TCGETA, &sysv);
    sysv.c_lflag |= ECHO | ICANON;
    ioctl(s, TCSETA, &sysv);
    ioctl(s, TCSETAW, &sysv);
    ioctl(s, TCSETAF, &sysv);
    ioctl(s, TCGETA, &sysv);
    ioctl(s, TCSETA, NULL); // EFAULT: NULL
    int n = 0;
    int p[2];
    pipe(p);
    write(p[1], "xy", 2);
    ioctl(p[0], FIONREAD, &n);
    ioctl(p[0], TCGETS, &tio); // ENOTTY: the structure is not shown
    ioctl(p[0], FIONREAD, NULL);
    close(p[0]);
    close(p[1]);
    close(s);
    close(m);
    return 0;
}
