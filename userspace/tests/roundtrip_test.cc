// SPDX-License-Identifier: GPL-2.0
// Every siginfo layout survives dump, image and restore: the same bytes,
// in the same queue, in the same order, with the same pending sets.
#include <chrono>
#include <functional>
#include <thread>

#include <aio.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "testing.h"

namespace sigcr::test {
namespace {

const int kSigRt = SIGRTMIN + 1;

// Wait until @sig is pending for this thread or the process (2 s at most).
Status wait_pending(int sig)
{
	for (int i = 0; i < 2000; i++) {
		sigset_t set;
		sigpending(&set);
		if (sigismember(&set, sig))
			return Ok{};
		std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
	return Error{ETIMEDOUT, "signal " + std::to_string(sig) + " never became pending"};
}

Status check(int ret, const char *what) { return ret < 0 ? Status(last_error(what)) : Status(Ok{}); }

Status inject(const siginfo_t &info)
{
	return check(sys_rt_tgsigqueueinfo(getpid(), sys_gettid(), info.si_signo, info), "rt_tgsigqueueinfo");
}

siginfo_t fault(int sig, int code, std::uintptr_t addr)
{
	siginfo_t info{};
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = reinterpret_cast<void *>(addr);
	return info;
}

std::vector<timer_t> g_timers;  // deleted by TearDown()

// A one-shot timer's signal. Since 6.13 a timer that is re-set or deleted
// drops the signal it has queued, so the timer lives until TearDown(), and
// a one-shot one queues nothing more.
Status timer_signal(bool to_thread)
{
	sigevent sev{};
	sev.sigev_notify = to_thread ? SIGEV_THREAD_ID : SIGEV_SIGNAL;
	sev.sigev_signo = kSigRt;
	sev.sigev_value.sival_int = 0x7157;
	if (to_thread)
		sev._sigev_un._tid = sys_gettid();
	timer_t timer;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer))
		return last_error("timer_create");
	g_timers.push_back(timer);
	itimerspec its{};
	its.it_value.tv_nsec = 1000000;
	if (timer_settime(timer, 0, &its, nullptr))
		return last_error("timer_settime");
	return wait_pending(kSigRt);
}

std::vector<pid_t> g_children;  // killed and reaped by TearDown()

pid_t spawn_child(int exit_code)
{
	pid_t pid = fork();
	if (pid > 0)
		g_children.push_back(pid);
	if (pid == 0) {
		if (exit_code >= 0)
			_exit(exit_code);
		for (;;)
			pause();
	}
	return pid;
}

Status child_event(int event)
{
	pid_t child = spawn_child(event == CLD_EXITED ? 5 : -1);
	if (child < 0)
		return last_error("fork");
	if (event == CLD_KILLED)
		kill(child, SIGKILL);
	if (event == CLD_STOPPED || event == CLD_CONTINUED)
		kill(child, SIGSTOP);
	if (event == CLD_CONTINUED) {
		siginfo_t info;
		waitid(P_PID, child, &info, WSTOPPED | WNOWAIT);
		Status s = wait_pending(SIGCHLD);
		if (!s)
			return s;
		drain();  // the CLD_STOPPED one
		kill(child, SIGCONT);
	}
	return wait_pending(SIGCHLD);
}

Status poll_signal()
{
	int p[2];
	if (pipe(p))
		return last_error("pipe");
	UniqueFd r(p[0]), w(p[1]);
	if (fcntl(r.get(), F_SETOWN, getpid()) || fcntl(r.get(), F_SETSIG, kSigRt) ||
	    fcntl(r.get(), F_SETFL, O_ASYNC | O_NONBLOCK))
		return last_error("fcntl(F_SETSIG, O_ASYNC)");
	if (write(w.get(), "x", 1) != 1)
		return last_error("write");
	return wait_pending(kSigRt);
}

Status mqueue_signal()
{
	const char *name = "/sigcr-roundtrip";
	mq_unlink(name);
	mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0600, nullptr);
	if (q == (mqd_t)-1)
		return last_error("mq_open");
	sigevent sev{};
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = kSigRt;
	sev.sigev_value.sival_int = 0x3e55;
	Status s = check(mq_notify(q, &sev), "mq_notify");
	if (s)
		s = check(mq_send(q, "m", 1, 0), "mq_send");
	mq_close(q);
	mq_unlink(name);
	return s ? wait_pending(kSigRt) : s;
}

