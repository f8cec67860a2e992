// The workload of the -e read=/write= dump tests (StraceOutputOptionsTests): data through every
// call family strace dumps, with printable and non-printable bytes, short and multi-line buffers.
// Deterministic: the same calls and bytes on every run. argv[1]: a directory for a scratch file.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    unsigned char bin[300], in[400];
    for (int i = 0; i < 300; i++)
        bin[i] = (unsigned char)(i * 7);
    int p[2];
    if (pipe(p) != 0)
        return 1;
    // write/read: text, then binary across several dump lines
    write(p[1], "hello world, this is a longer line of text!\n", 44);
    read(p[0], in, sizeof in);
    write(p[1], bin, 300);
    read(p[0], in, sizeof in);
    // writev/readv: buffers of a vector, one of them empty
    struct iovec wv[3] = {{"abc", 3}, {(void *)"", 0}, {"defghijklmnopqrstuvwxyz0123456789", 33}};
    writev(p[1], wv, 3);
    char b1[4], b2[64];
    struct iovec rv[2] = {{b1, 4}, {b2, 64}};
    readv(p[0], rv, 2);
    // a failed write is dumped, a failed read is not
    write(99, "bad", 3);
    read(99, in, 10);
    read(p[0], in, 0);
    // sockets: sendto/recvfrom, sendmsg/recvmsg
    int s[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0)
        return 1;
    sendto(s[0], "ping\tpong\r\n", 11, 0, NULL, 0);
    recvfrom(s[1], in, sizeof in, 0, NULL, NULL);
    struct iovec mv[2] = {{"head:", 5}, {bin + 32, 40}};
    struct msghdr mh = {.msg_iov = mv, .msg_iovlen = 2};
    sendmsg(s[1], &mh, 0);
    struct iovec mr[2] = {{b1, 4}, {b2, 64}};
    struct msghdr rh = {.msg_iov = mr, .msg_iovlen = 2};
    recvmsg(s[0], &rh, 0);
    // pwrite64/pread64 on a scratch file
    char path[4096];
    snprintf(path, sizeof path, "%s/scratch", argc > 1 ? argv[1] : "/tmp");
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    pwrite(f, bin + 100, 20, 5);
    pread(f, in, 30, 0);
    close(f);
    unlink(path);
    return 0;
}
