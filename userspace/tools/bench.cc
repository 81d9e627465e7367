// SPDX-License-Identifier: GPL-2.0
// sigcr_bench: what it costs per signal to dump N pending signals, and to
// queue them back, with each interface the kernel offers, in one run:
//
//   sfd_raw/B        read(2) of an SFD_RAW signalfd, B records per read
//   sfd_classic/B    the same with the classic struct signalfd_siginfo, on
//                    an fd without SFD_PRIVATE or SFD_GROUP (as every
//                    signalfd before the series)
//   sigtimedwait     a rt_sigtimedwait() loop (raw syscall, zero timeout)
//   deliver          get_signal(): the signals unblocked, each delivered to
//                    an SA_SIGINFO handler
//   peeksiginfo/B    PTRACE_PEEKSIGINFO from a tracer, B per call (it
//                    copies without dequeueing): 32 is CRIU's batch
//   uring_raw/64     io_uring reads of an SFD_RAW signalfd (shared queue only:
//                    the kernel refuses io_uring reads of an SFD_PRIVATE fd)
//   restore/loop     rt_sigqueueinfo() (shared queue) or rt_tgsigqueueinfo()
//                    (private queue), one call per signal, as sigcr restores
//
// for the shared and the private queue, with one signal number and with
// every RT signal number in turn ("mixed"). On a kernel without SFD_RAW
// (the base kernel) only the methods it has run: sfd_classic, sigtimedwait,
// deliver, peeksiginfo and restore/loop.
//
// Each figure is the median of repeated runs, per signal, in the guest's
// clock: nanoseconds under TCG, where only ratios mean anything; with
// --instructions, in a guest booted with -icount shift=0,sleep=off, the
// clock counts executed instructions, and the figures are instructions
// (the program checks this against a loop of known length). Every dump
// and every restore is checked: exactly the N signals queued, in the
// order the kernel must deliver them. Prints KTAP and "csv," lines that
// ci/bench/bench.sh collects.
//
// --profile M runs method M alone (its number in the list above, from 1),
// N = --max-n, with a marker instruction on either side of what it times,
// for ci/bench/profile.sh: a QEMU plugin there counts the guest
// instructions between the markers, per kernel function. --private 1 and
// --mixed 1 choose the queue and the mix it runs with.
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

bool g_instructions = false;	// --instructions: the clock counts instructions
int g_profile = 0;		// --profile: the one method to run, from 1

// The markers ci/bench/icount_profile.c counts between: architectural
// no-ops (x86 "xchg %bx,%bx", arm64 "hint #126" and "hint #127").
#if defined(__x86_64__)
inline void profile_open() { asm volatile("xchg %%bx, %%bx" ::: "memory"); }
inline void profile_close() { asm volatile("xchg %%cx, %%cx" ::: "memory"); }
#else
inline void profile_open() { asm volatile("hint #126" ::: "memory"); }
inline void profile_close() { asm volatile("hint #127" ::: "memory"); }
#endif

// The x86-64 guest (tinyconfig: no HPET, no ACPI PM timer) cannot
// calibrate its TSC and keeps time with jiffies, 4 ms a tick: too coarse
// for one read. There the benchmark counts TSC ticks instead, converted
// with a rate measured against that clock over half a second; under
// -icount the TSC reads QEMU's virtual nanoseconds, one per instruction,
// and is taken as it is. arm64's clock is the architected timer, fine as
// it is (under -icount it advances 16 ns, 16 instructions, a tick).
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
	if (g_instructions)
		return 1.0;
	auto t0 = next_clock_tick(), t1 = t0;
	std::uint64_t c0 = ticks();
	while (t1 - t0 < std::chrono::milliseconds(500))
		t1 = next_clock_tick();
	std::uint64_t c1 = ticks();
	return std::chrono::duration<double, std::nano>(t1 - t0).count() / double(c1 - c0);
}

// @n iterations of a two-instruction loop.
void known_loop(std::uint64_t n) { asm volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc"); }
#else
std::uint64_t ticks()
{
	return std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
}

double measure_ns_per_tick() { return 1.0; }

void known_loop(std::uint64_t n) { asm volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(n) : : "cc"); }
#endif

double ns_per_tick = 1.0;

double ns_since(std::uint64_t start) { return double(ticks() - start) * ns_per_tick; }

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

