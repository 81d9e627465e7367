// SPDX-License-Identifier: GPL-2.0
// Reports the GoogleTest run in KTAP, as the kselftests and the guest's
// other programs do, so that the guest's runner nests it and the judge
// (ci/judge/ktap.py) counts it test by test: the plan, "ok N Suite.Test"
// or "not ok N Suite.Test", a skip with its reason, and each failure's
// message as "#" lines before its result.
#pragma once

#include <string>

#include <gtest/gtest.h>

namespace sigcr::test {

class KtapListener : public testing::EmptyTestEventListener {
	void OnTestProgramStart(const testing::UnitTest &unit) override;
	void OnTestPartResult(const testing::TestPartResult &r) override;
	void OnTestEnd(const testing::TestInfo &t) override;

	int n_ = 0;
	std::string skip_reason_;
};

}  // namespace sigcr::test
