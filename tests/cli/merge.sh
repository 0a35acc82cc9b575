# customer merge cannot be undone, so it asks as erase does: on a terminal
# it names both customers and goes on only when "merge" is typed (else
# exit 1, nothing merged); without a terminal --yes is required (else 64).
. "$PATRON_TOP/tests/cli/lib.sh"
"$PATRON" init >/dev/null 2>&1
keep=$("$PATRON" customer add --name "Wang Lei" --phone 13800138000)
other=$("$PATRON" customer add --name "Wang Lei B" --email wl@example.com)
merged() { "$PATRON" customer show "$other" --json | grep -q "\"merged_into\":$keep"; }

expect_status 64 "no terminal and no --yes: refused" \
	"$PATRON" customer merge "$keep" "$other" <"$T/config.yaml"
grep -q "give --yes" "$T/err" && ok "saying to give --yes" || not_ok "$(cat "$T/err")"
merged && not_ok "merged without asking" || ok "nothing merged"

# merge_tty ANSWER: merge on a pseudo-terminal, answer, its exit status.
merge_tty() {
	python3 - "$PATRON" "$keep" "$other" "$1" >"$T/tty.out" 2>&1 <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "customer", "merge", sys.argv[2],
                           sys.argv[3]])
out = b""
while b"to go on: " not in out:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
os.write(fd, sys.argv[4].encode() + b"\n")
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.write(out.decode())
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
}
merge_tty yes
check "a wrong answer exits 1" test $? = 1
grep -q "customer $other not merged" "$T/tty.out" && ok "saying so" || not_ok "$(cat "$T/tty.out")"
grep -q "Merge customer $other, Wang Lei B, into customer $keep, Wang Lei?" "$T/tty.out" &&
	grep -q "cannot be undone" "$T/tty.out" &&
	ok "the question names both customers" || not_ok "$(cat "$T/tty.out")"
merged && not_ok "merged on a wrong answer" || ok "nothing merged"
check '"merge" typed merges' merge_tty merge
check "merged" merged
expect_status 1 "merging it again fails, before any question" \
	"$PATRON" customer merge "$keep" "$other" --yes
third=$("$PATRON" customer add --name "Li Na")
expect_status 0 "--yes merges without a terminal" \
	"$PATRON" customer merge "$keep" "$third" --yes <"$T/config.yaml"
expect_status 64 "--yes with another verb is a usage error, not ignored" \
	"$PATRON" customer add --name "Bo Yes" --yes
done_testing
