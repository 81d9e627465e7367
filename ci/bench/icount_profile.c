// SPDX-License-Identifier: GPL-2.0
/*
 * A QEMU TCG plugin (API version 1, QEMU 7.2 as Debian 12 ships it) that
 * counts the guest instructions each translation block executes, but only
 * inside windows the guest opens and closes with two marker instructions
 * that are architectural no-ops:
 *
 *   x86-64  xchg %bx,%bx  (66 87 db) opens, xchg %cx,%cx (66 87 c9) closes
 *   arm64   hint #126     (d5032fdf) opens, hint #127    (d5032fff) closes
 *
 * sigcr_bench --profile puts them around the part of a method it times.
 * At exit the plugin writes one line per block that ran in a window,
 * "vaddr insns executions", and a first line "windows W": ci/bench/
 * profile_report.py turns them into instructions per function. Counts are
 * exact for blocks that run to their end, as under -icount: an interrupt
 * or fault in the middle of a block counts the whole block. Each
 * iteration of an x86 rep-prefixed string instruction is a block
 * execution, as -icount counts it.
 *
 *   -plugin icount_profile.so,out=FILE
 *
 * Only this file's own declarations of the plugin ABI are used (no
 * qemu-plugin.h: Debian 12 does not package it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;	/* not looked into */

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
	void (*cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb));
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
	void (*cb)(qemu_plugin_id_t id, void *udata), void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
	enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
	void (*cb)(unsigned int vcpu_index, void *udata),
	enum qemu_plugin_cb_flags flags, void *udata);

EXPORT int qemu_plugin_version = 1;

struct block {
	uint64_t vaddr, insns;
	uint64_t count;		/* executions since translation (inline add) */
	uint64_t at_open;	/* count when the current window opened */
	uint64_t in_windows;	/* executions inside closed windows */
};

static struct block **blocks;
static size_t nr_blocks, cap_blocks;
static int window_open;
static uint64_t windows;
static const char *out_path = "icount-profile.txt";

static const unsigned char x86_open[] = { 0x66, 0x87, 0xdb };
static const unsigned char x86_close[] = { 0x66, 0x87, 0xc9 };
static const uint32_t arm64_open = 0xd5032fdf, arm64_close = 0xd5032fff;

static void die(const char *what)
{
	fprintf(stderr, "icount_profile: %s\n", what);
	exit(1);
}

static void marker(unsigned int vcpu, void *udata)
{
	int open = udata != NULL;
	size_t i;

	(void)vcpu;
	if (open == window_open)
		return;		/* unbalanced: keep the first open, the first close */
	for (i = 0; i < nr_blocks; i++) {
		struct block *b = blocks[i];

		if (open)
			b->at_open = b->count;
		else
			b->in_windows += b->count - b->at_open;
	}
	window_open = open;
	windows += !open;
}

/* 1: opens a window, 2: closes it, 0: neither. */
static int marker_kind(const struct qemu_plugin_insn *insn)
{
	const unsigned char *p = qemu_plugin_insn_data(insn);
	size_t n = qemu_plugin_insn_size(insn);
	uint32_t w;

	if (n == sizeof(x86_open) && !memcmp(p, x86_open, n))
		return 1;
	if (n == sizeof(x86_close) && !memcmp(p, x86_close, n))
		return 2;
	if (n == 4) {
		memcpy(&w, p, 4);
		if (w == arm64_open)
			return 1;
		if (w == arm64_close)
			return 2;
	}
	return 0;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct block *b = calloc(1, sizeof(*b));

	(void)id;
	if (!b)
		die("out of memory");
	if (nr_blocks == cap_blocks) {
		cap_blocks = cap_blocks ? 2 * cap_blocks : 65536;
		blocks = realloc(blocks, cap_blocks * sizeof(*blocks));
		if (!blocks)
			die("out of memory");
	}
	b->vaddr = qemu_plugin_tb_vaddr(tb);
	b->insns = n;
	/* Translated inside a window: it has run 0 times when it opened. */
	blocks[nr_blocks++] = b;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, 1);

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		int kind = marker_kind(insn);

		if (kind)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker, QEMU_PLUGIN_CB_NO_REGS,
							       kind == 1 ? (void *)1 : NULL);
	}
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	FILE *f = fopen(out_path, "w");
	size_t i;

	(void)id;
	(void)udata;
	if (!f)
		die("cannot write the output file");
	fprintf(f, "windows %llu\n", (unsigned long long)windows);
	for (i = 0; i < nr_blocks; i++)
		if (blocks[i]->in_windows)
			fprintf(f, "%llx %llu %llu\n", (unsigned long long)blocks[i]->vaddr,
				(unsigned long long)blocks[i]->insns,
				(unsigned long long)blocks[i]->in_windows);
	if (fclose(f))
		die("cannot write the output file");
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
		else
			die("unknown argument (out=FILE is the only one)");
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
