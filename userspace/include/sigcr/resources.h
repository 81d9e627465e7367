// SPDX-License-Identifier: GPL-2.0
// RAII for the resources the library and its tests hold: file
// descriptors, blocked signal masks, threads and guarded buffers.
#pragma once

#include <csignal>
#include <cstddef>
#include <initializer_list>
#include <utility>

#include <pthread.h>
#include <sys/mman.h>
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

// Two anonymous pages, the first writable and the second @second_prot
// (PROT_NONE or PROT_READ): a buffer placed before the boundary takes
// writes up to it and faults after it. ok() is false if mmap failed.
class GuardedPages {
public:
	explicit GuardedPages(int second_prot)
	{
		void *map = ::mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED)
			return;
		map_ = static_cast<char *>(map);
		if (::mprotect(map_ + page_, page_, second_prot)) {
			::munmap(map_, 2 * page_);
			map_ = nullptr;
		}
	}
	GuardedPages(const GuardedPages &) = delete;
	GuardedPages &operator=(const GuardedPages &) = delete;
	~GuardedPages()
	{
		if (map_)
			::munmap(map_, 2 * page_);
	}

	bool ok() const { return map_ != nullptr; }
	// The address @good bytes before the boundary.
	char *before_boundary(std::size_t good) const { return map_ + page_ - good; }
	// The start of the page that faults.
	char *bad() const { return map_ + page_; }

private:
	const std::size_t page_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
	char *map_ = nullptr;
};

}  // namespace sigcr
