// SPDX-License-Identifier: GPL-2.0
/*
 * An SFD_RAW fd across ABIs: its records have the layout of the syscall
 * that created it, and a read(2) by a program of the other ABI fails with
 * EINVAL instead of returning records that program cannot parse. Built
 * twice, native and compat (i686 on x86_64, armhf on arm64), each taking
 * the other's path; the native one runs the test:
 *
 *   signalfd_layout_exec OTHER            the test (native), TAP
 *   signalfd_layout_exec --read-einval FD a step: expects EINVAL reading
 *                                         FD, with a signal of its own
 *                                         pending that the read would take
 *   signalfd_layout_exec --create-exec OTHER
 *                                         a step: creates an SFD_RAW fd
 *                                         and execs OTHER --read-einval FD
 *                                         in the same process, the signal
 *                                         still pending
 *
 * A step exits 0 if it saw what it expected, else 1 after saying why on
 * stderr. Exits 4 (kselftest's skip) on a kernel without SFD_RAW.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SFD_RAW		0x10
#define SFD_GROUP	0x40
#define RECORD_SIZE	128
#define SIG		(SIGRTMIN + 2)
#define VALUE		42

static int signalfd_raw(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIG);
	return syscall(__NR_signalfd4, -1, &mask, 8,
		       SFD_RAW | SFD_GROUP | O_NONBLOCK);
}

static int block_and_queue(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIG);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -1;
	return sigqueue(getpid(), SIG, (union sigval){ .sival_int = VALUE });
}

static int is_pending(void)
{
	sigset_t set;

	return !sigpending(&set) && sigismember(&set, SIG);
}

static int fail(const char *what)
{
	fprintf(stderr, "%s: %s (errno %d)\n", what, strerror(errno), errno);
	return 1;
}

static int read_einval(int fd)
{
	char rec[RECORD_SIZE];
	ssize_t n;

	if (!is_pending() && block_and_queue())
		return fail("queueing a signal");
	n = read(fd, rec, sizeof(rec));
	if (n != -1 || errno != EINVAL) {
		fprintf(stderr, "read of the other ABI's fd: %zd (errno %d), not EINVAL\n",
			n, n < 0 ? errno : 0);
		return 1;
	}
	if (!is_pending())
		return fail("the signal is no longer pending after the refused read");
	return 0;
}

static int create_exec(const char *other)
{
	char num[16];
	int fd;

	if (block_and_queue())
		return fail("queueing a signal");
	fd = signalfd_raw();
	if (fd < 0)
		return fail("signalfd4(SFD_RAW)");
	snprintf(num, sizeof(num), "%d", fd);
	execl(other, other, "--read-einval", num, (char *)NULL);
	return fail(other);
}

/* Run @argv in a child; its exit status. */
static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	char num[16];
	int fd, ret, failed = 0;

	if (argc == 3 && !strcmp(argv[1], "--read-einval"))
		return read_einval(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "--create-exec"))
		return create_exec(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: %s OTHER_ABI_BUILD\n", argv[0]);
		return 2;
	}

	printf("TAP version 13\n");
	fd = signalfd_raw();
	if (fd < 0 && errno == EINVAL) {
		printf("1..0 # SKIP signalfd4 does not know SFD_RAW\n");
		return 4;
	}
	printf("1..2\n");
	if (fd < 0) {
		printf("Bail out! signalfd4(SFD_RAW): %s\n", strerror(errno));
		return 1;
	}
	fflush(stdout);

	/* Inherited across fork and exec by a program of the other ABI. */
	snprintf(num, sizeof(num), "%d", fd);
	ret = run((char *const[]){ argv[1], "--read-einval", num, NULL });
	failed |= ret != 0;
	printf("%s 1 an fd of this ABI read by a program of the other: EINVAL, signal kept # exit %d\n",
	       ret ? "not ok" : "ok", ret);
	fflush(stdout);

	/* Created by the other ABI, read after it execs this one. */
	ret = run((char *const[]){ argv[1], "--create-exec", argv[0], NULL });
	failed |= ret != 0;
	printf("%s 2 an fd of the other ABI read after exec of this one: EINVAL, signal kept # exit %d\n",
	       ret ? "not ok" : "ok", ret);
	return failed;
}
