// SPDX-License-Identifier: GPL-2.0
// What the guest's stand-alone programs (sigcr_stress, sigcr_fuzz,
// sigcr_bench, sigcr_criu) share: KTAP output, which the runner counts like
// the kselftests' (a plan, one line per check, exit status 0 all passed, 1
// a failure, 4 skipped), option parsing with clear errors, and the
// queued-signal count.
#pragma once

#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace sigcr::ktap {

class Report {
public:
	explicit Report(int planned)
	{
		std::printf("KTAP version 1\n1..%d\n", planned);
		std::fflush(stdout);
	}

	// One check: "ok N name" or "not ok N name # why".
	void check(bool ok, const std::string &name, const std::string &why = "")
	{
		n_++;
		failed_ |= !ok;
		std::printf("%sok %d %s%s%s\n", ok ? "" : "not ", n_, name.c_str(), ok || why.empty() ? "" : " # ",
			    ok ? "" : why.c_str());
		std::fflush(stdout);
	}

	// The whole program skips, with one line of reason.
	[[noreturn]] static void skip_all(const std::string &why)
	{
		std::printf("KTAP version 1\n1..0 # SKIP %s\n", why.c_str());
		std::fflush(stdout);
		std::exit(4);
	}

	int exit_status() const { return failed_ ? 1 : 0; }

private:
	int n_ = 0;
	bool failed_ = false;
};

// A "# " diagnostic line.
[[gnu::format(printf, 1, 2)]] inline void note(const char *fmt, ...)
{
	std::va_list ap;
	va_start(ap, fmt);
	std::fputs("# ", stdout);
	std::vprintf(fmt, ap);
	std::fputc('\n', stdout);
	std::fflush(stdout);
	va_end(ap);
}

}  // namespace sigcr::ktap

namespace sigcr::tool {

// "--name N" options, each with a default and a range; anything else is a
// usage error naming the option, exit status 2.
class Options {
public:
	explicit Options(const char *prog) : prog_(prog) {}

	void add(const char *name, std::uint64_t &var, std::uint64_t def, std::uint64_t min, std::uint64_t max)
	{
		var = def;
		opts_.push_back({name, &var, min, max});
	}

	// --seed, by default a fresh one; print it so that a run can be
	// repeated.
	void add_seed(std::uint64_t &var) { add("--seed", var, std::random_device{}(), 0, UINT64_MAX); }

	void parse(int argc, char **argv)
	{
		for (int i = 1; i < argc; i += 2) {
			Opt *opt = find(argv[i]);
			if (!opt)
				usage("unknown option '%s'", argv[i]);
			if (i + 1 >= argc)
				usage("%s needs a value", argv[i]);
			char *end;
			errno = 0;
			unsigned long long v = std::strtoull(argv[i + 1], &end, 0);
			if (errno || end == argv[i + 1] || *end || argv[i + 1][0] == '-' || v < opt->min || v > opt->max)
				usage("%s '%s': not a number from %" PRIu64 " to %" PRIu64, argv[i], argv[i + 1], opt->min,
				      opt->max);
			*opt->var = v;
		}
	}

private:
	struct Opt {
		const char *name;
		std::uint64_t *var;
		std::uint64_t min, max;
	};

	Opt *find(const char *name)
	{
		for (Opt &o : opts_)
			if (!std::strcmp(o.name, name))
				return &o;
		return nullptr;
	}

	[[gnu::format(printf, 2, 3)]] [[noreturn]] void usage(const char *fmt, ...)
	{
		std::va_list ap;
		va_start(ap, fmt);
		std::fprintf(stderr, "%s: ", prog_);
		std::vfprintf(stderr, fmt, ap);
		va_end(ap);
		std::fprintf(stderr, "\nusage: %s", prog_);
		for (const Opt &o : opts_)
			std::fprintf(stderr, " [%s N]", o.name);
		std::fprintf(stderr, "\n");
		std::exit(2);
	}

	const char *prog_;
	std::vector<Opt> opts_;
};

}  // namespace sigcr::tool