// POSIX AIO completion: glibc's helper thread queues it as SI_ASYNCIO.
Status aio_signal()
{
	char path[] = "/tmp/sigcr-aio-XXXXXX";
	UniqueFd fd(mkstemp(path));
	if (fd.get() < 0)
		return last_error("mkstemp");
	unlink(path);
	static char byte = 'a';
	aiocb cb{};
	cb.aio_fildes = fd.get();
	cb.aio_buf = &byte;
	cb.aio_nbytes = 1;
	cb.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
	cb.aio_sigevent.sigev_signo = kSigRt;
	cb.aio_sigevent.sigev_value.sival_int = 0xa10;
	if (aio_write(&cb))
		return last_error("aio_write");
	Status s = wait_pending(kSigRt);
	const aiocb *list[] = {&cb};
	while (aio_error(&cb) == EINPROGRESS)
		aio_suspend(list, 1, nullptr);
	aio_return(&cb);
	return s;
}

struct Case {
	const char *name;
	int signo;
	int code;
	Queue queue;
	std::function<Status()> generate;
};

const Case kCases[] = {
	// SIL_KILL
	{"kill", SIGUSR1, SI_USER, Queue::Shared, [] { return check(kill(getpid(), SIGUSR1), "kill"); }},
	{"tgkill", SIGUSR2, SI_TKILL, Queue::Private,
	 [] { return check(tgkill(getpid(), sys_gettid(), SIGUSR2), "tgkill"); }},
	{"stop_signal", SIGTSTP, SI_USER, Queue::Shared, [] { return check(kill(getpid(), SIGTSTP), "kill"); }},
	// SIL_TIMER
	{"posix_timer", kSigRt, SI_TIMER, Queue::Shared, [] { return timer_signal(false); }},
	{"posix_timer_thread", kSigRt, SI_TIMER, Queue::Private, [] { return timer_signal(true); }},
	// SIL_POLL
	{"f_setsig_poll_in", kSigRt, POLL_IN, Queue::Shared, poll_signal},
	// SIL_CHLD
	{"child_exited", SIGCHLD, CLD_EXITED, Queue::Shared, [] { return child_event(CLD_EXITED); }},
	{"child_killed", SIGCHLD, CLD_KILLED, Queue::Shared, [] { return child_event(CLD_KILLED); }},
	{"child_stopped", SIGCHLD, CLD_STOPPED, Queue::Shared, [] { return child_event(CLD_STOPPED); }},
	{"child_continued", SIGCHLD, CLD_CONTINUED, Queue::Shared, [] { return child_event(CLD_CONTINUED); }},
	// SIL_RT
	{"sigqueue", kSigRt, SI_QUEUE, Queue::Shared,
	 [] { return check(sigqueue(getpid(), kSigRt, sigval{.sival_int = 7}), "sigqueue"); }},
	{"rt_tgsigqueueinfo", kSigRt, SI_QUEUE, Queue::Private, [] { return inject(queued_siginfo(kSigRt, 0x5eed)); }},
	{"mq_notify", kSigRt, SI_MESGQ, Queue::Shared, mqueue_signal},
	{"aio_write", kSigRt, SI_ASYNCIO, Queue::Shared, aio_signal},
	// SIL_FAULT (and SIL_FAULT_TRAPNO where __ARCH_SI_TRAPNO exists; not on x86-64 or arm64)
	{"fault_segv", SIGSEGV, SEGV_MAPERR, Queue::Private, [] { return inject(fault(SIGSEGV, SEGV_MAPERR, 0x1000)); }},
	{"fault_ill", SIGILL, ILL_ILLOPC, Queue::Private, [] { return inject(fault(SIGILL, ILL_ILLOPC, 0x2000)); }},
	{"fault_mceerr", SIGBUS, BUS_MCEERR_AR, Queue::Private,
	 [] {
		 siginfo_t info = fault(SIGBUS, BUS_MCEERR_AR, 0x3000);
		 info.si_addr_lsb = 12;
		 return inject(info);
	 }},
	{"fault_bnderr", SIGSEGV, SEGV_BNDERR, Queue::Private,
	 [] {
		 siginfo_t info = fault(SIGSEGV, SEGV_BNDERR, 0x4000);
		 info.si_lower = reinterpret_cast<void *>(0x1000);
		 info.si_upper = reinterpret_cast<void *>(0x2000);
		 return inject(info);
	 }},
	{"fault_pkuerr", SIGSEGV, SEGV_PKUERR, Queue::Private,
	 [] {
		 siginfo_t info = fault(SIGSEGV, SEGV_PKUERR, 0x5000);
		 info.si_pkey = 3;
		 return inject(info);
	 }},
	{"fault_perf_event", SIGTRAP, 6 /* TRAP_PERF */, Queue::Private,
	 [] {
		 siginfo_t info = fault(SIGTRAP, 6, 0x6000);
		 // si_perf_data, si_perf_type, si_perf_flags follow si_addr.
		 auto *p = reinterpret_cast<unsigned char *>(&info.si_addr) + sizeof(void *);
		 for (unsigned i = 0; i < sizeof(long) + 2 * sizeof(int); i++)
			 p[i] = static_cast<unsigned char>(0xa0 + i);
		 return inject(info);
	 }},
	// SIL_SYS
	{"seccomp_sigsys", SIGSYS, 1 /* SYS_SECCOMP */, Queue::Private,
	 [] {
		 siginfo_t info{};
		 info.si_signo = SIGSYS;
		 info.si_code = 1;
		 info.si_call_addr = reinterpret_cast<void *>(0x7000);
		 info.si_syscall = 39;
		 info.si_arch = 0xc000003e;
		 return inject(info);
	 }},
};

