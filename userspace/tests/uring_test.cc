// SPDX-License-Identifier: GPL-2.0
// io_uring reads of an SFD_RAW signalfd give the bytes read(2) gives,
// inline and after a poll wait, several records per read; epoll readiness
// follows the selected queue. A read whose buffer faults loses no signal.
#include <thread>
#include <vector>

#include <liburing.h>
#include <sys/epoll.h>
#include <sys/mman.h>

#include "testing.h"

namespace sigcr::test {
namespace {

const int kSig = SIGRTMIN + 7;

void queue_values(int first, int n)
{
	for (int v = first; v < first + n; v++)
		ASSERT_SYSCALL(sigqueue(getpid(), kSig, sigval{.sival_int = v}));
}

class Uring : public SignalTest {
protected:
	void SetUp() override
	{
		SignalTest::SetUp();
		if (IsSkipped())
			return;
		ASSERT_EQ(0, io_uring_queue_init(8, &ring_, 0));
		ring_ok_ = true;
		ASSERT_OK_AND_ASSIGN(fd_, open_raw_signalfd(make_sigset({kSig}), kSfdGroup));
	}
	void TearDown() override
	{
		if (ring_ok_)
			io_uring_queue_exit(&ring_);
		SignalTest::TearDown();
	}

	int submit_read(void *buf, unsigned len)
	{
		io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
		io_uring_prep_read(sqe, fd_.get(), buf, len, 0);
		return io_uring_submit(&ring_);
	}

	int wait_result()
	{
		io_uring_cqe *cqe;
		int ret = io_uring_wait_cqe(&ring_, &cqe);
		if (ret)
			return ret;
		ret = cqe->res;
		io_uring_cqe_seen(&ring_, cqe);
		return ret;
	}

	io_uring ring_{};
	bool ring_ok_ = false;
	UniqueFd fd_;
};

TEST_F(Uring, InlineReadOfSeveralRecordsMatchesRead)
{
	RawSiginfo by_read[4], by_uring[4];
	queue_values(1, 4);
	ASSERT_SYSCALL_VALUE(read(fd_.get(), by_read, sizeof(by_read)), static_cast<ssize_t>(sizeof(by_read)));
	queue_values(1, 4);
	ASSERT_EQ(1, submit_read(by_uring, sizeof(by_uring)));
	ASSERT_EQ(static_cast<int>(sizeof(by_uring)), wait_result());
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(by_read[i], by_uring[i]) << "record " << i;
}

TEST_F(Uring, ReadAfterPollWaitMatchesRead)
{
	RawSiginfo by_read, by_uring;
	queue_values(9, 1);
	ASSERT_SYSCALL_VALUE(read(fd_.get(), &by_read, sizeof(by_read)), static_cast<ssize_t>(sizeof(by_read)));
	ASSERT_EQ(1, submit_read(&by_uring, sizeof(by_uring)));
	io_uring_cqe *cqe;
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring_, &cqe)) << "completed with nothing pending";
	std::jthread sender([] { queue_values(9, 1); });
	sender.join();
	ASSERT_EQ(static_cast<int>(sizeof(by_uring)), wait_result());
	EXPECT_EQ(by_read, by_uring);
}

// Read what is pending with read(2): the sival_ints, in order.
std::vector<int> remaining_values(int fd)
{
	auto records = read_all(fd);
	EXPECT_OK(records);
	std::vector<int> values;
	if (records.ok())
		for (const RawSiginfo &r : records.value())
			values.push_back(r.info().si_int);
	return values;
}

TEST_F(Uring, StraddlingReadReturnsWhatFitAndKeepsTheRest)
{
	GuardedPages pages(PROT_NONE);
	ASSERT_TRUE(pages.ok());
	auto *buf = reinterpret_cast<RawSiginfo *>(pages.before_boundary(sizeof(RawSiginfo) * 3 / 2));
	queue_values(1, 3);
	ASSERT_EQ(1, submit_read(buf, 3 * sizeof(RawSiginfo)));
	ASSERT_EQ(static_cast<int>(sizeof(RawSiginfo)), wait_result());
	EXPECT_EQ(1, buf->info().si_int);
	EXPECT_EQ((std::vector<int>{2, 3}), remaining_values(fd_.get()));
}

TEST_F(Uring, ReadIntoProtNoneIsEfaultAndKeepsAll)
{
	GuardedPages pages(PROT_NONE);
	ASSERT_TRUE(pages.ok());
	queue_values(1, 3);
	ASSERT_EQ(1, submit_read(pages.bad(), 3 * sizeof(RawSiginfo)));
	EXPECT_EQ(-EFAULT, wait_result());
	EXPECT_EQ((std::vector<int>{1, 2, 3}), remaining_values(fd_.get()));
}

TEST_F(Uring, ReadIntoReadOnlyBufferIsEfaultAndKeepsAll)
{
	GuardedPages pages(PROT_READ);
	ASSERT_TRUE(pages.ok());
	queue_values(1, 3);
	ASSERT_EQ(1, submit_read(pages.bad(), sizeof(RawSiginfo)));
	EXPECT_EQ(-EFAULT, wait_result());
	EXPECT_EQ((std::vector<int>{1, 2, 3}), remaining_values(fd_.get()));
}

TEST_F(Uring, FaultAfterPollWaitKeepsTheSignal)
{
	GuardedPages pages(PROT_NONE);
	ASSERT_TRUE(pages.ok());
	ASSERT_EQ(1, submit_read(pages.bad(), sizeof(RawSiginfo)));
	io_uring_cqe *cqe;
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring_, &cqe)) << "completed with nothing pending";
	std::jthread sender([] { queue_values(5, 1); });
	sender.join();
	EXPECT_EQ(-EFAULT, wait_result());
	EXPECT_EQ((std::vector<int>{5}), remaining_values(fd_.get()));
}

using Epoll = SignalTest;

TEST_F(Epoll, ReadinessFollowsTheSelectedQueue)
{
	const sigset_t mask = make_sigset({kSig});
	ASSERT_OK_AND_ASSIGN(UniqueFd priv, open_raw_signalfd(mask, kSfdPrivate));
	ASSERT_OK_AND_ASSIGN(UniqueFd group, open_raw_signalfd(mask, kSfdGroup));
	UniqueFd ep(epoll_create1(EPOLL_CLOEXEC));
	ASSERT_SYSCALL(ep.get());
	for (int fd : {priv.get(), group.get()}) {
		epoll_event ev{.events = EPOLLIN, .data = {.fd = fd}};
		ASSERT_SYSCALL(epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev));
	}
	epoll_event ev[2];
	ASSERT_SYSCALL(sigqueue(getpid(), kSig, sigval{.sival_int = 1}));
	ASSERT_SYSCALL_VALUE(epoll_wait(ep.get(), ev, 2, 0), 1);
	EXPECT_EQ(group.get(), ev[0].data.fd);
	drain();
	ASSERT_SYSCALL(tgkill(getpid(), sys_gettid(), kSig));
	ASSERT_SYSCALL_VALUE(epoll_wait(ep.get(), ev, 2, 0), 1);
	EXPECT_EQ(priv.get(), ev[0].data.fd);
	drain();
}

}  // namespace
}  // namespace sigcr::test