// The records a restore queues: signal c.signo(i), si_value i, as
// sigqueue() would send them.
std::vector<siginfo_t> records_for(const Config &c, int n)
{
	std::vector<siginfo_t> r(std::size_t(n), support::queued_siginfo(0, 0));
	for (int i = 0; i < n; i++) {
		r[std::size_t(i)].si_signo = c.signo(i);
		r[std::size_t(i)].si_value.sival_int = i;
	}
	return r;
}

// Queue @recs one syscall each, as sigcr's restore does.
void fill_loop(const Config &c, const std::vector<siginfo_t> &recs)
{
	pid_t pid = getpid(), tid = sys_gettid();
	for (const siginfo_t &info : recs) {
		if (c.queue == Queue::Shared ? sys_rt_sigqueueinfo(pid, info.si_signo, info)
					     : sys_rt_tgsigqueueinfo(pid, tid, info.si_signo, info))
			die("queueing a signal");
	}
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

// The dump holds exactly what was queued: in queue order as
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
	enum Kind { SfdRaw, SfdClassic, Sigtimedwait, Deliver, Peek, Uring, RestoreLoop } kind;

	bool needs_raw() const { return kind == SfdRaw || kind == Uring; }
	// io_uring may read from a thread of its own, so the kernel refuses
	// its reads of an SFD_PRIVATE fd (EINVAL): no io_uring dump of the
	// private queue.
	bool reads(const Config &c) const { return kind != Uring || c.queue == Queue::Shared; }
};

// Where deliver's handler puts each siginfo.
char *g_delivered_buf;
int g_delivered;

void on_signal(int, siginfo_t *si, void *)
{
	std::memcpy(g_delivered_buf + std::size_t(g_delivered++) * kRecord, si, sizeof(*si));
}

class Bench {
public:
	explicit Bench(bool raw) : raw_(raw), all_rt_(), ring_()
	{
		sigemptyset(&all_rt_);
		for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
			sigaddset(&all_rt_, s);
		if (sigprocmask(SIG_BLOCK, &all_rt_, nullptr))
			die("sigprocmask");
		struct sigaction sa {};
		sa.sa_sigaction = on_signal;
		sa.sa_flags = SA_SIGINFO;
		sa.sa_mask = all_rt_;
		for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
			if (sigaction(s, &sa, nullptr))
				die("sigaction");
		if (io_uring_queue_init(4, &ring_, 0))
			die("io_uring_queue_init");
	}
	~Bench() { io_uring_queue_exit(&ring_); }

	// The signalfd @m uses, or none; opened before the clock starts. The
	// classic reads use a signalfd as every one was before the series:
	// both queues.
	UniqueFd open_fd(const Config &c, const Method &m)
	{
		int flags = kSfdNonblock | SFD_CLOEXEC;
		switch (m.kind) {
		case Method::SfdClassic:
			break;
		case Method::SfdRaw:
		case Method::Uring:
			flags |= kSfdRaw | c.sfd_queue_flag();
			break;
		default:
			return UniqueFd();
		}
		UniqueFd fd(sys_signalfd4(-1, all_rt_, flags));
		if (fd.get() < 0)
			die("signalfd4");
		return fd;
	}

	// Dump @n signals through @m (@fd from open_fd()); how many came back.
	int drain(const Method &m, int fd, std::vector<char> &buf, int n)
	{
		switch (m.kind) {
		case Method::SfdRaw:
		case Method::SfdClassic:
			return read_signalfd(fd, m.batch, buf, n);
		case Method::Uring:
			return read_uring(fd, m, buf, n);
		case Method::Sigtimedwait: {
			int i = 0;
			while (i < n && support::sys_rt_sigtimedwait_now(all_rt_, *reinterpret_cast<siginfo_t *>(
									   buf.data() + std::size_t(i) * kRecord)) > 0)
				i++;
			return i;
		}
		case Method::Deliver:
			g_delivered_buf = buf.data();
			g_delivered = 0;
			if (sigprocmask(SIG_UNBLOCK, &all_rt_, nullptr) || sigprocmask(SIG_BLOCK, &all_rt_, nullptr))
				die("sigprocmask");
			return g_delivered;
		default:
			break;
		}
		return -1;
	}

