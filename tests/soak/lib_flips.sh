# Damage at every place of the files, shared by tests/soak/flips.sh
# (SOAK_COUNT states) and tests/cli/flips.sh (a CI-sized count). Source
# tests/cli/lib.sh first, then call flips_run COUNT SEED.
#
# The baseline is built once: rows checkpointed into the database file
# and rows still in the log, its writer killed with -9 so the log stays
# (a clean close would checkpoint and delete it), the log wrapped once so
# stale frames of an earlier generation follow the current ones. Each
# state is a copy damaged one way: a byte flipped in a header copy, a
# page's payload, nonce or tag, the log header, a frame header or frame
# page (current, the last commit, recent, stale), the marks of what the
# log must hold (NAME-pmark, where the build keeps them); two pages or
# frames swapped; an older copy of a page, frame or the marks put back;
# the file, the log or the marks truncated, extended or deleted. Then
# `patron check`, then a read of every table (the writer helper's dump:
# the same store and VFS as `patron sql`), and the outcome is one of:
#   D  detected: check exits 65 or 77 with a message naming a page, frame
#      or file, and none of the files was changed or deleted by it (nor
#      by the read, if the read failed too)
#   H  harmless: check passes and every table reads exactly as before,
#      or without the last commits, if no writer ever reported them
#      (killed before COMMIT returned: counted apart, FL_TAIL)
#   S  SILENT LOSS: check passes but a table is missing or differs or
#      cannot be read, or an error left the damaged files changed or
#      deleted, or a read that succeeded after check failed returned
#      different data (but for replays: see R)
#   C  crash: exit 128 or more, or a sanitizer report
#   R  replay not detected: an older copy of a page, frame or the marks
#      put back reads as valid with check passing (DESIGN.md documents
#      the page replay limit); one that check catches is D, even if a
#      read then returns the older rows or ends its session as usual
#   U  another error: refused, but with an exit status other than 65/77
#      or a message naming no place
# Figures: FL_N FL_D FL_H FL_S FL_C FL_R FL_U, FL_TAIL, and FL_HQUIET:
# header copies damaged with check passing and saying nothing of it
# (counted in H: nothing was lost, but check should tell). Per-kind lines
# and every S, C, U and R state are printed as comments. FLIPS_EXAMPLES=DIR
# saves the first state of each such kind and outcome there, with a run.sh
# that reproduces it.

DMG="$PATRON_BUILD/tests/helpers/damage"
FL_FRAME=$((68 + 4096))
# Every table, each row tagged with its table's name.
FL_READ="SELECT 'schema', type, name, tbl_name, sql FROM sqlite_schema
ORDER BY name; SELECT 't', * FROM t ORDER BY id;
SELECT 'w', * FROM w ORDER BY n; SELECT 'staff', * FROM staff;
SELECT 'audit', * FROM audit; SELECT 'meta', * FROM meta"

# flips_writer N CHECKPOINT: the writer commits N transactions and waits,
# reporting each, so the last commit is always a reported one (damage to
# it must be detected); kill it with -9, add what it said to $T/said.
flips_writer() {
	# Emptied first: the last round's lines must not count for this one.
	: >"$T/loop.out"
	WRITER_CHECKPOINT=$2 "$W" loop "$1" >"$T/loop.out" 2>&1 &
	fw_pid=$!
	wait_lines "$T/loop.out" "$1" || return 1
	kill -9 $fw_pid
	wait $fw_pid 2>/dev/null
	grep -E '^[0-9]+$' "$T/loop.out" >>"$T/said"
}

