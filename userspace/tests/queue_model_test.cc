// SPDX-License-Identifier: GPL-2.0
// The fuzzer's model of the kernel's queues (tools/queue_model.h), which
// decides every fuzz verdict, against what kernel/signal.c does: legacy
// signals coalesce, RT signals queue in order, synchronous signals come
// first and then the lowest number, SIGCONT and the stop signals flush
// each other, and a signalfd's mode picks the queues, private first.
#include <vector>

#include "queue_model.h"
#include "testing.h"

namespace sigcr::test {
namespace {

using model::kModeGroup;
using model::kModePrivate;

constexpr std::uint64_t kAll = ~0ull;
constexpr int kRt = 40;

RawSiginfo record(int sig, int value)
{
	RawSiginfo r{};
	const siginfo_t info = queued_siginfo(sig, value);
	std::memcpy(r.bytes, &info, sizeof(info));
	return r;
}

// What reads of @mode and @mask give until nothing is left: (signal, value).
std::vector<std::pair<int, int>> read_all(model::Process &p, int mode, std::uint64_t mask = kAll)
{
	std::vector<std::pair<int, int>> out;
	while (auto r = p.take(mode, mask))
		out.emplace_back(r->signo(), r->info().si_int);
	return out;
}

using Pairs = std::vector<std::pair<int, int>>;

TEST(QueueModel, LegacySignalsCoalesceAndRealtimeSignalsQueue)
{
	model::Process p;
	p.send(false, record(SIGUSR1, 1));
	p.send(false, record(SIGUSR1, 2));
	p.send(false, record(kRt, 3));
	p.send(false, record(kRt, 4));
	EXPECT_EQ((Pairs{{SIGUSR1, 1}, {kRt, 3}, {kRt, 4}}), read_all(p, kModeGroup));
}

TEST(QueueModel, ALegacySignalPendingInOneQueueStillQueuesInTheOther)
{
	model::Process p;
	p.send(false, record(SIGUSR1, 1));
	p.send(true, record(SIGUSR1, 2));
	EXPECT_EQ(2u, p.size());
}

TEST(QueueModel, SynchronousSignalsFirstThenTheLowestNumber)
{
	model::Process p;
	p.send(false, record(kRt, 1));
	p.send(false, record(SIGHUP, 2));
	p.send(false, record(SIGSEGV, 3));
	p.send(false, record(SIGBUS, 4));
	p.send(false, record(SIGUSR2, 5));
	EXPECT_EQ((Pairs{{SIGBUS, 4}, {SIGSEGV, 3}, {SIGHUP, 2}, {SIGUSR2, 5}, {kRt, 1}}), read_all(p, kModeGroup));
}

TEST(QueueModel, TheMaskLimitsWhatIsTaken)
{
	model::Process p;
	p.send(false, record(SIGHUP, 1));
	p.send(false, record(kRt, 2));
	const std::uint64_t only_rt = 1ull << (kRt - 1);
	EXPECT_EQ((Pairs{{kRt, 2}}), read_all(p, kModeGroup, only_rt));
	EXPECT_TRUE(p.pending(SIGHUP));
	EXPECT_FALSE(p.peek(kModeGroup, only_rt));
}

TEST(QueueModel, TheModePicksTheQueuesPrivateFirst)
{
	model::Process p;
	p.send(false, record(kRt, 1));
	p.send(true, record(kRt + 1, 2));
	EXPECT_EQ((Pairs{{kRt + 1, 2}}), read_all(p, kModePrivate));
	p.send(true, record(kRt + 1, 3));
	EXPECT_EQ((Pairs{{kRt, 1}}), read_all(p, kModeGroup));
	p.send(false, record(kRt, 4));
	// Neither flag: the private queue first, even for a higher number.
	EXPECT_EQ((Pairs{{kRt + 1, 3}, {kRt, 4}}), read_all(p, 0));
}

TEST(QueueModel, SigcontAndStopSignalsFlushEachOtherInBothQueues)
{
	model::Process p;
	p.send(false, record(SIGTSTP, 1));
	p.send(true, record(SIGTTIN, 2));
	p.send(true, record(SIGCONT, 3));
	EXPECT_FALSE(p.pending(SIGTSTP));
	EXPECT_FALSE(p.pending(SIGTTIN));
	p.send(false, record(SIGTTOU, 4));
	EXPECT_FALSE(p.pending(SIGCONT));
	EXPECT_EQ((Pairs{{SIGTTOU, 4}}), read_all(p, 0));
}

TEST(QueueModel, AQueuedRecordKeepsTheKernelsBytesAndTheNumberItWasSentAs)
{
	RawSiginfo sent;
	for (std::size_t i = 0; i < sizeof(sent.bytes); i++)
		sent.bytes[i] = static_cast<unsigned char>(i + 1);
	const RawSiginfo r = model::as_queued(sent, kRt);
	EXPECT_EQ(kRt, r.signo());
	EXPECT_EQ(0, std::memcmp(r.bytes + 4, sent.bytes + 4, model::kKernelSiginfo - 4));
	for (std::size_t i = model::kKernelSiginfo; i < sizeof(r.bytes); i++)
		EXPECT_EQ(0, r.bytes[i]) << "byte " << i;
}

}  // namespace
}  // namespace sigcr::test
