// exec of a missing file, of a directory, then of a real program.
#include <unistd.h>
int main(void) {
    char *argv[] = {"missing-program", "--flag", "value with spaces", NULL};
    char *envp[] = {"A=1", "B=2", NULL};
    execve("/nonexistent/missing-program", argv, envp);
    execve("/tmp", argv, envp);
    char *targv[] = {"true", NULL};
    execve("/bin/true", targv, envp);
    return 1;
}
