// SPDX-License-Identifier: GPL-2.0
// Several threads with private signals plus shared ones, kernel-reserved
// si_codes among them: each thread dumps and restores its own queue, a
// thread other than the leader restores the shared one.
#include <barrier>
#include <csignal>
#include <thread>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

#include "testing.h"

namespace sigcr::test {
namespace {

constexpr int kThreads = 3;

using Threads = SignalTest;

TEST_F(Threads, EachRestoresItsOwnQueueAndANonLeaderTheSharedOne)
{
	const int sig = SIGRTMIN + 6;
	const sigset_t all = test_signals();
	std::barrier sync(kThreads + 1);
	std::vector<pid_t> tids(kThreads);
	std::vector<ProcessDump> first(kThreads), second(kThreads);
	ProcessDump shared, restored_shared;
	Status restored = Ok{};

	{
		std::vector<std::jthread> threads;
		for (int t = 0; t < kThreads; t++)
			threads.emplace_back([&, t] {
				tids[t] = sys_gettid();
				sync.arrive_and_wait();  // 1: tids known
				sync.arrive_and_wait();  // 2: signals queued
				EXPECT_OK(dump_thread(all, first[t]));
				sync.arrive_and_wait();  // 3: all dumped
				EXPECT_OK(restore_thread(first[t], tids[t]));
				if (t == 1)
					restored = restore_shared(shared);
				sync.arrive_and_wait();  // 4: restored
				EXPECT_OK(dump_thread(all, second[t]));
			});
		sync.arrive_and_wait();
		for (int t = 0; t < kThreads; t++) {
			for (int v = 0; v < 3; v++)
				ASSERT_SYSCALL(sys_rt_tgsigqueueinfo(getpid(), tids[t], sig, queued_siginfo(sig, 100 * t + v)));
			ASSERT_SYSCALL(syscall(SYS_tgkill, getpid(), tids[t], sig));  // SI_TKILL
		}
		ASSERT_SYSCALL(sigqueue(getpid(), sig, sigval{.sival_int = -1}));
		ASSERT_SYSCALL(kill(getpid(), sig));  // SI_USER
		sync.arrive_and_wait();
		ASSERT_OK(dump_shared(all, shared));
		sync.arrive_and_wait();
		sync.arrive_and_wait();
	}
	ASSERT_OK(restored);
	ASSERT_OK(dump_shared(all, restored_shared));

	for (int t = 0; t < kThreads; t++) {
		ASSERT_EQ(4u, first[t].signals.size()) << "thread " << t;
		for (int v = 0; v < 3; v++) {
			const PendingSignal &s = first[t].signals[v];
			EXPECT_EQ(100 * t + v, s.info.info().si_int) << "SFD_PRIVATE saw another thread's signal";
			EXPECT_EQ(Queue::Private, s.queue);
			EXPECT_EQ(tids[t], s.tid);
		}
		EXPECT_EQ(SI_TKILL, first[t].signals[3].info.info().si_code);
		EXPECT_EQ(first[t], second[t]) << "thread " << t;
	}
	ASSERT_EQ(2u, shared.signals.size());
	EXPECT_EQ(SI_USER, shared.signals[1].info.info().si_code);
	EXPECT_EQ(shared, restored_shared);
}

// The kernel keeps a reserved si_code out of a sibling's private queue, so
// restore_thread() restores into the calling thread only.
TEST_F(Threads, ReservedCodeIntoASiblingsQueueIsRefused)
{
	const int sig = SIGRTMIN + 6;
	std::barrier sync(2);
	pid_t sibling = 0;
	bool sibling_got_it = true;
	std::jthread thread([&] {
		sibling = sys_gettid();
		sync.arrive_and_wait();  // 1: tid known
		sync.arrive_and_wait();  // 2: sent
		siginfo_t info;
		sibling_got_it = sys_rt_sigtimedwait_now(test_signals(), info) > 0;
	});
	sync.arrive_and_wait();
	const siginfo_t info = queued_siginfo(sig, 1, SI_TKILL);
	EXPECT_SYSCALL_ERRNO(sys_rt_tgsigqueueinfo(getpid(), sibling, sig, info), EPERM);
	sync.arrive_and_wait();
	thread.join();
	EXPECT_FALSE(sibling_got_it);
}

}  // namespace
}  // namespace sigcr::test