flips_baseline() {
	B=$T/base
	mkdir -p "$B" "$T/old" "$T/state" "$T/work"
	export PATRON_KEY_FILE="$T/k" PATRON_DB="$B/patron.db"
	unset PATRON_PASSPHRASE
	: >"$T/said"
	"$PATRON" init >/dev/null || return 1
	"$PATRON" sql --write "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX t_v ON t (v);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 600)
INSERT INTO t (v) SELECT hex(randomblob(40)) FROM c" >/dev/null || return 1
	# Older copies of pages (of t, changed in the file after this) and of
	# frames (of the log's first generation), to put back.
	cp "$B/patron.db" "$T/old/"
	"$PATRON" sql --write "UPDATE t SET v = hex(randomblob(40))
WHERE id % 3 = 0" >/dev/null || return 1
	flips_writer 60 40 || return 1
	cp "$B/patron.db-pwal" "$T/old/"
	[ -f "$B/patron.db-pmark" ] && cp "$B/patron.db-pmark" "$T/old/"
	# More commits until the log has wrapped (frames of the earlier
	# generation after the current ones) and holds 40 to 89 current
	# frames: fewer than the 100 that set off a checkpoint, so they are
	# not in the database file yet.
	tries=0
	while :; do
		flips_writer 8 100 || return 1
		"$DMG" walmap "$B/patron.db" >"$T/walmap" || return 1
		set -- $(awk '$4 == 1 { cur++ } $4 == 0 { stale++ }
			END { print cur + 0, stale + 0 }' "$T/walmap")
		[ "$1" -ge 40 ] && [ "$1" -lt 90 ] && [ "$2" -gt 0 ] && break
		tries=$((tries + 1))
		[ $tries -lt 200 ] || { echo "# the log never wrapped"; return 1; }
	done
	# What a read of the undamaged copy gives, after a check.
	# The files of a state: the database, its log and (where the build
	# keeps them) the marks of what the log must hold; not the lock file.
	FL_FILES=""
	for f in patron.db patron.db-pwal patron.db-pmark; do
		[ -f "$B/$f" ] && FL_FILES="$FL_FILES $B/$f"
	done
	cp $FL_FILES "$T/work/"
	export PATRON_DB="$T/work/patron.db"
	"$PATRON" check >/dev/null 2>"$T/check.err" || {
		echo "# the baseline fails check: $(cat "$T/check.err")"
		return 1
	}
	"$W" dump "$FL_READ" >"$T/expected" || return 1
	# A writer killed after its last commit was durable but before COMMIT
	# returned never reported it: damage to that commit's frames cannot
	# be told from a write torn by the kill, and losing it (whole, as a
	# tail) is allowed. Each such cut: $T/expected.K, rows up to K.
	FL_SAID=$(sort -n "$T/said" | tail -n 1)
	FL_MAXN=$("$W" dump "SELECT max(n) FROM w")
	k=$FL_SAID
	while [ "$k" -lt "$FL_MAXN" ]; do
		awk -F '|' -v k=$k '!($1 == "w" && $2 ~ /^[0-9]+$/ && $2 > k)' \
			"$T/expected" >"$T/expected.$k"
		k=$((k + 1))
	done
	"$W" dump "SELECT n FROM w" >"$T/have"
	sort "$T/have" >"$T/have.s"
	missing=$(sort "$T/said" | comm -23 - "$T/have.s" | wc -l)
	if [ "$missing" -ne 0 ]; then
		echo "# the baseline lost $missing of $(wc -l <"$T/said") reported" \
			"commits ($(wc -l <"$T/have") rows read)"
		return 1
	fi
	FL_DBSIZE=$(stat -c %s "$B/patron.db")
	FL_PAGES=$(((FL_DBSIZE - 4096) / 4096))
	FL_WALSIZE=$(stat -c %s "$B/patron.db-pwal")
	set -- $(awk '$4 == 1 { cur++; if ($3 > 0) last = $1 } END {
		print NR, cur, last }' "$T/walmap")
	FL_NFRAMES=$1 FL_CUR=$2 FL_LASTC=$3
	# Pages and frames that an older copy can be put back over.
	cmp -l "$T/old/patron.db" "$B/patron.db" 2>/dev/null |
		awk '$1 > 4096 { p = int(($1 - 4097) / 4096) + 1;
			if (!(p in seen)) { seen[p] = 1; print p } }' >"$T/oldpages"
	cmp -l "$T/old/patron.db-pwal" "$B/patron.db-pwal" 2>/dev/null |
		awk -v fr=$FL_FRAME -v cur=$FL_CUR '$1 > 72 {
			f = int(($1 - 73) / fr); if (f < cur && !(f in seen)) {
			seen[f] = 1; print f } }' >"$T/oldframes"
	echo "# baseline: $FL_PAGES pages, log of $FL_NFRAMES frames" \
		"($FL_CUR current, last commit in frame $FL_LASTC)," \
		"$(wc -l <"$T/said") commits reported (the last $FL_SAID)," \
		"$(wc -l <"$T/have") rows in w; older copies of" \
		"$(wc -l <"$T/oldpages") pages, $(wc -l <"$T/oldframes") frames;" \
		"marks: $([ -f "$B/patron.db-pmark" ] && echo yes || echo none)"
}

