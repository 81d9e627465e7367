// SPDX-License-Identifier: GPL-2.0
#include "support.h"

#include <cstdio>

#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace sigcr::support {

long user_sigq()
{
	std::FILE *f = std::fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	long n = -1;
	while (std::fgets(line, sizeof(line), f))
		if (std::sscanf(line, "SigQ: %ld/", &n) == 1)
			break;
	std::fclose(f);
	return n;
}

int sys_pidfd_open(pid_t pid, unsigned int flags)
{
	return static_cast<int>(syscall(__NR_pidfd_open, pid, flags));
}

int sys_pidfd_send_signal(int pidfd, int sig, const siginfo_t &info, unsigned int flags)
{
	return static_cast<int>(syscall(__NR_pidfd_send_signal, pidfd, sig, &info, flags));
}

int sys_rt_sigtimedwait_now(const sigset_t &mask, siginfo_t &info)
{
	struct timespec zero = {0, 0};
	return static_cast<int>(syscall(__NR_rt_sigtimedwait, &mask, &info, &zero, _NSIG / 8));
}

siginfo_t queued_siginfo(int sig, int value, int code)
{
	siginfo_t info{};
	info.si_signo = sig;
	info.si_code = code;
	info.si_pid = getpid();
	info.si_uid = getuid();
	info.si_int = value;
	return info;
}

Result<ScopedSigmask> ScopedSigmask::make(int how, const sigset_t &set)
{
	ScopedSigmask mask;
	// pthread_sigmask() returns the error instead of setting errno.
	if (int err = pthread_sigmask(how, &set, &mask.old_))
		return Error{err, "pthread_sigmask"};
	mask.active_ = true;
	return mask;
}

ScopedSigmask::~ScopedSigmask()
{
	if (active_)
		pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

GuardedPages::GuardedPages(int second_prot) : page_(static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)))
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

GuardedPages::~GuardedPages()
{
	if (map_)
		::munmap(map_, 2 * page_);
}

}  // namespace sigcr::support