siginfo_t g_handled;
void record_handler(int, siginfo_t *info, void *) { g_handled = *info; }

// Unblock @sig in this thread with an SA_SIGINFO handler: what it saw is
// in @seen.
void deliver_to_handler(int sig, RawSiginfo &seen)
{
	struct sigaction sa{}, old{};
	sa.sa_sigaction = record_handler;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	std::memset(&g_handled, 0, sizeof(g_handled));
	ASSERT_SYSCALL(sigaction(sig, &sa, &old));
	{
		// Delivered when the mask is lifted, before make() returns.
		ASSERT_OK_AND_ASSIGN(ScopedSigmask unblocked, ScopedSigmask::make(SIG_UNBLOCK, make_sigset({sig})));
	}
	ASSERT_SYSCALL(sigaction(sig, &old, nullptr));
	std::memcpy(seen.bytes, &g_handled, sizeof(seen.bytes));
}

class RoundTrip : public SignalTestWithParam<Case> {
protected:
	void TearDown() override
	{
		for (pid_t pid : g_children) {
			kill(pid, SIGKILL);
			waitpid(pid, nullptr, 0);
		}
		g_children.clear();
		for (timer_t timer : g_timers)
			timer_delete(timer);
		g_timers.clear();
		SignalTestWithParam::TearDown();
	}
};

TEST_P(RoundTrip, BytesQueueAndPendingSetsSurvive)
{
	const Case &c = GetParam();
	const PendingSets empty = pending_sets();
	ASSERT_OK(c.generate());
	const PendingSets with_signal = pending_sets();

	// One record, or several of the same kind for an RT signal the kernel
	// queued more than once (a pipe write raises F_SETSIG twice).
	ProcessDump dump = dump_all();
	ASSERT_LE(1u, dump.signals.size());
	for (const PendingSignal &s : dump.signals) {
		EXPECT_EQ(c.signo, s.info.signo());
		EXPECT_EQ(c.code, s.info.info().si_code);
		EXPECT_EQ(c.queue, s.queue);
		EXPECT_EQ(c.queue == Queue::Private ? sys_gettid() : 0, s.tid);
	}
	const PendingSignal &s = dump.signals[0];
	const ProcessDump first{{s}};
	EXPECT_EQ(empty, pending_sets()) << "the dump left signals pending";
	EXPECT_NE(empty, with_signal);

	ASSERT_OK_AND_ASSIGN(ProcessDump parsed, parse(serialize(dump)));
	ASSERT_EQ(dump, parsed);

	ASSERT_OK(restore_all(parsed));
	EXPECT_EQ(with_signal, pending_sets());
	EXPECT_EQ(dump, dump_all()) << "a second dump after restore differs";

	// rt_sigtimedwait() and an SA_SIGINFO handler see the same bytes.
	ASSERT_OK(restore_all(first));
	siginfo_t waited;
	std::memset(&waited, 0x5a, sizeof(waited));
	ASSERT_SYSCALL_VALUE(sys_rt_sigtimedwait_now(make_sigset({c.signo}), waited), c.signo);
	EXPECT_EQ(0, std::memcmp(s.info.bytes, &waited, sizeof(waited)));
	ASSERT_OK(restore_all(first));
	RawSiginfo handled;
	ASSERT_NO_FATAL_FAILURE(deliver_to_handler(c.signo, handled));
	EXPECT_EQ(s.info, handled);
}

INSTANTIATE_TEST_SUITE_P(Layouts, RoundTrip, testing::ValuesIn(kCases),
			 [](const testing::TestParamInfo<Case> &info) { return std::string(info.param.name); });

using Order = SignalTest;

