# The selected row and every semantic element carry their look on the
# screen (read back with capture-pane -e): in each shipped theme, on a
# 256-colour and an 8-colour terminal, and with NO_COLOR. A row nobody
# can see selected is a row marked done by mistake.
. "$PATRON_TOP/tests/tui/lib.sh"
printf 'security:\n  kdf: interactive\nstore:\n  timezone: UTC\n' >"$T/config.yaml"
"$PATRON" init >/dev/null 2>&1
"$PATRON" customer add --name "Wang Fang" --card C-1 >/dev/null
"$PATRON" customer add --name "Anna Schmidt" --card C-2 >/dev/null
"$PATRON" customer add --name "Jose Martinez" --card C-3 >/dev/null
"$PATRON" purchase add --customer card:C-1 --total 300 --receipt R-1 >/dev/null
"$PATRON" points redeem card:C-1 100 >/dev/null
"$PATRON" task add --title "Call about the coat" --customer card:C-1 \
	--due today >/dev/null
"$PATRON" task add --title "Order more bags" --due "+3d" >/dev/null
"$PATRON" task add --title "Water the plants" --due "+5d" >/dev/null
next=$(date -u -d '+1 day' +%Y-%m-%dT12:00:00Z)
# The themes as shipped, from a theme directory of the user's own.
mkdir -p "$T/xdg/patron/themes"
cp "$PATRON_TOP"/themes/*.yaml "$T/xdg/patron/themes/"

# The interpreter itself, not a wrapper that finds it (pyenv's shims are
# shell scripts: three of them a call).
PY=$(python3 -c 'import sys; print(sys.executable)')
# look TEXT...: the look of the last cell of each TEXT on one capture of
# the screen, one a line, as "fg bg flags", from the SGR sequences before
# it on its line; "absent" for a TEXT not on the screen.
look() {
	tm capture-pane -e -p -t t >"$T/cap"
	"$PY" - "$T/cap" "$@" <<'EOF'
import re, sys

def look(want, path):
    for line in open(path, encoding="utf-8", errors="replace"):
        st = {"fg": "-", "bg": "-", "f": set()}
        text = ""
        for m in re.finditer(r"\x1b\[([0-9;:]*)m|([^\x1b]+)", line):
            if m.group(2) is not None:
                for ch in m.group(2):
                    text += ch
                    if text.endswith(want):
                        return " ".join((st["fg"], st["bg"],
                                         "".join(sorted(st["f"])) or "-"))
                continue
            ps = [p for p in m.group(1).replace(":", ";").split(";")] or ["0"]
            i = 0
            while i < len(ps):
                p = int(ps[i] or 0)
                if p == 0:
                    st = {"fg": "-", "bg": "-", "f": set()}
                elif p in (38, 48):
                    st["fg" if p == 38 else "bg"] = ps[i + 2]
                    i += 2
                elif p == 39: st["fg"] = "-"
                elif p == 49: st["bg"] = "-"
                elif 30 <= p <= 37 or 90 <= p <= 97: st["fg"] = str(p)
                elif 40 <= p <= 47 or 100 <= p <= 107: st["bg"] = str(p)
                elif p in (1, 2, 3, 4, 5, 7): st["f"].add("bdiu-r"[p - 1] if p != 7 else "r")
                elif p in (22,): st["f"] -= {"b", "d"}
                elif p == 24: st["f"].discard("u")
                elif p == 27: st["f"].discard("r")
                i += 1
            # a match may end just before this sequence: keep reading
        # TEXT is matched at its last character; report the look there
    return "absent"

for want in sys.argv[2:]:
    print(look(want, sys.argv[1]))
EOF
}
# apart WHAT TEXT1 TEXT2: TEXT1 and TEXT2 are drawn differently (waiting
# up to 5 s for the screen to show it).
apart() {
	i=0
	while :; do
		look "$2" "$3" >"$T/looks"
		a=$(sed -n 1p "$T/looks")
		b=$(sed -n 2p "$T/looks")
		if [ "$a" != absent ] && [ "$b" != absent ] && [ "$a" != "$b" ]
		then
			ok "$1"
			return
		fi
		[ $i -lt 50 ] || break
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$1 ('$2': $a, '$3': $b)"
}

for term in xterm-256color xterm; do
	for theme in default dark light high-contrast nocolor; do
		case $theme in
		nocolor) env="NO_COLOR=1" ;;
		*) env="" ;;
		esac
		what="$theme, TERM=$term"
		printf 'security:\n  kdf: interactive\nstore:\n  timezone: UTC\nui:\n  theme: %s\n' \
			"${theme%nocolor}" | sed 's/theme: $/theme: default/' >"$T/config.yaml"
		tui_start TERM=$term XDG_CONFIG_HOME="$T/xdg" "PATRON_NOW=$next" $env
		tui_wait "Staff login" >/dev/null
		tui_keys admin Enter
		tui_keys -l 1111
		tui_keys Enter
		tui_wait "wrong" >/dev/null
		apart "$what: an error is marked" "wrong" "Staff login"
		tui_keys -l 2468
		tui_keys Enter
		tui_wait "Overdue" >/dev/null
		apart "$what: the selected task is marked" "Call about" \
			"Water the"
		tui_keys Down
		apart "$what: the selection moves with Down" "Order more" \
			"Water the"
		apart "$what: overdue tasks are marked" "Call about" "Water the"
		apart "$what: the overdue heading is marked" "Overdue" "Water the"
		tui_keys Escape
		tui_wait "Find" >/dev/null
		apart "$what: labels are marked" "Find" "Anna Schmidt"
		tui_keys Down
		apart "$what: the selected customer is marked" "Wang Fang" \
			"Anna Schmidt"
		tui_keys Enter
		tui_wait "History" >/dev/null
		apart "$what: points gained and spent differ" "+300" "-100"
		apart "$what: points spent are marked" "-100" "R-1"
		apart "$what: the selected history row is marked" "created:" \
			"R-1"
		tui_keys F10
		tui_wait "EXIT=" >/dev/null
	done
done
done_testing
