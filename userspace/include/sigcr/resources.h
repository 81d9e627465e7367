// SPDX-License-Identifier: GPL-2.0
// RAII for the resources the library and its tests hold: file
// descriptors, blocked signal masks and threads.
#pragma once

#include <csignal>
#include <initializer_list>
#include <utility>

#include <pthread.h>
#include <unistd.h>

namespace sigcr {

class UniqueFd {
public:
	UniqueFd() = default;
	explicit UniqueFd(int fd) : fd_(fd) {}
	UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
	UniqueFd &operator=(UniqueFd &&other) noexcept
	{
		reset(other.release());
		return *this;
	}
	UniqueFd(const UniqueFd &) = delete;
	UniqueFd &operator=(const UniqueFd &) = delete;
	~UniqueFd() { reset(); }

	int get() const { return fd_; }
	int release() { return std::exchange(fd_, -1); }
	void reset(int fd = -1)
	{
		if (fd_ >= 0)
			::close(fd_);
		fd_ = fd;
	}

private:
	int fd_ = -1;
};

inline sigset_t make_sigset(std::initializer_list<int> sigs)
{
	sigset_t set;
	sigemptyset(&set);
	for (int sig : sigs)
		sigaddset(&set, sig);
	return set;
}

// Blocks a set of signals in the calling thread for its lifetime.
class ScopedSigmask {
public:
	explicit ScopedSigmask(const sigset_t &block) { pthread_sigmask(SIG_BLOCK, &block, &old_); }
	ScopedSigmask(const ScopedSigmask &) = delete;
	ScopedSigmask &operator=(const ScopedSigmask &) = delete;
	~ScopedSigmask() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

private:
	sigset_t old_;
};

}  // namespace sigcr
