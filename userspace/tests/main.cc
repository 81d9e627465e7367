// SPDX-License-Identifier: GPL-2.0
// Blocks the test signals before any thread exists, and reports in KTAP so
// the guest's runner counts every test.
#include <cstdio>
#include <cstring>

#include <gtest/gtest.h>

#include "ktap_listener.h"
#include "testing.h"

int main(int argc, char **argv)
{
	// Before any thread exists, so that every thread inherits the mask and
	// no test signal is delivered instead of staying pending.
	const sigset_t all = sigcr::test::test_signals();
	if (int err = pthread_sigmask(SIG_BLOCK, &all, nullptr)) {
		std::fprintf(stderr, "sigcr_test: pthread_sigmask: %s\n", std::strerror(err));
		return 1;
	}

	testing::InitGoogleTest(&argc, argv);
	testing::TestEventListeners &listeners = testing::UnitTest::GetInstance()->listeners();
	delete listeners.Release(listeners.default_result_printer());
	listeners.Append(new sigcr::test::KtapListener);
	return RUN_ALL_TESTS();
}
