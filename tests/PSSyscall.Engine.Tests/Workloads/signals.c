// Signals: handlers, masks, delivery to self, a child killed by a signal, sigreturn.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
static volatile int got;
static void handler(int s) { got = s; }
int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    signal(SIGPIPE, SIG_IGN);
    sigset_t set, prev;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &prev);
    kill(getpid(), SIGUSR1);
    raise(SIGUSR1);
    sigprocmask(SIG_SETMASK, &prev, NULL);
    pid_t c = fork();
    if (c == 0) {
        pause();
        _exit(1);
    }
    kill(c, SIGTERM);
    int st;
    waitpid(c, &st, 0);
    kill(999999, 0);
    return got == SIGUSR1 ? 0 : 1;
}
