// SPDX-License-Identifier: GPL-2.0
// sigcr_bench: what it costs per signal to dump N pending signals, and to
// queue them back, with each interface the kernel offers, in one run:
//
//   sfd_raw/B      read(2) of a SFD_RAW signalfd, B records per read
//   sfd_classic/B  the same with the classic struct signalfd_siginfo
//   sigtimedwait   a rt_sigtimedwait() loop (raw syscall, zero timeout)
//   peeksiginfo/64 PTRACE_PEEKSIGINFO from a tracer, 64 per call (it
//                  copies without dequeueing)
//   uring_raw/64   io_uring reads of a SFD_RAW signalfd
//   restore        rt_sigqueueinfo() (shared queue) or rt_tgsigqueueinfo()
//                  (private queue), one call per signal
//
// for the shared and the private queue, with one signal number and with
// every RT signal number in turn ("mixed"). Each figure is the median of
// repeated runs, in ns per signal. Every dump is checked: exactly the N
// signals queued, in the order the kernel must deliver them. Prints KTAP
// (one check per queue and mix) and "csv," lines that ci/bench/bench.sh
// collects. Under QEMU's TCG only ratios between figures mean anything.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstring>
#include <string>
#include <vector>

#include <liburing.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif
#include <sys/signalfd.h>  // the classic record; the new flags come from sigcr.h
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "sigcr/sigcr.h"
#include "support.h"
#include "tool.h"

using namespace sigcr;

namespace {

constexpr int kRecord = 128;
using Clock = std::chrono::steady_clock;

// The x86-64 guest (tinyconfig: no HPET, no ACPI PM timer) cannot
// calibrate its TSC and keeps time with jiffies, 4 ms a tick: too coarse
// for one read. There the benchmark counts TSC ticks instead, converted
// with a rate measured against that clock over half a second. arm64's
// clock is the architected timer, fine as it is.
#if defined(__x86_64__)
std::uint64_t ticks() { return __rdtsc(); }

// The first reading of a new clock tick, so that an interval measured
// between two of them is exact to the clock's resolution.
Clock::time_point next_clock_tick()
{
	auto t = Clock::now(), u = t;
	while ((u = Clock::now()) == t)
		;
	return u;
}

double measure_ns_per_tick()
{
	auto t0 = next_clock_tick(), t1 = t0;
	std::uint64_t c0 = ticks();
	while (t1 - t0 < std::chrono::milliseconds(500))
		t1 = next_clock_tick();
	std::uint64_t c1 = ticks();
	return std::chrono::duration<double, std::nano>(t1 - t0).count() / double(c1 - c0);
}
#else
std::uint64_t ticks()
{
	return std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
}

double measure_ns_per_tick() { return 1.0; }
#endif

const double ns_per_tick = measure_ns_per_tick();

int mixed_signos() { return SIGRTMAX - SIGRTMIN + 1; }

struct Config {
	Queue queue;
	bool mixed;

