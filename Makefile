# sipsift — build, test, fuzz, bench.  See README.md.
#
#   make            build ./sipsift
#   make check      everything a contributor keeps green (prints "N passed, N failed" last)
#   make check-asan the same tests against an ASan+UBSan build, plus the fuzz corpora
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each (clang)
#   make bench      throughput of sipsift beside libpcap and tshark

CC      ?= cc
PKGS    := libpcap libosip2 libsrtp2 jansson sndfile zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Isrc $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm
BUILD   ?= build

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CFLAGS  += -DSIFT_VERSION='"$(VERSION)"'

SRC     := $(sort $(wildcard src/*.c))
LIBSRC  := $(filter-out src/main.c,$(SRC))
LIBOBJ  := $(LIBSRC:src/%.c=$(BUILD)/obj/%.o)
LIB     := $(BUILD)/libsipsift.a

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: all check check-asan unit golden cli manlint fuzz fuzz-replay bench clean
all: sipsift

$(BUILD)/obj/%.o: src/%.c $(wildcard include/sipsift/*.h src/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $^

sipsift: $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) $(shell pkg-config --libs cmocka)

unit: $(UNIT_BIN)

# The whole suite: one summary line "N passed, N failed" at the end.
check: sipsift $(UNIT_BIN)
	@BUILD=$(BUILD) SIPSIFT=./sipsift tests/run-all.sh

# Same suite on a sanitizer build (separate build dir), plus the fuzz corpora
# replayed through the fuzz targets compiled as plain programs.
check-asan:
	$(MAKE) BUILD=build-asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/sipsift-asan build-asan-units fuzz-replay-asan
	@BUILD=build-asan SIPSIFT=build-asan/sipsift-asan SIFT_SANITIZED=1 tests/run-all.sh

build-asan/sipsift-asan: $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build-asan-units: $(UNIT_BIN)

# Fuzz targets as plain replay programs (tests/fuzz_main.c provides main()).
$(BUILD)/replay/%: fuzz/%.c $(LIB) fuzz/replay_main.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< fuzz/replay_main.c $(LIB) $(LDLIBS)

REPLAY_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/replay/%)
fuzz-replay-asan: $(REPLAY_BIN)

# libFuzzer builds (clang only).
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
$(BUILD)/fuzz/%: fuzz/%.c
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" build-fuzz/libsipsift.a
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -std=c11 -D_GNU_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) \
	  -o $@ $< build-fuzz/libsipsift.a $(LDLIBS)

fuzz:
	@for t in $(FUZZ_SRC:fuzz/%.c=%); do \
	  $(MAKE) --no-print-directory BUILD=build-fuzz build-fuzz/fuzz/$$t || exit 1; \
	  mkdir -p fuzz/corpus/$$t build-fuzz/new-corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  build-fuzz/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 \
	    -timeout=10 build-fuzz/new-corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

bench: sipsift
	@tests/bench.sh

clean:
	rm -rf build build-asan build-fuzz sipsift
