# A patch queue: a git tree whose first commit is what its patches apply
# to (tag "base"), with one branch per posting (patches/N-NAME/, postings
# in lib/common.sh) named as the posting and holding its patches for this
# tree, which are kept as files in patches/N-NAME/$q_sub. The kernel
# (kernel/tree.sh, q_sub empty) and the man pages (kernel/man-pages.sh,
# q_sub man-pages) are queues. The files are the truth: prepare makes the
# branches from them, export writes them from the branches.
#
# What a queue's script calls: q_postings and q_branches (what there is),
# q_plan (what prepare has to make again: q_changed, q_gone), q_unsaved_*
# and q_refuse (what that would lose), q_apply and q_drop (make or delete
# a branch), q_export_all, q_verify. A later queue (CRIU's patches) is one
# more script of that shape.
#
# The sourcing script sets, after sourcing lib/common.sh:
#   q_src      the tree (its main worktree)
#   q_sub      the queue's folder in a posting's directory ("": the
#              directory itself)
#   q_format   format-patch's flags, for export and verify alike
#   say        its "SCRIPT: message"
# What was applied or exported is recorded in $q_src/.git/queue-applied,
# a line "BRANCH COMMIT HASH" per branch: its head then, and the hash of
# the patches it was made from or written to.
# shellcheck shell=bash
# shellcheck disable=SC2154 # $top and the q_ settings are the sourcing script's

q() { git -C "$q_src" "$@"; }
q_dir() { echo "$top/patches/$1${q_sub:+/$q_sub}"; }

# The subject prefix of branch B's mails when it is not format-patch's
# PATCH (an RFC): branch.B.subjectPrefix, which the apply takes from the
# cover letter's Subject. Prints format-patch's option, or nothing.
q_prefix() { # B
	local prefix
	prefix=$(q config "branch.$1.subjectPrefix") || return 0
	printf -- '--subject-prefix=%s\n' "$prefix"
}

# Set branch.B.subjectPrefix from the Subject of COVER ("[RFC PATCH 0/8]"
# gives "RFC PATCH"); unset it for a plain PATCH or without a cover letter.
q_take_prefix() { # B COVER
	local prefix=
	[ ! -f "$2" ] || prefix=$(sed -n 's/^Subject: \[\(.*\) [0-9]*\/[0-9]*\].*/\1/p' "$2" | head -n 1)
	if [ -n "$prefix" ] && [ "$prefix" != PATCH ]; then
		q config "branch.$1.subjectPrefix" "$prefix"
	else
		q config --unset "branch.$1.subjectPrefix" || true
	fi
}

# format-patch of branch B, as export and verify both write it. The
# cover letter's From: is the committer's identity: the repository's
# configured one, whatever a caller's environment says.
q_format_patch() { # B ARGS...
	local b=$1 prefix
	shift
	mapfile -t prefix < <(q_prefix "$b")
	env -u GIT_COMMITTER_NAME -u GIT_COMMITTER_EMAIL -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL \
		git -C "$q_src" format-patch -q "${q_format[@]}" "${prefix[@]}" "$@" "base..refs/heads/$b"
}

q_stamp() { echo "$q_src/.git/queue-applied"; }

# The postings that have patches in this queue, in stack order.
q_postings() {
	local p
	for p in $(postings); do
		[ -z "$(patch_files "$(q_dir "$p")")" ] || echo "$p"
	done
}

# The posting branches: every branch of the tree named as a posting.
q_branches() { q for-each-ref --format='%(refname:short)' refs/heads/ | grep -E '^[0-9]+-' || true; }
q_head() { q rev-parse -q --verify "refs/heads/$1" || true; }

# The hash of posting P's patches in this queue, cover letter included:
# names and contents, so that a rename is a change.
q_hash() { # P
	local f
	for f in $(patch_files "$(q_dir "$1")") "$(q_dir "$1")/0000-cover-letter.patch"; do
		[ -f "$f" ] && { basename "$f"; cat "$f"; }
	done | sha256sum | cut -d' ' -f1
}

# q_rec B: "COMMIT HASH" recorded for branch B. q_record B HASH: B is at
# its head now, made from or written to patches of HASH (a branch that
# is gone is forgotten).
q_rec() { awk -v b="$1" '$1 == b { print $2, $3 }' "$(q_stamp)" 2>/dev/null || true; }
q_record() { # BRANCH HASH
	local s head
	s=$(q_stamp)
	head=$(q_head "$1")
	{
		awk -v b="$1" '$1 != b' "$s" 2>/dev/null || true
		[ -z "$head" ] || echo "$1 $head $2"
	} > "$s.new"
	mv "$s.new" "$s"
}