# One line a state: KIND OP FILE ARGS, OP one of flip OFFSET MASK,
# swap A B LEN, put OFFSET SRC SRCOFF LEN, trunc LEN, extend LEN zero|random.
# The kinds come round in a fixed cycle (weights by repetition), so even
# a short run covers each.
flips_plan() { # count seed
	awk -v n="$1" -v seed="$2" -v pages=$FL_PAGES -v dbsize=$FL_DBSIZE \
		-v walsize=$FL_WALSIZE -v nfr=$FL_NFRAMES -v cur=$FL_CUR \
		-v lastc=$FL_LASTC -v fr=$FL_FRAME -v old="$T/old" \
		-v marks=$([ -f "$B/patron.db-pmark" ] && echo 1 || echo 0) \
		-v marksize=$(stat -c %s "$B/patron.db-pmark" 2>/dev/null || echo 0) \
		-v oldmarks=$([ -f "$T/old/patron.db-pmark" ] && echo 1 || echo 0) '
	function u(k) { return int(rand() * k) }
	function pg(p) { return 4096 + (p - 1) * 4096 }
	function fo(f) { return 72 + f * fr }
	BEGIN {
		srand(seed)
		while ((getline l < ARGV[1]) > 0) op[nop++] = l
		while ((getline l < ARGV[2]) > 0) of[nof++] = l
		ARGV[1] = ARGV[2] = ""
		ncyc = split("hdr1 hdr2 page page page page page page page page page " \
		    "page1 page1 nonce nonce nonce tag tag tag walhdr walhdr " \
		    "walhdr fhdr fhdr fhdr fhdr fhdr fpage fpage fpage fpage " \
		    "fpage lastframe lastframe lastframe recent recent recent " \
		    "stale stale pageswap pageswap frameswap pagereplay " \
		    "pagereplay framereplay dbtrunc dbtrunc waltrunc waltrunc " \
		    "waltrunc dbextend walextend hdr1 hdr2 waldel mark mark " \
		    "markold marktrunc markdel", cyc, " ")
		for (i = 0; i < n; i++) {
			k = cyc[i % ncyc + 1]
			seen[k]++
			m = 1 + u(255)
			if (k == "stale" && nfr == cur) k = "fpage"
			if (k == "pagereplay" && nop == 0) k = "page"
			if (k == "framereplay" && nof == 0) k = "fpage"
			if (k ~ /^mark/ && !marks) k = "page"
			if (k == "markold" && !oldmarks) k = "mark"
			if (k == "hdr1") print k, "flip db", u(2048), m
			else if (k == "hdr2") print k, "flip db", 2048 + u(2048), m
			else if (k == "page")
				print k, "flip db", pg(1 + u(pages)) + u(4056), m
			else if (k == "page1") print k, "flip db", pg(1) + u(4056), m
			else if (k == "nonce")
				print k, "flip db", pg(1 + u(pages)) + 4056 + u(24), m
			else if (k == "tag")
				print k, "flip db", pg(1 + u(pages)) + 4080 + u(16), m
			else if (k == "walhdr")
				# Byte 20 first: the case in issue 14.
				print k, "flip wal", seen[k] == 1 ? 20 : u(72), m
			else if (k == "fhdr") print k, "flip wal", fo(u(cur)) + u(68), m
			else if (k == "fpage")
				print k, "flip wal", fo(u(cur)) + 68 + u(4096), m
			else if (k == "lastframe")
				print k, "flip wal", fo(lastc) + u(fr), m
			else if (k == "recent")
				print k, "flip wal", fo(cur - 1 - u(cur < 8 ? cur : 8)) + \
				    u(fr), m
			else if (k == "stale")
				print k, "flip wal", fo(cur + u(nfr - cur)) + u(fr), m
			else if (k == "pageswap") {
				a = 1 + u(pages)
				do b = 1 + u(pages); while (b == a)
				print k, "swap db", pg(a), pg(b), 4096
			} else if (k == "frameswap") {
				a = u(cur)
				do b = u(cur); while (b == a)
				print k, "swap wal", fo(a), fo(b), fr
			} else if (k == "pagereplay") {
				p = op[u(nop)]
				print k, "put db", pg(p), old "/patron.db", pg(p), 4096
			} else if (k == "framereplay") {
				f = of[u(nof)]
				print k, "put wal", fo(f), old "/patron.db-pwal", fo(f), fr
			} else if (k == "waldel") print k, "del wal"
			else if (k == "mark") {
				# Slot 0 (what the log holds), then slot 1 (what a
				# checkpoint copied), then anywhere.
				j = seen[k] % 3
				off = j == 1 ? u(52) : j == 2 ? 512 + u(52) : u(marksize)
				print k, "flip mark", off < marksize ? off : u(marksize), m
			} else if (k == "markold")
				print k, "replace mark", old "/patron.db-pmark"
			else if (k == "marktrunc") {
				j = seen[k] % 3
				print k, "trunc mark", j == 1 ? 0 : j == 2 ? 512 : u(marksize)
			} else if (k == "markdel") print k, "del mark"
			else if (k == "dbtrunc") {
				j = seen[k] % 6
				len = j == 1 ? 0 : j == 2 ? 1 + u(4095) : j == 3 ? 4096 : \
				    j == 4 ? pg(1 + u(pages)) : j == 5 ? dbsize - 1 - u(4095) : \
				    u(dbsize)
				print k, "trunc db", len
			} else if (k == "waltrunc") {
				j = seen[k] % 8
				# 72 and 0 first: the cases in issue 14.
				len = j == 1 ? 72 : j == 2 ? 0 : j == 3 ? fo(lastc) : \
				    j == 4 ? fo(cur) : j == 5 ? 1 + u(71) : \
				    j == 6 ? fo(u(nfr)) + u(68) : j == 7 ? fo(1 + u(nfr)) : \
				    72 + u(walsize - 72)
				print k, "trunc wal", len
			} else {
				j = seen[k] % 5
				len = j == 1 ? 1 : j == 2 ? 4096 : j == 3 ? 8192 : \
				    j == 4 ? 1 + u(4095) : 1 + u(20000)
				print k, "extend", k == "dbextend" ? "db" : "wal", len, \
				    (seen[k] % 2) ? "zero" : "random"
			}
		}
	}' "$T/oldpages" "$T/oldframes"
}

