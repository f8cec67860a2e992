/* libseccomp's side of the foreign-architecture tests (ForeignArchitectureTests.cs).
 *
 *   libseccomp-foreign build OUT ARCH...   builds the test rule set for the named architectures
 *                                          (libseccomp names: aarch64, s390x, x32 ...) with
 *                                          libseccomp and writes seccomp_export_bpf's program to OUT
 *   libseccomp-foreign numbers ARCH        prints "NUMBER NAME" for every call libseccomp knows on
 *                                          ARCH (the number the kernel sees)
 *
 * The rule set must stay the same as ForeignArchitectureTests.Rules. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int nr(const char *name)
{
	int n = seccomp_syscall_resolve_name(name);
	if (n == __NR_SCMP_ERROR) {
		fprintf(stderr, "unknown syscall %s\n", name);
		exit(2);
	}
	return n;
}

static void check(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", what, strerror(-rc));
		exit(3);
	}
}

/* A rule for a call the architecture lacks is skipped (EDOM or EFAULT from a pseudo number), as
 * the module's compiler skips it. */
static void add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned count, ...)
{
	struct scmp_arg_cmp cmp[6];
	va_list ap;
	va_start(ap, count);
	for (unsigned i = 0; i < count; i++)
		cmp[i] = va_arg(ap, struct scmp_arg_cmp);
	va_end(ap);
	int rc = seccomp_rule_add_array(ctx, action, nr(name), count, cmp);
	if (rc == -EDOM || rc == -EFAULT)
		return;
	check(rc, name);
}

static int build(const char *out, int argc, char **argv)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(38));
	if (!ctx)
		return 4;
	check(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), "badarch");
	check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), "nnp");
	check(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), "arch_remove");
	for (int i = 0; i < argc; i++) {
		uint32_t arch = seccomp_arch_resolve_name(argv[i]);
		if (arch == 0) {
			fprintf(stderr, "unknown architecture %s\n", argv[i]);
			return 2;
		}
		check(seccomp_arch_add(ctx, arch), argv[i]);
	}
	const char *allowed[] = { "read", "write", "close", "exit_group", "getpid" };
	for (unsigned i = 0; i < sizeof allowed / sizeof *allowed; i++)
		add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	add(ctx, SCMP_ACT_ERRNO(13), "openat", 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 1));
	add(ctx, SCMP_ACT_ALLOW, "openat", 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 0));
	add(ctx, SCMP_ACT_ERRNO(97), "socket", 1, SCMP_A0(SCMP_CMP_EQ, 10));
	add(ctx, SCMP_ACT_KILL_PROCESS, "ptrace", 0);
	add(ctx, SCMP_ACT_TRAP, "mount", 0);
	add(ctx, SCMP_ACT_LOG, "getuid", 0);
	add(ctx, SCMP_ACT_TRACE(7), "kill", 0);
	/* A 64-bit value: 32-bit architectures compare its low word only. */
	add(ctx, SCMP_ACT_ALLOW, "lseek", 1, SCMP_A1(SCMP_CMP_GT, 0x100000000ULL));

	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(out);
		return 5;
	}
	check(seccomp_export_bpf(ctx, fd), "export");
	close(fd);
	seccomp_release(ctx);
	return 0;
}

static int numbers(const char *name)
{
	uint32_t arch = seccomp_arch_resolve_name(name);
	if (arch == 0)
		return 2;
	/* Kernel numbers: each ABI's base (MIPS 4000/5000/6000, x32's bit), and ARM's private calls. */
	long base = strcmp(name, "x32") == 0 ? 0x40000000
		: strncmp(name, "mips64n32", 9) == 0 || strncmp(name, "mipsel64n32", 11) == 0 ? 6000
		: strncmp(name, "mips64", 6) == 0 || strncmp(name, "mipsel64", 8) == 0 ? 5000
		: strncmp(name, "mips", 4) == 0 ? 4000 : 0;
	long bases[] = { base, 0x0f0000 };
	for (unsigned b = 0; b < (strcmp(name, "arm") == 0 ? 2u : 1u); b++)
		for (long n = bases[b]; n < bases[b] + 1000; n++) {
			char *s = seccomp_syscall_resolve_num_arch(arch, (int)n);
			if (s) {
				printf("%ld %s\n", n, s);
				free(s);
			}
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "build") == 0)
		return build(argv[2], argc - 3, argv + 3);
	if (argc == 3 && strcmp(argv[1], "numbers") == 0)
		return numbers(argv[2]);
	fprintf(stderr, "usage: %s build OUT ARCH... | numbers ARCH\n", argv[0]);
	return 1;
}
