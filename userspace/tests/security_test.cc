// SPDX-License-Identifier: GPL-2.0
// Reserved si_codes (>= 0, SI_TKILL) reach the own process from any thread
// and a thread's own queue, are EPERM into a sibling thread's queue, and
// towards any other process through all three calls.
#include <thread>

#include <sys/wait.h>

#include "testing.h"

namespace sigcr::test {
namespace {

const int kSig = SIGRTMIN + 8;
const int kReserved[] = {SI_USER, SI_KERNEL, SI_TKILL};

enum class Call { RtSigqueueinfo, RtTgsigqueueinfo, PidfdSendSignal };

// To process @pid; rt_tgsigqueueinfo() to its thread @tid (its leader if 0).
int send(Call call, pid_t pid, int code, pid_t tid = 0)
{
	siginfo_t info = queued_siginfo(kSig, 0, code);
	info.si_pid = 4242;
	switch (call) {
	case Call::RtSigqueueinfo:
		return sys_rt_sigqueueinfo(pid, kSig, info);
	case Call::RtTgsigqueueinfo:
		return sys_rt_tgsigqueueinfo(pid, tid ? tid : pid, kSig, info);
	case Call::PidfdSendSignal: {
		UniqueFd pidfd(sys_pidfd_open(pid, 0));
		if (pidfd.get() < 0)
			return -1;
		return sys_pidfd_send_signal(pidfd.get(), kSig, info, 0);
	}
	}
	return -1;
}

// The refusals hold on any kernel; what the series allows needs it.
class Security : public SignalTestWithParam<Call> {
protected:
	Security() : SignalTestWithParam(Needs::AnyKernel) {}
};

TEST_P(Security, ReservedCodesToAChildAreEperm)
{
	pid_t child = fork();
	ASSERT_SYSCALL(child);
	if (child == 0) {
		pause();
		_exit(0);
	}
	for (int code : kReserved)
		EXPECT_SYSCALL_ERRNO(send(GetParam(), child, code), EPERM) << "si_code " << code;
	kill(child, SIGKILL);
	waitpid(child, nullptr, 0);
}

TEST_P(Security, ReservedCodesToTheParentAndASiblingAreEperm)
{
	const pid_t parent = getpid();
	pid_t sibling = fork();
	ASSERT_SYSCALL(sibling);
	if (sibling == 0) {
		pause();
		_exit(0);
	}
	pid_t sender = fork();
	ASSERT_SYSCALL(sender);
	if (sender == 0) {
		for (pid_t target : {parent, sibling})
			for (int code : kReserved)
				if (send(GetParam(), target, code) != -1 || errno != EPERM)
					_exit(1);
		_exit(0);
	}
	int status = 0;
	ASSERT_SYSCALL_VALUE(waitpid(sender, &status, 0), sender);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a reserved code got through";
	kill(sibling, SIGKILL);
	waitpid(sibling, nullptr, 0);
	sigset_t pending;
	sigpending(&pending);
	EXPECT_FALSE(sigismember(&pending, kSig));
}

// From a thread that is not the leader: rt_sigqueueinfo() and a pidfd of
// the process reach the shared queue, rt_tgsigqueueinfo() to itself the
// thread's own queue; the thread takes the signal back with
// rt_sigtimedwait(), which sees both.
TEST_P(Security, ReservedCodesReachTheOwnProcessFromAnyThread)
{
	REQUIRE_RAW_SIGNALFD();
	for (int code : kReserved) {
		int ret = 0, err = 0, got = 0;
		siginfo_t info{};
		std::jthread([&] {
			ret = send(GetParam(), getpid(), code, sys_gettid());
			err = errno;
			got = sys_rt_sigtimedwait_now(make_sigset({kSig}), info);
		}).join();
		errno = err;
		EXPECT_SYSCALL_VALUE(ret, 0) << "si_code " << code;
		ASSERT_EQ(kSig, got);
		EXPECT_EQ(code, info.si_code);
		EXPECT_EQ(4242, info.si_pid);
	}
}

using SecurityThreads = SignalTest;

// Into the leader's private queue from another thread: EPERM, nothing queued.
TEST_F(SecurityThreads, ReservedCodeIntoTheLeadersQueueFromAThreadIsEperm)
{
	for (int code : kReserved) {
		int ret = 0, err = 0;
		std::jthread([&] {
			ret = send(Call::RtTgsigqueueinfo, getpid(), code);
			err = errno;
		}).join();
		errno = err;
		EXPECT_SYSCALL_ERRNO(ret, EPERM) << "si_code " << code;
	}
	sigset_t pending;
	sigpending(&pending);
	EXPECT_FALSE(sigismember(&pending, kSig));
}

std::string call_name(const testing::TestParamInfo<Call> &info)
{
	static const char *const names[] = {"rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal"};
	return names[static_cast<int>(info.param)];
}

INSTANTIATE_TEST_SUITE_P(Calls, Security,
			 testing::Values(Call::RtSigqueueinfo, Call::RtTgsigqueueinfo, Call::PidfdSendSignal),
			 call_name);

}  // namespace
}  // namespace sigcr::test
