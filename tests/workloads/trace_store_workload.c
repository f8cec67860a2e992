/* A deterministic workload for the trace-file tests: file I/O with a path that needs escaping,
 * failing calls (ENOENT, EBADF, EEXIST), a forked child that exits 3, a thread, and a mkdir/rmdir.
 * Usage: trace_store_workload DIR */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread_main(void *arg)
{
    (void)arg;
    int fd = open("/etc/hostname", O_RDONLY);
    char buf[16];
    if (fd >= 0) {
        if (read(fd, buf, sizeof buf) < 0) buf[0] = 0;
        close(fd);
    }
    syscall(SYS_gettid);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    char path[4096], dir[4096];
    snprintf(path, sizeof path, "%s/data file \"quoted\".txt", argv[1]);
    snprintf(dir, sizeof dir, "%s/subdir", argv[1]);
    char buf[64];
    struct stat st;

    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (write(fd, "hello, \"world\"\n", 15) < 0) return 1;
    close(fd);
    fd = open(path, O_RDONLY);
    if (read(fd, buf, sizeof buf) < 0) return 1;
    fstat(fd, &st);
    close(fd);
    open("/nonexistent/missing", O_RDONLY);
    access("/etc/hostname", R_OK);
    stat("/etc/hostname", &st);
    close(99);
    mkdir(dir, 0755);
    mkdir(dir, 0755);
    rmdir(dir);

    pid_t child = fork();
    if (child == 0) {
        int f = open("/etc/hostname", O_RDONLY);
        if (read(f, buf, sizeof buf) < 0) _exit(1);
        close(f);
        _exit(3);
    }
    int status;
    waitpid(child, &status, 0);

    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);

    unlink(path);
    return 0;
}
