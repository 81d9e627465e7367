// SPDX-License-Identifier: GPL-2.0
#include "testing.h"

#include <fstream>
#include <sstream>

namespace sigcr::test {

testing::AssertionResult syscall_succeeds(const char *expr, long ret)
{
	if (ret >= 0)
		return testing::AssertionSuccess();
	const int err = errno;
	return testing::AssertionFailure() << expr << " failed: " << std::strerror(err) << " (errno " << err << ")";
}

testing::AssertionResult syscall_returns(const char *expr, const char *want_expr, long ret, long want)
{
	if (ret == want)
		return testing::AssertionSuccess();
	const int err = errno;
	testing::AssertionResult r = testing::AssertionFailure()
				     << expr << " returned " << ret << ", expected " << want_expr << " = " << want;
	if (ret < 0)
		r << " (errno " << std::strerror(err) << ")";
	return r;
}

testing::AssertionResult syscall_fails_with(const char *expr, const char *, long ret, int want)
{
	const int err = errno;
	if (ret == -1 && err == want)
		return testing::AssertionSuccess();
	if (ret != -1)
		return testing::AssertionFailure() << expr << " returned " << ret << ", expected errno " << std::strerror(want);
	return testing::AssertionFailure() << expr << " failed with " << std::strerror(err) << ", expected "
					   << std::strerror(want);
}

sigset_t test_signals()
{
	sigset_t set;
	sigemptyset(&set);
	for (int sig = 1; sig < _NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGINT && sig != SIGTERM)
			sigaddset(&set, sig);
	return set;
}

void drain()
{
	const sigset_t all = test_signals();
	siginfo_t info;
	while (sys_rt_sigtimedwait_now(all, info) > 0)
		;
}

ProcessDump dump_all()
{
	ProcessDump dump;
	const sigset_t all = test_signals();
	EXPECT_OK(dump_shared(all, dump));
	EXPECT_OK(dump_thread(all, dump));
	return dump;
}

Status restore_all(const ProcessDump &dump)
{
	if (Status st = restore_shared(dump); !st.ok())
		return st;
	return restore_thread(dump, sys_gettid());
}

namespace {

std::string proc_field(const char *path, const char *key)
{
	std::ifstream f(path);
	std::string line;
	while (std::getline(f, line))
		if (line.rfind(key, 0) == 0)
			return line.substr(line.find_first_not_of(" \t", std::strlen(key)));
	return "?";
}

}  // namespace

PendingSets pending_sets()
{
	sigset_t set;
	sigpending(&set);
	std::ostringstream hex;
	for (int sig = _NSIG - 1; sig >= 1; sig -= 4) {
		int nibble = 0;
		for (int b = 0; b < 4 && sig - b >= 1; b++)
			nibble |= sigismember(&set, sig - b) << (3 - b);
		hex << std::hex << nibble;
	}
	return {hex.str(), proc_field("/proc/thread-self/status", "SigPnd:"), proc_field("/proc/self/status", "ShdPnd:")};
}

std::ostream &operator<<(std::ostream &os, const PendingSets &p)
{
	return os << "{sigpending " << p.sigpending << ", SigPnd " << p.sig_pnd << ", ShdPnd " << p.shd_pnd << "}";
}

}  // namespace sigcr::test

namespace sigcr {

void PrintTo(const RawSiginfo &r, std::ostream *os)
{
	*os << "{signo " << r.info().si_signo << ", code " << r.info().si_code << ", pid " << r.info().si_pid
	    << ", int " << r.info().si_int << "}";
}

void PrintTo(const ProcessDump &dump, std::ostream *os)
{
	*os << dump.signals.size() << " signal(s):";
	for (const PendingSignal &s : dump.signals) {
		*os << " [" << (s.queue == Queue::Shared ? "shared" : "tid " + std::to_string(s.tid)) << " ";
		PrintTo(s.info, os);
		*os << "]";
	}
}

}  // namespace sigcr
