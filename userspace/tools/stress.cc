// SPDX-License-Identifier: GPL-2.0
// sigcr_stress: sender threads and sender processes queue RT signals to
// this process's shared queue and to its reader threads' private queues,
// while reader threads take them off through SFD_GROUP and SFD_PRIVATE
// signalfds, with read(2) and with io_uring, some of them into buffers that
// fault part way. Every signal carries its sender and sequence number in
// si_value. Checks, in KTAP:
//   - a full RLIMIT_SIGPENDING refuses RT signals with EAGAIN and keeps
//     every one it took;
//   - every signal a sender queued is read exactly once, none is left
//     (with fail_usercopy: at most once, see below);
//   - SFD_PRIVATE and SFD_GROUP readers see only their own queue, and a
//     private queue (one reader) keeps each sender's order, faults or not;
//   - every io_uring read of an SFD_PRIVATE fd is refused with EINVAL,
//     however many signals the process takes meanwhile;
//   - the queued-signal count (SigQ) stays within the limit and returns to
//     its baseline.
//
//   sigcr_stress [--signals N] [--seconds S] [--seed N] [--rlimit N]
//                [--fail-usercopy PERCENT]
//
// Where the kernel has fail_usercopy (the debug kernel), the readers' copies
// to user space also fail at random, PERCENT (default 5) of them; a record
// whose copy fails so (after its dequeue, by design) loses its signal, so
// there no more signals may be lost than copies were failed on purpose.
//
// Stops after N signals (default 1000000) or S seconds (default 60),
// whichever comes first; the seed picks targets, signal numbers, read sizes
// and faults, and is printed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <liburing.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "sigcr/sigcr.h"
#include "support.h"
#include "tool.h"

namespace sigcr {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kSenders = 6;
constexpr int kGroupReaders = 2;
constexpr int kPrivateReaders = 3;
constexpr int kReaders = kGroupReaders + kPrivateReaders;
constexpr unsigned kSeqBits = 24;
constexpr std::uint32_t kSeqMask = (1u << kSeqBits) - 1;
constexpr std::size_t kRecord = sizeof(RawSiginfo);
constexpr std::size_t kMaxBatch = 64;

// Shared signals use two numbers, so that the queue mixes them; private
// reader r's signals use a number of their own, so a misrouted one shows.
int shared_sig(int i) { return SIGRTMIN + 4 + i; }
int private_sig(int r) { return SIGRTMIN + 6 + r; }

sigset_t stress_signals()
{
	sigset_t set;
	sigemptyset(&set);
	for (int i = 0; i < 2; i++)
		sigaddset(&set, shared_sig(i));
	for (int r = 0; r < kPrivateReaders; r++)
		sigaddset(&set, private_sig(r));
	return set;
}

using namespace support;

struct Options {
	std::uint64_t signals, seconds, rlimit, seed, fail_usercopy;
};

constexpr const char *kFailUsercopyDir = "/sys/kernel/debug/fail_usercopy/";
// fail_usercopy's `times` when armed: each failure it injects counts it
// down, so what is left says how many there were.
constexpr long kFailTimes = 1000000000;

// Arm the kernel's fail_usercopy (CONFIG_FAULT_INJECTION_USERCOPY) for the
// threads that ask for it, failing @percent of their user copies; with 0,
// disarm it, leaving `times` for fail_usercopy_injected(). Returns whether
// it is armed. The task filter is on whenever the probability is not 0:
// arming sets the probability last, disarming first. (Disarming in the
// other order once let the whole guest's copies fail for a moment, and
// init died of a bad signal frame.)
bool fail_usercopy(std::uint64_t percent)
{
	std::vector<std::pair<const char *, std::string>> settings = {
		{"task-filter", percent ? "Y" : "N"}, {"verbose", "0"},
		{"interval", "1"}, {"probability", std::to_string(percent)},
	};
	if (percent)
		settings.insert(settings.begin() + 1, {"times", std::to_string(kFailTimes)});
	else
		std::reverse(settings.begin(), settings.end());
	for (auto &[file, value] : settings) {
		std::FILE *f = std::fopen((std::string(kFailUsercopyDir) + file).c_str(), "w");
		if (!f)
			return false;
		bool ok = std::fputs(value.c_str(), f) >= 0;
		ok &= std::fclose(f) == 0;
		if (!ok)
			return false;
	}
	return percent != 0;
}

// How many failures fail_usercopy injected since it was armed, once it is
// disarmed, or -1 if `times` cannot be read. Only the reader threads have
// make-it-fail (and io_uring's workers, copies of them), so every one was in
// a reader's syscall, and lost at most the one signal whose record it failed.
long fail_usercopy_injected()
{
	std::FILE *f = std::fopen((std::string(kFailUsercopyDir) + "times").c_str(), "r");
	long left = -1;
	if (f) {
		if (std::fscanf(f, "%ld", &left) != 1)
			left = -1;
		std::fclose(f);
	}
	return left < 0 ? -1 : kFailTimes - left;
}

struct Sender {
	bool child;	// a process of its own, or a thread of this one
	bool to_private;	// reader threads' private queues, or the shared one
	int si_code;
};

// A thread of this process may queue a reserved code to its own process
// (SI_TKILL here, to the shared queue), not into another thread's private
// queue; other processes queue SI_QUEUE.
constexpr Sender kSenderSpecs[kSenders] = {
	{false, false, SI_TKILL}, {false, true, SI_QUEUE}, {true, false, SI_QUEUE},
	{true, false, SI_QUEUE},  {true, true, SI_QUEUE},  {true, true, SI_QUEUE},
};

struct SenderStats {
	std::atomic<std::uint64_t> sent{0}, eagain{0}, errors{0};
	std::atomic<int> last_errno{0};

