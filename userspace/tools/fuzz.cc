// SPDX-License-Identifier: GPL-2.0
// sigcr_fuzz: a bounded, seeded fuzzer of the series' interfaces. Each
// iteration does one of:
//   - signalfd4() with random flags, mask and mask size, new or an update;
//   - a read of one of its signalfds with a random size into a random kind
//     of buffer (good, ending in a PROT_NONE or read-only page, unmapped);
//   - rt_sigqueueinfo(), rt_tgsigqueueinfo() or pidfd_send_signal() with a
//     random siginfo, towards this process (from a thread that is not the
//     leader) or towards another process, the victim, a child that reads
//     all it gets and reports it.
// The fuzzer keeps a model of its own pending signals (queue, order,
// siginfo bytes, legacy coalescing) and checks after every step:
//   - every record a read returns is the one the model says comes next, and
//     a faulting read loses nothing (the model keeps what was not returned);
//   - sigpending() and SigQ agree with the model;
//   - towards another process a reserved si_code (>= 0, SI_TKILL) is EPERM,
//     and the victim never receives one; it receives every RT signal that
//     was accepted for it, exactly once;
//   - errors are the documented ones.
//
//   sigcr_fuzz [--iterations N] [--seed N]
//
// The seed is printed; the same seed repeats the same run.
#include <algorithm>
#include <array>
#include <chrono>
#include <cinttypes>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "queue_model.h"
#include "sigcr/sigcr.h"
#include "support.h"
#include "tool.h"

namespace sigcr {
namespace {

using namespace support;
using model::as_queued;
using model::kKernelSiginfo;

constexpr std::size_t kRecord = sizeof(RawSiginfo);
constexpr int kMaxFds = 4;
constexpr int kNsig = 64;

// A record as a key for sets.
std::string key(const RawSiginfo &r) { return std::string(reinterpret_cast<const char *>(r.bytes), sizeof(r.bytes)); }

using Rng = std::mt19937_64;

bool reserved(int code) { return code >= 0 || code == SI_TKILL; }

// Signals the fuzzer queues: all but SIGKILL and SIGSTOP (which cannot be
// blocked) and glibc's two internal ones.
bool fuzzable(int sig) { return sig >= 1 && sig <= kNsig && sig != SIGKILL && sig != SIGSTOP && sig != 32 && sig != 33; }

int rt_sigprocmask_all()
{
	std::uint64_t all = ~0ull & ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
	return syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, nullptr, 8);
}

struct Fd {
	UniqueFd fd;
	std::uint64_t mask;	// as the kernel keeps it: without SIGKILL/SIGSTOP
	int mode;		// SFD_RAW | SFD_PRIVATE | SFD_GROUP bits
};

struct Stats {
	std::uint64_t iterations = 0, signalfds = 0, updates = 0, reads = 0, records = 0, faulting_reads = 0,
		      sends_self = 0, sends_other = 0, accepted_self = 0, accepted_other = 0, eperm_other = 0,
		      victim_records = 0;
};

class Fuzzer {
public:
	Fuzzer(std::uint64_t seed, pid_t victim, int victim_pidfd, int victim_reports)
		: rng_(seed), victim_(victim), victim_pidfd_(victim_pidfd), reports_(victim_reports),
		  guard_none_(PROT_NONE), guard_ro_(PROT_READ)
	{
		tid_ = sys_gettid();
		pidfd_ = sys_pidfd_open(getpid(), 0);
		baseline_ = support::user_sigq();
	}

	// Runs in a thread that is not the leader: self-sends to the process
	// and to this thread use the thread-group rule.
	void run(std::uint64_t iterations)
	{
		if (pidfd_ < 0 || !guard_none_.ok() || !guard_ro_.ok())
			return violation("setup: pidfd_open or mmap failed: " + std::string(std::strerror(errno)));
		for (std::uint64_t i = 0; i < iterations && violations_.size() < 10; i++) {
			iteration_ = i;
			switch (rng_() % 8) {
			case 0:
				make_signalfd();
				break;
			case 1:
			case 2:
			case 3:
				send_self();
				break;
			case 4:
				send_other();
				break;
			default:
				read_some();
				break;
			}
			check_counts();
			collect_victim(false);
			stats_.iterations++;
		}
		drain_all();
		check_counts();
	}