	const char *queue_name() const { return queue == Queue::Shared ? "shared" : "private"; }
	const char *mix_name() const { return mixed ? "mixed" : "one"; }
	int signo(int i) const { return SIGRTMIN + (mixed ? i % mixed_signos() : 0); }
	int sfd_queue_flag() const { return queue == Queue::Shared ? kSfdGroup : kSfdPrivate; }
};

[[noreturn]] void die(const char *what)
{
	std::printf("Bail out! %s: %s\n", what, std::strerror(errno));
	std::fflush(stdout);
	std::exit(1);
}

double ns_since(std::uint64_t start) { return double(ticks() - start) * ns_per_tick; }

// Queue signals 0..n-1 (si_int = i) the way a restore does; ns taken.
double fill(const Config &c, int n)
{
	siginfo_t info = support::queued_siginfo(0, 0);
	pid_t pid = getpid(), tid = sys_gettid();
	std::uint64_t start = ticks();
	for (int i = 0; i < n; i++) {
		int sig = c.signo(i);
		info.si_signo = sig;
		info.si_value.sival_int = i;
		if (c.queue == Queue::Shared ? sys_rt_sigqueueinfo(pid, sig, info)
					     : sys_rt_tgsigqueueinfo(pid, tid, sig, info))
			die("queueing a signal");
	}
	return ns_since(start);
}

// The value and signal number of record @i of a dump.
struct Record {
	int signo, value;
};

Record record_at(const std::vector<char> &buf, int i, bool classic)
{
	const char *rec = buf.data() + std::size_t(i) * kRecord;
	if (classic) {
		auto *ssi = reinterpret_cast<const signalfd_siginfo *>(rec);
		return {int(ssi->ssi_signo), ssi->ssi_int};
	}
	auto *si = reinterpret_cast<const siginfo_t *>(rec);
	return {si->si_signo, si->si_value.sival_int};
}

// The dump holds exactly what fill() queued: in queue order as
// PTRACE_PEEKSIGINFO shows it, or in delivery order, lowest signal number
// first and each in the order it was queued.
bool dump_is_exact(const Config &c, const std::vector<char> &buf, int got, int n, bool classic, bool queue_order)
{
	if (got != n)
		return false;
	int groups = c.mixed && !queue_order ? std::min(n, mixed_signos()) : 1, k = 0;
	for (int g = 0; g < groups; g++) {
		for (int v = g; v < n; v += groups, k++) {
			Record r = record_at(buf, k, classic);
			if (r.value != v || r.signo != c.signo(v))
				return false;
		}
	}
	return k == n;
}

struct Method {
	std::string name;
	int batch;
	enum Kind { SfdRaw, SfdClassic, Sigtimedwait, Peek, Uring } kind;
};

class Bench {
public:
	Bench() : all_rt_(), ring_()
	{
		sigemptyset(&all_rt_);
		for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
			sigaddset(&all_rt_, s);
		if (sigprocmask(SIG_BLOCK, &all_rt_, nullptr))
			die("sigprocmask");
		if (io_uring_queue_init(4, &ring_, 0))
			die("io_uring_queue_init");
	}
	~Bench() { io_uring_queue_exit(&ring_); }

	// The signalfd @m reads, or none; opened before the clock starts.
	UniqueFd open_fd(const Config &c, const Method &m)
	{
		if (m.kind != Method::SfdRaw && m.kind != Method::SfdClassic && m.kind != Method::Uring)
			return UniqueFd();
		int flags = kSfdNonblock | SFD_CLOEXEC | c.sfd_queue_flag() | (m.kind == Method::SfdClassic ? 0 : kSfdRaw);
		UniqueFd fd(sys_signalfd4(-1, all_rt_, flags));
		if (fd.get() < 0)
			die("signalfd4");
		return fd;
	}

	// Dump @n signals queued by fill() (through @fd, from open_fd()); how
	// many came back.
	int drain(const Method &m, int fd, std::vector<char> &buf, int n)
	{
		switch (m.kind) {
		case Method::SfdRaw:
		case Method::SfdClassic:
			return read_signalfd(fd, m, buf, n);
		case Method::Uring:
			return read_uring(fd, m, buf, n);
		case Method::Sigtimedwait: {
			int i = 0;
			while (i < n && support::sys_rt_sigtimedwait_now(all_rt_, *reinterpret_cast<siginfo_t *>(
									   buf.data() + std::size_t(i) * kRecord)) > 0)
				i++;
			return i;
		}
		case Method::Peek:
			break;
		}
		return -1;
	}

	const sigset_t &mask() const { return all_rt_; }

private:
	static int read_signalfd(int fd, const Method &m, std::vector<char> &buf, int n)
	{
		int i = 0;
		while (i < n) {
			ssize_t r = read(fd, buf.data() + std::size_t(i) * kRecord, std::size_t(m.batch) * kRecord);
			if (r <= 0)
				break;
			i += int(r / kRecord);
		}
		return i;
	}