	// After a failed send: EAGAIN is counted and retried (true); any
	// other error is recorded and stops the sender (false).
	bool retry(int err)
	{
		if (err == EAGAIN) {
			eagain++;
			std::this_thread::yield();
			return true;
		}
		errors++;
		last_errno = err;
		return false;
	}
};

// In memory shared with the sender processes.
struct Shared {
	std::atomic<std::uint64_t> taken{0};	// sequence numbers handed out
	std::atomic<int> finished{0};	// senders that returned
	std::atomic<bool> stop{false};
	SenderStats senders[kSenders];
};

void send_loop(int id, pid_t tgid, const pid_t *private_tids, std::uint64_t budget, std::uint64_t seed, Shared &sh)
{
	const Sender &spec = kSenderSpecs[id];
	SenderStats &st = sh.senders[id];
	std::mt19937_64 rng(seed + id);
	std::uint32_t seq = 0;
	int sig = 0;
	pid_t tid = 0;

	while (!sh.stop.load(std::memory_order_relaxed)) {
		if (!sig) {
			if (sh.taken.fetch_add(1) >= budget)
				break;
			if (spec.to_private) {
				int r = rng() % kPrivateReaders;
				sig = private_sig(r);
				tid = private_tids[r];
			} else {
				sig = shared_sig(rng() % 2);
			}
		}
		const siginfo_t info = queued_siginfo(
			sig, static_cast<int>((static_cast<std::uint32_t>(id) << kSeqBits) | seq), spec.si_code);
		int ret = spec.to_private ? sys_rt_tgsigqueueinfo(tgid, tid, sig, info)
					  : sys_rt_sigqueueinfo(tgid, sig, info);
		if (ret == 0) {
			st.sent.store(++seq);
			sig = 0;
		} else if (!st.retry(errno)) {
			break;
		}
	}
}

// What the readers saw, for all of them together.
struct Tally {
	explicit Tally(std::uint64_t budget) : words((budget + 63) / 64)
	{
		for (auto &b : seen)
			b = std::make_unique<std::atomic<std::uint64_t>[]>(words);
	}