	// Wait for the victim to report everything accepted for it, then check
	// what it got.
	void finish_victim()
	{
		collect_victim(true);
		for (auto &[key, n] : victim_expected_) {
			if (n != 0)
				violation("victim: signal " + std::to_string(key.first) + " value " +
					  std::to_string(key.second) + ": " + std::to_string(n) +
					  " accepted but not received (negative: received more)");
		}
	}

	const Stats &stats() const { return stats_; }
	const std::vector<std::string> &violations() const { return violations_; }
	std::uint64_t reserved_reached_other() const { return reserved_reached_other_; }

private:
	void violation(const std::string &what)
	{
		violations_.push_back("iteration " + std::to_string(iteration_) + ": " + what);
	}

	int random_sig()
	{
		switch (rng_() % 16) {
		case 0: {
			// The null signal and invalid numbers; never SIGKILL or
			// SIGSTOP, which would end or stop the run.
			static constexpr int odd[] = {0, 65, 100, -1, 0x7fffffff};
			return odd[rng_() % std::size(odd)];
		}
		default:
			for (;;) {
				int s = 1 + static_cast<int>(rng_() % kNsig);
				if (fuzzable(s))
					return s;
			}
		}
	}

	int random_code()
	{
		static constexpr int codes[] = {SI_QUEUE, SI_QUEUE, SI_QUEUE, SI_TKILL,  SI_USER, SI_KERNEL,
						SI_TIMER, SI_MESGQ, SI_ASYNCIO, SI_SIGIO, SI_ASYNCNL, 1,
						2,        3,        4,          5,        6,          -7};
		if (rng_() % 10 == 0)
			return static_cast<int>(rng_());
		return codes[rng_() % std::size(codes)];
	}

	// A random siginfo for @sig: random fields, a nonzero tail now and then.
	RawSiginfo random_info(int sig)
	{
		RawSiginfo r{};
		for (std::size_t i = 0; i < sizeof(r.bytes); i += 8) {
			std::uint64_t v = rng_();
			std::memcpy(r.bytes + i, &v, 8);
		}
		if (rng_() % 8)
			std::memset(r.bytes + kKernelSiginfo, 0, sizeof(r.bytes) - kKernelSiginfo);
		siginfo_t &si = *reinterpret_cast<siginfo_t *>(r.bytes);
		si.si_signo = rng_() % 16 ? sig : static_cast<int>(rng_() % 70);  // pidfd_send_signal() checks it
		si.si_errno = rng_() % 4 ? 0 : static_cast<int>(rng_());
		si.si_code = random_code();
		return r;
	}

	// The record the kernel keeps and SFD_RAW returns for @sent queued as
	// @sig: the kernel_siginfo bytes, si_signo set, zeros after.
	enum class Target { Process, Thread, Pidfd, PidfdThread };

	// Send @info as @sig with the chosen syscall; returns 0 or errno.
	int send(Target how, pid_t tgid, pid_t tid, int pidfd, int sig, RawSiginfo &info, unsigned flags)
	{
		siginfo_t &si = *reinterpret_cast<siginfo_t *>(info.bytes);
		int ret;
		switch (how) {
		case Target::Process:
			ret = sys_rt_sigqueueinfo(tgid, sig, si);
			break;
		case Target::Thread:
			ret = sys_rt_tgsigqueueinfo(tgid, tid, sig, si);
			break;
		default:
			ret = sys_pidfd_send_signal(pidfd, sig, si, flags);
			break;
		}
		return ret ? errno : 0;
	}

