# Patron: a plain Makefile. `make` builds, `make test` runs every test,
# `make check` runs them under AddressSanitizer and UBSan.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/patron
# Set-group-ID deployment (patron(1), DEPLOYMENT): its one configuration is
# $(SYSCONFDIR)/patron/config.yaml, its data $(STATEDIR)/patron by default.
SYSCONFDIR ?= /etc
STATEDIR ?= /var/lib

CC ?= cc
BUILD ?= build
VERSION = 0.1.0
PKGS = ncursesw sqlite3 libsodium yaml-0.1

DEB_PKGS = build-essential pkg-config libncurses-dev libsqlite3-dev sqlite3 \
	libsodium-dev libyaml-dev libcsv-dev libcmocka-dev tmux mandoc clang \
	libclang-rt-14-dev python3-icalendar

CFLAGS ?= -O2 -g
SANFLAGS ?=
# gcc's -Wformat-truncation warns of snprintf cutting on purpose; clang has
# no such warning and -Werror refuses the unknown option, so ask the compiler.
NO_TRUNC := $(shell $(CC) -Werror -Wno-format-truncation -fsyntax-only -x c \
	/dev/null 2>/dev/null && echo -Wno-format-truncation)
ALL_CFLAGS = -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter $(NO_TRUNC) \
	-Wmissing-prototypes -Wstrict-prototypes $(CFLAGS) $(SANFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DPATRON_VERSION='"$(VERSION)"' \
	-DPATRON_DATADIR='"$(DATADIR)"' -DPATRON_SYSCONFDIR='"$(SYSCONFDIR)"' \
	-DPATRON_STATEDIR='"$(STATEDIR)"' $(CPPFLAGS)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC = $(wildcard src/*/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schema.o
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
HELPER_SRC = $(wildcard tests/helpers/*.c)
HELPER_BIN = $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/helpers/%)
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
SCHEMA = $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))

.PHONY: all test check demo bench fuzz soak install uninstall clean format deps \
	test-build lint-man

# The themes beside the binary: a build runs with its own (theme.c).
THEMES = $(patsubst %,$(BUILD)/%,$(wildcard themes/*.yaml))

all: $(BUILD)/patron $(THEMES)

$(BUILD)/themes/%.yaml: themes/%.yaml
	@mkdir -p $(dir $@)
	cp $< $@

$(BUILD)/%.o: %.c $(wildcard include/patron/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/schema.c: $(SCHEMA) tools/embed-schema.sh
	@mkdir -p $(dir $@)
	sh tools/embed-schema.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/schema.o: $(BUILD)/gen/schema.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libpatron.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/patron: $(BUILD)/src/main.o $(BUILD)/libpatron.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)
	@if [ "$(BUILD)" = build ]; then ln -sf $(BUILD)/patron patron; fi

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libpatron.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libpatron.a \
		$(TEST_LIBS) $(LIBS)

$(BUILD)/tests/helpers/%: tests/helpers/%.c $(BUILD)/libpatron.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libpatron.a $(LIBS)

$(BUILD)/tools/demo-data: tools/demo_data.c bench/synth.h $(BUILD)/libpatron.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libpatron.a $(LIBS)

$(BUILD)/bench/%: bench/%.c bench/bench.h bench/synth.h $(BUILD)/libpatron.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libpatron.a $(LIBS)

test-build: $(BUILD)/patron $(THEMES) $(UNIT_BIN) $(HELPER_BIN) $(BUILD)/tools/demo-data \
	$(BUILD)/tests/patron-setgid $(BUILD)/tests/preload/powerlog.so

# The power-loss recorder, preloaded into writers (tests/cli/powerloss.sh).
# Without the sanitizers: it is loaded ahead of their runtime.
$(BUILD)/tests/preload/powerlog.so: tests/preload/powerlog.c \
	tests/preload/powerlog.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) -std=c11 -Wall -Wextra -Werror -O2 -g -fPIC \
		-shared -o $@ $< -ldl

# Patron as installed, but reading its set-group-ID configuration from the
# build tree, where tests/cli/setgid.sh writes it.
$(BUILD)/tests/setgid.o: src/cli/setgid.c $(wildcard include/patron/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) \
		-DPATRON_SHARED_CONFIG='"$(abspath $(BUILD))/tests/setgid/config.yaml"' \
		$(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/patron-setgid: $(BUILD)/src/main.o $(BUILD)/tests/setgid.o \
	$(BUILD)/libpatron.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

# `make test` installs what is missing (deps), builds, runs everything and
# ends with one line "N passed, N failed".
test: deps
	$(MAKE) test-build
	sh tests/run.sh $(BUILD)

check: deps
	$(MAKE) BUILD=build/san CFLAGS="-O1 -g" \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		test-build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		PATRON_SANITIZED=1 sh tests/run.sh build/san

bench: all $(BENCH_BIN)
	sh bench/run.sh $(BUILD)

FUZZ_TIME ?= 60
fuzz: deps
	sh tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_SRC)

# `make soak [SOAK=N]`: the long proofs (tests/soak/), not run in CI.
SOAK ?= 10000
soak: deps
	$(MAKE) test-build
	sh tests/soak/run.sh $(BUILD) $(SOAK)

demo: deps
	$(MAKE) all $(BUILD)/tools/demo-data
	sh tools/demo.sh $(BUILD)/patron

# Every man page, whatever its section: lint-man, install and uninstall.
MAN_PAGES = $(wildcard man/*.[1-9])

lint-man:
	mandoc -T lint -W warning $(MAN_PAGES)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 0755 $(BUILD)/patron $(DESTDIR)$(BINDIR)/patron
	for m in $(MAN_PAGES); do s=$${m##*.}; \
		install -d $(DESTDIR)$(MANDIR)/man$$s && \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done
	for t in themes/*.yaml; do [ -f "$$t" ] && \
		install -m 0644 "$$t" $(DESTDIR)$(DATADIR)/themes/; done; true

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/patron
	for m in $(MAN_PAGES); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m#man/}; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build patron

format:
	clang-format -i $$(find src include tests bench -name '*.[ch]')

deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || \
		missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	else \
		echo "missing packages; run: sudo apt-get install -y$$missing"; exit 1; \
	fi
