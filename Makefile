# signalfd raw siginfo: build, boot and test the patched kernel.
# "make run" boots the x86-64 guest and runs every suite; "make test" is CI.

ARCH ?= x86_64
# The kselftest collections the guests run (ci/suites): every kernel
# merges their config files.
KSELFTESTS = $(shell python3 ci/suites.py collections)
export INJECT VERBOSE GUEST_TIMEOUT QEMU_KVM SLOW DEBUG VNG SUITE N REV

.PHONY: help setup tree kernel tests userspace-host initramfs run run-base run-vng vng run-debug check-series test check bench profile repeat \
	export-patches send-ready man-pages export-man-pages criu export-criu reset-tree clean distclean

help: ## List the targets
	@echo "Usage: make TARGET [ARCH=x86_64|arm64]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk -F':.*## ' '{ printf "  %-16s %s\n", $$1, $$2 }'
	@echo "Variables: ARCH (x86_64, arm64), VNG=1 (virtme-ng kernel; VNG=0: make test without it),"
	@echo "           INJECT=fail|suitehang|hang|warn,"
	@echo "           VERBOSE=1 (whole console), GUEST_TIMEOUT=seconds (ci/guest/lib.sh), QEMU_KVM=1 (x86 only),"
	@echo "           SLOW=N (debug kernel's timeout factor, 4), DEBUG=0 (make test without the debug kernel)"

setup: ## Install the Debian packages the project needs (idempotent)
	@ci/setup.sh

# The steps "make run" takes (ci/run-arch.sh), one target each, in its
# order; each step's script says which earlier one is missing.
tree: ## Unpack the pinned kernel source into build/src: a branch per posting in patches/, and series, the stack
	@kernel/tree.sh prepare

kernel: ## The tree, then ARCH's kernel and its UAPI headers (VNG=1: virtme-ng variant)
	@kernel/tree.sh prepare
	@kernel/build.sh --kselftests "$(KSELFTESTS)" $(ARCH) $(if $(filter 1,$(VNG)),vng)

tests: ## Build the guest's test programs for ARCH against its headers (kselftests, smoke, C++)
	@selftests/build.sh $(ARCH)
	@userspace/build.sh $(ARCH)

initramfs: ## Pack ARCH's guest initramfs from the built tests
	@ci/guest/initramfs.sh $(ARCH)

userspace-host: ## Build the C++ suite for x86_64 and run it on this host's kernel
	@userspace/build.sh x86_64
	@build/x86_64/tests/userspace/sigcr_test

run: setup ## Build and boot the ARCH kernel, run every suite, show the results
	@ci/run-arch.sh $(ARCH)

run-base: setup ## Boot the pristine base kernel with the series' tests (those that need the series skip)
	@ci/run-arch.sh $(ARCH) base

vng: setup ## A shell in the virtme-ng guest of the ARCH kernel (vng variant), on this host's userland
	@ci/guest/vng.sh shell $(ARCH)

run-vng: setup ## Boot the vng variant with virtme-ng, run the kselftests and the CRIU checks
	@ci/run-arch.sh $(ARCH) vng

run-debug: setup ## Boot the ARCH kernel with KASAN, UBSAN, lockdep & co. (debug.config), run every suite
	@ci/run-arch.sh $(ARCH) debug

check-series: setup ## Every commit of every posting builds on both arches; checkpatch --strict, sparse and W=1
	@kernel/check-series.sh --kselftests "$(KSELFTESTS)"

test: ## What CI runs: host checks, both arches, x86_64 under virtme-ng (kselftests, CRIU), the debug kernel
	@ci/test.sh

profile: setup ## Where a dump's and a restore's guest instructions go, per kernel function (QEMU plugin): build/bench/profile/
	@ci/bench/profile.sh

repeat: setup ## Boot ARCH running only SUITE="..." until one fails or N (11) pass, lockups panicking; REV=COMMIT: that commit's series
	@ci/repeat.sh

bench: setup ## Dump and restore benchmark, both arches: guest instructions (-icount), TCG time: build/bench/
	@ci/bench/bench.sh

check: ## The judge's own tests (no kernel build)
	@python3 ci/judge/test_ktap.py

export-patches: ## Write build/src's posting branches back into patches/N-NAME/, then stack series again
	@kernel/tree.sh export

man-pages: ## Unpack Debian's man pages into build/man-pages, a branch per posting's man-pages/, lint the pages they touch
	@kernel/man-pages.sh prepare
	@kernel/man-pages.sh lint

export-man-pages: ## Write build/man-pages' posting branches back into patches/N-NAME/man-pages/
	@kernel/man-pages.sh export

criu: ## Unpack the pinned CRIU into build/criu/tree, branch criu made from patches/criu/, and build it
	@kernel/criu.sh prepare
	@ci/guest/criu.sh >/dev/null

export-criu: ## Write build/criu/tree's branch criu back into patches/criu/
	@kernel/criu.sh export

send-ready: ## Write every posting mail-ready with b4 to build/send/ (kernel, man-pages/, criu/), signed by each tree's git identity (refuses a placeholder)
	@kernel/tree.sh send-ready
	@kernel/man-pages.sh send-ready
	@kernel/criu.sh send-ready

reset-tree: ## Drop build/src's local commits and edits: every branch made again from patches/
	@kernel/tree.sh reset

clean: ## Remove build output but keep the kernel tree and ccache
	@bash -c 'top=$$PWD; . lib/common.sh; . lib/arches.sh; \
		for a in $$ARCHES_ALL; do rm -rf build/$$a build/$$a-*; done; rm -f build/*-counts'

distclean: ## Remove everything under build/
	rm -rf build