	int read_uring(int fd, const Method &m, std::vector<char> &buf, int n)
	{
		int i = 0;
		while (i < n) {
			io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
			io_uring_prep_read(sqe, fd, buf.data() + std::size_t(i) * kRecord,
					   unsigned(m.batch) * kRecord, 0);
			io_uring_cqe *cqe;
			if (io_uring_submit_and_wait(&ring_, 1) != 1 || io_uring_wait_cqe(&ring_, &cqe))
				die("io_uring");
			int r = cqe->res;
			io_uring_cqe_seen(&ring_, cqe);
			if (r <= 0)
				break;
			i += r / kRecord;
		}
		return i;
	}

	sigset_t all_rt_;
	io_uring ring_;
};

// PTRACE_PEEKSIGINFO needs a stopped tracee: a child queues the signals to
// itself and waits; this process seizes and interrupts it, then peeks.
class Tracee {
public:
	Tracee(const Config &c, int n, const sigset_t &mask)
	{
		int ready[2];
		if (pipe(ready))
			die("pipe");
		pid_ = fork();
		if (pid_ < 0)
			die("fork");
		if (pid_ == 0) {
			sigprocmask(SIG_BLOCK, &mask, nullptr);
			fill(c, n);
			char ok = 1;
			if (write(ready[1], &ok, 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
		char ok;
		close(ready[1]);
		if (read(ready[0], &ok, 1) != 1)
			die("tracee setup");
		close(ready[0]);
		int status;
		if (ptrace(PTRACE_SEIZE, pid_, 0, 0) || ptrace(PTRACE_INTERRUPT, pid_, 0, 0) ||
		    waitpid(pid_, &status, __WALL) != pid_)
			die("PTRACE_SEIZE");
		flags_ = c.queue == Queue::Shared ? PTRACE_PEEKSIGINFO_SHARED : 0;
	}
	Tracee(const Tracee &) = delete;
	Tracee &operator=(const Tracee &) = delete;
	~Tracee()
	{
		kill(pid_, SIGKILL);
		waitpid(pid_, nullptr, __WALL);
	}

	int peek(std::vector<char> &buf, int n, int batch)
	{
		int i = 0;
		while (i < n) {
			__ptrace_peeksiginfo_args args = {std::uint64_t(i), flags_, batch};
			long r = ptrace(PTRACE_PEEKSIGINFO, pid_, &args, buf.data() + std::size_t(i) * kRecord);
			if (r <= 0)
				break;
			i += int(r);
		}
		return i;
	}

private:
	pid_t pid_;
	std::uint32_t flags_ = 0;
};

double median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	return v[v.size() / 2];
}

int reps_for(int n) { return n <= 16 ? 31 : n <= 256 ? 15 : n <= 4096 ? 9 : 5; }

void emit(const Config &c, int n, const std::string &method, const std::vector<double> &ns_per_signal)
{
	std::printf("csv,%s,%s,%d,%s,%.1f,%zu\n", c.queue_name(), c.mix_name(), n, method.c_str(),
		    median(ns_per_signal), ns_per_signal.size());
	std::fflush(stdout);
}

// Every method for one queue, mix and N; false if a dump was not exact.
bool measure(Bench &bench, const Config &c, int n)
{
	static const std::vector<Method> methods = {
		{"sfd_raw/1", 1, Method::SfdRaw},	     {"sfd_raw/16", 16, Method::SfdRaw},
		{"sfd_raw/64", 64, Method::SfdRaw},	     {"sfd_classic/1", 1, Method::SfdClassic},
		{"sfd_classic/16", 16, Method::SfdClassic}, {"sfd_classic/64", 64, Method::SfdClassic},
		{"sigtimedwait", 1, Method::Sigtimedwait},  {"uring_raw/64", 64, Method::Uring},
		{"peeksiginfo/64", 64, Method::Peek},
	};
	std::vector<char> buf(std::size_t(n + 64) * kRecord);
	std::vector<std::vector<double>> samples(methods.size());
	std::vector<double> restore;
	std::vector<UniqueFd> fds;
	bool exact = true;

	for (const Method &m : methods)
		fds.push_back(bench.open_fd(c, m));
	// Round robin: each repetition runs every method once, so that a slow
	// stretch of the emulator weighs on all of them alike.
	for (int r = 0; r < reps_for(n); r++) {
		for (std::size_t i = 0; i < methods.size(); i++) {
			const Method &m = methods[i];
			int got;
			std::memset(buf.data(), 0, buf.size());
			if (m.kind == Method::Peek) {
				// The tracee's signals count against the same
				// RLIMIT_SIGPENDING: it lives for one dump only.
				Tracee tracee(c, n, bench.mask());
				std::uint64_t start = ticks();
				got = tracee.peek(buf, n, m.batch);
				samples[i].push_back(ns_since(start) / n);
			} else {
				restore.push_back(fill(c, n) / n);
				std::uint64_t start = ticks();
				got = bench.drain(m, fds[i].get(), buf, n);
				samples[i].push_back(ns_since(start) / n);
			}
			if (!dump_is_exact(c, buf, got, n, m.kind == Method::SfdClassic, m.kind == Method::Peek)) {
				ktap::note("%s %s N=%d %s: %d of %d signals, or not in order", c.queue_name(),
					   c.mix_name(), n, m.name.c_str(), got, n);
				exact = false;
				// Leave nothing queued for the next method.
				bench.drain({"sigtimedwait", 1, Method::Sigtimedwait}, -1, buf, n);
			}
		}
	}
	for (std::size_t i = 0; i < methods.size(); i++)
		emit(c, n, methods[i].name, samples[i]);
	emit(c, n, c.queue == Queue::Shared ? "restore/rt_sigqueueinfo" : "restore/rt_tgsigqueueinfo", restore);
	return exact;
}

}  // namespace

int main(int argc, char **argv)
{
	std::uint64_t max_n;
	tool::Options opts("sigcr_bench");
	opts.add("--max-n", max_n, 1 << 20, 1, 1 << 20);
	opts.parse(argc, argv);
	if (!kernel_supports_raw_signalfd())
		ktap::Report::skip_all("this kernel's signalfd4 has no SFD_RAW, SFD_PRIVATE, SFD_GROUP");

	// N: 1, 16, 256, 4096 and the most RLIMIT_SIGPENDING leaves room
	// for (less what is queued already and a margin of 16).
	rlimit lim;
	if (getrlimit(RLIMIT_SIGPENDING, &lim))
		die("getrlimit");
	long room = long(lim.rlim_cur) - std::max(tool::sigq(), 0L) - 16;
	std::vector<int> ns;
	for (long n : {1L, 16L, 256L, 4096L, room})
		if (n <= room && n <= long(max_n) && (ns.empty() || n > ns.back()))
			ns.push_back(int(n));
	ktap::note("RLIMIT_SIGPENDING %llu; N = %d..%d; %d RT signal numbers in the mixed case",
		   (unsigned long long)lim.rlim_cur, ns.front(), ns.back(), mixed_signos());
	ktap::note("under TCG only ratios between these figures mean anything");
	ktap::note("timer: %s, %.3f ns per tick", ns_per_tick == 1.0 ? "clock_gettime(CLOCK_MONOTONIC)" : "TSC", ns_per_tick);

	ktap::Report report(4);
	Bench bench;
	for (Queue q : {Queue::Shared, Queue::Private}) {
		for (bool mixed : {false, true}) {
			Config c{q, mixed};
			bool exact = true;
			for (int n : ns) {
				std::uint64_t start = ticks();
				exact &= measure(bench, c, n);
				ktap::note("%s %s N=%d: %.1f s", c.queue_name(), c.mix_name(), n, ns_since(start) / 1e9);
			}
			report.check(exact, std::string("every dump exact: ") + c.queue_name() + " queue, " +
						    (mixed ? "mixed signal numbers" : "one signal number"));
		}
	}
	return report.exit_status();
}
