// Starts strace for the oracle tests the way the engine's launcher starts a command: descriptors
// above 2 closed, SIGPIPE at its default (the test host ignores it), then exec.
#define _GNU_SOURCE
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv) {
    (void)argc;
    syscall(SYS_close_range, 3, ~0U, 0);
    signal(SIGPIPE, SIG_DFL);
    execvp(argv[1], argv + 1);
    return 127;
}
