// SPDX-License-Identifier: GPL-2.0
#include "ktap_listener.h"

#include <cstdio>
#include <sstream>

namespace sigcr::test {

void KtapListener::OnTestProgramStart(const testing::UnitTest &unit)
{
	std::printf("KTAP version 1\n1..%d\n", unit.test_to_run_count());
}

void KtapListener::OnTestPartResult(const testing::TestPartResult &r)
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

void KtapListener::OnTestEnd(const testing::TestInfo &t)
{
	const testing::TestResult &r = *t.result();
	// '#' starts a KTAP directive: parameterized names must not carry one.
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

}  // namespace sigcr::test
