// Process attributes: ids, cwd changes (AT_FDCWD annotations follow), limits, names, time, randomness-free calls.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    char buf[512];
    getcwd(buf, sizeof buf);
    mkdir("dir", 0700);
    chdir("dir");
    getcwd(buf, sizeof buf);
    int fd = openat(AT_FDCWD, "here.txt", O_CREAT | O_WRONLY, 0644);
    close(fd);
    unlink("here.txt");
    chdir("..");
    rmdir("dir");
    struct utsname u;
    uname(&u);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    setrlimit(RLIMIT_CORE, &rl);
    umask(027);
    umask(022);
    getuid(); geteuid(); getgid(); getegid(); getpid(); getppid(); gettid();
    prctl(PR_SET_NAME, "worker-name");
    prctl(PR_GET_NAME, buf);
    struct timespec ts = {0, 1000};
    nanosleep(&ts, NULL);
    clock_getres(CLOCK_MONOTONIC, &ts);
    setpgid(0, 0);
    return 0;
}