	std::uint64_t words;
	std::unique_ptr<std::atomic<std::uint64_t>[]> seen[kSenders];
	// injected: reads into a good buffer that fail_usercopy failed with
	// EFAULT (their first record's copy, so they lost its signal).
	std::atomic<std::uint64_t> records{0}, by_read{0}, by_uring{0}, faulting_reads{0}, efaults{0}, injected{0};
	// io_uring reads of SFD_PRIVATE fds: refused (EINVAL), and not refused
	std::atomic<std::uint64_t> uring_refused{0}, uring_not_refused{0};
	std::atomic<std::uint64_t> duplicates{0}, foreign{0}, misrouted{0}, out_of_order{0}, errors{0};
	std::atomic<int> last_errno{0};
};

struct Reader {
	bool group;	// SFD_GROUP, or SFD_PRIVATE
	// io_uring reads, or read(2). The kernel refuses every io_uring
	// read of an SFD_PRIVATE fd: such a reader tries one, then reads
	// with read(2), in turn.
	bool uring;
	bool faults;	// one read in four into a buffer that faults part way
	int prot;	// the faulting page: PROT_NONE or PROT_READ
};

constexpr Reader kReaderSpecs[kReaders] = {
	{true, false, true, PROT_NONE},  {true, true, true, PROT_READ},  {false, false, true, PROT_NONE},
	{false, true, true, PROT_READ}, {false, false, false, PROT_NONE},
};

class ReaderThread {
public:
	ReaderThread(int index, Tally &tally, std::uint64_t seed, const std::atomic<bool> &stop, bool inject)
		: index_(index), spec_(kReaderSpecs[index]), inject_(inject), tally_(tally), rng_(seed + 100 + index),
		  stop_(stop),
		  pages_(spec_.prot)
	{
	}

	// Runs in the reader's own thread; publishes its tid first.
	void run(std::atomic<pid_t> &tid)
	{
		tid = sys_gettid();
		tid.notify_all();
		auto fd = open_raw_signalfd(stress_signals(), spec_.group ? kSfdGroup : kSfdPrivate);
		if (!fd.ok() || !pages_.ok()) {
			fail(fd.ok() ? ENOMEM : fd.error().err);
			return;
		}
		fd_ = std::move(fd.value());
		// Set up before fail_usercopy is armed: io_uring_setup() copies
		// its parameters, and an injected fault there is no finding.
		io_uring ring;
		if (spec_.uring) {
			if (int err = io_uring_queue_init(4, &ring, 0)) {
				fail(-err);
				return;
			}
		}
		// With the kernel's fail_usercopy armed, this thread's copies
		// to and from user space fail at random.
		if (inject_) {
			std::FILE *f = std::fopen("/proc/thread-self/make-it-fail", "w");
			if (!f || std::fputs("1", f) < 0 || std::fclose(f)) {
				fail(errno);
				if (spec_.uring)
					io_uring_queue_exit(&ring);
				return;
			}
		}
		if (spec_.uring)
			uring_loop(ring);
		else
			read_loop();
	}

private:
	// Where the next read goes and how much it asks for: mostly a good
	// buffer of 1..64 records; for a faulting reader, one time in four,
	// a buffer with 0..3 records of room before the bad page.
	std::pair<char *, std::size_t> next_buffer(bool &faulting)
	{
		faulting = spec_.faults && rng_() % 4 == 0;
		if (!faulting)
			return {reinterpret_cast<char *>(good_), (1 + rng_() % kMaxBatch) * kRecord};
		std::size_t room = rng_() % 4;
		std::size_t straddle = rng_() % 2 ? kRecord / 2 : 0;
		return {pages_.before_boundary(room * kRecord + straddle), (room + 1 + rng_() % 3) * kRecord};
	}

	void read_loop()
	{
		while (!stop_.load(std::memory_order_relaxed))
			read_once();
	}

	// One read(2), if the fd becomes readable within 20 ms.
	void read_once()
	{
		pollfd p{.fd = fd_.get(), .events = POLLIN, .revents = 0};
		if (poll(&p, 1, 20) <= 0 || !(p.revents & POLLIN))
			return;
		bool faulting;
		auto [buf, len] = next_buffer(faulting);
		ssize_t n = ::read(fd_.get(), buf, len);
		completed(buf, n < 0 ? -errno : n, faulting, tally_.by_read);
	}

