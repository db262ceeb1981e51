# authzone: plain make.  `make` builds the tools into bin/, `make check`
# runs every test, `make demo` lints the bundled examples, `make asan` builds
# and tests under AddressSanitizer and UBSan, `make fuzz` runs the fuzzers.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
O	?= build
BIN	?= bin
CC	?= cc
CFLAGS	?= -O2 -g
PKGS	= ldns jansson libpcre2-8 libssl libcrypto libcurl libxml-2.0 libarchive \
	  gmime-3.0 zlib
VERSION	= 0.1.0

WARN	= -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -DAUTHZONE_VERSION='"$(VERSION)"' -I. \
	$(PKG_CFLAGS) $(CFLAGS)

TOOLS	= spf-lint spf-eval spf-gen nomail-gen dmarc-gen tlsrpt-gen bimi-gen mtasts-gen dkim-gen spf-flatten dkim-lint tlsrpt-lint dmarc-lint mtasts-lint bimi-lint mail-audit dmarc-report tlsa-gen mx-tls mail-verify dkim-sign
# cmd/ holds the mains and nothing else; a file there that is no tool's
# main stops the build
LIB_SRC	= $(wildcard util/*.c dns/*.c lint/*.c flatten/*.c zonegen/*.c msg/*.c \
	  report/*.c tls/*.c cli/*.c)
STRAY	= $(filter-out $(TOOLS:%=cmd/%.c),$(wildcard cmd/*))
$(if $(STRAY),$(error cmd/ holds more than the mains: $(STRAY)))
LIB_OBJ	= $(LIB_SRC:%.c=$(O)/%.o)
UNIT_SRC = $(wildcard tests/unit/*.c)
FUZZERS	= $(patsubst fuzz/%.c,%,$(filter-out fuzz/replay.c,$(wildcard fuzz/*.c)))

.PHONY: all tools deps deps-check check test demo asan fuzz fuzz-replay \
	install clean golden conformance bench

# plain make only builds; deps (and demo, check, asan, bench) install what
# is missing from Debian's packages
all: tools

deps:
	@tests/deps.sh build

tools: $(TOOLS:%=$(BIN)/%)

HEADERS	= $(wildcard */*.h */*/*.h)

$(O)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libauthzone.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BIN)/%: $(O)/cmd/%.o $(O)/libauthzone.a
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libauthzone.a $(PKG_LIBS)

$(O)/tests/unit/run: $(UNIT_SRC:%.c=$(O)/%.o) $(O)/libauthzone.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(UNIT_SRC:%.c=$(O)/%.o) \
		$(O)/libauthzone.a $(PKG_LIBS)

# every fuzz target also links with a plain main that replays its corpus
$(O)/fuzz/%-replay: $(O)/fuzz/%.o $(O)/fuzz/replay.o $(O)/libauthzone.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(O)/tests/dnsproxy: tests/dnsproxy.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

check: deps-check
	@$(MAKE) --no-print-directory test

deps-check:
	@tests/deps.sh check

test: tools $(O)/tests/unit/run $(O)/tests/dnsproxy \
	$(FUZZERS:%=$(O)/fuzz/%-replay)
	@BIN=$(CURDIR)/$(BIN) O=$(CURDIR)/$(O) FUZZERS="$(FUZZERS)" \
		SANITIZED="$(SANITIZED)" tests/run

demo: deps
	@$(MAKE) --no-print-directory tools
	@examples/demo.sh $(BIN)

asan:
	@tests/deps.sh asan
	@$(MAKE) --no-print-directory O=build/asan BIN=build/asan/bin CC=clang SANITIZED=1 \
		CFLAGS="-O1 -g -fsanitize=address,undefined \
		-fno-omit-frame-pointer -fno-sanitize-recover=all" test

fuzz:
	@tests/deps.sh asan
	@$(MAKE) --no-print-directory O=build/fuzz CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" \
		build/fuzz/libauthzone.a
	@for f in $(FUZZERS); do \
		clang -O1 -g -fsanitize=fuzzer,address,undefined $(ALL_CFLAGS) \
		    -o build/fuzz/$$f fuzz/$$f.c build/fuzz/libauthzone.a \
		    $(PKG_LIBS) || exit 1; \
		mkdir -p fuzz/corpus-new/$$f; \
		echo "fuzz: $$f for $${FUZZ_SECONDS:-60} s"; \
		build/fuzz/$$f -max_total_time=$${FUZZ_SECONDS:-60} \
		    -max_len=2048 fuzz/corpus-new/$$f fuzz/corpus/$$f || exit 1; \
	done

$(O)/bench/%: $(O)/bench/%.o $(O)/libauthzone.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# what bench/ measures on this machine, side by side with libspf2 and
# pyspf (bench/README.md)
bench:
	@tests/deps.sh bench
	@$(MAKE) --no-print-directory tools $(O)/bench/aggregate \
		$(O)/bench/parse $(O)/tests/dnsproxy
	@$(O)/bench/aggregate
	@BIN=$(CURDIR)/$(BIN) O=$(CURDIR)/$(O) /usr/bin/python3 bench/run.py

# the RFC 7208 suite against spf-eval, pyspf and libspf2 side by side
conformance:
	@tests/deps.sh conformance
	@$(MAKE) --no-print-directory tools $(O)/tests/dnsproxy
	@BIN=$(CURDIR)/$(BIN) O=$(CURDIR)/$(O) tests/conformance/compare.sh

golden: tools
	@BIN=$(CURDIR)/$(BIN) tests/cli/run --update

install: tools
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(TOOLS:%=$(BIN)/%) $(DESTDIR)$(BINDIR)
	install -m 644 $(TOOLS:%=man/%.1) $(DESTDIR)$(MANDIR)/man1

clean:
	rm -rf build $(BIN)
.SECONDARY:
