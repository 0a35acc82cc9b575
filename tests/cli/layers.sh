#!/bin/sh
# The include graph keeps DESIGN §2's layers (tools/layers.sh), and the
# check fails when an arrow runs back up or two modules include each other.
. "$(dirname "$0")/lib.sh"
L="$PATRON_TOP/tools/layers.sh"

expect_status 0 "no include against the layer order, no circle" sh "$L" "$PATRON_TOP"
cat "$T/out" | sed 's/^/# /' | head -20

# A copy of the tree with one arrow broken on purpose in each way.
mkdir -p "$T/tree"
cp -R "$PATRON_TOP/src" "$PATRON_TOP/include" "$T/tree/"
sed -i '1i #include "patron/ui.h"' "$T/tree/src/util/util.c"
expect_status 1 "util including a ui header is refused" sh "$L" "$T/tree"
check "the arrow is named with its file" grep -q '^src/util/util.c: util includes patron/ui.h (ui)' "$T/out"

rm -rf "$T/tree" && mkdir -p "$T/tree"
cp -R "$PATRON_TOP/src" "$PATRON_TOP/include" "$T/tree/"
sed -i "1i #include \"patron/outfile.h\"" "$T/tree/src/util/priv.c"
expect_status 1 "two modules of one folder including each other are refused" sh "$L" "$T/tree"
check "the circle is shown" grep -q 'circle between modules' "$T/out"

rm -rf "$T/tree" && mkdir -p "$T/tree"
cp -R "$PATRON_TOP/src" "$PATRON_TOP/include" "$T/tree/"
echo '#include "patron/nowhere.h"' >>"$T/tree/src/core/customer.c"
expect_status 1 "a header with no module is refused" sh "$L" "$T/tree"

echo "1..$n"
[ "$fails" -eq 0 ]
