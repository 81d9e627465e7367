// SPDX-License-Identifier: GPL-2.0
// The fuzzer's model of a process's pending signals, as kernel/signal.c
// keeps them: the oracle of every verdict sigcr_fuzz gives, with its own
// tests (tests/queue_model_test.cc). A process of one thread: the shared
// queue and that thread's private queue, each a list of records in queue
// order. 64-bit layout only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>

#include <signal.h>

#include "sigcr/sigcr.h"

namespace sigcr::model {

static_assert(sizeof(void *) == 8, "the model has the 64-bit layout");

// Bytes of a siginfo the kernel keeps (struct kernel_siginfo: three ints
// and the union of fields, 48 bytes on 64-bit); of the rest of the 128,
// the kernel refuses nonzero bytes when it does not know the layout, and
// SFD_RAW returns zeros.
constexpr std::size_t kKernelSiginfo = 48;
// The kernel's SIGRTMIN (glibc's is 34: it keeps two for itself).
constexpr int kSigrtmin = 32;

// SFD_PRIVATE and SFD_GROUP, the bits of a signalfd's mode that select
// its queues (neither: both, private first).
constexpr int kModePrivate = 0x20, kModeGroup = 0x40;

// The synchronous signals next_signal() hands out first.
inline bool synchronous(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGTRAP || sig == SIGFPE || sig == SIGSYS;
}

inline bool stop_class(int sig) { return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU || sig == SIGSTOP; }

// The record a read returns for @sent queued as @sig: the bytes the
// kernel keeps, zeros after them, and @sig as si_signo.
inline RawSiginfo as_queued(const RawSiginfo &sent, int sig)
{
	RawSiginfo r{};
	std::memcpy(r.bytes, sent.bytes, kKernelSiginfo);
	reinterpret_cast<siginfo_t *>(r.bytes)->si_signo = sig;
	return r;
}

inline bool in_mask(std::uint64_t mask, int sig) { return mask & (1ull << (sig - 1)); }

// One pending queue: records in queue order; a legacy signal is pending
// at most once.
struct Queue {
	std::deque<RawSiginfo> records;

	bool pending(int sig) const
	{
		return std::any_of(records.begin(), records.end(), [&](const RawSiginfo &r) { return r.signo() == sig; });
	}

	// What __send_signal_locked() does with a queued siginfo: a legacy
	// signal already pending is dropped.
	void send(const RawSiginfo &r)
	{
		if (r.signo() < kSigrtmin && pending(r.signo()))
			return;
		records.push_back(r);
	}

	void flush(int sig)
	{
		std::erase_if(records, [&](const RawSiginfo &r) { return r.signo() == sig; });
	}

	// The record next_signal() and collect_signal() take for @mask: the
	// first of the lowest synchronous signal, else of the lowest signal.
	std::deque<RawSiginfo>::iterator next(std::uint64_t mask)
	{
		int best = 0;
		for (const RawSiginfo &r : records) {
			const int s = r.signo();
			if (!in_mask(mask, s))
				continue;
			const bool better = !best || (synchronous(s) && !synchronous(best)) ||
					    (synchronous(s) == synchronous(best) && s < best);
			if (better)
				best = s;
		}
		return std::find_if(records.begin(), records.end(), [&](const RawSiginfo &r) { return r.signo() == best; });
	}
};

struct Process {
	Queue shared, priv;

	// prepare_signal(): SIGCONT flushes the stop signals and a stop signal
	// flushes SIGCONT, in every queue of the process; then the send.
	void send(bool to_thread, const RawSiginfo &r)
	{
		const int sig = r.signo();
		for (Queue *q : {&shared, &priv}) {
			if (sig == SIGCONT)
				for (int s : {SIGTSTP, SIGTTIN, SIGTTOU})
					q->flush(s);
			if (stop_class(sig))
				q->flush(SIGCONT);
		}
		(to_thread ? priv : shared).send(r);
	}

	bool pending(int sig) const { return shared.pending(sig) || priv.pending(sig); }
	std::size_t size() const { return shared.records.size() + priv.records.size(); }
	void clear()
	{
		shared.records.clear();
		priv.records.clear();
	}

	// What one record of a read from a signalfd of @mode and @mask gives:
	// peek() shows it, take() dequeues it.
	std::optional<RawSiginfo> peek(int mode, std::uint64_t mask)
	{
		auto [q, it] = locate(mode, mask);
		if (!q)
			return std::nullopt;
		return *it;
	}
	std::optional<RawSiginfo> take(int mode, std::uint64_t mask)
	{
		auto [q, it] = locate(mode, mask);
		if (!q)
			return std::nullopt;
		RawSiginfo r = *it;
		q->records.erase(it);
		return r;
	}

private:
	std::pair<Queue *, std::deque<RawSiginfo>::iterator> locate(int mode, std::uint64_t mask)
	{
		const bool from_priv = (mode & kModePrivate) || !(mode & kModeGroup);
		const bool from_shared = (mode & kModeGroup) || !(mode & kModePrivate);
		for (auto [q, on] : {std::pair{&priv, from_priv}, std::pair{&shared, from_shared}}) {
			if (!on)
				continue;
			if (auto it = q->next(mask); it != q->records.end())
				return {q, it};
		}
		return {nullptr, {}};
	}
};

}  // namespace sigcr::model