	void send_self()
	{
		stats_.sends_self++;
		int sig = random_sig();
		RawSiginfo info = random_info(sig);
		const int code = info.info().si_code;
		auto how = static_cast<Target>(rng_() % 4);
		unsigned flags = how == Target::PidfdThread ? 1u /* PIDFD_SIGNAL_THREAD */ : 0u;
		int pidfd = pidfd_;
		if (how == Target::PidfdThread)
			pidfd = thread_pidfd();
		if (rng_() % 32 == 0)
			flags |= 1u << (8 + rng_() % 20);
		int err = send(how, getpid(), tid_, pidfd, sig, info, flags);
		if (err == EPERM) {
			violation("self-send of signal " + std::to_string(sig) + " code " + std::to_string(code) +
				  " refused with EPERM");
			return;
		}
		if (err) {
			if (err != EINVAL && err != E2BIG && err != EAGAIN)
				violation("self-send: unexpected " + std::string(std::strerror(err)));
			return;
		}
		if ((how == Target::Pidfd || how == Target::PidfdThread) && (flags & ~1u))
			violation("pidfd_send_signal() with invalid flags accepted");
		if (sig == 0)
			return;
		if (!fuzzable(sig)) {
			violation("self-send of invalid signal " + std::to_string(sig) + " accepted");
			return;
		}
		stats_.accepted_self++;
		bool to_thread = how == Target::Thread || how == Target::PidfdThread;
		model_.send(to_thread, as_queued(info, sig));
	}

	int thread_pidfd()
	{
		if (thread_pidfd_ < 0)
			thread_pidfd_ = sys_pidfd_open(tid_, O_EXCL /* PIDFD_THREAD */);
		return thread_pidfd_;
	}

	void send_other()
	{
		stats_.sends_other++;
		int sig = random_sig();
		RawSiginfo info = random_info(sig);
		const int code = info.info().si_code;
		auto how = static_cast<Target>(rng_() % 3);
		int err = send(how, victim_, victim_, victim_pidfd_, sig, info, 0);
		if (!err && reserved(code) && sig != 0) {
			reserved_reached_other_++;
			violation("signal " + std::to_string(sig) + " with reserved code " + std::to_string(code) +
				  " accepted for another process");
		}
		if (err == EPERM) {
			stats_.eperm_other++;
			if (!reserved(code))
				violation("non-reserved code " + std::to_string(code) + " refused towards the victim");
			return;
		}
		if (err) {
			if (err != EINVAL && err != E2BIG && err != EAGAIN)
				violation("send to victim: unexpected " + std::string(std::strerror(err)));
			return;
		}
		if (sig == 0)
			return;
		stats_.accepted_other++;
		// RT signals must all arrive; legacy ones may coalesce.
		if (sig >= 32)
			victim_expected_[{sig, info.info().si_value.sival_int}]++;
		victim_sent_.insert(key(as_queued(info, sig)));
	}

	void make_signalfd()
	{
		stats_.signalfds++;
		std::uint64_t mask = rng_() % 4 ? rng_() : ~0ull;
		int flags = 0;
		static constexpr int bits[] = {0x10, 0x20, 0x40, SFD_NONBLOCK_BIT, SFD_CLOEXEC_BIT};
		for (int b : bits)
			if (rng_() % 2)
				flags |= b;
		if (rng_() % 16 == 0)
			flags |= 1 << (rng_() % 31);
		std::size_t size = rng_() % 16 ? 8 : rng_() % 130;
		const bool update = !fds_.empty() && rng_() % 4 == 0;
		Fd *old = update ? &fds_[rng_() % fds_.size()] : nullptr;
		const int known = 0x70 | SFD_NONBLOCK_BIT | SFD_CLOEXEC_BIT;
		int expect = 0;
		if (size != 8 || (flags & ~known) || (flags & 0x60) == 0x60)  // both queue flags: EINVAL
			expect = EINVAL;
		else if (old && (flags & 0x70) && (flags & 0x70) != old->mode)
			expect = EINVAL;
		int ret = syscall(SYS_signalfd4, old ? old->fd.get() : -1, &mask, size, flags);
		int err = ret < 0 ? errno : 0;
		if (err != expect) {
			violation("signalfd4(" + std::string(old ? "update" : "new") + ", flags " + std::to_string(flags) +
				  ", size " + std::to_string(size) + "): got " + (err ? std::strerror(err) : "success") +
				  ", expected " + (expect ? std::strerror(expect) : "success"));
			if (ret >= 0 && !old)
				close(ret);
			return;
		}
		if (err)
			return;
		std::uint64_t kmask = mask & ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
		if (old) {
			stats_.updates++;
			old->mask = kmask;
			return;
		}
		if (fds_.size() == kMaxFds)
			fds_.erase(fds_.begin() + rng_() % fds_.size());
		// Reads must not block: the fuzzer checks, it does not wait.
		fcntl(ret, F_SETFL, O_NONBLOCK);
		fds_.push_back({UniqueFd(ret), kmask, flags & 0x70});
	}