TEST_F(Order, RealtimeSignalsKeepTheirOrderInBothQueues)
{
	for (int v = 1; v <= 4; v++) {
		ASSERT_SYSCALL(sigqueue(getpid(), kSigRt + 1, sigval{.sival_int = v}));
		ASSERT_SYSCALL(sigqueue(getpid(), kSigRt, sigval{.sival_int = 10 + v}));
		ASSERT_OK(inject(queued_siginfo(kSigRt, 20 + v)));
	}
	ProcessDump dump = dump_all();
	ASSERT_EQ(12u, dump.signals.size());
	// Lowest signal first, then queue order; the shared queue, then private.
	EXPECT_EQ(11, dump.signals[0].info.info().si_int);
	EXPECT_EQ(kSigRt + 1, dump.signals[4].info.signo());
	EXPECT_EQ(1, dump.signals[4].info.info().si_int);
	EXPECT_EQ(Queue::Private, dump.signals[8].queue);
	EXPECT_EQ(21, dump.signals[8].info.info().si_int);
	ASSERT_OK(restore_all(dump));
	EXPECT_EQ(dump, dump_all());
}

TEST_F(Order, StandardSignalsStillCoalesceAndRealtimeStillQueue)
{
	ASSERT_SYSCALL(kill(getpid(), SIGUSR1));
	ASSERT_SYSCALL(kill(getpid(), SIGUSR1));
	ASSERT_SYSCALL(sigqueue(getpid(), kSigRt, sigval{.sival_int = 1}));
	ASSERT_SYSCALL(sigqueue(getpid(), kSigRt, sigval{.sival_int = 2}));
	ProcessDump dump = dump_all();
	ASSERT_EQ(3u, dump.signals.size());
	ASSERT_OK(restore_all(dump));
	ASSERT_OK(restore_all(dump));  // twice: SIGUSR1 coalesces, RT signals queue
	ProcessDump twice = dump_all();
	EXPECT_EQ(5u, twice.signals.size());
}

// Many records, of every RT signal number in turn, in both queues:
// restored one call each in dump order, the second dump equals the first.
TEST_F(Order, ManyRecordsOfEveryRealtimeNumberRestoreInOrder)
{
	const int numbers = SIGRTMAX - SIGRTMIN + 1;
	for (int v = 0; v < 300; v++) {
		const int sig = SIGRTMIN + v % numbers;
		if (v % 2)
			ASSERT_SYSCALL(sigqueue(getpid(), sig, sigval{.sival_int = v}));
		else
			ASSERT_OK(inject(queued_siginfo(sig, v)));
	}
	ProcessDump dump = dump_all();
	ASSERT_EQ(300u, dump.signals.size());
	ASSERT_OK(restore_all(dump));
	EXPECT_EQ(dump, dump_all());
}

// Restores RLIMIT_SIGPENDING's soft limit when it goes.
class ScopedSigpendingLimit {
public:
	explicit ScopedSigpendingLimit(rlim_t soft)
	{
		ok_ = getrlimit(RLIMIT_SIGPENDING, &old_) == 0;
		rlimit lim = old_;
		lim.rlim_cur = soft;
		ok_ = ok_ && setrlimit(RLIMIT_SIGPENDING, &lim) == 0;
	}
	ScopedSigpendingLimit(const ScopedSigpendingLimit &) = delete;
	ScopedSigpendingLimit &operator=(const ScopedSigpendingLimit &) = delete;
	~ScopedSigpendingLimit() { setrlimit(RLIMIT_SIGPENDING, &old_); }
	bool ok() const { return ok_; }

private:
	rlimit old_{};
	bool ok_;
};

// A restore that runs into RLIMIT_SIGPENDING fails with EAGAIN, names the
// real-time record refused, and has queued the ones before it in order.
TEST_F(Order, RestoreOverRlimitSigpendingSaysHowFarItGot)
{
	for (int v = 0; v < 10; v++)
		ASSERT_SYSCALL(sigqueue(getpid(), kSigRt, sigval{.sival_int = v}));
	ProcessDump dump = dump_all();
	ASSERT_EQ(10u, dump.signals.size());
	const long queued = support::user_sigq();
	ASSERT_LE(0, queued);
	Status restored = Ok{};
	{
		ScopedSigpendingLimit limit(rlim_t(queued) + 4);
		ASSERT_TRUE(limit.ok()) << std::strerror(errno);
		restored = restore_shared(dump);
	}
	ASSERT_FALSE(restored.ok());
	EXPECT_EQ(EAGAIN, restored.error().err);
	const std::string refused = "record 4 of 10 from the shared queue (signal " + std::to_string(kSigRt);
	EXPECT_NE(std::string::npos, restored.error().context.find(refused)) << restored.error().message();
	ProcessDump partial = dump_all();
	ASSERT_EQ(4u, partial.signals.size());
	for (int v = 0; v < 4; v++)
		EXPECT_EQ(dump.signals[std::size_t(v)], partial.signals[std::size_t(v)]);
}

}  // namespace
}  // namespace sigcr::test
