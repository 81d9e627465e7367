// SPDX-License-Identifier: GPL-2.0
// Pending signals through a real checkpoint/restore tool, CRIU, and
// through the sigcr library, on one kernel (the virtme-ng guest, where
// Debian's criu runs on the host's userland).
//
// A scenario process queues signals in both queues (RT signals with
// si_value, a reserved si_code a non-leader thread sent to its own
// process, a SIGCHLD, signals in each thread's private queue) and holds
// two signalfds: a classic one and an SFD_RAW|SFD_GROUP one. Its pending
// signals are read from outside with PTRACE_PEEKSIGINFO, as CRIU reads
// them; then either "criu dump" and "criu restore" (images in a tmpfs), or
// the process itself with sigcr (dump through SFD_RAW, image, restore).
// Afterwards the process reads the classic signalfd once and dumps the
// rest through SFD_RAW: every record must equal, byte for byte and in
// order per queue, what was pending before, and both fds must come back
// with their modes (signalfd-flags and signalfd-layout in fdinfo). The
// CRIU is the one ci/guest/criu.sh builds, with patches/criu/, which
// keeps a signalfd's mode; a CRIU without them restores the SFD_RAW fd as
// a classic signalfd, and this suite fails there.
//
//   sigcr_criu [--criu PATH]     KTAP; exit 0, 1 on a failure, 4 to skip
//                                PATH: $CRIU, or /usr/sbin/criu
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sigcr/sigcr.h"
#include "support.h"
#include "tool.h"