	void read_some()
	{
		if (fds_.empty())
			return make_signalfd();
		Fd &fd = fds_[rng_() % fds_.size()];
		const std::size_t records = rng_() % 5;
		std::size_t len = records * kRecord + (rng_() % 3 == 0 ? rng_() % kRecord : 0);
		char *buf = reinterpret_cast<char *>(good_);
		std::size_t room = len;
		bool faulting = true;
		switch (rng_() % 6) {
		case 0:
			room = rng_() % (len + 1);
			buf = guard_none_.before_boundary(room);
			break;
		case 1:
			room = rng_() % (len + 1);
			buf = guard_ro_.before_boundary(room);
			break;
		case 2:
			room = 0;
			buf = guard_none_.bad();
			break;
		default:
			faulting = false;
			break;
		}
		if (faulting)
			stats_.faulting_reads++;
		stats_.reads++;
		ssize_t n = ::read(fd.fd.get(), buf, len);
		int err = n < 0 ? errno : 0;

		// What the kernel must have done: whole records while they fit
		// in the buffer and the room, then stop.
		std::size_t fit = std::min(len / kRecord, room / kRecord);
		std::size_t expect_n = 0;
		bool more = false;
		if (len < kRecord) {
			expect_check(err == EINVAL, "read of " + std::to_string(len) + " bytes: expected EINVAL, got " +
							    describe(n, err));
			return;
		}
		// Take the model's records in order; each must match.
		std::vector<RawSiginfo> want;
		for (std::size_t i = 0; i < len / kRecord; i++) {
			if (!model_.peek(fd.mode, fd.mask))
				break;
			if (i >= fit) {
				more = true;
				break;
			}
			want.push_back(*model_.take(fd.mode, fd.mask));
		}
		expect_n = want.size();
		if (expect_n == 0) {
			int expect_err = more ? EFAULT : EAGAIN;
			expect_check(err == expect_err, "read: expected " + std::string(std::strerror(expect_err)) +
								", got " + describe(n, err));
			return;
		}
		if (!expect_check(n == static_cast<ssize_t>(expect_n * kRecord),
				  "read: expected " + std::to_string(expect_n) + " records, got " + describe(n, err)))
			return;
		for (std::size_t i = 0; i < expect_n; i++) {
			RawSiginfo got;
			std::memcpy(got.bytes, buf + i * kRecord, kRecord);
			stats_.records++;
			bool same = fd.mode & 0x10 ? got == want[i] : classic_matches(got, want[i]);
			if (!same)
				violation("read record " + std::to_string(i) + ": signal " + std::to_string(got.signo()) +
					  " code " + std::to_string(got.info().si_code) + ", model has signal " +
					  std::to_string(want[i].signo()) + " code " + std::to_string(want[i].info().si_code));
		}
	}

	// struct signalfd_siginfo starts with ssi_signo, ssi_errno, ssi_code.
	static bool classic_matches(const RawSiginfo &got, const RawSiginfo &want)
	{
		std::uint32_t g[3];
		std::memcpy(g, got.bytes, sizeof(g));
		const siginfo_t &w = want.info();
		return g[0] == static_cast<std::uint32_t>(w.si_signo) && g[1] == static_cast<std::uint32_t>(w.si_errno) &&
		       g[2] == static_cast<std::uint32_t>(w.si_code);
	}

