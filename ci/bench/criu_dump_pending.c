// SPDX-License-Identifier: GPL-2.0
/*
 * A process for ci/bench/criu-dump.sh to dump: queues N real-time signals
 * to itself, half to its thread's private queue and half to the shared
 * queue, numbers interleaved, then waits in its own session. Prints its
 * pid once they are all queued.
 *
 *   criu_dump_pending N
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc == 2 ? atoi(argv[1]) : 0, ready[2], i;
	struct rlimit rl;
	siginfo_t info;
	sigset_t set;
	pid_t pid;
	char c;

	if (n <= 0) {
		fprintf(stderr, "usage: criu_dump_pending N\n");
		return 2;
	}
	if (pipe(ready)) {
		perror("pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid) {
		close(ready[1]);
		if (read(ready[0], &c, 1) != 1)
			return 1;
		printf("%d\n", pid);
		return 0;
	}

	close(ready[0]);
	setsid();
	rl.rlim_cur = rl.rlim_max = n + 256;
	if (setrlimit(RLIMIT_SIGPENDING, &rl)) {
		perror("setrlimit(RLIMIT_SIGPENDING)");
		return 1;
	}
	sigemptyset(&set);
	for (i = SIGRTMIN; i <= SIGRTMAX; i++)
		sigaddset(&set, i);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++) {
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGRTMIN + i % (SIGRTMAX - SIGRTMIN + 1);
		info.si_code = SI_QUEUE;
		info.si_pid = getpid();
		info.si_uid = getuid();
		info.si_value.sival_int = i;
		if (i % 2 ? syscall(SYS_rt_sigqueueinfo, getpid(), info.si_signo, &info) :
			    syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), info.si_signo, &info)) {
			perror("rt_[tg]sigqueueinfo");
			return 1;
		}
	}
	if (!freopen("/dev/null", "r", stdin) || !freopen("/dev/null", "w", stdout) ||
	    !freopen("/dev/null", "w", stderr))
		return 1;
	if (write(ready[1], "", 1) != 1)
		return 1;
	close(ready[1]);
	for (;;)
		pause();
}
