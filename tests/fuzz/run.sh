#!/bin/sh
# Build and run libFuzzer targets under AddressSanitizer and UBSan.
# usage: sh tests/fuzz/run.sh SECONDS tests/fuzz/fuzz_NAME.c...
#
# Each target is compiled with every library source (src/*/*.c except the
# command line) into build/fuzz/NAME and run for SECONDS over a corpus kept
# in build/fuzz/NAME.corpus, seeded from tests/fuzz/corpus/NAME/ if present
# (and with tests/fuzz/NAME.dict as a dictionary if present). Extra
# libFuzzer flags for one target (e.g. -max_len=1048576 for a reader of
# files) come from tests/fuzz/NAME.options, whitespace-separated, lines
# starting with # ignored. A crashing input is saved as
# build/fuzz/NAME-crash-*. Exits non-zero if any target fails to build or
# crashes.
set -u

if [ $# -lt 2 ]; then
	echo "usage: sh tests/fuzz/run.sh SECONDS target.c..." >&2
	exit 64
fi
SECONDS_EACH=$1
shift
case "$SECONDS_EACH" in
'' | *[!0-9]*)
	echo "run.sh: SECONDS must be a whole number, not '$SECONDS_EACH'" >&2
	exit 64
	;;
esac

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
OUT=build/fuzz
CC=${FUZZ_CC:-clang}
mkdir -p "$OUT"

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "run.sh: $CC not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi
make -s build/gen/schema.c || exit 1

LIB_SRC=
for f in src/*/*.c; do
	case "$f" in src/cli/*) continue ;; esac
	LIB_SRC="$LIB_SRC $f"
done
# The quotes in -D...=\"...\" are meant literally: they make C strings.
# shellcheck disable=SC2089
CFLAGS="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Iinclude \
	-D_GNU_SOURCE -DPATRON_VERSION=\"fuzz\" -DPATRON_DATADIR=\"/nonexistent\" \
	$(pkg-config --cflags sqlite3 libsodium yaml-0.1 ncursesw)"
LIBS="$(pkg-config --libs sqlite3 libsodium yaml-0.1 ncursesw) -lcsv -lpthread -lm"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=""
for src in "$@"; do
	name=$(basename "$src" .c)
	bin=$OUT/$name
	corpus=$OUT/$name.corpus
	log=$OUT/$name.log

	# fuzz_args drives main() itself: the command line too, main renamed,
	# and the calls that touch files wrapped as tripwires (see the target).
	cli_src=
	case "$name" in
	fuzz_args)
		cli_src="-Dmain=patron_main src/main.c $(echo src/cli/*.c)"
		cli_src="$cli_src -Wl,--wrap=open"
		cli_src="$cli_src,--wrap=fopen,--wrap=mkdir,--wrap=unlink"
		cli_src="$cli_src,--wrap=rename,--wrap=shm_open"
		;;
	esac
	echo "== $name: building"
	# shellcheck disable=SC2086,SC2090 # word splitting wanted
	if ! $CC $CFLAGS -o "$bin" "$src" $LIB_SRC $cli_src build/gen/schema.c \
		$LIBS; then
		echo "== $name: BUILD FAILED"
		failed="$failed $name"
		continue
	fi
	mkdir -p "$corpus"
	if [ -d "tests/fuzz/corpus/$name" ]; then
		cp -p "tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
	fi
	dict=
	if [ -f "tests/fuzz/$name.dict" ]; then
		dict="-dict=tests/fuzz/$name.dict"
	fi
	opts=
	if [ -f "tests/fuzz/$name.options" ]; then
		opts=$(grep -v '^#' "tests/fuzz/$name.options")
	fi

	echo "== $name: fuzzing for ${SECONDS_EACH}s (log: $log)"
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/$name-" $dict $opts \
		"$corpus" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	runs=$(sed -n 's/^Done \([0-9]*\) runs in.*/\1/p' "$log" | tail -1)
	[ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
	files=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -ne 0 ]; then
		echo "== $name: FAILED (exit $rc after $((end - start))s, ${runs:-?} runs)"
		grep -E '^fuzz_[a-z_]*: |ERROR|SUMMARY|runtime error' "$log" | head -12
		for a in "$OUT/$name"-crash-* "$OUT/$name"-leak-* \
			"$OUT/$name"-timeout-* "$OUT/$name"-oom-*; do
			[ -f "$a" ] && echo "   input: $a"
		done
		failed="$failed $name"
	else
		echo "== $name: ok, ${runs:-?} runs in $((end - start))s, ${cov:-cov: ?}, corpus $files files"
	fi
done

if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed"
	exit 1
fi
echo "fuzz: all targets ok"
