// SPDX-License-Identifier: GPL-2.0
// Dump and restore the pending signals of the calling process.
//
// A thread can read only its own private queue through signalfd, and may
// queue a signal with a kernel-reserved si_code only to itself, so both
// halves work per thread: dump_shared() and restore_shared() once, from
// any thread; dump_thread() and restore_thread() in every thread, each for
// its own queue. Restored signals keep their original siginfo, si_code
// included. This needs the kernel's SFD_RAW, SFD_PRIVATE and SFD_GROUP,
// and its rule that any thread may send any siginfo to its own process.
#pragma once

#include <csignal>
#include <cstdint>
#include <span>
#include <vector>

#include <sys/types.h>

#include "sigcr/resources.h"
#include "sigcr/result.h"

namespace sigcr {

// The kernel's siginfo_t, as SFD_RAW returns it: 128 bytes.
struct RawSiginfo {
	unsigned char bytes[128];

	const siginfo_t &info() const { return *reinterpret_cast<const siginfo_t *>(bytes); }
	int signo() const { return info().si_signo; }
	bool operator==(const RawSiginfo &) const = default;
};
static_assert(sizeof(RawSiginfo) == sizeof(siginfo_t));

enum class Queue : std::uint8_t { Shared = 0, Private = 1 };

struct PendingSignal {
	Queue queue;
	pid_t tid;  // the thread whose private queue it sat in; 0 if shared
	RawSiginfo info;
	bool operator==(const PendingSignal &) const = default;
};

// Pending signals in dequeue order, shared queue first, then each thread's.
struct ProcessDump {
	std::vector<PendingSignal> signals;
	bool operator==(const ProcessDump &) const = default;
};

// signalfd4() flags, from the kernel's UAPI header (included only by the
// library, since <linux/signalfd.h> and libc's <fcntl.h> do not mix).
extern const int kSfdRaw, kSfdPrivate, kSfdGroup, kSfdNonblock;

// Does the running kernel have SFD_RAW, SFD_PRIVATE and SFD_GROUP?
bool kernel_supports_raw_signalfd();

// A non-blocking SFD_RAW signalfd for @mask with @flags added.
Result<UniqueFd> open_raw_signalfd(const sigset_t &mask, int flags);

// Read every record @fd has now, up to @batch per read(2).
Result<std::vector<RawSiginfo>> read_all(int fd, std::size_t batch = 64);

// Dequeue the signals in @mask from the shared queue, or from the calling
// thread's private queue, and append them to @dump. The signals must be
// blocked in every thread, or they may be delivered meanwhile.
Status dump_shared(const sigset_t &mask, ProcessDump &dump);
Status dump_thread(const sigset_t &mask, ProcessDump &dump);

// Queue the shared signals of @dump back into the process's shared queue,
// in order, one rt_sigqueueinfo() to the own process per signal. Any
// thread may call it. An error names the record that failed; the ones
// before it are queued. Over RLIMIT_SIGPENDING a real-time record fails
// with EAGAIN, but as with any sender a standard signal with a negative
// si_code, or a real-time SI_USER one, is queued without its siginfo.
Status restore_shared(const ProcessDump &dump);

// Queue the private signals that thread @dumped_tid had in @dump back into
// the calling thread's own queue, in order (rt_tgsigqueueinfo() to itself),
// with restore_shared()'s errors. Each thread restores its own, as each
// dumped its own: the kernel refuses a reserved si_code into another
// thread's queue.
Status restore_thread(const ProcessDump &dump, pid_t dumped_tid);

// The versioned, checksummed image of a dump.
std::vector<std::uint8_t> serialize(const ProcessDump &dump);
Result<ProcessDump> parse(std::span<const std::uint8_t> image);

}  // namespace sigcr
