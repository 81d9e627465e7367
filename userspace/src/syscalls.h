// SPDX-License-Identifier: GPL-2.0
// The raw syscalls the library makes, so that it does not depend on libc
// knowing them. Internal to the library; the tests and the guest's
// programs reach them through testing/support.h.
#pragma once

#include <csignal>

#include <sys/types.h>

namespace sigcr {

int sys_signalfd4(int ufd, const sigset_t &mask, int flags);
int sys_rt_sigqueueinfo(pid_t tgid, int sig, const siginfo_t &info);
int sys_rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, const siginfo_t &info);
pid_t sys_gettid();

}  // namespace sigcr
