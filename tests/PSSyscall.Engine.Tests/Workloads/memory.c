// Memory: anonymous and file mappings, protections, remap, advice, sync, brk.
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    char *p = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 1, 16384);
    mprotect(p, 4096, PROT_READ);
    mprotect(p + 4096, 4096, PROT_NONE);
    madvise(p, 16384, MADV_DONTNEED);
    p = mremap(p, 16384, 32768, MREMAP_MAYMOVE);
    munmap(p, 32768);
    int fd = open("/etc/passwd", O_RDONLY);
    char *f = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    msync(f, 4096, MS_SYNC);
    munmap(f, 4096);
    close(fd);
    mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
    mmap((void *)0x10000, 4096, PROT_READ, MAP_PRIVATE, 12345, 0);
    sbrk(0);
    sbrk(65536);
    mlock(f, 0);
    return 0;
}
