// SPDX-License-Identifier: GPL-2.0
#include "sigcr/sigcr.h"
#include "syscalls.h"

#include <cstring>
#include <string>

#include <linux/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sigcr {
namespace {

constexpr std::size_t kKernelSigsetSize = _NSIG / 8;

Status dump_queue(const sigset_t &mask, int queue_flag, Queue queue, ProcessDump &dump)
{
	auto fd = open_raw_signalfd(mask, queue_flag);
	if (!fd)
		return fd.error();
	auto records = read_all(fd.value().get());
	if (!records)
		return records.error();
	const pid_t tid = queue == Queue::Private ? sys_gettid() : 0;
	for (const RawSiginfo &r : records.value())
		dump.signals.push_back({queue, tid, r});
	return Ok{};
}

// The records of @dump that @mine selects, in dump order.
template <class Pred>
std::vector<RawSiginfo> records_of(const ProcessDump &dump, Pred mine)
{
	std::vector<RawSiginfo> records;
	for (const PendingSignal &s : dump.signals)
		if (mine(s))
			records.push_back(s.info);
	return records;
}

// Queue @records with @send, one syscall (@call) each, in order: the
// order a dump dequeued them in is the order that queues them back. An
// error names the record, by its index among those dumped from @queue;
// the ones before it are queued.
template <class Send>
Status send_each(const std::vector<RawSiginfo> &records, const char *call, const std::string &queue, Send send)
{
	for (std::size_t i = 0; i < records.size(); i++) {
		const siginfo_t &info = records[i].info();
		if (send(info))
			return last_error(std::string(call) + " of record " + std::to_string(i) + " of " +
					  std::to_string(records.size()) + " from " + queue + " (signal " +
					  std::to_string(info.si_signo) + "; the ones before it are queued)");
	}
	return Ok{};
}

}  // namespace

const int kSfdRaw = SFD_RAW;
const int kSfdPrivate = SFD_PRIVATE;
const int kSfdGroup = SFD_GROUP;
const int kSfdNonblock = SFD_NONBLOCK;

int sys_signalfd4(int ufd, const sigset_t &mask, int flags)
{
	return static_cast<int>(syscall(__NR_signalfd4, ufd, &mask, kKernelSigsetSize, flags));
}

int sys_rt_sigqueueinfo(pid_t tgid, int sig, const siginfo_t &info)
{
	return static_cast<int>(syscall(__NR_rt_sigqueueinfo, tgid, sig, &info));
}

int sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, const siginfo_t &info)
{
	return static_cast<int>(syscall(__NR_rt_tgsigqueueinfo, tgid, tid, sig, &info));
}

pid_t sys_gettid() { return static_cast<pid_t>(syscall(__NR_gettid)); }

bool kernel_supports_raw_signalfd()
{
	sigset_t none;
	sigemptyset(&none);
	UniqueFd private_fd(sys_signalfd4(-1, none, SFD_RAW | SFD_PRIVATE | SFD_CLOEXEC));
	UniqueFd group_fd(sys_signalfd4(-1, none, SFD_RAW | SFD_GROUP | SFD_CLOEXEC));
	return private_fd.get() >= 0 && group_fd.get() >= 0;
}

Result<UniqueFd> open_raw_signalfd(const sigset_t &mask, int flags)
{
	int fd = sys_signalfd4(-1, mask, SFD_RAW | SFD_NONBLOCK | SFD_CLOEXEC | flags);
	if (fd < 0)
		return last_error("signalfd4(SFD_RAW | " + std::to_string(flags) + ")");
	return UniqueFd(fd);
}

Result<std::vector<RawSiginfo>> read_all(int fd, std::size_t batch)
{
	std::vector<RawSiginfo> out;
	std::vector<RawSiginfo> buf(batch);
	for (;;) {
		ssize_t n = ::read(fd, buf.data(), buf.size() * sizeof(RawSiginfo));
		if (n < 0) {
			if (errno == EAGAIN)
				return out;
			return last_error("read(signalfd)");
		}
		if (n % sizeof(RawSiginfo))
			return Error{EPROTO, "read(signalfd) returned " + std::to_string(n) + " bytes, not whole records"};
		out.insert(out.end(), buf.begin(), buf.begin() + n / sizeof(RawSiginfo));
	}
}

Status dump_shared(const sigset_t &mask, ProcessDump &dump)
{
	return dump_queue(mask, SFD_GROUP, Queue::Shared, dump);
}

Status dump_thread(const sigset_t &mask, ProcessDump &dump)
{
	return dump_queue(mask, SFD_PRIVATE, Queue::Private, dump);
}

Status restore_shared(const ProcessDump &dump)
{
	const pid_t tgid = getpid();
	auto mine = [](const PendingSignal &s) { return s.queue == Queue::Shared; };
	auto send = [tgid](const siginfo_t &info) { return sys_rt_sigqueueinfo(tgid, info.si_signo, info); };
	return send_each(records_of(dump, mine), "rt_sigqueueinfo()", "the shared queue", send);
}

Status restore_thread(const ProcessDump &dump, pid_t dumped_tid)
{
	const pid_t tgid = getpid(), tid = sys_gettid();
	auto mine = [dumped_tid](const PendingSignal &s) { return s.queue == Queue::Private && s.tid == dumped_tid; };
	auto send = [tgid, tid](const siginfo_t &info) { return sys_rt_tgsigqueueinfo(tgid, tid, info.si_signo, info); };
	return send_each(records_of(dump, mine), "rt_tgsigqueueinfo()",
			 "the private queue of tid " + std::to_string(dumped_tid), send);
}

}  // namespace sigcr
