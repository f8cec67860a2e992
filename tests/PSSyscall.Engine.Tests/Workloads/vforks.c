/* Many vfork children that end at once, made by a process that is not the tracer's own child
 * (the launched command forks it): the kernel reports the newest tracee's stops first, so each
 * child stops, runs and exits before its parent's PTRACE_EVENT_VFORK is read (ForkEventRaceTests). */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t worker = fork();
    if (worker == 0) {
        for (int i = 0; i < 300; i++) {
            pid_t pid = vfork();
            if (pid == 0)
                _exit(0);
            if (pid > 0)
                waitpid(pid, NULL, 0);
        }
        _exit(0);
    }
    if (worker > 0)
        waitpid(worker, NULL, 0);
    return 0;
}
