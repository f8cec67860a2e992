// File I/O: open/creat flags, read/write/pread/pwrite, vectors, seek, stat family, rename, links,
// directories, access, truncate, xattr-free paths.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void) {
    char buf[256];
    int fd = open("data.txt", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    write(fd, "hello, world\n", 13);
    write(fd, "a line with \"quotes\" and \\ and \t tab and \x01\x02 bytes that goes on past the limit\n", 83);
    struct iovec v[3] = {{"one ", 4}, {"two ", 4}, {"three\n", 6}};
    writev(fd, v, 3);
    pwrite(fd, "XY", 2, 3);
    lseek(fd, 0, SEEK_SET);
    read(fd, buf, sizeof buf);
    pread(fd, buf, 5, 7);
    lseek(fd, 0, SEEK_SET);
    struct iovec r[2] = {{buf, 4}, {buf + 4, 8}};
    readv(fd, r, 2);
    struct stat st;
    fstat(fd, &st);
    ftruncate(fd, 10);
    fsync(fd);
    close(fd);
    stat("data.txt", &st);
    lstat("data.txt", &st);
    stat("missing.txt", &st);
    access("data.txt", R_OK | W_OK);
    access("missing.txt", F_OK);
    link("data.txt", "hard.txt");
    symlink("data.txt", "soft.txt");
    readlink("soft.txt", buf, sizeof buf);
    rename("hard.txt", "moved.txt");
    unlink("moved.txt");
    unlink("soft.txt");
    mkdir("sub", 0750);
    int d = open("sub", O_RDONLY | O_DIRECTORY);
    int f2 = openat(d, "inner.txt", O_WRONLY | O_CREAT | O_EXCL, 0600);
    write(f2, "inner\n", 6);
    close(f2);
    fchmod(d, 0755);
    DIR *dir = opendir("sub");
    while (readdir(dir)) {}
    closedir(dir);
    unlinkat(d, "inner.txt", 0);
    close(d);
    rmdir("sub");
    truncate("data.txt", 4);
    chmod("data.txt", 0600);
    fd = open("data.txt", O_RDONLY);
    read(fd, buf, 100);
    read(fd, buf, 100);
    close(fd);
    close(fd);
    unlink("data.txt");
    return 0;
}