	// Reads through @ring until stopped, then tears it down.
	void uring_loop(io_uring &ring)
	{
		bool inflight = false, faulting = false;
		char *buf = nullptr;
		for (;;) {
			if (!inflight) {
				if (stop_.load(std::memory_order_relaxed))
					break;
				std::size_t len;
				std::tie(buf, len) = next_buffer(faulting);
				io_uring_prep_read(io_uring_get_sqe(&ring), fd_.get(), buf, len, 0);
				if (int err = io_uring_submit(&ring); err != 1) {
					fail(err < 0 ? -err : EIO);
					break;
				}
				inflight = true;
			}
			__kernel_timespec wait{.tv_sec = 0, .tv_nsec = 20'000'000};
			io_uring_cqe *cqe;
			int err = io_uring_wait_cqe_timeout(&ring, &cqe, &wait);
			// An injected fault may hit io_uring_enter()'s own copies.
			if (err == -ETIME || err == -EINTR || (inject_ && err == -EFAULT)) {
				if (stop_.load(std::memory_order_relaxed))
					break;
				continue;
			}
			if (err) {
				fail(-err);
				break;
			}
			int res = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
			inflight = false;
			if (spec_.group) {
				completed(buf, res, faulting, tally_.by_uring);
				continue;
			}
			// SFD_PRIVATE: refused before any signal is looked at,
			// however busy the process is. Any other outcome is a
			// finding; records it returned are still counted.
			if (res == -EINVAL) {
				tally_.uring_refused++;
			} else {
				tally_.uring_not_refused++;
				completed(buf, res, faulting, tally_.by_uring);
			}
			read_once();
		}
		// Cancels a read still waiting; by now nothing is left to read.
		io_uring_queue_exit(&ring);
	}

	// A read returned @res: bytes, or -errno.
	void completed(const char *buf, long res, bool faulting, std::atomic<std::uint64_t> &by)
	{
		if (faulting)
			tally_.faulting_reads++;
		if (res == -EFAULT && faulting) {
			tally_.efaults++;
			return;
		}
		if (res == -EFAULT && inject_) {
			tally_.injected++;
			return;
		}
		if (res == -EAGAIN)
			return;
		if (res < 0 || res % kRecord) {
			fail(res < 0 ? static_cast<int>(-res) : EIO);
			return;
		}
		for (long off = 0; off < res; off += kRecord) {
			siginfo_t si;
			std::memcpy(&si, buf + off, sizeof(si));
			account(si);
			by++;
		}
	}

	void account(const siginfo_t &si)
	{
		auto value = static_cast<std::uint32_t>(si.si_value.sival_int);
		unsigned id = value >> kSeqBits;
		std::uint32_t seq = value & kSeqMask;
		tally_.records++;
		if (id >= kSenders || seq / 64 >= tally_.words || si.si_code != kSenderSpecs[id].si_code) {
			tally_.foreign++;
			return;
		}
		bool private_sig_here = !spec_.group && si.si_signo == private_sig(index_ - kGroupReaders);
		bool shared_sig_here = spec_.group && (si.si_signo == shared_sig(0) || si.si_signo == shared_sig(1));
		if (!private_sig_here && !shared_sig_here)
			tally_.misrouted++;
		// One reader per private queue: each sender's signals arrive in
		// the order they were queued (one lost to fail_usercopy leaves a
		// gap, not a disorder).
		if (!spec_.group) {
			if (seen_from_[id] && seq <= last_seq_[id])
				tally_.out_of_order++;
			seen_from_[id] = true;
			last_seq_[id] = seq;
		}
		std::uint64_t bit = 1ull << (seq % 64);
		if (tally_.seen[id][seq / 64].fetch_or(bit) & bit)
			tally_.duplicates++;
	}

	void fail(int err)
	{
		tally_.errors++;
		tally_.last_errno = err;
	}

	int index_;
	Reader spec_;
	bool inject_;
	Tally &tally_;
	std::mt19937_64 rng_;
	const std::atomic<bool> &stop_;
	GuardedPages pages_;
	UniqueFd fd_;
	RawSiginfo good_[kMaxBatch];
	bool seen_from_[kSenders] = {};
	std::uint32_t last_seq_[kSenders] = {};
};

// Fill the shared queue up to RLIMIT_SIGPENDING: the next RT signal must be
// refused with EAGAIN, and reading back must give every one queued, in
// order, and bring SigQ back.
bool check_rlimit(long baseline, long limit, std::string &why)
{
	const int sig = shared_sig(0);
	siginfo_t info = queued_siginfo(sig, 0);
	int queued = 0, ret;
	while ((ret = sys_rt_sigqueueinfo(getpid(), sig, info)) == 0 && queued <= limit)
		info.si_value.sival_int = ++queued;
	int err = errno;
	long full = support::user_sigq();
	auto fd = open_raw_signalfd(stress_signals(), kSfdGroup);
	auto records = fd.ok() ? read_all(fd.value().get()) : Result<std::vector<RawSiginfo>>(fd.error());
	bool in_order = records.ok() && records.value().size() == static_cast<std::size_t>(queued);
	for (int i = 0; in_order && i < queued; i++)
		in_order = records.value()[i].info().si_value.sival_int == i;
	why = "queued " + std::to_string(queued) + " with SigQ baseline " + std::to_string(baseline) +
	      ", then " + (ret ? std::strerror(err) : "success") + "; SigQ full " + std::to_string(full) +
	      ", read back " + (records.ok() ? std::to_string(records.value().size()) : records.error().message()) +
	      (in_order ? " in order" : " NOT in order") + ", SigQ after " + std::to_string(support::user_sigq());
	return ret == -1 && err == EAGAIN && full == limit && queued == limit - baseline && in_order &&
	       support::user_sigq() == baseline;
}

// One run: setup() (signal mask, rlimit, the rlimit check), start_readers(),
// send() until the budget or the deadline, finish_reading(), verdict().
class StressRun {
public:
	explicit StressRun(const Options &opt) : opt_(opt), tally_(opt.signals) {}

