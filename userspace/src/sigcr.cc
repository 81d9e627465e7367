// SPDX-License-Identifier: GPL-2.0
#include "sigcr/sigcr.h"
#include "syscalls.h"

#include <algorithm>
#include <cstring>
#include <string>

#include <linux/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sigcr {
namespace {

constexpr std::size_t kKernelSigsetSize = _NSIG / 8;
constexpr std::size_t kWriteBatch = 64;

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

// Queue @records into the calling thread's private queue (SFD_PRIVATE) or
// its process's shared queue (SFD_GROUP), in order: write(2) of the records
// to an SFD_RAW fd of that queue, kWriteBatch per write (the kernel takes
// at most 64 per write and checks them all before queueing any).
Status write_all(const std::vector<RawSiginfo> &records, int queue_flag)
{
	if (records.empty())
		return Ok{};
	sigset_t mask;
	sigemptyset(&mask);
	for (const RawSiginfo &r : records)
		if (sigaddset(&mask, r.signo()))
			return Error{EINVAL, "a dumped record has signal number " + std::to_string(r.signo())};
	auto fd = open_raw_signalfd(mask, queue_flag);
	if (!fd)
		return fd.error();
	std::size_t done = 0;
	while (done < records.size()) {
		const std::size_t n = std::min(records.size() - done, kWriteBatch);
		const ssize_t w = ::write(fd.value().get(), &records[done], n * sizeof(RawSiginfo));
		auto what = [&] {
			return "write(signalfd) of records " + std::to_string(done) + ".." +
			       std::to_string(done + n - 1) + " of " + std::to_string(records.size()) +
			       " (the ones before are queued)";
		};
		if (w < 0) {
			const int err = errno;
			return Error{err, what()};
		}
		if (w == 0 || w % sizeof(RawSiginfo))
			return Error{EPROTO, what() + " returned " + std::to_string(w) + " bytes"};
		done += std::size_t(w) / sizeof(RawSiginfo);
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
	std::vector<RawSiginfo> records;
	for (const PendingSignal &s : dump.signals)
		if (s.queue == Queue::Shared)
			records.push_back(s.info);
	return write_all(records, SFD_GROUP);
}

Status restore_thread(const ProcessDump &dump, pid_t dumped_tid)
{
	std::vector<RawSiginfo> records;
	for (const PendingSignal &s : dump.signals)
		if (s.queue == Queue::Private && s.tid == dumped_tid)
			records.push_back(s.info);
	if (Status st = write_all(records, SFD_PRIVATE); !st.ok())
		return Error{st.error().err, st.error().context + ", dumped from tid " + std::to_string(dumped_tid)};
	return Ok{};
}

}  // namespace sigcr
