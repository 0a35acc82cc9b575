# LANG=C, common on SSH servers: the screens still draw Chinese names
# (in C.UTF-8, which the system has), not blanks that make customers look
# alike; typed Chinese still searches.
. "$PATRON_TOP/tests/tui/lib.sh"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "王芳" --card C-1 >/dev/null
"$PATRON" customer add --name "王伟" --card C-2 >/dev/null
"$PATRON" customer add --name "José Müller" --card C-3 >/dev/null

for env in "LANG=C" "LC_ALL=C" "LANG=POSIX LC_CTYPE=POSIX"; do
	tui_start $env
	tui_login admin 2468 >/dev/null
	tui_expect "王芳" "$env: Chinese names are drawn"
	tui_has "王伟" && ok "$env: both of them" || not_ok "$env: 王伟"
	tui_has "José Müller" && ok "$env: accented names too" ||
		not_ok "$env: accents"
	tui_has "·" && ok "$env: the title's dot" || not_ok "$env: title"
	tui_keys -l "芳"
	tui_expect "Find  芳" "$env: typed Chinese reaches the search"
	tui_wait "1 found" >/dev/null
	tui_has "王伟" && not_ok "$env: the search did not narrow" ||
		ok "$env: and finds by it"
	tui_keys F10
	tui_expect "EXIT=0" "$env: quit"
done
done_testing