	bool expect_check(bool ok, const std::string &what)
	{
		if (!ok) {
			violation(what);
			resync();
		}
		return ok;
	}

	static std::string describe(ssize_t n, int err)
	{
		return n < 0 ? std::string(std::strerror(err)) : std::to_string(n) + " bytes";
	}

	// After a mismatch the model cannot be trusted: empty both queues.
	void resync()
	{
		drain_all();
	}

	void drain_all()
	{
		sigset_t all;
		sigfillset(&all);
		for (int flag : {kSfdPrivate, kSfdGroup}) {
			auto fd = open_raw_signalfd(all, flag);
			if (fd.ok())
				(void)read_all(fd.value().get());
		}
		model_.clear();
	}

	// sigpending() and SigQ agree with the model.
	void check_counts()
	{
		sigset_t set;
		sigpending(&set);
		for (int s = 1; s <= kNsig; s++) {
			if (!fuzzable(s))
				continue;
			bool model = model_.pending(s);
			if (sigismember(&set, s) != model) {
				violation("sigpending() has signal " + std::to_string(s) + (model ? " missing" : " extra"));
				return resync();
			}
		}
		// SigQ counts the queued signals of every process of this user,
		// so another root process of the guest may hold one for a
		// moment: only a difference that stays is a finding.
		long want = baseline_ + static_cast<long>(model_.size());
		long q = support::user_sigq();
		for (int retry = 0; q != want && retry < 10; retry++) {
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
			q = support::user_sigq();
		}
		if (q != want) {
			violation("SigQ " + std::to_string(q) + ", model " + std::to_string(want));
			resync();
		}
	}

	// Take what the victim reported; with @wait, until every RT signal
	// accepted for it arrived or 10 s pass.
	void collect_victim(bool wait)
	{
		auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
		for (;;) {
			RawSiginfo r;
			ssize_t n = ::read(reports_, r.bytes, kRecord);
			if (n == static_cast<ssize_t>(kRecord)) {
				stats_.victim_records++;
				int code = r.info().si_code;
				if (reserved(code))
					violation("victim received signal " + std::to_string(r.signo()) + " with reserved code " +
						  std::to_string(code));
				if (!victim_sent_.contains(key(r)))
					violation("victim received a record nobody sent: signal " + std::to_string(r.signo()));
				if (r.signo() >= 32)
					victim_expected_[{r.signo(), r.info().si_value.sival_int}]--;
				continue;
			}
			if (!wait || outstanding() == 0 || std::chrono::steady_clock::now() > deadline)
				return;
			pollfd p{.fd = reports_, .events = POLLIN, .revents = 0};
			poll(&p, 1, 100);
		}
	}

	long outstanding() const
	{
		long n = 0;
		for (auto &[key, v] : victim_expected_)
			n += v > 0 ? v : 0;
		return n;
	}

	static constexpr int SFD_NONBLOCK_BIT = 04000;
	static constexpr int SFD_CLOEXEC_BIT = 02000000;

	Rng rng_;
	pid_t victim_, tid_ = 0;
	int victim_pidfd_, reports_, pidfd_ = -1, thread_pidfd_ = -1;
	long baseline_ = 0;
	GuardedPages guard_none_, guard_ro_;
	RawSiginfo good_[8];
	std::vector<Fd> fds_;
	model::Process model_;
	std::map<std::pair<int, int>, long> victim_expected_;
	std::set<std::string> victim_sent_;
	std::vector<std::string> violations_;
	std::uint64_t iteration_ = 0, reserved_reached_other_ = 0;
	Stats stats_;
};

// The victim: another process, of another user, so that its pending
// signals count against that user's SigQ, not the fuzzer's. It blocks
// everything, reads both of its queues through SFD_RAW and writes each
// record to @report until killed.
[[noreturn]] void victim(int ready, int report)
{
	constexpr uid_t nobody = 65534;
	rt_sigprocmask_all();
	// If the fuzzer dies, so does the victim: it holds the fuzzer's
	// stdout open, and the guest's runner would wait for it.
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setresgid(nobody, nobody, nobody) || setresuid(nobody, nobody, nobody)) {
		char c = 'U';
		(void)!write(ready, &c, 1);
		_exit(1);
	}
	sigset_t all;
	sigfillset(&all);
	int fd = sys_signalfd4(-1, all, kSfdRaw);
	char c = fd < 0 ? 'E' : 'R';
	if (write(ready, &c, 1) != 1 || fd < 0)
		_exit(1);
	RawSiginfo buf[64];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			continue;
		if (write(report, buf, n) != n)
			_exit(1);
	}
}

