#!/bin/bash
# In the virtme-ng guest of ci/bench/criu-dump.sh: RUNS times, start
# criu_dump_pending N, dump it with criu, and print the wall time of the
# whole "criu dump" and of its signal dump (from criu's log: "Dump private
# signals" to the first line after the shared queue's), one line a run.
#
#   criu-dump-guest.sh CRIU PROGRAM N RUNS
set -eu
criu=$1 prog=$2 n=$3 runs=$4
work=$(mktemp -d /tmp/criu-dump.XXXXXX)
mount -t tmpfs criu-dump "$work"
cd "$work"
for r in $(seq "$runs"); do
	rm -rf img && mkdir img
	pid=$("$prog" "$n")
	start=$(date +%s.%N)
	"$criu" dump --no-default-config -v4 -o dump.log -D img -t "$pid"
	end=$(date +%s.%N)
	signals=$(awk '
		{ t = substr($1, 2, length($1) - 2) }
		/Dump private signals of/ && !s { s = t }
		after && !e { e = t }
		/Dump shared signals of/ { after = 1 }
		END { if (s == "" || e == "") exit 1; printf "%.3f", e - s }' img/dump.log)
	images=$(du -sk img | cut -f1)
	printf 'criu-dump: N=%d run %d: criu dump %.3f s, of which signals %s s; %d KiB of images\n' \
		"$n" "$r" "$(echo "$end - $start" | bc)" "$signals" "$images"
done
cd /
umount "$work"
