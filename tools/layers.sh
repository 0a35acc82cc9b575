#!/bin/sh
# The include graph against DESIGN §2's layers: util → crypto → store →
# config → core → io → cli, ui. A file may include headers of its own layer
# and of layers above it in that list; cli and ui are two faces and never
# include each other; src/main.c, the program's entry, may include any.
# A header belongs to the module of the .c file of the same name or, for a
# module's private header (config_impl.h), of its name's longest prefix.
# Prints one line per arrow against the order and, from tsort, any circle
# between modules; exits 1 if it found either.
# usage: tools/layers.sh [TOP]
cd "${1:-.}" || exit 2

rank() {
	case $1 in
	util) echo 1 ;; crypto) echo 2 ;; store) echo 3 ;; config) echo 4 ;;
	core) echo 5 ;; io) echo 6 ;; cli | ui) echo 7 ;; main) echo 8 ;;
	*) echo 0 ;;
	esac
}

# module NAME: the module a header NAME.h belongs to (NAME, or the
# longest prefix of NAME before an underscore that has a src/*/PREFIX.c).
module() {
	m=$1
	while :; do
		set -- src/*/"$m".c
		[ -f "$1" ] && echo "$m" && return 0
		case $m in *_*) m=${m%_*} ;; *) return 1 ;; esac
	done
}

# folder NAME: the folder of module NAME (src/FOLDER/NAME.c).
folder() {
	set -- src/*/"$1".c
	basename "$(dirname "$1")"
}

bad=0
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in src/main.c src/*/*.c include/patron/*.h; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	name=${name%.[ch]}
	case $f in
	src/main.c) from=main ;;
	src/*) from=$(basename "$(dirname "$f")") ;;
	*) name=$(module "$name") && from=$(folder "$name") || {
		echo "$f: no src/*/$name.c, so no layer"
		bad=1
		continue
	} ;;
	esac
	for h in $(sed -n 's/^#include "patron\/\([a-z0-9_]*\)\.h".*/\1/p' "$f"); do
		hm=$(module "$h") || {
			echo "$f: includes patron/$h.h, which has no src/*/$h.c"
			bad=1
			continue
		}
		to=$(folder "$hm")
		h=$hm
		[ "$h" = "$name" ] || echo "$name $h" >>"$edges"
		[ "$from" = "$to" ] && continue
		if [ "$(rank "$to")" -ge "$(rank "$from")" ]; then
			echo "$f: $from includes patron/$h.h ($to)"
			bad=1
		fi
	done
done
loops=$(sort -u "$edges" | tsort 2>&1 >/dev/null)
if [ -n "$loops" ]; then
	echo "circle between modules:"
	echo "$loops" | sed 's/^tsort: /  /'
	bad=1
fi
exit $bad
