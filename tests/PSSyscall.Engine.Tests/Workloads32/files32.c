// i386 (gcc -m32) file calls through their 32-bit entry points: open/read/write, _llseek,
// stat64/lstat64/fstat64/fstatat64, fcntl64, truncate64/ftruncate64, pread64/pwrite64 (64-bit
// offsets split over two registers), getdents/getdents64, readv/writev, statfs64/fstatfs64.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void) {
    char buf[512];
    struct stat64 st;
    int fd = open("f32.txt", O_RDWR | O_CREAT | O_TRUNC, 0640);
    write(fd, "hello i386 world\n", 17);
    long long pos = 0;
    syscall(SYS__llseek, fd, 0L, 6L, &pos, SEEK_SET);
    syscall(SYS__llseek, fd, 1L, 0L, &pos, SEEK_SET); // offset 4 GiB
    syscall(SYS_stat64, "f32.txt", &st);
    syscall(SYS_lstat64, "/etc", &st);
    syscall(SYS_fstat64, fd, &st);
    syscall(SYS_fstatat64, AT_FDCWD, "f32.txt", &st, AT_SYMLINK_NOFOLLOW);
    syscall(SYS_stat64, "missing.txt", &st);
    syscall(SYS_fcntl64, fd, F_GETFL);
    syscall(SYS_fcntl64, fd, F_SETFD, FD_CLOEXEC);
    syscall(SYS_truncate64, "f32.txt", 10L, 0L);
    syscall(SYS_ftruncate64, fd, 12L, 1L); // 4 GiB + 12: sparse
    syscall(SYS_ftruncate64, fd, 17L, 0L);
    syscall(SYS_pread64, fd, buf, 5, 6L, 0L);
    syscall(SYS_pwrite64, fd, "I386", 4, 6L, 0L);
    struct iovec iov[2] = {{buf, 3}, {buf + 3, 4}};
    syscall(SYS_lseek, fd, 0L, SEEK_SET);
    syscall(SYS_readv, fd, iov, 2);
    struct iovec wv[2] = {{"ab", 2}, {"cde", 3}};
    syscall(SYS_writev, fd, wv, 2);
    syscall(SYS_fadvise64_64, fd, 0L, 0L, 100L, 0L, POSIX_FADV_SEQUENTIAL);
    syscall(SYS_fchmod, fd, 0600);
    syscall(SYS_access, "f32.txt", R_OK | W_OK);
    syscall(SYS_close, fd);
    int d = open("/", O_RDONLY | O_DIRECTORY); // a directory that is the same for both tracers' runs
    syscall(SYS_getdents64, d, buf, sizeof buf);
    syscall(SYS_lseek, d, 0L, SEEK_SET);
    syscall(SYS_getdents, d, buf, sizeof buf);
    close(d);
    syscall(SYS_readlink, "/proc/self/exe", buf, 4);
    syscall(SYS_statfs64, "/", 84, buf);
    syscall(SYS_fstatfs64, 0, 84, buf);
    syscall(SYS_statfs64, "/", 88, buf);
    syscall(SYS_unlink, "f32.txt");
    syscall(SYS_mkdir, "d32", 0755);
    syscall(SYS_rmdir, "d32");
    return 0;
}
