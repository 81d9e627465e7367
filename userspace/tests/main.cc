// SPDX-License-Identifier: GPL-2.0
// Blocks the test signals before any thread exists, and reports in KTAP so
// the guest's runner counts every test.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "testing.h"

namespace sigcr::test {

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
	EXPECT_TRUE(dump_shared(all, dump).ok());
	EXPECT_TRUE(dump_thread(all, dump).ok());
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

namespace {

class KtapListener : public testing::EmptyTestEventListener {
	void OnTestProgramStart(const testing::UnitTest &unit) override
	{
		std::printf("TAP version 13\n1..%d\n", unit.test_to_run_count());
	}

	void OnTestPartResult(const testing::TestPartResult &r) override
	{
		if (r.skipped()) {
			skip_reason_ = r.message();
			return;
		}
		if (!r.failed())
			return;
		std::istringstream lines(r.message());
		std::string line;
		std::printf("# %s:%d: failure\n", r.file_name() ? r.file_name() : "?", r.line_number());
		while (std::getline(lines, line))
			std::printf("#   %s\n", line.c_str());
	}

	void OnTestEnd(const testing::TestInfo &t) override
	{
		const testing::TestResult &r = *t.result();
		std::string name = std::string(t.test_suite_name()) + "." + t.name();
		for (char &c : name)
			if (c == '#')
				c = '_';
		if (r.Skipped())
			std::printf("ok %d %s # SKIP %s\n", ++n_, name.c_str(), skip_reason_.c_str());
		else
			std::printf("%s %d %s\n", r.Failed() ? "not ok" : "ok", ++n_, name.c_str());
		std::fflush(stdout);
		skip_reason_.clear();
	}

	int n_ = 0;
	std::string skip_reason_;
};

}  // namespace
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

int main(int argc, char **argv)
{
	// Before any thread exists, so that every thread inherits the mask and
	// no test signal is delivered instead of staying pending.
	const sigset_t all = sigcr::test::test_signals();
	pthread_sigmask(SIG_BLOCK, &all, nullptr);

	testing::InitGoogleTest(&argc, argv);
	testing::TestEventListeners &listeners = testing::UnitTest::GetInstance()->listeners();
	delete listeners.Release(listeners.default_result_printer());
	listeners.Append(new sigcr::test::KtapListener);
	return RUN_ALL_TESTS();
}
