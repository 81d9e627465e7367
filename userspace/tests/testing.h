// SPDX-License-Identifier: GPL-2.0
// Test helpers: syscall assertions that print errno, feature checks, and
// draining of pending signals between tests.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "sigcr/sigcr.h"

namespace sigcr::test {

// Every signal the tests use; main() blocks them before any thread exists.
sigset_t test_signals();

inline testing::AssertionResult syscall_succeeds(const char *expr, long ret)
{
	if (ret >= 0)
		return testing::AssertionSuccess();
	return testing::AssertionFailure() << expr << " failed: " << std::strerror(errno) << " (errno " << errno << ")";
}

inline testing::AssertionResult syscall_fails_with(const char *expr, const char *, long ret, int want)
{
	const int err = errno;
	if (ret == -1 && err == want)
		return testing::AssertionSuccess();
	if (ret != -1)
		return testing::AssertionFailure() << expr << " returned " << ret << ", expected errno " << std::strerror(want);
	return testing::AssertionFailure() << expr << " failed with " << std::strerror(err) << ", expected "
					   << std::strerror(want);
}

#define EXPECT_SYSCALL(x) EXPECT_PRED_FORMAT1(::sigcr::test::syscall_succeeds, (x))
#define ASSERT_SYSCALL(x) ASSERT_PRED_FORMAT1(::sigcr::test::syscall_succeeds, (x))
#define EXPECT_SYSCALL_ERRNO(x, e) EXPECT_PRED_FORMAT2(::sigcr::test::syscall_fails_with, (x), (e))

// Evaluate a Status or Result once; on failure print its error.
#define EXPECT_OK(expr) \
	do { \
		const auto &_st = (expr); \
		EXPECT_TRUE(_st.ok()) << #expr << ": " << _st.error().message(); \
	} while (0)
#define ASSERT_OK(expr) \
	do { \
		const auto &_st = (expr); \
		ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.error().message(); \
	} while (0)

// Skips, with one line of reason, on a kernel without the series.
#define REQUIRE_RAW_SIGNALFD() \
	do { \
		if (!::sigcr::kernel_supports_raw_signalfd()) \
			GTEST_SKIP() << "kernel lacks signalfd SFD_RAW/SFD_PRIVATE/SFD_GROUP"; \
	} while (0)

// Dequeue whatever the calling thread and the process have pending.
void drain();

// Dump the shared queue and the calling thread's; restore such a dump from
// the calling thread (its own private signals and the shared ones).
ProcessDump dump_all();
Status restore_all(const ProcessDump &dump);

// The pending sets as the process sees them.
struct PendingSets {
	std::string sigpending;  // sigpending() of the calling thread, as hex
	std::string sig_pnd;     // SigPnd: in /proc/thread-self/status
	std::string shd_pnd;     // ShdPnd: in /proc/self/status
	bool operator==(const PendingSets &) const = default;
};
PendingSets pending_sets();
std::ostream &operator<<(std::ostream &os, const PendingSets &p);

}  // namespace sigcr::test

namespace sigcr {
// gtest prints dumps as signal/code/queue/tid lists, not raw bytes.
void PrintTo(const ProcessDump &dump, std::ostream *os);
void PrintTo(const RawSiginfo &info, std::ostream *os);
}  // namespace sigcr
