# Fuzzing and differential testing of the decoder and emulator (fuzz/README.md).
# Each harness is fuzz/h_NAME.c (one LLVMFuzzerTestOneInput) built, from the monitor's own
# core sources over the host arch layer, for libFuzzer, AFL++, a plain replay and coverage.
# A new harness: add fuzz/h_NAME.c, fuzz/corpus/NAME/ (seeds) and NAME to FUZZ_HARNESSES.

FUZZ_HARNESSES := decoder emulator mmio trace gdb

FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_CC      ?= clang
FUZZ_AFL_CC  ?= $(shell command -v afl-clang-lto >/dev/null 2>&1 && echo afl-clang-lto || echo afl-clang-fast)
LLVM_PROFDATA ?= llvm-profdata-14
LLVM_COV     ?= llvm-cov-14
FUZZ_DEFS    := -DCONFIG_MAX_HARTS=8 -DCONFIG_LOG_LEVEL=0 -DCONFIG_TEST_HOOKS=0 -DCONFIG_TRACE=1 \
                -DCONFIG_TRACE_RING=16
FUZZ_INC     := -Imiralis/include -Itracer -Igdbstub -Imiralis/arch/host -Ifuzz
FUZZ_WARN    := -std=c11 -Wall -Wextra -Werror -Wno-unused-command-line-argument
FUZZ_CORE     = $(CORE_SOURCES) $(wildcard miralis/arch/host/*.c) fuzz/harness.c $(GDBSTUB_SOURCES)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all

# The code under test of each harness: in the libFuzzer builds (lf, perf) only these sources
# get coverage and comparison instrumentation (-fsanitize=fuzzer-no-link); the harness, the
# host model and the rest of the core are built with the same sanitizers but no coverage, so
# libFuzzer's feedback (edges, trace-cmp) is the code under test's alone and it scans and
# traces nothing else after each run. The other builds instrument everything.
FUZZ_UT_decoder  = miralis/core/decode.c
# The trap path: the core and the tracer's trap hooks; the tracer's ring and record encoder
# (tracer/trace.c, the trace harness's code under test) and the console (log.c) still run,
# sanitised, when an emulator input turns the tracer on.
FUZZ_UT_emulator = $(filter-out miralis/core/boot.c miralis/core/fdt.c miralis/core/log.c \
                     miralis/core/vuart16550.c tracer/trace.c,$(CORE_SOURCES))
FUZZ_UT_mmio     = $(FUZZ_UT_emulator)
FUZZ_UT_trace    = $(filter tracer/%,$(CORE_SOURCES))
# target.xml is generated, not parsed (its own unit tests): instrumented, its per-character
# loops took half the gdb harness's time.
FUZZ_UT_gdb      = $(filter-out gdbstub/gdb_xml.c,$(GDBSTUB_SOURCES))

# Variants: name, compiler, compile flags, link flags, driver.
#  lf     libFuzzer + ASan + UBSan (campaigns, smoke runs)
#  perf   libFuzzer, no sanitizers, -O2 (the exec/s figures)
#  afl    AFL++ persistent mode + ASan + UBSan (driver_afl.c)
#  replay plain clang + ASan + UBSan (fuzz-repro, corpus replay in make test)
#  cov    clang source-based coverage (fuzz-cov)
FUZZ_V_lf_CC      = $(FUZZ_CC)
FUZZ_V_lf_CFLAGS  = -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_V_lf_PLAIN   = -O1 -g $(FUZZ_SAN)
FUZZ_V_lf_LDFLAGS = -fsanitize=fuzzer $(FUZZ_SAN)
FUZZ_V_lf_DRIVER  =
FUZZ_V_perf_CC      = $(FUZZ_CC)
FUZZ_V_perf_CFLAGS  = -O2 -g -fsanitize=fuzzer-no-link
FUZZ_V_perf_PLAIN   = -O2 -g
FUZZ_V_perf_LDFLAGS = -fsanitize=fuzzer
FUZZ_V_perf_DRIVER  =
FUZZ_V_afl_CC      = $(FUZZ_AFL_CC)
FUZZ_V_afl_CFLAGS  = -O1 -g $(FUZZ_SAN)
FUZZ_V_afl_LDFLAGS = $(FUZZ_SAN)
FUZZ_V_afl_DRIVER  = fuzz/driver_afl.c
FUZZ_V_replay_CC      = $(FUZZ_CC)
FUZZ_V_replay_CFLAGS  = -O1 -g $(FUZZ_SAN)
FUZZ_V_replay_LDFLAGS = $(FUZZ_SAN)
FUZZ_V_replay_DRIVER  = fuzz/driver_replay.c
FUZZ_V_cov_CC      = $(FUZZ_CC)
FUZZ_V_cov_CFLAGS  = -O0 -g -fprofile-instr-generate -fcoverage-mapping
FUZZ_V_cov_LDFLAGS = -fprofile-instr-generate
FUZZ_V_cov_DRIVER  = fuzz/driver_replay.c
FUZZ_VARIANTS := lf perf afl replay cov

#  A variant with FUZZ_V_v_PLAIN instruments only FUZZ_UT_h (objects in obj/), the rest of
#  harness h is compiled with FUZZ_V_v_PLAIN (objects in objp/).
# fuzz_obj(variant, harness, source): the object of source in that harness.
fuzz_obj = $(FUZZ_BUILD)/$(1)/$(if $(and $(FUZZ_V_$(1)_PLAIN),$(filter-out $(FUZZ_UT_$(2)),$(3))),objp,obj)/$(3:.c=.o)
define FUZZ_VARIANT_RULES
$(FUZZ_BUILD)/$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	@echo "  FUZZCC  [$(1)] $$<"
	@$$(FUZZ_V_$(1)_CC) $$(FUZZ_WARN) $$(FUZZ_V_$(1)_CFLAGS) $$(FUZZ_DEFS) $$(FUZZ_INC) -MMD -MP -c $$< -o $$@
$(FUZZ_BUILD)/$(1)/objp/%.o: %.c
	@mkdir -p $$(@D)
	@echo "  FUZZCC  [$(1), no coverage] $$<"
	@$$(FUZZ_V_$(1)_CC) $$(FUZZ_WARN) $$(FUZZ_V_$(1)_PLAIN) $$(FUZZ_DEFS) $$(FUZZ_INC) -MMD -MP -c $$< -o $$@
$(foreach h,$(FUZZ_HARNESSES),
$(FUZZ_BUILD)/$(1)/$(h): $$(foreach s,$$(FUZZ_CORE) fuzz/h_$(h).c $$(FUZZ_V_$(1)_DRIVER),$$(call fuzz_obj,$(1),$(h),$$(s)))
	@echo "  FUZZLD  [$(1)] $$@"
	@$$(FUZZ_V_$(1)_CC) $$(FUZZ_V_$(1)_LDFLAGS) $$^ -o $$@)
endef
$(foreach v,$(FUZZ_VARIANTS),$(eval $(call FUZZ_VARIANT_RULES,$(v))))
-include $(wildcard $(foreach o,obj objp,$(FUZZ_BUILD)/*/$(o)/*/*.d $(FUZZ_BUILD)/*/$(o)/*/*/*.d $(FUZZ_BUILD)/*/$(o)/*/*/*/*.d))

fuzz_bins = $(foreach h,$(FUZZ_HARNESSES),$(FUZZ_BUILD)/$(1)/$(h))

# The decoder differential against binutils' libopcodes (riscv64, H extension enabled by the
# ELF attributes of a tiny object assembled with -march=rv64imafdch).
FUZZ_OPCODES_LIBS ?= -lopcodes-multiarch -lbfd-multiarch
$(FUZZ_BUILD)/tools/march.o: fuzz/diff/march.S
	@mkdir -p $(@D)
	@$(CROSS)as -march=rv64imafdch $< -o $@
$(FUZZ_BUILD)/tools/decoder-diff: fuzz/diff/decoder_diff.c miralis/core/decode.c $(FUZZ_BUILD)/tools/march.o
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror $(FUZZ_INC) \
	    -DMARCH_OBJ='"$(abspath $(FUZZ_BUILD)/tools/march.o)"' \
	    fuzz/diff/decoder_diff.c miralis/core/decode.c $(FUZZ_OPCODES_LIBS) -o $@

.PHONY: fuzz fuzz-repro fuzz-cov fuzz-diff fuzz-bench fuzz-test-builds fuzz-deps

## fuzz: a fuzzing campaign: make fuzz HARNESS=decoder|emulator|mmio|trace ENGINE=libfuzzer|afl TIME=seconds
# (HARNESS, ENGINE, TIME, N, SEED are read with defaults at use: no global definitions.)
fuzz_h = $(or $(HARNESS),decoder)
fuzz_engine = $(or $(ENGINE),libfuzzer)
fuzz: $(FUZZ_BUILD)/$(if $(filter afl,$(fuzz_engine)),afl,lf)/$(fuzz_h)
	@$(PYTHON) fuzz/campaign.py --harness $(fuzz_h) --engine $(fuzz_engine) \
	    --time $(or $(TIME),60) --build $(FUZZ_BUILD)

## fuzz-repro: replay one input (or a directory) in a plain ASan+UBSan build: make fuzz-repro FILE=path [HARNESS=...]
fuzz-repro: $(call fuzz_bins,replay)
	@test -n "$(FILE)" || { echo "usage: make fuzz-repro FILE=path [HARNESS=name]"; exit 2; }
	@h=$(if $(filter command line,$(origin HARNESS)),$(HARNESS),$$(echo "$(FILE)" | tr / '\n' | grep -xE '$(subst $(eval) ,|,$(FUZZ_HARNESSES))' | tail -1)); \
	  test -n "$$h" || { echo "fuzz-repro: cannot tell the harness from $(FILE): give HARNESS="; exit 2; }; \
	  echo "harness $$h: $(FILE)"; FUZZ_VERBOSE=1 $(FUZZ_BUILD)/replay/$$h $(FILE)

## fuzz-cov: llvm-cov report of the corpora and regression inputs (build/fuzz/cov/report.txt, html/)
fuzz-cov: $(call fuzz_bins,cov)
	@$(PYTHON) fuzz/campaign.py --coverage --build $(FUZZ_BUILD) --profdata $(LLVM_PROFDATA) \
	    --llvm-cov $(LLVM_COV) --harnesses "$(FUZZ_HARNESSES)"

## fuzz-diff: transparency campaign (random privileged programs, native vs monitor): make fuzz-diff N=50 [SEED=1]
fuzz-diff: monitor
	@$(PYTHON) fuzz/transparency/campaign.py --n $(or $(N),20) --seed $(or $(SEED),1)

## fuzz-bench: exec/s of each harness (libFuzzer, no sanitizers, one core): make fuzz-bench [TIME=10]
fuzz-bench: $(call fuzz_bins,perf)
	@$(PYTHON) fuzz/campaign.py --bench --build $(FUZZ_BUILD) --time $(or $(TIME),10) \
	    --harnesses "$(FUZZ_HARNESSES)"

# What the fuzz part of `make test` needs (tests/integration/test_fuzz.py).
fuzz-test-builds: $(call fuzz_bins,lf) $(call fuzz_bins,afl) $(call fuzz_bins,replay) \
                  $(FUZZ_BUILD)/tools/decoder-diff monitor
