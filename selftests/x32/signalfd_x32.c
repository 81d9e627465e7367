// SPDX-License-Identifier: GPL-2.0
/*
 * SFD_RAW on x32: the record of a SIGCHLD must be what rt_sigtimedwait()
 * gives an x32 task, whose siginfo_t has 64-bit si_utime and si_stime at
 * offsets 0x18 and 0x20 (the i386 compat layout has 32-bit ones at 0x18
 * and 0x1c). Two children burn user and system time and exit; the SIGCHLD
 * of one is read through an SFD_RAW signalfd, the other's with
 * rt_sigtimedwait(), and both must decode as x32 records.
 *
 * Built with gcc -mx32, freestanding: Debian 12 has no x32 libc for the
 * cross-built guest, so the program makes its own system calls. Prints
 * TAP; exits 4 (kselftest's skip) on a kernel without SFD_RAW. The fd's
 * fdinfo must name the layout: "signalfd-layout:\tx32".
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
#define NR_times	(X32_BIT | 100)
#define NR_getppid	(X32_BIT | 110)
#define NR_exit_group	(X32_BIT | 231)
#define NR_signalfd4	(X32_BIT | 289)
#define NR_rt_sigtimedwait (X32_BIT | 523)	/* x32's own entry */

#define SIGCHLD		17
#define SIG_BLOCK	0
#define CLD_EXITED	1
#define EINVAL		22
#define SFD_RAW		0x10
#define RECORD_SIZE	128
#define TICKS		2	/* of user and of system time, each child */

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

/* x32 struct tms: four 64-bit clock_t */
struct tms {
	s64 utime, stime, cutime, cstime;
};

/* Burn user and system time, TICKS of each at least, then exit 7. */
static void child(void)
{
	volatile unsigned long spin;
	struct tms t;
	int i;

	for (;;) {
		for (i = 0; i < 2000; i++)
			sys(NR_getppid, 0, 0, 0, 0);
		for (spin = 0; spin < 200000; spin++)
			;
		sys(NR_times, (s64)(unsigned long)&t, 0, 0, 0);
		if (t.utime >= TICKS && t.stime >= TICKS)
			sys(NR_exit, 7, 0, 0, 0);
	}
}

static s64 spawn(void)
{
	s64 pid = sys(NR_fork, 0, 0, 0, 0);

	if (pid == 0)
		child();
	return pid;
}

static s64 field64(const unsigned char *rec, int off)
{
	s64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | rec[off + i];
	return v;
}

static int field32(const unsigned char *rec, int off)
{
	return (int)field64(rec, off);
}

/* Tests @first..@first+6 on the SIGCHLD record @rec of child @pid. */
static void check_record(int first, const char *how,
			 const unsigned char *rec, s64 pid)
{
	s64 utime = field64(rec, 0x18), stime = field64(rec, 0x20);
	int i, tail = 0;

	for (i = 0x28; i < RECORD_SIZE; i++)
		tail |= rec[i];
	put("# ");
	put(how);
	put("\n");
	check(first, field32(rec, 0) == SIGCHLD, "si_signo is SIGCHLD", field32(rec, 0));
	check(first + 1, field32(rec, 8) == CLD_EXITED, "si_code is CLD_EXITED", field32(rec, 8));
	check(first + 2, field32(rec, 0xc) == pid, "si_pid is the child", field32(rec, 0xc));
	check(first + 3, field32(rec, 0x14) == 7, "si_status is 7", field32(rec, 0x14));
	/*
	 * In the i386 layout, 0x18 as 64 bits is utime | stime << 32 and
	 * 0x20 is zero, so both must be nonzero and small. Not TICKS: the
	 * child waits for TICKS of times()' adjusted figures, and SIGCHLD
	 * carries the raw tick counts (task_cputime()), which can be a tick
	 * lower (stime 1 once in the virtme-ng guest).
	 */
	check(first + 4, utime > 0 && utime < 1000000,
	      "si_utime is 64 bits at 0x18", utime);
	check(first + 5, stime > 0 && stime < 1000000,
	      "si_stime is 64 bits at 0x20", stime);
	check(first + 6, !tail, "the rest is zero", tail);
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

static void run(void)
{
	unsigned long long mask = 1ULL << (SIGCHLD - 1);
	unsigned char sfd_rec[RECORD_SIZE], wait_rec[RECORD_SIZE];
	s64 fd, pid, ret;

	put("TAP version 13\n");
	ret = sys(NR_rt_sigprocmask, SIG_BLOCK, (s64)(unsigned long)&mask, 0, 8);
	if (ret)
		bail_out("rt_sigprocmask", ret);
	fd = sys(NR_signalfd4, -1, (s64)(unsigned long)&mask, 8, SFD_RAW);
	if (fd == -EINVAL) {
		put("1..0 # SKIP signalfd4 does not know SFD_RAW\n");
		sys(NR_exit_group, 4, 0, 0, 0);
	}
	put("1..15\n");
	if (fd < 0)
		bail_out("signalfd4", fd);

	pid = spawn();
	ret = sys(NR_read, fd, (s64)(unsigned long)sfd_rec, RECORD_SIZE, 0);
	if (ret != RECORD_SIZE || sys(NR_wait4, pid, 0, 0, 0) != pid)
		bail_out("read of the SFD_RAW signalfd", ret);
	check_record(1, "read() of an SFD_RAW signalfd", sfd_rec, pid);

	pid = spawn();
	ret = sys(NR_rt_sigtimedwait, (s64)(unsigned long)&mask,
		  (s64)(unsigned long)wait_rec, 0, 8);
	if (ret != SIGCHLD || sys(NR_wait4, pid, 0, 0, 0) != pid)
		bail_out("rt_sigtimedwait", ret);
	check_record(8, "rt_sigtimedwait()", wait_rec, pid);
	check(15, fdinfo_has(fd, "signalfd-layout:\tx32"),
	      "fdinfo shows signalfd-layout: x32", fd);
	sys(NR_exit_group, failed, 0, 0, 0);
}

void __attribute__((used)) start_c(void)
{
	run();
}

/* The stack is 16-byte aligned at entry; keep it so for start_c(). */
__asm__(".globl _start\n_start:\n\tcall start_c\n\thlt\n");