	// False, after saying why, if the run cannot start.
	bool setup(ktap::Report &report)
	{
		const sigset_t sigs = stress_signals();
		if (int err = pthread_sigmask(SIG_BLOCK, &sigs, nullptr))
			return error("pthread_sigmask", err);
		rlimit lim{.rlim_cur = static_cast<rlim_t>(opt_.rlimit), .rlim_max = static_cast<rlim_t>(opt_.rlimit)};
		if (setrlimit(RLIMIT_SIGPENDING, &lim))
			return error("setrlimit(RLIMIT_SIGPENDING, " + std::to_string(opt_.rlimit) + ")", errno);
		baseline_ = support::user_sigq();
		std::string why;
		report.check(check_rlimit(baseline_, opt_.rlimit, why),
			     "full_rlimit_sigpending_is_eagain_and_loses_nothing", why);
		void *mem = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			return error("mmap", errno);
		sh_ = new (mem) Shared;
		inject_ = fail_usercopy(opt_.fail_usercopy);
		return true;
	}

	// The readers, each in a thread; returns once every one knows its tid.
	void start_readers()
	{
		for (int i = 0; i < kReaders; i++)
			readers_.push_back(std::make_unique<ReaderThread>(i, tally_, opt_.seed, stop_readers_, inject_));
		for (int i = 0; i < kReaders; i++)
			reader_threads_.emplace_back([this, i] { readers_[i]->run(tids_[i]); });
		for (int i = 0; i < kReaders; i++) {
			tids_[i].wait(0);
			if (i >= kGroupReaders)
				private_tids_[i - kGroupReaders] = tids_[i];
		}
	}

	// The senders, threads of this process and children, until the
	// budget is sent or the deadline passes; SigQ is sampled meanwhile.
	void send()
	{
		const auto start = Clock::now();
		const auto deadline = start + std::chrono::seconds(opt_.seconds);
		std::vector<pid_t> children;
		std::vector<std::jthread> threads;
		const pid_t self = getpid();
		for (int id = 0; id < kSenders; id++) {
			auto loop = [this, id, self] {
				send_loop(id, self, private_tids_, opt_.signals, opt_.seed, *sh_);
				sh_->finished++;
			};
			if (!kSenderSpecs[id].child) {
				threads.emplace_back(loop);
				continue;
			}
			pid_t pid = fork();
			if (pid == 0) {
				loop();
				_exit(0);
			}
			if (pid < 0) {
				error("fork", errno);
				sh_->stop = true;
				break;
			}
			children.push_back(pid);
		}
		auto done = [&] { return sh_->finished.load() == kSenders || sh_->stop.load(); };
		while (!done()) {
			sample_sigq();
			if (Clock::now() >= deadline)
				sh_->stop = true;
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
		}
		for (pid_t pid : children)
			waitpid(pid, nullptr, 0);
		threads.clear();
		send_seconds_ = std::chrono::duration<double>(Clock::now() - start).count();
		for (auto &st : sh_->senders) {
			sent_ += st.sent;
			eagain_ += st.eagain;
			send_errors_ += st.errors;
			if (st.errors)
				last_send_errno_ = st.last_errno;
		}
	}

