// SPDX-License-Identifier: GPL-2.0
// The suite's test helpers, in the manner of gVisor's test utilities:
// syscall assertions that check the value and print errno, one-line
// acquisition from a Result (ASSERT_OK_AND_ASSIGN), the base fixture that
// leaves nothing pending between tests, and the dump and pending-set
// helpers the tests compare with. Built into the test binary only.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "sigcr/sigcr.h"
#include "support.h"

namespace sigcr::test {

using namespace sigcr::support;

// Every signal the tests use; main() blocks them before any thread exists.
sigset_t test_signals();

// Predicate formatters behind the SYSCALL macros below.
testing::AssertionResult syscall_succeeds(const char *expr, long ret);
testing::AssertionResult syscall_returns(const char *expr, const char *want_expr, long ret, long want);
testing::AssertionResult syscall_fails_with(const char *expr, const char *errno_expr, long ret, int want);

// x returns >= 0 / returns exactly v / fails with errno e; a failure shows
// what it returned and errno's name.
#define EXPECT_SYSCALL(x) EXPECT_PRED_FORMAT1(::sigcr::test::syscall_succeeds, (x))
#define ASSERT_SYSCALL(x) ASSERT_PRED_FORMAT1(::sigcr::test::syscall_succeeds, (x))
#define EXPECT_SYSCALL_VALUE(x, v) EXPECT_PRED_FORMAT2(::sigcr::test::syscall_returns, (x), (v))
#define ASSERT_SYSCALL_VALUE(x, v) ASSERT_PRED_FORMAT2(::sigcr::test::syscall_returns, (x), (v))
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

// ASSERT_OK_AND_ASSIGN(UniqueFd fd, open_raw_signalfd(mask, kSfdGroup)):
// declare or assign @lhs from a Result's value, or fail the test with its
// error.
#define SIGCR_CONCAT_(a, b) a##b
#define SIGCR_CONCAT(a, b) SIGCR_CONCAT_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, expr) SIGCR_ASSERT_OK_AND_ASSIGN_(SIGCR_CONCAT(_result_, __LINE__), lhs, expr)
#define SIGCR_ASSERT_OK_AND_ASSIGN_(result, lhs, expr) \
	auto result = (expr); \
	ASSERT_TRUE(result.ok()) << #expr << ": " << result.error().message(); \
	lhs = std::move(result).value()

// Skips, with one line of reason, on a kernel without the series.
#define REQUIRE_RAW_SIGNALFD() \
	do { \
		if (!::sigcr::kernel_supports_raw_signalfd()) \
			GTEST_SKIP() << "kernel lacks signalfd SFD_RAW/SFD_PRIVATE/SFD_GROUP"; \
	} while (0)

// Dequeue whatever the calling thread and the process have pending.
void drain();

// The base of the suite's fixtures: nothing is pending when a test starts
// or after it ends. Unless constructed with Needs::AnyKernel, a test skips
// on a kernel without the series; a fixture's own SetUp() calls this one
// first and returns if IsSkipped().
class SignalTest : public testing::Test {
protected:
	enum class Needs { RawSignalfd, AnyKernel };
	explicit SignalTest(Needs needs = Needs::RawSignalfd) : needs_(needs) {}

	void SetUp() override
	{
		if (needs_ == Needs::RawSignalfd)
			REQUIRE_RAW_SIGNALFD();
		drain();
	}
	void TearDown() override { drain(); }

private:
	Needs needs_;
};

template <class Param>
class SignalTestWithParam : public SignalTest, public testing::WithParamInterface<Param> {
protected:
	using SignalTest::SignalTest;
};

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
