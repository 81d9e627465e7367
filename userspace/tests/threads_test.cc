// SPDX-License-Identifier: GPL-2.0
// Several threads with private signals plus shared ones: each thread dumps
// its own queue, one non-leader thread restores everything.
#include <barrier>
#include <thread>
#include <vector>

#include "testing.h"

namespace sigcr::test {
namespace {

constexpr int kThreads = 3;

siginfo_t queued(int sig, int value)
{
	siginfo_t info{};
	info.si_signo = sig;
	info.si_code = SI_QUEUE;
	info.si_pid = getpid();
	info.si_uid = getuid();
	info.si_int = value;
	return info;
}

TEST(Threads, EachDumpsItsOwnQueueAndOneThreadRestoresAll)
{
	REQUIRE_RAW_SIGNALFD();
	drain();
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
				sync.arrive_and_wait();  // 3: dumped
				if (t == 1) {            // a non-leader restores all
					ProcessDump everything = shared;
					for (auto &d : first)
						everything.signals.insert(everything.signals.end(), d.signals.begin(),
									  d.signals.end());
					restored = restore(everything);
				}
				sync.arrive_and_wait();  // 4: restored
				EXPECT_OK(dump_thread(all, second[t]));
			});
		sync.arrive_and_wait();
		for (int t = 0; t < kThreads; t++)
			for (int v = 0; v < 3; v++)
				ASSERT_SYSCALL(sys_rt_tgsigqueueinfo(getpid(), tids[t], sig, queued(sig, 100 * t + v)));
		ASSERT_SYSCALL(sigqueue(getpid(), sig, sigval{.sival_int = -1}));
		sync.arrive_and_wait();
		ASSERT_OK(dump_shared(all, shared));  // before thread 1 restores it
		sync.arrive_and_wait();
		sync.arrive_and_wait();
	}
	ASSERT_TRUE(restored.ok()) << restored.error().message();
	ASSERT_OK(dump_shared(all, restored_shared));

	for (int t = 0; t < kThreads; t++) {
		ASSERT_EQ(3u, first[t].signals.size()) << "thread " << t;
		for (int v = 0; v < 3; v++) {
			const PendingSignal &s = first[t].signals[v];
			EXPECT_EQ(100 * t + v, s.info.info().si_int) << "SFD_PRIVATE saw another thread's signal";
			EXPECT_EQ(Queue::Private, s.queue);
			EXPECT_EQ(tids[t], s.tid);
		}
		EXPECT_EQ(first[t], second[t]) << "thread " << t;
	}
	ASSERT_EQ(1u, shared.signals.size());
	EXPECT_EQ(shared, restored_shared);
}

}  // namespace
}  // namespace sigcr::test