	// The readers get 30 s to catch up; what is still unread then is lost.
	// They stop sooner once every signal is read or, with fail_usercopy
	// armed (whose losses keep the count short for the whole 30 s), once
	// SigQ has stayed at its baseline for 5 s with nothing read: then
	// every signal is off its queue, read or lost.
	void finish_reading()
	{
		const auto deadline = Clock::now() + std::chrono::seconds(30);
		auto quiet_since = Clock::now();
		std::uint64_t records = tally_.records;
		while (tally_.records.load() < sent_ && Clock::now() < deadline) {
			if (sample_sigq() > baseline_ || tally_.records.load() != records) {
				quiet_since = Clock::now();
				records = tally_.records;
			} else if (inject_ && Clock::now() - quiet_since >= std::chrono::seconds(5)) {
				break;
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
		}
		stop_readers_ = true;
		reader_threads_.clear();
		if (inject_) {
			fail_usercopy(0);
			failed_copies_ = fail_usercopy_injected();
		}
	}

	// The checks after the rlimit one, and the figures.
	void verdict(ktap::Report &report)
	{
		// Anything left in the shared queue was never read.
		auto rest = open_raw_signalfd(stress_signals(), kSfdGroup);
		auto left = rest.ok() ? read_all(rest.value().get()) : Result<std::vector<RawSiginfo>>(rest.error());
		const std::uint64_t leftover = left.ok() ? left.value().size() : 0;
		const auto [distinct, beyond] = count_seen();
		const std::uint64_t lost = sent_ - distinct;
		// Each copy fail_usercopy failed lost at most its record's signal.
		const std::uint64_t excused = inject_ && failed_copies_ > 0 ? failed_copies_ : 0;
		const int last_errno = send_errors_ ? last_send_errno_ : tally_.last_errno.load();

		char excuse[128] = "";
		if (inject_ && failed_copies_ < 0)
			std::snprintf(excuse, sizeof(excuse), " (fail_usercopy's count of failed copies unreadable)");
		else if (inject_)
			std::snprintf(excuse, sizeof(excuse), " (%s the %" PRIu64 " copies failed on purpose)",
				      lost <= excused ? "all within" : "MORE than", excused);
		char line[640];
		std::snprintf(line, sizeof(line),
			      "sent %" PRIu64 ", read %" PRIu64 " distinct, lost %" PRIu64 "%s, duplicated %" PRIu64
			      ", never sent %" PRIu64 ", foreign %" PRIu64 ", left queued %" PRIu64 ", send errors %" PRIu64
			      ", read errors %" PRIu64 " (last error: %s)",
			      sent_, distinct, lost, excuse, tally_.duplicates.load(), beyond, tally_.foreign.load(),
			      leftover, send_errors_, tally_.errors.load(), std::strerror(last_errno));
		report.check(sent_ > 0 && lost <= excused && tally_.duplicates == 0 && beyond == 0 &&
				     tally_.foreign == 0 && leftover == 0 && left.ok() && send_errors_ == 0 &&
				     tally_.errors == 0,
			     "every_queued_signal_is_read_exactly_once", line);
		report.check(tally_.misrouted == 0, "readers_see_only_their_queue",
			     std::to_string(tally_.misrouted.load()) + " records from another queue");
		report.check(tally_.out_of_order == 0, "private_queues_keep_each_senders_order",
			     std::to_string(tally_.out_of_order.load()) + " records out of order");
		report.check(tally_.uring_refused > 0 && tally_.uring_not_refused == 0,
			     "sfd_private_uring_reads_are_refused",
			     std::to_string(tally_.uring_refused.load()) + " refused with EINVAL, " +
				     std::to_string(tally_.uring_not_refused.load()) + " not");
		// The kernel counts a signal in SigQ before it checks it against
		// RLIMIT_SIGPENDING (sig_get_ucounts()) and takes it out again
		// if refused: a sender being refused adds one for that moment.
		const long bound = static_cast<long>(opt_.rlimit) + kSenders;
		report.check(max_sigq_ <= bound, "sigq_stays_within_rlimit",
			     "SigQ reached " + std::to_string(max_sigq_) + ", limit " + std::to_string(opt_.rlimit) +
				     " plus one per sender being refused");
		const long after = support::user_sigq();
		report.check(after == baseline_, "sigq_returns_to_baseline",
			     "SigQ " + std::to_string(after) + ", baseline " + std::to_string(baseline_));

		ktap::note("stress figures: %" PRIu64 " signals sent in %.1f s (%" PRIu64
			   " refused with EAGAIN and retried), "
			   "%" PRIu64 " read (%" PRIu64 " by read(2), %" PRIu64 " by io_uring), %" PRIu64
			   " reads into faulting buffers (%" PRIu64 " EFAULT), %ld copies failed by fail_usercopy%s (%" PRIu64
			   " reads EFAULT), %" PRIu64
			   " SFD_PRIVATE io_uring reads refused, lost %" PRIu64 ", duplicated %" PRIu64
			   ", max SigQ %ld",
			   sent_, send_seconds_, eagain_, tally_.records.load(), tally_.by_read.load(), tally_.by_uring.load(),
			   tally_.faulting_reads.load(), tally_.efaults.load(), failed_copies_,
			   inject_ ? "" : " (not in this kernel)", tally_.injected.load(), tally_.uring_refused.load(), lost,
			   tally_.duplicates.load(), max_sigq_);
	}

private:
	bool error(const std::string &what, int err)
	{
		std::fprintf(stderr, "sigcr_stress: %s: %s\n", what.c_str(), std::strerror(err));
		return false;
	}

	// Returns SigQ, after noting its maximum.
	long sample_sigq()
	{
		const long sigq = support::user_sigq();
		max_sigq_ = std::max(max_sigq_, sigq);
		return sigq;
	}

	// Of the sequence numbers the readers saw: how many distinct ones
	// each sender sent, and how many it never sent.
	std::pair<std::uint64_t, std::uint64_t> count_seen() const
	{
		std::uint64_t distinct = 0, beyond = 0;
		for (int id = 0; id < kSenders; id++) {
			const std::uint64_t n = sh_->senders[id].sent;
			for (std::uint64_t w = 0; w < tally_.words; w++) {
				std::uint64_t bits = tally_.seen[id][w].load();
				std::uint64_t valid = w * 64 + 64 <= n ? ~0ull : w * 64 >= n ? 0 : (1ull << (n - w * 64)) - 1;
				distinct += __builtin_popcountll(bits & valid);
				beyond += __builtin_popcountll(bits & ~valid);
			}
		}
		return {distinct, beyond};
	}

	const Options &opt_;
	Tally tally_;
	Shared *sh_ = nullptr;
	bool inject_ = false;
	long failed_copies_ = 0;	// by fail_usercopy, on purpose; -1: unknown
	long baseline_ = 0, max_sigq_ = 0;
	std::atomic<bool> stop_readers_{false};
	std::vector<std::unique_ptr<ReaderThread>> readers_;
	std::vector<std::jthread> reader_threads_;
	std::atomic<pid_t> tids_[kReaders] = {};
	pid_t private_tids_[kPrivateReaders] = {};
	double send_seconds_ = 0;
	std::uint64_t sent_ = 0, eagain_ = 0, send_errors_ = 0;
	int last_send_errno_ = 0;
};

int run(const Options &opt)
{
	ktap::note("sigcr_stress: seed %" PRIu64 ", %" PRIu64 " signals or %" PRIu64 " s, RLIMIT_SIGPENDING %" PRIu64
		   ", %d senders, %d readers",
		   opt.seed, opt.signals, opt.seconds, opt.rlimit, kSenders, kReaders);
	if (!kernel_supports_raw_signalfd())
		ktap::Report::skip_all("kernel lacks signalfd SFD_RAW/SFD_PRIVATE/SFD_GROUP");
	StressRun stress(opt);
	ktap::Report report(7);
	if (!stress.setup(report))
		return 1;
	stress.start_readers();
	stress.send();
	stress.finish_reading();
	stress.verdict(report);
	return report.exit_status();
}

}  // namespace
}  // namespace sigcr

int main(int argc, char **argv)
{
	sigcr::Options opt;
	sigcr::tool::Options parser("sigcr_stress");
	parser.add("--signals", opt.signals, 1000000, 1, sigcr::kSeqMask);
	parser.add("--seconds", opt.seconds, 60, 1, 3600);
	parser.add("--rlimit", opt.rlimit, 256, 16, 1 << 20);
	parser.add("--fail-usercopy", opt.fail_usercopy, 5, 0, 100);
	parser.add_seed(opt.seed);
	parser.parse(argc, argv);
	return sigcr::run(opt);
}
