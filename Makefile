# sipsift — build, test, fuzz, bench.  See README.md.
#
#   make            build ./sipsift
#   make check      every test (prints "N passed, N failed" last), also under
#                   AddressSanitizer+UBSan, including the fuzz corpora replayed
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each (clang)
#   make bench      throughput of sipsift beside a libpcap loop and tshark, on
#                   generated captures and on sipp-made ones (needs root);
#                   memory per call and per stream at 100k concurrent calls
#                   (tests/bench-mem.sh)
#   make demo       calls table, ladder, lint, DTMF, decryption and audio of the bundled SRTP call

CC      ?= cc
PKGS    := libpcap libosip2 libsrtp2 libcrypto jansson sndfile zlib spandsp libbcg729 opus
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
# Link-time optimisation for ./sipsift (2 to 4 % on SIP-heavy runs,
# bench-sipp A/B: calls across files inline). The objects are fat, so the
# unit tests and fuzz replays link their plain code as before. LTO= turns
# it off; the sanitizer and fuzz builds do.
LTO     ?= -flto=auto -ffat-lto-objects
# make check builds with WERROR=-Werror (so does CI); a plain make does not,
# so that a newer compiler's new warning does not stop a user's build.
WERROR  ?=
XCFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) -Iinclude -Isrc $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm -pthread
BUILD   ?= build

VERSION := $(shell cat VERSION)
XCFLAGS += -DSIFT_VERSION='"$(VERSION)"'

SRC     := $(sort $(wildcard src/*.c src/*/*.c))
HDR     := $(wildcard include/sipsift/*.h src/*.h src/*/*.h)
LIBSRC  := $(filter-out src/main.c,$(SRC))
LIBOBJ  := $(LIBSRC:src/%.c=$(BUILD)/obj/%.o)
LIB     := $(BUILD)/libsipsift.a

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/replay/%)
FUZZ_SECONDS ?= 60

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: FORCE all check units replays asan-build tsan-build fuzz bench demo clean html-check
all: sipsift

# Objects follow the flags they were built with (a -Werror build after a
# plain one recompiles everything).
$(BUILD)/.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(LTO) $(XCFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LTO) $(XCFLAGS)' > $@

$(BUILD)/obj/%.o: src/%.c $(HDR) Makefile VERSION $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LTO) $(XCFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/sipsift: $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LTO) $(LDFLAGS) -o $@ $^ $(LDLIBS)

sipsift: $(BUILD)/sipsift
	cp $< $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) -Itests/unit $(LDFLAGS) $(UNIT_LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) $(shell pkg-config --libs cmocka)

# test_oom fails the library's allocations in turn: its calls to them go
# to the test's wrappers.
$(BUILD)/tests/test_oom: UNIT_LDFLAGS = $(foreach f,malloc calloc realloc strdup strndup,-Wl,--wrap=$(f))

# Fuzz targets as plain programs that replay files (fuzz/replay_main.c).
$(BUILD)/replay/%: fuzz/%.c fuzz/replay_main.c fuzz/fuzz_check.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(XCFLAGS) $(LDFLAGS) -o $@ $< fuzz/replay_main.c $(LIB) $(LDLIBS)

units: $(UNIT_BIN)
replays: $(REPLAY_BIN)

# The sanitizer build lives in build-asan/ (same sources, own objects).
# It also puts every quiet call at rest at once and every finding in the
# spill, and keeps one call and one finding read back (call.h, finding.h):
# its golden and CLI cases then read almost everything back from the
# temporary file, and must print what the plain build prints.
REST_STRESS := -DSIFT_CALL_REST=0 -DSIFT_CALLS_READ=1 -DSIFT_FINDINGS_READ=1 \
	-DSIFT_FINDINGS_SPILL_AFTER=0
asan-build:
	@$(MAKE) --no-print-directory BUILD=build-asan LTO= CFLAGS="$(SAN_FLAGS) $(REST_STRESS)" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/sipsift units replays

# -j 2's reader thread under ThreadSanitizer (build-tsan/sipsift, run by
# tests/run-all.sh's sanitizer lane on a few captures: tests/jobs.sh).
tsan-build:
	@$(MAKE) --no-print-directory BUILD=build-tsan LTO= CFLAGS="-O1 -g -fsanitize=thread" \
	  LDFLAGS="-fsanitize=thread" build-tsan/sipsift

# The build runs one job per core; tests/run-all.sh runs its plain and
# sanitizer lanes side by side.
CHECK_JOBS ?= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
check:
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) WERROR=-Werror sipsift units replays asan-build tsan-build
	@BUILD=$(BUILD) SIPSIFT=./sipsift ASAN_BUILD=build-asan TSAN_BUILD=build-tsan tests/run-all.sh

# The HTML report in headless Chromium for every capture (make check opens
# a handful: tests/html.sh).
html-check: sipsift
	@HTML_ALL=1 BUILD=$(BUILD) SIPSIFT=./sipsift tests/html.sh

# libFuzzer builds (clang) in build-fuzz/.
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
build-fuzz/fuzz/%: fuzz/%.c fuzz/fuzz_check.h build-fuzz/libsipsift.a
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(XCFLAGS) -o $@ $< build-fuzz/libsipsift.a $(LDLIBS)

build-fuzz/libsipsift.a: $(SRC) $(HDR)
	@$(MAKE) --no-print-directory BUILD=build-fuzz LTO= CC=clang CFLAGS="$(FUZZ_CFLAGS)" build-fuzz/libsipsift.a-real

build-fuzz/libsipsift.a-real: $(LIBSRC:src/%.c=build-fuzz/obj/%.o)
	@rm -f build-fuzz/libsipsift.a
	$(AR) rcs build-fuzz/libsipsift.a $^

fuzz: $(FUZZ_SRC:fuzz/%.c=build-fuzz/fuzz/%)
	@for t in $(FUZZ_SRC:fuzz/%.c=%); do \
	  mkdir -p fuzz/corpus/$$t build-fuzz/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  build-fuzz/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -rss_limit_mb=2048 -timeout=10 build-fuzz/corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

# The SRTP micro-bench (tests/bench_srtp.c) links the library.
$(BUILD)/bench_srtp: tests/bench_srtp.c $(LIB)
	$(CC) $(CFLAGS) $(XCFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

bench: sipsift $(BUILD)/bench_srtp
	@rc=0; BENCH_SRTP_MICRO=$(BUILD)/bench_srtp tests/bench.sh || rc=1; \
	  tests/bench-sipp.sh || rc=1; tests/bench-mem.sh || rc=1; exit $$rc

# The main job on the bundled SRTP call with DTMF (README's first command).
DEMO := testdata/srtp-dtmf-call.pcap
demo: sipsift
	./sipsift calls $(DEMO)
	./sipsift flow --call 1 $(DEMO)
	./sipsift lint $(DEMO)
	./sipsift dtmf $(DEMO)
	@mkdir -p $(BUILD)
	./sipsift decrypt -w $(BUILD)/demo-plain.pcap $(DEMO)
	./sipsift audio -d $(BUILD)/demo-wav $(DEMO)

clean:
	rm -rf build build-asan build-fuzz sipsift
