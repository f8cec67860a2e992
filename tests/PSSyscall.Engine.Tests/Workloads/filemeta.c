// File metadata calls: times, extended-attribute lists, inotify, vectored positional I/O.
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>
int main(void) {
    int fd = open("meta.tmp", O_CREAT | O_RDWR | O_TRUNC, 0644);
    struct utimbuf ub = {1000000000, 1000000001};
    utime("meta.tmp", &ub);
    utime("meta.tmp", NULL);
    struct timeval tv[2] = {{1000000000, 1}, {1000000000, 2}};
    syscall(SYS_utimes, "meta.tmp", tv);
    syscall(SYS_futimesat, AT_FDCWD, "meta.tmp", tv);
    struct timespec tsp[2] = {{1000000000, 3}, {0, UTIME_OMIT}};
    syscall(SYS_utimensat, AT_FDCWD, "meta.tmp", tsp, 0);
    char list[256];
    listxattr("meta.tmp", list, sizeof list);
    llistxattr("meta.tmp", NULL, 0);
    flistxattr(fd, list, sizeof list);
    int in = inotify_init1(IN_CLOEXEC);
    int wd = inotify_add_watch(in, ".", IN_CREATE | IN_DELETE | IN_MODIFY);
    inotify_rm_watch(in, wd);
    close(in);
    char a[] = "hello", b[] = "world";
    struct iovec iov[2] = {{a, 5}, {b, 5}};
    pwritev(fd, iov, 2, 0);
    char c[5], d[5];
    struct iovec rio[2] = {{c, 5}, {d, 5}};
    preadv(fd, rio, 2, 0);
    syscall(SYS_pwritev2, fd, iov, 2, 10, 0, 0);
    syscall(SYS_preadv2, fd, rio, 2, 0, 0, 0);
    syscall(SYS_fallocate, fd, 0, 0, 4096);
    syscall(SYS_sync_file_range, fd, 0, 0, 0);
    syscall(SYS_readahead, fd, 0, 4096);
    syscall(SYS_mknodat, AT_FDCWD, "meta.fifo", 010644, 0);
    unlink("meta.fifo");
    close(fd);
    unlink("meta.tmp");
    return 0;
}
