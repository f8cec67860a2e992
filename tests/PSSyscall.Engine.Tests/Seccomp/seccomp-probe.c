/*
 * seccomp-probe: makes one system call, through a chosen ABI, with chosen raw argument registers,
 * and reports what the kernel did with it in its exit status. Freestanding (no libc), so the only
 * calls a filter under test sees are execve, rt_sigaction, clone, futex, the probed call and
 * exit/exit_group.
 *
 *   seccomp-probe <64|32|x32> <number> [arg0 .. arg5]     (numbers decimal or 0x hex)
 *
 * The probed call runs in a second thread so that KillThread and KillProcess can be told apart:
 *   exit 0        the call returned >= 0 (it ran)
 *   exit 1..199   the call failed with that errno
 *   exit 200      the calling thread was killed (the main thread saw it go)
 *   exit 201      SIGSYS was delivered to the thread (Trap)
 *   killed by SIGSYS: the whole process was killed (KillProcess)
 */
typedef unsigned long u64;

#define NR_rt_sigaction 13
#define NR_clone 56
#define NR_exit 60
#define NR_exit_group 231
#define NR_futex 202
#define SIGSYS 31
#define SA_RESTORER 0x04000000
#define CLONE_FLAGS (0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x100000 | 0x200000)
/* CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|PARENT_SETTID|CHILD_CLEARTID */

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
    return ret;
}

/* The i386 ABI from a 64-bit process: int 0x80, number in eax, arguments in ebx, ecx, edx, esi,
 * edi, ebp (the full 64-bit registers are loaded; the kernel decides what reaches the filter). */
static long int80(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r12 __asm__("r12") = f;
    long ret;
    __asm__ volatile("push %%rbp\n\tmov %%r12, %%rbp\n\tint $0x80\n\tpop %%rbp"
                     : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "r"(r12) : "memory");
    /* The i386 ABI returns a 32-bit value. */
    return (long)(int)ret;
}

static __attribute__((noreturn)) void exit_group(int code)
{
    for (;;)
        sys6(NR_exit_group, code, 0, 0, 0, 0, 0);
}

static int abi;
static long number;
static u64 args[6];
static volatile int thread_word;
static char stack[65536] __attribute__((aligned(16)));

static int report(long r)
{
    if (r >= 0 || r < -4095)
        return 0;
    return -r < 200 ? (int)-r : 199;
}

__attribute__((noreturn, used)) void probe_thread(void)
{
    long r;
    if (abi == 32)
        r = int80(number, args[0], args[1], args[2], args[3], args[4], args[5]);
    else
        r = sys6(abi == 0x32 ? (number | 0x40000000L) : number, args[0], args[1], args[2], args[3], args[4], args[5]);
    exit_group(report(r));
}

static void on_sigsys(int sig)
{
    (void)sig;
    exit_group(201);
}

static void never_returns(void)
{
}

static u64 parse(const char *s)
{
    u64 v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (s += 2; *s; s++)
            v = v * 16 + (u64)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    } else {
        for (; *s; s++)
            v = v * 10 + (u64)(*s - '0');
    }
    return v;
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

struct kernel_sigaction { void *handler; unsigned long flags; void *restorer; unsigned long mask; };

__attribute__((noreturn, used)) void probe_main(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    if (argc < 3)
        exit_group(250);
    abi = streq(argv[1], "32") ? 32 : streq(argv[1], "x32") ? 0x32 : 64;
    number = (long)parse(argv[2]);
    for (int i = 0; i < 6 && 3 + i < argc; i++)
        args[i] = parse(argv[3 + i]);

    struct kernel_sigaction sa = { (void *)on_sigsys, SA_RESTORER, (void *)never_returns, 0 };
    if (sys6(NR_rt_sigaction, SIGSYS, (long)&sa, 0, 8, 0, 0) != 0)
        exit_group(251);

    long ret;
    register long r10 __asm__("r10") = (long)&thread_word;
    register long r8 __asm__("r8") = 0;
    __asm__ volatile("syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "call probe_thread\n\t"
                     "hlt\n"
                     "1:"
                     : "=a"(ret)
                     : "a"(NR_clone), "D"(CLONE_FLAGS), "S"(stack + sizeof stack), "d"(&thread_word), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    if (ret < 0)
        exit_group(252);
    /* The thread ends the process itself unless it was killed alone: wait for its tid to clear. */
    int seen;
    while ((seen = thread_word) != 0)
        sys6(NR_futex, (long)&thread_word, 0 /* FUTEX_WAIT */, seen, 0, 0, 0);
    exit_group(200);
}

__asm__(".globl _start\n"
        "_start:\n\t"
        "mov %rsp, %rdi\n\t"
        "and $-16, %rsp\n\t"
        "call probe_main\n\t"
        "hlt\n");