namespace {

using sigcr::PendingSignal;
using sigcr::ProcessDump;
using sigcr::Queue;
using sigcr::RawSiginfo;

constexpr int kForgedPid = 4242, kForgedUid = 4343;
// The signal the classic signalfd reads, and the one the SFD_RAW fd reads.
const int kClassicSig = SIGRTMIN + 4, kRawFdSig = SIGRTMIN + 1;

sigset_t test_signals()
{
	return sigcr::make_sigset({SIGUSR1, SIGUSR2, SIGCHLD, SIGRTMIN + 1, SIGRTMIN + 2, SIGRTMIN + 3,
				   SIGRTMIN + 4});
}

// SI_QUEUE as sigqueue() sends it; another code with a forged sender.
siginfo_t queued_info(int sig, int code, int value)
{
	siginfo_t info = sigcr::support::queued_siginfo(sig, value, code);
	if (code != SI_QUEUE) {
		info.si_pid = kForgedPid;
		info.si_uid = kForgedUid;
	}
	return info;
}

// Files in the work directory are how the orchestrator and the scenario
// (which CRIU kills and brings back) talk: nothing that spans a dump.
bool exists(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0;
}

bool wait_for(const std::string &path, int seconds = 120)
{
	for (int i = 0; i < seconds * 100; i++) {
		if (exists(path))
			return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	return false;
}

void write_file(const std::string &path, const std::string &data)
{
	std::string tmp = path + ".tmp";
	std::ofstream(tmp, std::ios::binary) << data;
	rename(tmp.c_str(), path.c_str());
}

std::string read_file(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::stringstream s;
	s << f.rdbuf();
	return s.str();
}

// ---- the scenario process ----

// The second thread: queues into its own private queue and, as a thread
// that is not the leader, a reserved si_code to its process; later dumps
// (and, for sigcr, restores) its own private queue when told.
struct Scenario {
	std::string dir;
	bool self_cr;  // sigcr does the C/R, not CRIU
	std::atomic<int> op{0};    // what the thread is to do next
	std::atomic<int> asked{0}; // requests made, and done by the thread
	std::atomic<int> done{0};
	pid_t thread_tid = 0;
	ProcessDump thread_dump;
	std::string error;

	void fail(const std::string &what)
	{
		if (error.empty())
			error = what;
	}

	// Runs step @n in the second thread and waits for it.
	void in_thread(int n)
	{
		op = n;
		int want = ++asked;
		while (done != want)
			std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}

	void thread_main()
	{
		thread_tid = sigcr::sys_gettid();
		for (int seen = 0;;) {
			if (asked == seen) {
				std::this_thread::sleep_for(std::chrono::milliseconds(1));
				continue;
			}
			seen = asked;
			int n = op;
			if (n == 1) {
				siginfo_t own = queued_info(SIGRTMIN + 2, SI_QUEUE, 301);
				siginfo_t reserved = queued_info(SIGUSR1, SI_USER, 302);
				if (sigcr::sys_rt_tgsigqueueinfo(getpid(), thread_tid, own.si_signo, own))
					fail("rt_tgsigqueueinfo() to itself from the thread");
				if (sigcr::sys_rt_sigqueueinfo(getpid(), reserved.si_signo, reserved))
					fail("rt_sigqueueinfo(getpid(), SI_USER) from the thread");
			} else if (n == 2) {
				thread_dump = {};
				if (!sigcr::dump_thread(test_signals(), thread_dump).ok())
					fail("dump_thread() in the thread");
			} else if (n == 3) {
				if (!sigcr::restore_thread(*restore_from, thread_dump_tid).ok())
					fail("restore_thread() in the thread");
				// The shared queue too, from this thread: not the leader.
				if (!sigcr::restore_shared(*restore_from).ok())
					fail("restore_shared() from the thread");
			}
			done = seen;
			if (n == 4)
				return;
		}
	}

	const ProcessDump *restore_from = nullptr;
	pid_t thread_dump_tid = 0;

	// Every pending signal, through SFD_RAW, in both threads.
	ProcessDump dump_all()
	{
		ProcessDump dump;
		if (!sigcr::dump_shared(test_signals(), dump).ok())
			fail("dump_shared()");
		if (!sigcr::dump_thread(test_signals(), dump).ok())
			fail("dump_thread() in the leader");
		in_thread(2);
		dump.signals.insert(dump.signals.end(), thread_dump.signals.begin(), thread_dump.signals.end());
		return dump;
	}

	int run()
	{
		sigset_t sigs = test_signals();
		if (sigprocmask(SIG_BLOCK, &sigs, nullptr))
			return 1;
		std::thread thread([this] { thread_main(); });
		in_thread(1);

		for (int value : {101, 102}) {
			siginfo_t info = queued_info(SIGRTMIN + 1, SI_QUEUE, value);
			if (sigcr::sys_rt_sigqueueinfo(getpid(), info.si_signo, info))
				fail("rt_sigqueueinfo(SIGRTMIN+1)");
		}
		siginfo_t rt3 = queued_info(SIGRTMIN + 3, SI_QUEUE, 103);
		siginfo_t classic = queued_info(kClassicSig, SI_QUEUE, 401);
		siginfo_t own = queued_info(SIGRTMIN + 2, SI_QUEUE, 201);
		if (sigcr::sys_rt_sigqueueinfo(getpid(), rt3.si_signo, rt3) ||
		    sigcr::sys_rt_sigqueueinfo(getpid(), classic.si_signo, classic) ||
		    sigcr::sys_rt_tgsigqueueinfo(getpid(), sigcr::sys_gettid(), own.si_signo, own) ||
		    syscall(SYS_tgkill, getpid(), sigcr::sys_gettid(), SIGUSR2))
			fail("queueing the leader's signals");
		pid_t child = fork();
		if (child == 0)
			_exit(7);
		if (child < 0 || waitpid(child, nullptr, 0) != child)
			fail("fork() and reap a child (SIGCHLD)");

		int classic_fd = sigcr::sys_signalfd4(-1, sigcr::make_sigset({kClassicSig}), sigcr::kSfdNonblock);
		int raw_fd = sigcr::sys_signalfd4(-1, sigcr::make_sigset({kRawFdSig}),
						  sigcr::kSfdRaw | sigcr::kSfdGroup | sigcr::kSfdNonblock);
		if (classic_fd < 0 || raw_fd < 0)
			fail("signalfd4()");
		write_file(dir + "/fds", std::to_string(classic_fd) + " " + std::to_string(raw_fd) + " " +
						 std::to_string(thread_tid));
		write_file(dir + "/ready", error);

		if (self_cr) {
			if (!wait_for(dir + "/go-dump"))
				return 1;
			ProcessDump dumped = dump_all();
			auto image = sigcr::serialize(dumped);
			auto parsed = sigcr::parse(image);
			if (!parsed.ok()) {
				fail("parse() of the image");
			} else {
				// The leader's private queue, then the thread's and the
				// shared queue from the thread.
				if (!sigcr::restore_thread(parsed.value(), getpid()).ok())
					fail("restore_thread() in the leader");
				restore_from = &parsed.value();
				thread_dump_tid = thread_tid;
				in_thread(3);
			}
			write_file(dir + "/restored", error);
		}

		if (!wait_for(dir + "/go-verify"))
			return 1;
		signalfd_siginfo ssi{};
		if (read(classic_fd, &ssi, sizeof(ssi)) != sizeof(ssi))
			fail("read() of the classic signalfd");
		write_file(dir + "/classic", std::string(reinterpret_cast<char *>(&ssi), sizeof(ssi)));
		auto after = sigcr::serialize(dump_all());
		write_file(dir + "/after", std::string(after.begin(), after.end()));
		in_thread(4);
		thread.join();
		write_file(dir + "/verified", error);
		return error.empty() ? 0 : 1;
	}
};

// ---- the orchestrator ----

std::vector<pid_t> threads_of(pid_t pid)
{
	std::vector<pid_t> tids;
	std::string path = "/proc/" + std::to_string(pid) + "/task";
	if (DIR *d = opendir(path.c_str())) {
		while (dirent *e = readdir(d))
			if (e->d_name[0] != '.')
				tids.push_back(std::atoi(e->d_name));
		closedir(d);
	}
	std::sort(tids.begin(), tids.end());
	return tids;
}

// What CRIU reads: every queue of @pid through PTRACE_PEEKSIGINFO, the
// shared queue first, then each thread's, the leader's first.
sigcr::Result<ProcessDump> peek(pid_t pid)
{
	std::vector<pid_t> tids = threads_of(pid);
	std::vector<pid_t> seized;
	ProcessDump dump;
	auto detach = [&] {
		for (pid_t t : seized)
			ptrace(PTRACE_DETACH, t, nullptr, nullptr);
	};
	for (pid_t t : tids) {
		int status;
		if (ptrace(PTRACE_SEIZE, t, nullptr, nullptr) != 0) {
			detach();
			return sigcr::last_error("PTRACE_SEIZE " + std::to_string(t));
		}
		seized.push_back(t);
		if (ptrace(PTRACE_INTERRUPT, t, nullptr, nullptr) != 0 || waitpid(t, &status, __WALL) != t) {
			detach();
			return sigcr::last_error("PTRACE_INTERRUPT " + std::to_string(t));
		}
	}
	auto read_queue = [&](pid_t t, bool shared) -> bool {
		for (unsigned off = 0;; off++) {
			__ptrace_peeksiginfo_args args{off, shared ? unsigned(PTRACE_PEEKSIGINFO_SHARED) : 0u, 1};
			PendingSignal s{shared ? Queue::Shared : Queue::Private, shared ? 0 : t, {}};
			long n = ptrace(PTRACE_PEEKSIGINFO, t, &args, s.info.bytes);
			if (n < 0)
				return false;
			if (n == 0)
				return true;
			dump.signals.push_back(s);
		}
	};
	bool ok = read_queue(pid, true);
	for (pid_t t : tids)
		ok = ok && read_queue(t, false);
	auto err = sigcr::last_error("PTRACE_PEEKSIGINFO");
	detach();
	if (!ok)
		return err;
	return dump;
}

std::string fdinfo_line(pid_t pid, int fd, const std::string &key)
{
	std::ifstream f("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd));
	for (std::string line; std::getline(f, line);)
		if (line.rfind(key + ":", 0) == 0)
			return line.substr(line.find_first_not_of(" \t", key.size() + 1));
	return "(none)";
}

std::string describe(const PendingSignal &s)
{
	const siginfo_t &i = s.info.info();
	char buf[160];
	std::snprintf(buf, sizeof(buf), "%s%s signo %d code %d pid %d value %d",
		      s.queue == Queue::Shared ? "shared" : "private of ",
		      s.queue == Queue::Shared ? "" : std::to_string(s.tid).c_str(), i.si_signo, i.si_code,
		      i.si_pid, i.si_value.sival_int);
	return buf;
}

// Compares two views of the queues, record by record; the notes say where
// they differ.
bool same_queues(const ProcessDump &want, const ProcessDump &got)
{
	if (want == got)
		return true;
	sigcr::ktap::note("want %zu records, got %zu", want.signals.size(), got.signals.size());
	for (std::size_t i = 0; i < std::max(want.signals.size(), got.signals.size()); i++) {
		std::string w = i < want.signals.size() ? describe(want.signals[i]) : "-";
		std::string g = i < got.signals.size() ? describe(got.signals[i]) : "-";
		bool same = i < want.signals.size() && i < got.signals.size() && want.signals[i] == got.signals[i];
		sigcr::ktap::note("%s %zu: want %s, got %s", same ? " " : "!", i, w.c_str(), g.c_str());
	}
	return false;
}

// A queue is a list in arrival order (what PTRACE_PEEKSIGINFO shows and
// CRIU restores); a reader dequeues it by signal number, the oldest
// instance of the lowest pending number first (the scenario sends no
// synchronous signal, which would come first), and that is the order
// SFD_RAW returns and sigcr restores. Across different numbers the
// arrival order is seen by no reader: by ptrace only.
// @d in dequeue order: the shared queue, then each thread's private one,
// the leader's first, each by signal number, same numbers in arrival order.
ProcessDump in_dequeue_order(ProcessDump d, pid_t leader)
{
	std::stable_sort(d.signals.begin(), d.signals.end(), [&](const PendingSignal &a, const PendingSignal &b) {
		auto key = [&](const PendingSignal &s) {
			long queue = s.queue == Queue::Shared ? 0L : (s.tid == leader ? 1L : 1L + s.tid);
			return std::pair(queue, s.info.signo());
		};
		return key(a) < key(b);
	});
	return d;
}

int run_command(const std::vector<std::string> &argv, const std::string &log)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		std::vector<char *> args;
		for (const auto &a : argv)
			args.push_back(const_cast<char *>(a.c_str()));
		args.push_back(nullptr);
		execv(args[0], args.data());
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void show_log(const std::string &path)
{
	std::ifstream f(path);
	std::vector<std::string> lines;
	for (std::string line; std::getline(f, line);)
		lines.push_back(line);
	for (std::size_t i = lines.size() > 15 ? lines.size() - 15 : 0; i < lines.size(); i++)
		sigcr::ktap::note("%s", lines[i].c_str());
}

// Starts the scenario in a new session, its stdio on files CRIU can
// restore, and waits until it has queued everything.
pid_t start_scenario(const std::string &dir, bool self_cr)
{
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		int in = open("/dev/null", O_RDONLY);
		int out = open((dir + "/scenario.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		Scenario s;
		s.dir = dir;
		s.self_cr = self_cr;
		_exit(s.run());
	}
	if (pid < 0 || !wait_for(dir + "/ready", 60))
		return -1;
	return pid;
}

struct Paths {
	std::string criu;
	std::string dir;
};

// One C/R path, criu or sigcr, with its checks.
void cr_path(sigcr::ktap::Report &r, const Paths &p, bool self_cr)
{
	const char *name = self_cr ? "sigcr" : "criu";
	std::string dir = p.dir + "/" + name;
	mkdir(dir.c_str(), 0755);
	pid_t pid = start_scenario(dir, self_cr);
	std::string ready = read_file(dir + "/ready");
	r.check(pid > 0 && ready.empty(), std::string(name) + ": the scenario queued its signals",
		pid > 0 ? ready : "it did not start");
	if (pid <= 0 || !ready.empty())
		return;
	int classic_fd = 0, raw_fd = 0;
	pid_t thread = 0;
	std::istringstream(read_file(dir + "/fds")) >> classic_fd >> raw_fd >> thread;
	auto before = peek(pid);
	r.check(before.ok() && before.value().signals.size() == 9,
		std::string(name) + ": PTRACE_PEEKSIGINFO sees the 9 pending signals",
		before.ok() ? std::to_string(before.value().signals.size()) + " pending"
			    : before.error().message());
	if (!before.ok())
		return;
	std::string raw_flags = fdinfo_line(pid, raw_fd, "signalfd-flags");
	std::string raw_layout = fdinfo_line(pid, raw_fd, "signalfd-layout");
	std::string raw_mask = fdinfo_line(pid, raw_fd, "sigmask");
	std::string classic_flags = fdinfo_line(pid, classic_fd, "signalfd-flags");
	std::string classic_mask = fdinfo_line(pid, classic_fd, "sigmask");

	if (self_cr) {
		write_file(dir + "/go-dump", "");
		bool restored = wait_for(dir + "/restored", 60);
		std::string err = read_file(dir + "/restored");
		r.check(restored && err.empty(), "sigcr: dump through SFD_RAW, image, restore in each thread",
			restored ? err : "no answer");
	} else {
		std::string img = dir + "/images";
		mkdir(img.c_str(), 0755);
		int rc = run_command({p.criu, "dump", "-t", std::to_string(pid), "-D", img, "-v4", "-o", "dump.log"},
				     dir + "/dump.out");
		waitpid(pid, nullptr, 0);
		if (rc)
			show_log(img + "/dump.log");
		r.check(rc == 0, "criu: dump", "criu dump exited " + std::to_string(rc));
		if (rc)
			return;
		rc = run_command({p.criu, "restore", "-d", "-D", img, "-v4", "-o", "restore.log"}, dir + "/restore.out");
		if (rc)
			show_log(img + "/restore.log");
		r.check(rc == 0 && kill(pid, 0) == 0, "criu: restore", "criu restore exited " + std::to_string(rc));
		if (rc)
			return;
	}

	// CRIU restores each list as it was; sigcr, which dumps by reading,
	// in dequeue order.
	auto again = peek(pid);
	r.check(again.ok() && (self_cr ? same_queues(in_dequeue_order(before.value(), pid),
						     in_dequeue_order(again.value(), pid))
				       : same_queues(before.value(), again.value())),
		std::string(name) + (self_cr ? ": PTRACE_PEEKSIGINFO after the restore sees the same records, "
					       "in the same dequeue order"
					     : ": PTRACE_PEEKSIGINFO after the restore sees the same lists"),
		again.ok() ? "the queues differ" : again.error().message());

	std::string raw_flags_after = fdinfo_line(pid, raw_fd, "signalfd-flags");
	std::string classic_flags_after = fdinfo_line(pid, classic_fd, "signalfd-flags");
	r.check(classic_flags_after == classic_flags && fdinfo_line(pid, classic_fd, "sigmask") == classic_mask &&
			fdinfo_line(pid, raw_fd, "sigmask") == raw_mask,
		std::string(name) + ": both signalfds keep their masks, the classic one its flags",
		"classic flags " + classic_flags + " -> " + classic_flags_after);
	// Both C/R paths keep the mode: sigcr does not touch the fds, and
	// CRIU with patches/criu/ recreates them from their fdinfo.
	char mode[32];
	std::snprintf(mode, sizeof(mode), "0x%x", sigcr::kSfdRaw | sigcr::kSfdGroup);
	std::string raw_layout_after = fdinfo_line(pid, raw_fd, "signalfd-layout");
	r.check(raw_flags == mode && raw_flags_after == raw_flags && raw_layout == "native" &&
			raw_layout_after == raw_layout,
		std::string(name) + ": the SFD_RAW|SFD_GROUP fd keeps its mode and layout",
		"signalfd-flags " + raw_flags + " -> " + raw_flags_after + ", signalfd-layout " + raw_layout +
			" -> " + raw_layout_after);

	write_file(dir + "/go-verify", "");
	int status = 0;
	bool exited = waitpid(pid, &status, 0) == pid;  // ours as the subreaper
	std::string err = read_file(dir + "/verified");
	r.check(exited && WIFEXITED(status) && WEXITSTATUS(status) == 0 && err.empty(),
		std::string(name) + ": the restored process reads its signals back and exits", err);

	// The classic read took the first kClassicSig record of the shared
	// queue; SFD_RAW returns the rest.
	ProcessDump want = in_dequeue_order(before.value(), pid);
	RawSiginfo taken{};
	auto it = std::find_if(want.signals.begin(), want.signals.end(), [](const PendingSignal &s) {
		return s.queue == Queue::Shared && s.info.signo() == kClassicSig;
	});
	if (it != want.signals.end()) {
		taken = it->info;
		want.signals.erase(it);
	}
	std::string image = read_file(dir + "/after");
	auto after = sigcr::parse(std::span(reinterpret_cast<const std::uint8_t *>(image.data()), image.size()));
	r.check(after.ok() && same_queues(want, after.value()),
		std::string(name) + ": SFD_RAW reads every other signal as before, byte for byte, queue by queue",
		after.ok() ? "the records differ" : after.error().message());

	std::string c = read_file(dir + "/classic");
	signalfd_siginfo ssi{};
	if (c.size() == sizeof(ssi))
		std::memcpy(&ssi, c.data(), sizeof(ssi));
	const siginfo_t &ti = taken.info();
	r.check(ssi.ssi_signo == static_cast<unsigned>(kClassicSig) && ti.si_signo == kClassicSig &&
			ssi.ssi_code == ti.si_code && ssi.ssi_pid == static_cast<unsigned>(ti.si_pid) &&
			ssi.ssi_uid == ti.si_uid && ssi.ssi_int == ti.si_value.sival_int,
		std::string(name) + ": the classic signalfd reads its signal as before",
		"signo " + std::to_string(ssi.ssi_signo) + " code " + std::to_string(ssi.ssi_code) + " int " +
			std::to_string(ssi.ssi_int));
}

}  // namespace

int main(int argc, char **argv)
{
	const char *env = std::getenv("CRIU");
	Paths p{env && *env ? env : "/usr/sbin/criu", ""};
	for (int i = 1; i < argc; i++) {
		if (std::string(argv[i]) == "--criu" && i + 1 < argc) {
			p.criu = argv[++i];
		} else {
			std::fprintf(stderr, "usage: %s [--criu PATH]\n", argv[0]);
			return 2;
		}
	}
	if (!sigcr::kernel_supports_raw_signalfd())
		sigcr::ktap::Report::skip_all("signalfd4() refuses SFD_RAW: this kernel does not have it");
	if (geteuid() != 0)
		sigcr::ktap::Report::skip_all("criu dump and restore need root");
	if (access(p.criu.c_str(), X_OK) != 0)
		sigcr::ktap::Report::skip_all(p.criu + " is missing (ci/guest/criu.sh builds one; --criu or $CRIU names it)");

	sigcr::ktap::Report r(22);
	char tmpl[] = "/tmp/sigcr-criu.XXXXXX";
	p.dir = mkdtemp(tmpl) ? tmpl : "";
	// The images in a tmpfs of their own; adopt what criu restores.
	bool tmpfs = !p.dir.empty() && mount("sigcr-criu", p.dir.c_str(), "tmpfs", 0, nullptr) == 0;
	bool subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
	r.check(tmpfs && subreaper, "a tmpfs for the images", sigcr::last_error("mount or prctl").message());
	std::string log = p.dir + "/check.log";
	int rc = run_command({p.criu, "check"}, log);
	if (rc)
		show_log(log);
	r.check(rc == 0, "criu check", "exited " + std::to_string(rc));
	rc = run_command({p.criu, "check", "--feature", "signalfd_raw"}, log);
	if (rc)
		show_log(log);
	r.check(rc == 0, "criu check --feature signalfd_raw", "exited " + std::to_string(rc));
	cr_path(r, p, false);
	cr_path(r, p, true);
	umount(p.dir.c_str());
	rmdir(p.dir.c_str());
	return r.exit_status();
}
