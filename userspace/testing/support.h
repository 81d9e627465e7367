// SPDX-License-Identifier: GPL-2.0
// What the GoogleTest suite (tests/) and the guest's programs (tools/)
// need beyond the library's API: the raw syscalls (the library's own,
// src/syscalls.h, and others), RAII for a blocked signal mask and for
// guarded pages, and the one builder of the siginfo that sigqueue()
// would send. Not part of sigcr's public API.
#pragma once

#include <csignal>
#include <cstddef>

#include <sys/types.h>

#include "sigcr/resources.h"
#include "sigcr/result.h"
#include "syscalls.h"

namespace sigcr::support {

int sys_pidfd_open(pid_t pid, unsigned int flags);
int sys_pidfd_send_signal(int pidfd, int sig, const siginfo_t &info, unsigned int flags);
// rt_sigtimedwait() with a zero timeout: the signal number, or -1 (EAGAIN
// when none of @mask is pending).
int sys_rt_sigtimedwait_now(const sigset_t &mask, siginfo_t &info);

// The siginfo sigqueue(@sig, @value) sends from this process, with
// @code in place of SI_QUEUE if given.
siginfo_t queued_siginfo(int sig, int value, int code = SI_QUEUE);

// The signals queued for this user: the first number of "SigQ:" in
// /proc/self/status; -1 if it cannot be read.
long user_sigq();

// Changes the calling thread's signal mask (@how: SIG_BLOCK, SIG_UNBLOCK or
// SIG_SETMASK) until the object goes; the old mask comes back then.
// make() fails with pthread_sigmask()'s error instead of ignoring it.
class ScopedSigmask {
public:
	static Result<ScopedSigmask> make(int how, const sigset_t &set);
	ScopedSigmask(ScopedSigmask &&other) noexcept : old_(other.old_), active_(other.active_)
	{
		other.active_ = false;
	}
	ScopedSigmask(const ScopedSigmask &) = delete;
	ScopedSigmask &operator=(const ScopedSigmask &) = delete;
	ScopedSigmask &operator=(ScopedSigmask &&) = delete;
	~ScopedSigmask();

private:
	ScopedSigmask() = default;
	sigset_t old_{};
	bool active_ = false;
};

// Two anonymous pages, the first writable and the second @second_prot
// (PROT_NONE or PROT_READ): a buffer placed before the boundary takes
// writes up to it and faults after it. ok() is false if mmap failed.
class GuardedPages {
public:
	explicit GuardedPages(int second_prot);
	GuardedPages(const GuardedPages &) = delete;
	GuardedPages &operator=(const GuardedPages &) = delete;
	~GuardedPages();

	bool ok() const { return map_ != nullptr; }
	// The address @good bytes before the boundary; @good is at most a page.
	char *before_boundary(std::size_t good) const { return map_ + page_ - good; }
	// The start of the page that faults.
	char *bad() const { return map_ + page_; }

private:
	const std::size_t page_;
	char *map_ = nullptr;
};

}  // namespace sigcr::support