	// Take back whatever a restore queued, untimed, for the check.
	int drain_any(const Config &c, std::vector<char> &buf, int n)
	{
		if (!raw_)
			return drain({"sigtimedwait", 1, Method::Sigtimedwait}, -1, buf, n);
		if (drain_fd_[int(c.queue)].get() < 0)
			drain_fd_[int(c.queue)] = open_fd(c, {"", 64, Method::SfdRaw});
		return read_signalfd(drain_fd_[int(c.queue)].get(), 64, buf, n);
	}

	const sigset_t &mask() const { return all_rt_; }

private:
	static int read_signalfd(int fd, int batch, std::vector<char> &buf, int n)
	{
		int i = 0;
		while (i < n) {
			ssize_t r = read(fd, buf.data() + std::size_t(i) * kRecord, std::size_t(batch) * kRecord);
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

	bool raw_;
	sigset_t all_rt_;
	io_uring ring_;
	UniqueFd drain_fd_[2];
};

// PTRACE_PEEKSIGINFO needs a stopped tracee: a child queues the signals to
// itself and waits; this process seizes and interrupts it, then peeks.
class Tracee {
public:
	Tracee(const Config &c, const std::vector<siginfo_t> &recs, const sigset_t &mask)
	{
		int ready[2];
		if (pipe(ready))
			die("pipe");
		pid_ = fork();
		if (pid_ < 0)
			die("fork");
		if (pid_ == 0) {
			sigprocmask(SIG_BLOCK, &mask, nullptr);
			fill_loop(c, recs);
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

// Repetitions: TCG's speed drifts within a boot, so more for small N;
// instruction counts repeat exactly but for the first run's warm-up.
int reps_for(int n)
{
	if (g_profile)
		return 8;
	if (g_instructions)
		return 3;
	return n <= 16 ? 31 : n <= 256 ? 15 : n <= 4096 ? 9 : 5;
}

void emit(const Config &c, int n, const std::string &method, const std::vector<double> &per_signal)
{
	std::printf("csv,%s,%s,%d,%s,%.1f,%zu\n", c.queue_name(), c.mix_name(), n, method.c_str(),
		    median(per_signal), per_signal.size());
	std::fflush(stdout);
}

const std::vector<Method> &all_methods()
{
	static const std::vector<Method> methods = {
		{"sfd_raw/1", 1, Method::SfdRaw},
		{"sfd_raw/16", 16, Method::SfdRaw},
		{"sfd_raw/64", 64, Method::SfdRaw},
		{"sfd_classic/1", 1, Method::SfdClassic},
		{"sfd_classic/16", 16, Method::SfdClassic},
		{"sfd_classic/64", 64, Method::SfdClassic},
		{"sigtimedwait", 1, Method::Sigtimedwait},
		{"deliver", 1, Method::Deliver},
		{"uring_raw/64", 64, Method::Uring},
		{"peeksiginfo/32", 32, Method::Peek},
		{"peeksiginfo/64", 64, Method::Peek},
		{"restore/loop", 1, Method::RestoreLoop},
	};
	return methods;
}

// Every method for one queue, mix and N; false if a dump or a restore was
// not exact.
bool measure(Bench &bench, bool raw, const Config &c, int n)
{
	std::vector<Method> methods;
	for (std::size_t i = 0; i < all_methods().size(); i++) {
		const Method &m = all_methods()[i];
		if ((raw || !m.needs_raw()) && m.reads(c) && (!g_profile || std::size_t(g_profile) == i + 1))
			methods.push_back(m);
	}
	const std::vector<siginfo_t> recs = records_for(c, n);
	std::vector<char> buf(std::size_t(n + 64) * kRecord);
	std::vector<std::vector<double>> samples(methods.size());
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
				Tracee tracee(c, recs, bench.mask());
				std::uint64_t start = ticks();
				profile_open();
				got = tracee.peek(buf, n, m.batch);
				profile_close();
				samples[i].push_back(ns_since(start) / n);
			} else if (m.kind == Method::RestoreLoop) {
				std::uint64_t start = ticks();
				profile_open();
				fill_loop(c, recs);
				profile_close();
				samples[i].push_back(ns_since(start) / n);
				got = bench.drain_any(c, buf, n);
			} else {
				fill_loop(c, recs);
				std::uint64_t start = ticks();
				profile_open();
				got = bench.drain(m, fds[i].get(), buf, n);
				profile_close();
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
	return exact;
}

// Under -icount the clock must read instructions: a loop of known length,
// timed, the fewest ticks of 7 runs (a timer interrupt that lands in a run
// adds its own instructions). True if that is within 0.1% of the loop.
bool clock_counts_instructions(double &measured_per_instruction)
{
	constexpr std::uint64_t kIters = 100000;
	measured_per_instruction = 1e9;
	for (int r = 0; r < 7; r++) {
		std::uint64_t start = ticks();
		known_loop(kIters);
		measured_per_instruction = std::min(measured_per_instruction, ns_since(start) / double(2 * kIters));
	}
	return measured_per_instruction > 0.999 && measured_per_instruction < 1.001;
}

}  // namespace

int main(int argc, char **argv)
{
	std::uint64_t max_n, instructions, profile, private_queue, mixed_only;
	tool::Options opts("sigcr_bench");
	opts.add("--max-n", max_n, 1 << 20, 1, 1 << 20);
	opts.add("--instructions", instructions, 0, 0, 1);
	opts.add("--profile", profile, 0, 0, all_methods().size());
	opts.add("--private", private_queue, 0, 0, 1);
	opts.add("--mixed", mixed_only, 0, 0, 1);
	opts.parse(argc, argv);
	g_instructions = instructions;
	g_profile = int(profile);
	ns_per_tick = measure_ns_per_tick();
	const bool raw = kernel_supports_raw_signalfd();

	// N: 1, 16, 256, 4096 and the most RLIMIT_SIGPENDING leaves room
	// for (less what is queued already and a margin of 16).
	rlimit lim;
	if (getrlimit(RLIMIT_SIGPENDING, &lim))
		die("getrlimit");
	long room = long(lim.rlim_cur) - std::max(support::user_sigq(), 0L) - 16;
	std::vector<int> ns;
	for (long n : {1L, 16L, 256L, 4096L, room})
		if ((!g_profile || n == long(max_n)) && n <= room && n <= long(max_n) && (ns.empty() || n > ns.back()))
			ns.push_back(int(n));
	ktap::note("RLIMIT_SIGPENDING %llu; N = %d..%d; %d RT signal numbers in the mixed case",
		   (unsigned long long)lim.rlim_cur, ns.front(), ns.back(), mixed_signos());
	ktap::note("kernel %s SFD_RAW: %s", raw ? "with" : "without",
		   raw ? "every method" : "only the methods of a kernel without the series");
	if (g_profile)
		ktap::note("profile: %s alone, %s queue, %s, N = %d, between markers",
			   all_methods()[std::size_t(g_profile - 1)].name.c_str(), private_queue ? "private" : "shared",
			   mixed_only ? "mixed" : "one number", int(max_n));
	if (g_instructions)
		ktap::note("clock: -icount, one tick per guest instruction; figures are instructions per signal");
	else
		ktap::note("clock: %s, %.3f ns per tick; under TCG only ratios between these figures mean anything",
			   ns_per_tick == 1.0 ? "clock_gettime(CLOCK_MONOTONIC)" : "TSC", ns_per_tick);

	ktap::Report report(g_instructions ? 5 : 4);
	if (g_instructions) {
		double per;
		bool ok = clock_counts_instructions(per);
		report.check(ok, "the clock counts instructions",
			     "a loop of 200000 instructions read " + std::to_string(per * 200000.0) + " ticks");
	}
	Bench bench(raw);
	for (Queue q : {Queue::Shared, Queue::Private}) {
		for (bool mixed : {false, true}) {
			if (g_profile && (mixed != bool(mixed_only) || (q == Queue::Private) != bool(private_queue)))
				continue;
			Config c{q, mixed};
			bool exact = true;
			for (int n : ns) {
				std::uint64_t start = ticks();
				exact &= measure(bench, raw, c, n);
				ktap::note("%s %s N=%d: %.1f s (guest clock)", c.queue_name(), c.mix_name(), n,
					   ns_since(start) / 1e9);
			}
			report.check(exact, std::string("every dump and restore exact: ") + c.queue_name() + " queue, " +
						    (mixed ? "mixed signal numbers" : "one signal number"));
		}
	}
	return report.exit_status();
}
