// SPDX-License-Identifier: GPL-2.0
/*
 * SFD_RAW is not offered to x32: x32's siginfo_t is a layout of its own
 * (SIGCHLD's si_utime and si_stime are 64 bits wide), which the kernel
 * does not build for a signalfd. An x32 signalfd4() with SFD_RAW fails
 * with EINVAL, and so does an x32 read of an SFD_RAW fd created by a
 * 64-bit syscall (which an x32 program can make: the syscall number
 * without the x32 bit), while a 64-bit read of it gets the native
 * record; a classic signalfd works from x32 as before. Each record is a
 * SIGCHLD from a child that exits with status 7.
 *
 * Built with gcc -mx32, freestanding: Debian 12 has no x32 libc for the
 * cross-built guest, so the program makes its own system calls. Prints
 * TAP; exits 4 (kselftest's skip) on a kernel without SFD_RAW.
 */
#define X32_BIT		0x40000000LL
#define NR_read		(X32_BIT | 0)
#define NR_write	(X32_BIT | 1)
#define NR_open		(X32_BIT | 2)
#define NR_close	(X32_BIT | 3)
#define NR_rt_sigprocmask (X32_BIT | 14)
#define NR_fork		(X32_BIT | 57)
#define NR_exit		(X32_BIT | 60)
#define NR_wait4	(X32_BIT | 61)
#define NR_exit_group	(X32_BIT | 231)
#define NR_signalfd4	(X32_BIT | 289)
#define NR64_read	0		/* the same calls, 64-bit */
#define NR64_signalfd4	289

#define SIGCHLD		17
#define SIG_BLOCK	0
#define CLD_EXITED	1
#define EINVAL		22
#define SFD_RAW		0x10
#define RECORD_SIZE	128

typedef long long s64;

static s64 sys(s64 nr, s64 a, s64 b, s64 c, s64 d)
{
	register s64 r10 __asm__("r10") = d;
	s64 ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static int failed;

static void put(const char *s)
{
	int n = 0;

	while (s[n])
		n++;
	sys(NR_write, 1, (s64)(unsigned long)s, n, 0);
}

static void put_num(s64 v)
{
	char buf[24];
	int i = sizeof(buf) - 1;
	int neg = v < 0;
	unsigned long long u = neg ? -(unsigned long long)v : (unsigned long long)v;

	buf[i] = '\0';
	do {
		buf[--i] = '0' + u % 10;
		u /= 10;
	} while (u);
	if (neg)
		buf[--i] = '-';
	put(buf + i);
}

static void check(int num, int ok, const char *what, s64 got)
{
	failed |= !ok;
	put(ok ? "ok " : "not ok ");
	put_num(num);
	put(" ");
	put(what);
	put(" # got ");
	put_num(got);
	put("\n");
}

/* A child that exits with status 7 at once: a SIGCHLD to come. */
static s64 spawn(void)
{
	s64 pid = sys(NR_fork, 0, 0, 0, 0);

	if (pid == 0)
		sys(NR_exit, 7, 0, 0, 0);
	return pid;
}

static int field32(const unsigned char *rec, int off)
{
	return rec[off] | rec[off + 1] << 8 | rec[off + 2] << 16 |
	       (unsigned int)rec[off + 3] << 24;
}

/* Does /proc/self/fdinfo/@fd have the line @line? */
static int fdinfo_has(s64 fd, const char *line)
{
	char path[40] = "/proc/self/fdinfo/", buf[1024];
	int i, j, n, len = 18, digits = 0;
	s64 f, v;

	for (v = fd; v; v /= 10)
		digits++;
	for (i = digits ? digits : 1, v = fd; i > 0; i--, v /= 10)
		path[len + i - 1] = '0' + v % 10;
	path[len + (digits ? digits : 1)] = '\0';
	f = sys(NR_open, (s64)(unsigned long)path, 0, 0, 0);
	if (f < 0)
		return 0;
	n = sys(NR_read, f, (s64)(unsigned long)buf, sizeof(buf) - 1, 0);
	sys(NR_close, f, 0, 0, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && buf[j] != '\n'; j++)
			;
		for (len = 0; line[len] && i + len < j && buf[i + len] == line[len]; len++)
			;
		if (!line[len] && i + len == j)
			return 1;
	}
	return 0;
}

