// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke test of the build/boot/test loop: works on the pristine base.
 * A blocked signal is read back through signalfd, with read(2) and with
 * io_uring (completed inline, and after io_uring's internal poll wait).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "kselftest_harness.h"

static int blocked_signalfd(int sig, int flags)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, flags);
}

TEST(read_returns_queued_signal)
{
	struct signalfd_siginfo si;
	union sigval val = { .sival_int = 42 };
	int fd = blocked_signalfd(SIGUSR1, SFD_CLOEXEC);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, sigqueue(getpid(), SIGUSR1, val));
	ASSERT_EQ(sizeof(si), read(fd, &si, sizeof(si)));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
	EXPECT_EQ(SI_QUEUE, si.ssi_code);
	EXPECT_EQ(getpid(), si.ssi_pid);
	EXPECT_EQ(42, si.ssi_int);
	close(fd);
}

TEST(read_nothing_pending_is_eagain)
{
	struct signalfd_siginfo si;
	int fd = blocked_signalfd(SIGUSR2, SFD_NONBLOCK);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, read(fd, &si, sizeof(si)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

static int uring_read(struct io_uring *ring, int fd, void *buf, unsigned int len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int res;

	io_uring_prep_read(sqe, fd, buf, len, 0);
	if (io_uring_submit(ring) != 1)
		return -EIO;
	res = io_uring_wait_cqe(ring, &cqe);
	if (res)
		return res;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

TEST(io_uring_read_pending_signal)
{
	struct signalfd_siginfo si;
	struct io_uring ring;
	int fd = blocked_signalfd(SIGUSR1, SFD_NONBLOCK);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	ASSERT_EQ(0, kill(getpid(), SIGUSR1));
	ASSERT_EQ(sizeof(si), uring_read(&ring, fd, &si, sizeof(si)));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
	EXPECT_EQ(SI_USER, si.ssi_code);
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST(io_uring_read_waits_for_signal)
{
	struct signalfd_siginfo si;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd = blocked_signalfd(SIGUSR2, SFD_NONBLOCK);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, &si, sizeof(si), 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	/* Nothing is pending yet: the read must still be in flight. */
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring, &cqe));
	ASSERT_EQ(0, kill(getpid(), SIGUSR2));
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ(sizeof(si), cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	EXPECT_EQ(SIGUSR2, si.ssi_signo);
	io_uring_queue_exit(&ring);
	close(fd);
}

TEST_HARNESS_MAIN