# flips_same: the work copy still holds the damaged state's bytes.
flips_same() {
	for fs in "$T"/state/*; do
		cmp -s "$fs" "$T/work/${fs##*/}" || return 1
	done
}

# flips_keep KIND OUTCOME N: save the damaged state as an example.
flips_keep() {
	[ -n "${FLIPS_EXAMPLES:-}" ] || return 0
	ex="$FLIPS_EXAMPLES/$1-$2"
	[ -d "$ex" ] && return 0
	mkdir -p "$ex" || return 0
	cp "$T"/state/* "$T/k" "$PATRON_CONFIG" "$T/expected" "$ex/"
	cp "$T/check.err" "$ex/check.err"
	cp "$T/read" "$ex/read"
	cp "$T/read.err" "$ex/read.err"
	cat >"$ex/run.sh" <<EOF
#!/bin/sh
# State $3 of a flips run (seed $FL_SEED): $1 damage, outcome $2 ($FL_WHY).
# The damage, applied to the baseline in ../baseline-$FL_SEED/:
#   $FL_OP
# At the time: check exit $FL_RC1, read exit $FL_RC2; check.err, read and
# read.err hold what they printed, expected what the baseline reads as.
# usage: sh run.sh [PATRON]   (runs on a copy; the files here stay)
d=\$(cd "\$(dirname "\$0")" && pwd)
P=\${1:-patron}
w=\$(mktemp -d)
cp "\$d"/patron.db* "\$w/"
export PATRON_DB="\$w/patron.db" PATRON_KEY_FILE="\$d/k" \\
	PATRON_CONFIG="\$d/config.yaml" PATRON_USER=admin PATRON_PIN=2468
unset PATRON_PASSPHRASE
"\$P" check
echo "check: exit \$?"
for f in patron.db patron.db-pwal patron.db-pmark; do
	[ -f "\$d/\$f" ] || continue
	if [ ! -f "\$w/\$f" ]; then echo "\$f: deleted"
	elif ! cmp -s "\$d/\$f" "\$w/\$f"; then echo "\$f: changed"; fi
done
"\$P" sql "SELECT count(*), max(n) FROM w; SELECT count(*) FROM t"
echo "read: exit \$?"
echo "expected: $FL_EXPECT"
rm -rf "\$w"
EOF
	[ -f "$FLIPS_EXAMPLES/README" ] ||
		cat >"$FLIPS_EXAMPLES/README" <<EOF
Damaged states that tests/soak/lib_flips.sh judged silent (S), not
clearly refused (U), crashing (C) or an undetected replay (R), the first
of each kind of damage and outcome.
KIND-S-lost: check passed, data missing; KIND-S-unread: check passed,
the read then failed; KIND-S-changed: check refused but the damaged
files were changed or the log deleted by it; KIND-S-differs: check
refused but a read then returned other data;
KIND-U-other: refused with another exit status or an unnamed place;
KIND-R-lost, KIND-R-unread: an older copy put back, check passed.
Each directory: the damaged patron.db, -pwal and -pmark, the key file
k, config.yaml, what check and the read printed then, and run.sh, which
reproduces it on a copy: sh KIND-S-lost/run.sh path/to/patron.
baseline-SEED/: the undamaged files of the run with that seed, and
walmap (damage walmap: frame, page, commit size, current).
EOF
	if [ ! -d "$FLIPS_EXAMPLES/baseline-$FL_SEED" ]; then
		mkdir -p "$FLIPS_EXAMPLES/baseline-$FL_SEED"
		cp $FL_FILES "$T/k" "$T/walmap" "$FLIPS_EXAMPLES/baseline-$FL_SEED/"
	fi
	echo "# example saved: $ex"
}

flips_run() { # count seed
	FL_N=0 FL_D=0 FL_H=0 FL_S=0 FL_C=0 FL_R=0 FL_U=0 FL_HQUIET=0 FL_TAIL=0
	FL_SEED=$2
	flips_baseline || return 1
	FL_EXPECT=$("$W" dump "SELECT count(*) || ' rows in w, max ' ||
		max(n) FROM w; SELECT count(*) || ' rows in t' FROM t" | tr '\n' ' ')
	flips_plan "$1" "$2" >"$T/plan"
	export PATRON_DB="$T/work/patron.db"
	: >"$T/results"
	while read -r kind op file a1 a2 a3 a4; do
		FL_N=$((FL_N + 1))
		sub=
		rm -f "$T"/state/*
		cp $FL_FILES "$T/state/"
		case $file in
		wal) f="$T/state/patron.db-pwal" ;;
		mark) f="$T/state/patron.db-pmark" ;;
		*) f="$T/state/patron.db" ;;
		esac
		case $op in
		del) rm "$f" ;;
		replace) cp "$a1" "$f" ;;
		flip) "$DMG" flip "$f" "$a1" "$a2" ;;
		swap) "$DMG" swap "$f" "$a1" "$a2" "$a3" ;;
		put) "$DMG" put "$f" "$a1" "$a2" "$a3" "$a4" ;;
		trunc) truncate -s "$a1" "$f" ;;
		extend) "$DMG" extend "$f" "$a1" "$a2" ;;
		esac || { echo "# state $FL_N: cannot damage: $op $file $a1"; return 1; }
		FL_OP="$op $file $a1 ${a2:-} ${a3:-} ${a4:-}"
		rm -f "$T/work/patron.db" "$T/work/patron.db-pwal" \
			"$T/work/patron.db-pmark"
		cp "$T"/state/* "$T/work/"
		"$PATRON" check >"$T/check.out" 2>"$T/check.err"
		FL_RC1=$?
		replay=0
		case $kind in *replay | markold) replay=1 ;; esac
		changed=0
		[ $FL_RC1 -ne 0 ] && ! flips_same && changed=1
		"$W" dump "$FL_READ" >"$T/read" 2>"$T/read.err"
		FL_RC2=$?
		# A read of an older page put back sees valid data (the documented
		# limit) and may end its session as usual: only check must keep
		# the files of a replay.
		[ $FL_RC1 -ne 0 ] && [ $FL_RC2 -ne 0 ] && [ $replay = 0 ] &&
			! flips_same && changed=1
		same=0
		[ $FL_RC2 -eq 0 ] && cmp -s "$T/read" "$T/expected" && same=1
		if [ $FL_RC2 -eq 0 ] && [ $same = 0 ]; then
			for e in "$T"/expected.*; do
				[ -f "$e" ] && cmp -s "$T/read" "$e" &&
					same=1 sub=tail && break
			done
		fi
		if [ $FL_RC1 -ge 128 ] || [ $FL_RC2 -ge 128 ] ||
			grep -q -E 'Sanitizer|runtime error' "$T/check.err" \
				"$T/read.err"; then
			out=C FL_WHY="crashed" sub=crash
		elif [ $changed = 1 ]; then
			out=S sub=changed
			FL_WHY="an error, but the damaged files were changed or deleted"
		elif [ $FL_RC1 -eq 0 ]; then
			if [ $same = 1 ]; then out=H FL_WHY=""
			elif [ $FL_RC2 -eq 0 ]; then
				out=S sub=lost
				FL_WHY="check passed but the data is not all there"
			else
				out=S sub=unread
				FL_WHY="check passed but the data cannot be read"
			fi
			[ $out = S ] && [ $replay = 1 ] && out=R
		elif [ $FL_RC2 -eq 0 ] && [ $same = 0 ] && [ $replay = 0 ]; then
			out=S sub=differs
			FL_WHY="check failed, but a read succeeded with different data"
		elif { [ $FL_RC1 -eq 65 ] || [ $FL_RC1 -eq 77 ]; } &&
			grep -q -E 'page [0-9]|frame [0-9]|header|patron\.db' \
				"$T/check.err"; then
			out=D FL_WHY=""
		else
			out=U sub=other
			case $FL_RC1 in
			65 | 77) FL_WHY="a message naming no page, frame or file" ;;
			*) FL_WHY="exit $FL_RC1, not 65 or 77" ;;
			esac
		fi
		# A damaged header copy should be reported even when the other
		# copy opens the database (issue 14): counted, not failed.
		case $kind$out in
		hdr?H)
			grep -q -i -E 'header|copy' "$T/check.out" "$T/check.err" ||
				FL_HQUIET=$((FL_HQUIET + 1))
			;;
		esac
		echo "$FL_N $kind $out $FL_RC1 $FL_RC2 ${sub:-}" >>"$T/results"
		case $out in
		D) FL_D=$((FL_D + 1)) ;;
		H)
			FL_H=$((FL_H + 1))
			[ "$sub" = tail ] && FL_TAIL=$((FL_TAIL + 1))
			;;
		S | C | U | R)
			eval "FL_$out=\$((FL_$out + 1))"
			echo "# state $FL_N ($kind: $FL_OP): $out, $FL_WHY;" \
				"check $FL_RC1: $(head -c 200 "$T/check.err")" \
				"read $FL_RC2: $(head -c 120 "$T/read.err")" |
				LC_ALL=C tr -c ' -~' ' '
			echo
			flips_keep "$kind" "$out-$sub" $FL_N
			;;
		esac
	done <"$T/plan"
	awk '{ n[$2]++; o[$2, $3]++ } END { for (k in n) printf \
		"# %-12s %5d states: %d detected, %d harmless, %d silent, " \
		"%d crashes, %d replays, %d other\n", k, n[k], o[k, "D"], \
		o[k, "H"], o[k, "S"], o[k, "C"], o[k, "R"], o[k, "U"] }' \
		"$T/results" | sort
	[ $FL_TAIL -eq 0 ] || echo "# $FL_TAIL harmless states lost the" \
		"commits after $FL_SAID, never reported (the writer was killed" \
		"before COMMIT returned), and nothing else"
	[ $FL_HQUIET -eq 0 ] || echo "# $FL_HQUIET damaged header copies not" \
		"reported by check (the other copy opened the database)"
	awk '$3 == "S" { s[$6]++; n++ } END { if (n) printf "# silent: %d " \
		"lost data with check passing, %d unreadable with check " \
		"passing, %d changed or deleted the damaged files after an " \
		"error, %d read different data after an error\n", s["lost"],
		s["unread"], s["changed"], s["differs"] }' "$T/results"
}