static void bail_out(const char *what, s64 ret)
{
	put("Bail out! ");
	put(what);
	put(": ");
	put_num(ret);
	put("\n");
	sys(NR_exit_group, 1, 0, 0, 0);
}

/*
 * The SIGCHLD of child @pid in @rec: si_signo at 0 and, at @pid_off and
 * @status_off, si_pid and si_status (native siginfo_t: 0x10 and 0x18;
 * struct signalfd_siginfo: 0xc and 0x28).
 */
static int is_sigchld(const unsigned char *rec, int pid_off, int status_off,
		      s64 pid)
{
	return field32(rec, 0) == SIGCHLD && field32(rec, 8) == CLD_EXITED &&
	       field32(rec, pid_off) == pid && field32(rec, status_off) == 7;
}

static void run(void)
{
	unsigned long long mask = 1ULL << (SIGCHLD - 1);
	unsigned char rec[RECORD_SIZE];
	s64 native, classic, pid, ret;

	put("TAP version 13\n");
	ret = sys(NR_rt_sigprocmask, SIG_BLOCK, (s64)(unsigned long)&mask, 0, 8);
	if (ret)
		bail_out("rt_sigprocmask", ret);
	native = sys(NR64_signalfd4, -1, (s64)(unsigned long)&mask, 8, SFD_RAW);
	if (native == -EINVAL) {
		put("1..0 # SKIP signalfd4 does not know SFD_RAW\n");
		sys(NR_exit_group, 4, 0, 0, 0);
	}
	put("1..6\n");
	if (native < 0)
		bail_out("64-bit signalfd4", native);

	ret = sys(NR_signalfd4, -1, (s64)(unsigned long)&mask, 8, SFD_RAW);
	check(1, ret == -EINVAL, "x32 signalfd4() with SFD_RAW is EINVAL", ret);
	check(2, fdinfo_has(native, "signalfd-layout:\tnative"),
	      "a 64-bit syscall's SFD_RAW fd shows signalfd-layout: native",
	      native);

	pid = spawn();
	ret = sys(NR_read, native, (s64)(unsigned long)rec, RECORD_SIZE, 0);
	check(3, ret == -EINVAL, "an x32 read of it is EINVAL", ret);
	ret = sys(NR64_read, native, (s64)(unsigned long)rec, RECORD_SIZE, 0);
	check(4, ret == RECORD_SIZE && is_sigchld(rec, 0x10, 0x18, pid),
	      "a 64-bit read of it then gets the native SIGCHLD record", ret);
	if (sys(NR_wait4, pid, 0, 0, 0) != pid)
		bail_out("wait4", pid);

	classic = sys(NR_signalfd4, -1, (s64)(unsigned long)&mask, 8, 0);
	check(5, classic >= 0, "x32 signalfd4() without SFD_RAW works", classic);
	if (classic < 0)
		bail_out("x32 signalfd4", classic);
	pid = spawn();
	ret = sys(NR_read, classic, (s64)(unsigned long)rec, RECORD_SIZE, 0);
	check(6, ret == RECORD_SIZE && is_sigchld(rec, 0xc, 0x28, pid),
	      "an x32 read of a classic fd gets its signalfd_siginfo", ret);
	sys(NR_wait4, pid, 0, 0, 0);
	sys(NR_exit_group, failed, 0, 0, 0);
}

void __attribute__((used)) start_c(void)
{
	run();
}

/* The stack is 16-byte aligned at entry; keep it so for start_c(). */
__asm__(".globl _start\n_start:\n\tcall start_c\n\thlt\n");
