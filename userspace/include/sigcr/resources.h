// SPDX-License-Identifier: GPL-2.0
// RAII for a file descriptor, and a sigset_t from a list of signals.
#pragma once

#include <csignal>
#include <initializer_list>
#include <utility>

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

}  // namespace sigcr