# A tree prepared for the single-series layout kept "HASH HEAD" in
# .git/series-applied: the branch checked out, at HEAD.
q_migrate() {
	local old=$q_src/.git/series-applied hash head
	[ -f "$old" ] || return 0
	read -r hash head < "$old" || true
	echo "$(q symbolic-ref -q --short HEAD || echo HEAD) ${head:-none} ${hash:-none}" > "$(q_stamp)"
	rm "$old"
}

# The single-series layout's patches, straight in patches/$q_sub.
q_legacy() {
	patch_files "$top/patches${q_sub:+/$q_sub}"
	[ -n "$q_sub" ] || [ ! -f "$top/patches/0000-cover-letter.patch" ] ||
		echo "$top/patches/0000-cover-letter.patch"
}
q_no_legacy() {
	[ -z "$(q_legacy)" ] ||
		die "patches/${q_sub:+$q_sub/} holds the single-series layout (NNNN-*.patch): the patches now live in postings,
  patches/N-NAME/${q_sub:+$q_sub/}. Make a branch per posting in ${q_src#"$top"/} (git checkout -b N-NAME base,
  git am -3 or cherry-pick its patches), then export: that removes the old files.
  See the header of ${0#"$top"/}."
}

# What prepare has to do: q_changed, the postings whose patches are not
# those their branch was made from or written to; q_gone, the recorded
# posting branches whose posting has no patches here any more.
q_plan() {
	local p b all
	all=$(q_postings)
	q_changed=() q_gone=()
	for p in $all; do
		[ "$(q_rec "$p")" = "$(q_head "$p") $(q_hash "$p")" ] || q_changed+=("$p")
	done
	for b in $(q_branches); do
		[ -z "$(q_rec "$b")" ] || grep -qxF "$b" <<< "$all" || q_gone+=("$b")
	done
}

# The worktree that has branch B checked out, if one has.
q_worktree() {
	q worktree list --porcelain |
		awk -v ref="refs/heads/$1" '/^worktree / { wt = substr($0, 10) } $0 == "branch " ref { print wt }'
}

# What would be lost by remaking BRANCHES: q_unsaved_commits prints the
# branches whose head is not what was last applied or exported (a branch
# never recorded counts, unless it is still at base), q_unsaved_edits the
# worktrees of BRANCHES, and the main one, with uncommitted edits.
# q_refuse dies naming them.
q_unsaved_commits() { # BRANCHES...
	local b head rec
	for b in "$@"; do
		head=$(q_head "$b")
		rec=$(q_rec "$b")
		[ -z "$head" ] || [ "${rec%% *}" = "$head" ] || [ "$head" = "$(q rev-parse 'base^{commit}')" ] ||
			echo "branch $b has commits that no export wrote to patches/"
	done
}
q_unsaved_edits() { # BRANCHES...
	local b wt
	for b in "$@"; do
		wt=$(q_worktree "$b")
		[ -z "$wt" ] || [ "$wt" = "$q_src" ] || [ -z "$(git -C "$wt" status --porcelain)" ] ||
			echo "$wt (branch $b) has uncommitted edits"
	done
	[ -z "$(q status --porcelain)" ] || echo "$q_src has uncommitted edits"
}
q_refuse() { # WHAT-TO-DO PROBLEMS
	[ -z "$2" ] || die "$2
  $1"
}

# git am AM-ARGS FILES in WORKTREE; on failure, print git am's errors,
# abort, and name the patch that did not apply in q_failed.
q_am() { # WORKTREE AM-ARGS... -- FILES...
	local wt=$1 args=() log next
	shift
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	log=$(mktemp)
	if git_build "$wt" am "${args[@]}" "$@" >"$log" 2>&1; then
		rm "$log"
		return 0
	fi
	grep -E '^(error|fatal):' "$log" >&2 || cat "$log" >&2
	rm "$log"
	next=$(cat "$(git -C "$wt" rev-parse --git-path rebase-apply/next)" 2>/dev/null || echo 1)
	# shellcheck disable=SC2034 # read by the sourcing script
	q_failed=${*:next:1}
	git -C "$wt" am --abort || true
	return 1
}

# Reset branch B to base and git am its patches there, in the worktree
# that has B checked out (the main one if none has). On failure B is left
# at base and q_failed names the patch that did not apply.
q_apply() { # B AM-ARGS...
	local b=$1 wt files
	shift
	mapfile -t files < <(patch_files "$(q_dir "$b")")
	wt=$(q_worktree "$b")
	wt=${wt:-$q_src}
	git -C "$wt" checkout -q -f -B "$b" base
	q_record "$b" -
	q_am "$wt" "$@" -- "${files[@]}" || return 1
	q_record "$b" "$(q_hash "$b")"
}

# Delete the posting branches BRANCHES, whose posting is gone.
q_drop() { # BRANCHES...
	local b
	for b in "$@"; do
		say "deleting branch $b (was $(q rev-parse --short "$b")): patches/$b${q_sub:+/$q_sub} is gone"
		q branch -q -D "$b"
		q_record "$b" -
	done
}

# A posting's folder without a file left goes, and so does the posting's
# directory, when empty.
q_prune() { rmdir "$(q_dir "$1")" "$top/patches/$1" 2>/dev/null || true; }

# Write branch B to patches/B/$q_sub: its patches replaced, the rest of
# the folder (another queue's) kept.
q_export() { # B
	local dir
	dir=$(q_dir "$1")
	mkdir -p "$dir"
	rm -f "$dir"/[0-9][0-9][0-9][0-9]-*.patch
	q_format_patch "$1" -o "$dir"
	say "exported $1: $(patch_files "$dir" | wc -l) patch(es) to patches/$1${q_sub:+/$q_sub}"
	q_prune "$1"
	q_record "$1" "$(q_hash "$1")"
}

# Export every posting branch. A posting with patches here but no branch
# is refused (git rm -r its folder if the posting is to go). The
# single-series layout's patches go: the postings replace them.
q_export_all() {
	local p
	[ -d "$q_src/.git" ] || die "no tree at $q_src: run prepare first"
	for p in $(q_postings); do
		[ -n "$(q_head "$p")" ] ||
			die "patches/$p${q_sub:+/$q_sub} has patches but $q_src has no branch $p.
  Make it again with prepare (or reset), or git rm -r patches/$p${q_sub:+/$q_sub} if the posting is to go."
	done
	if [ -n "$(q_legacy)" ]; then
		[ -n "$(q_branches)" ] || die "no posting branch in $q_src to export (the postings would replace patches/${q_sub:+$q_sub/}NNNN-*.patch)"
		say "removing the single-series layout's $(q_legacy | wc -l) file(s) from patches/${q_sub:+$q_sub/}: the postings replace them"
		q_legacy | xargs rm
		[ -z "$q_sub" ] || rmdir "$top/patches/$q_sub" 2>/dev/null || true
	fi
	for p in $(q_branches); do
		q_export "$p"
	done
}

# Does patches/B/$q_sub hold exactly what export writes from branch B?
# Its differences go to stderr.
q_verify() { # B
	local dir tmp d rc=0 ex=()
	dir=$(q_dir "$1")
	[ -n "$(q_head "$1")" ] || { echo "$q_src has no branch $1: prepare makes it" >&2; return 1; }
	tmp=$(mktemp -d)
	mkdir "$tmp/out" "$tmp/none"
	q_format_patch "$1" -o "$tmp/out"
	[ -d "$dir" ] || dir=$tmp/none
	for d in "$dir"/*/; do
		[ -d "$d" ] && ex+=(-x "$(basename "$d")")
	done
	# A cover letter's Date: is the time of the export.
	diff -r "${ex[@]}" -I '^Date: ' "$dir" "$tmp/out" >&2 || rc=1
	rm -rf "$tmp"
	return "$rc"
}

# Every posting of the queue and every posting branch, for verify.
q_all() { { q_postings; q_branches; } | sort -u -t- -k1,1n -k2; }

# Subject and body of cover letter FILE, for the branch description
# (format-patch --cover-from-description=subject writes them back).
cover_description() {
	python3 - "$1" <<'PY'
import email, re, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"))
subject = re.sub(r"\s+", " ", str(msg["Subject"])).strip()
subject = re.sub(r"^\[[^]]*\]\s*", "", subject)
body = msg.get_payload()
# format-patch appends the shortlog ("Name (N):" and indented subjects)
# and the diffstat (indented): cut at the first author line after which
# only such lines follow. A body line may look like an author line too.
lines = body.split("\n")
author = re.compile(r"^\S.* \(\d+\):$")
cut = len(lines)
for i in range(len(lines) - 1, -1, -1):
    line = lines[i]
    if author.match(line):
        cut = i
    elif line.strip() and not line[0].isspace():
        break
print(subject + "\n\n" + "\n".join(lines[:cut]).strip())
PY
}

# Addresses no patch may be sent from: RFC 2606/6761 reserved names, which
# the repository's placeholder identity uses.
reserved_domain='(\.(example|invalid|test|localhost)|@(example\.(com|net|org)|localhost))'

# q_send_ready OUT: each posting of the queue mail-ready in OUT/POSTING
# (made again; the rest of OUT is left alone),
# written by b4 (Debian 12's 0.12): in a throwaway worktree of the tree,
# every commit re-authored and signed off by the tree's git identity (git
# config user.name/user.email there, or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL),
# Signed-off-by lines of placeholder identities dropped; the branch
# enrolled with "b4 prep", its cover letter the posting's (q_cover B, the
# queue script's) with the queue's To/Cc trailers (q_mail B), and, where
# q_auto_to_cc is 1, the To/Cc b4 prep --auto-to-cc takes from the tree's
# scripts/get_maintainer.pl; then "b4 send -o OUT/POSTING", which writes
# the mails instead of sending them. Refuses a missing or placeholder
# identity and writes nothing then. The branches and patches/ are not
# touched.
q_send_ready() { # OUT
	local out=$1 wt=$q_src-send ident name email b
	ident=$(q var GIT_AUTHOR_IDENT 2>/dev/null) ||
		die "send-ready: no git identity in $q_src; set yours: git -C $q_src config user.name 'Your Name'; git -C $q_src config user.email you@example.org"
	name=${ident% <*}
	email=${ident#*<}; email=${email%%>*}
	if [[ "$email" =~ ${reserved_domain}$ ]]; then
		die "send-ready: refusing to sign the postings as '$name <$email>', a placeholder identity (reserved domain).
  Set yours: git -C $q_src config user.name 'Your Name'; git -C $q_src config user.email you@your.domain"
	fi
	command -v b4 >/dev/null || die "send-ready: b4 is missing: make setup"
	rm -rf "$wt"
	q worktree prune
	q worktree add -q --detach "$wt" base
	# shellcheck disable=SC2064 # $wt is local: expanded now
	trap "git -C '$q_src' worktree remove --force '$wt' 2>/dev/null; git -C '$q_src' branch -q -D send-ready send-base 2>/dev/null" EXIT
	export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
	for b in $(q_postings); do
		rm -rf "${out:?}/$b"
		q_send_one "$b" "$wt" "$out/$b" > "$wt.log" 2>&1 || { cat "$wt.log" >&2; die "send-ready: b4 failed for $b"; }
		say "$b: $(find "$out/$b" -name '*.eml' | wc -l) mail(s), to $(sed -n 's/^To: //p' "$out/$b"/0000-*.eml | head -n 1)"
	done
	rm -f "$wt.log"
	if grep -rlE "<[^>]*${reserved_domain}>" "$out" >/dev/null; then
		die "send-ready: a placeholder identity is still in $out"
	fi
}

# b4 in the send worktree, with the identity to send from, the cover
# letter kept in the branch description, and an SMTP server named (never
# reached: b4 send -o only writes), without which b4 0.12 refuses to
# write unsigned mails. The cover letter's template is b4's without its
# signature and its "base-commit:" line, which b4 0.12 takes as the
# parent of the fork point (one commit too far back with the
# branch-description strategy; and the base of these trees is a Debian
# tarball, which no upstream commit names: the cover letters say so).
q_b4() { # WT ARGS...
	local wt=$1
	shift
	(cd "$wt" && GIT_CONFIG_COUNT=5 \
		GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$GIT_AUTHOR_NAME" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$GIT_AUTHOR_EMAIL" \
		GIT_CONFIG_KEY_2=b4.prep-cover-strategy GIT_CONFIG_VALUE_2=branch-description \
		GIT_CONFIG_KEY_3=sendemail.smtpserver GIT_CONFIG_VALUE_3=/bin/false \
		GIT_CONFIG_KEY_4=b4.prep-cover-template GIT_CONFIG_VALUE_4="$top/lib/b4-cover.template" \
		b4 "$@")
}

q_send_one() { # B WT OUT
	local b=$1 wt=$2 prefix
	git -C "$wt" checkout -q -B send-ready "$b"
	# No b4 tracking (prefixes, cover) left from the previous posting.
	git -C "$wt" config --remove-section branch.send-ready 2>/dev/null || true
	git -C "$wt" rebase -q --force-rebase base --exec \
		"git log -1 --format=%B | grep -Ev '^Signed-off-by: .*${reserved_domain}>\$' | git commit -q --amend --reset-author -s -F -"
	git -C "$wt" branch -q -f send-base base
	q_b4 "$wt" prep -e send-base
	git -C "$wt" config branch.send-ready.description "$(q_cover "$b")

$(q_mail "$b")"
	[ "${q_auto_to_cc:-0}" = 0 ] || q_b4 "$wt" prep --auto-to-cc
	prefix=$(q config "branch.$b.subjectPrefix" || true)
	[ -z "$prefix" ] || [ "$prefix" = PATCH ] || q_b4 "$wt" prep --set-prefixes "${prefix% PATCH}"
	q_b4 "$wt" send --no-sign -o "$3"
}