int run(std::uint64_t seed, std::uint64_t iterations)
{
	ktap::note("sigcr_fuzz: seed %" PRIu64 ", %" PRIu64 " iterations (repeat with --seed %" PRIu64 ")", seed,
		   iterations, seed);
	if (!kernel_supports_raw_signalfd())
		ktap::Report::skip_all("kernel lacks signalfd SFD_RAW/SFD_PRIVATE/SFD_GROUP");
	rt_sigprocmask_all();

	int ready[2], report[2];
	if (pipe2(ready, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
		std::perror("sigcr_fuzz: pipe2");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		std::perror("sigcr_fuzz: fork");
		return 1;
	}
	if (pid == 0)
		victim(ready[1], report[1]);
	close(ready[1]);
	close(report[1]);
	char c = 0;
	if (read(ready[0], &c, 1) != 1 || c != 'R') {
		std::fprintf(stderr, "sigcr_fuzz: the victim could not %s\n",
			     c == 'U' ? "become uid 65534 (the fuzzer runs as root)" : "open its signalfd");
		return 1;
	}
	fcntl(report[0], F_SETFL, O_NONBLOCK);
	int victim_pidfd = sys_pidfd_open(pid, 0);

	ktap::Report ktap_report(3);
	std::optional<Fuzzer> fuzzer;
	std::thread([&] {
		fuzzer.emplace(seed, pid, victim_pidfd, report[0]);
		fuzzer->run(iterations);
		fuzzer->finish_victim();
	}).join();
	kill(pid, SIGKILL);
	waitpid(pid, nullptr, 0);

	const Stats &st = fuzzer->stats();
	const auto &v = fuzzer->violations();
	for (const std::string &what : v)
		ktap::note("violation: %s", what.c_str());
	ktap_report.check(st.iterations == iterations, "fuzzer_ran_its_budget",
			  std::to_string(st.iterations) + " of " + std::to_string(iterations) + " iterations (stopped after 10 violations)");
	ktap_report.check(fuzzer->reserved_reached_other() == 0 && st.eperm_other > 0,
			  "no_reserved_siginfo_reaches_another_process",
			  std::to_string(fuzzer->reserved_reached_other()) + " accepted, " + std::to_string(st.eperm_other) +
				  " refused");
	ktap_report.check(v.empty(), "model_and_kernel_agree", std::to_string(v.size()) + " violations");
	ktap::note("fuzz figures: %" PRIu64 " iterations: %" PRIu64 " signalfd4 (%" PRIu64 " updates), %" PRIu64
		   " reads (%" PRIu64 " faulting) returning %" PRIu64 " records, %" PRIu64 " self-sends (%" PRIu64
		   " accepted), %" PRIu64 " sends to another process (%" PRIu64 " accepted, %" PRIu64
		   " EPERM), %" PRIu64 " records received there",
		   st.iterations, st.signalfds, st.updates, st.reads, st.faulting_reads, st.records, st.sends_self,
		   st.accepted_self, st.sends_other, st.accepted_other, st.eperm_other, st.victim_records);
	return ktap_report.exit_status();
}

}  // namespace
}  // namespace sigcr

int main(int argc, char **argv)
{
	std::uint64_t iterations, seed;
	sigcr::tool::Options parser("sigcr_fuzz");
	parser.add("--iterations", iterations, 20000, 1, 100000000);
	parser.add_seed(seed);
	parser.parse(argc, argv);
	return sigcr::run(seed, iterations);
}
