// Enters the kernel through the i386 ABI (int 0x80) from a 64-bit process: i386 call 20 is
// getpid (x86_64's 20 is writev), and i386 call 4 is write; then an x32-numbered getpid.
#include <unistd.h>
int main(void) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(4L), "b"(1L), "c"(0L), "d"(0L) : "memory");
    getpid();
    syscall(0x40000000L + 39); // x32 getpid (ENOSYS where the kernel lacks x32, but still a call)
    return 0;
}
