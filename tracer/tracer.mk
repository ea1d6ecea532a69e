# Tracer, host side (tracer/README.md, "Host tool"): `make trace`, the record encoder for
# the format tests, and the tracing monitors the tests run (trace-test-builds).

TRACE_TOOL  := tracer/miralis-trace
TRACE_OUT   := $(BUILD)/trace
# Kinds `make trace` records from boot: TRACE_KINDS=csr,sbi (or TRACE=...), default all.
TRACE_KINDS ?= $(or $(TRACE),all)
# ELFs that symbolize the trace: the firmware's and the payload's .elf next to their .bin
# (build/firmwares/NAME.elf, Debian's fw_jump.elf, build/payloads/hello.elf), if present.
TRACE_ELFS   = $(wildcard $(basename $(firmware_path)).elf $(if $(payload_path),$(basename $(payload_path)).elf))

## trace: build a monitor that traces from boot (TRACE_KINDS=..., default all) into build/trace,
##        boot FIRMWARE (+ PAYLOAD) like `make run`, and write build/trace/console.log (raw),
##        console.txt, trace.jsonl, report.txt, summary.txt, perfetto.json and plots/
.PHONY: trace trace-monitor trace-test-builds trace-tools
trace: deps firmwares payloads trace-monitor $(PAYLOAD_OUT)/hello.elf
	@echo "  RUN     $(firmware_path) $(payload_path) (TRACE=$(TRACE_KINDS), console in $(TRACE_OUT)/console.log)"
	@PLATFORM=$(PLATFORM) BUILD=$(TRACE_OUT) scripts/run-qemu --smp $(HARTS) --timeout $(or $(TIMEOUT),3600) \
	    $(if $(payload_path),--kernel $(payload_path)) $(firmware_path) > $(TRACE_OUT)/console.log 2>&1 \
	    || echo "  (QEMU exit status $$?)"
	@$(PYTHON) $(TRACE_TOOL) extract $(TRACE_OUT)/console.log -o $(TRACE_OUT)/trace.jsonl \
	    --console $(TRACE_OUT)/console.txt
	@cat $(TRACE_OUT)/console.txt
	@$(PYTHON) $(TRACE_TOOL) decode $(TRACE_OUT)/trace.jsonl --platform $(PLATFORM) \
	    $(addprefix --elf ,$(TRACE_ELFS)) > $(TRACE_OUT)/report.txt
	@$(PYTHON) $(TRACE_TOOL) summary $(TRACE_OUT)/trace.jsonl --platform $(PLATFORM) \
	    $(addprefix --elf ,$(TRACE_ELFS)) > $(TRACE_OUT)/summary.txt
	@$(PYTHON) $(TRACE_TOOL) perfetto $(TRACE_OUT)/trace.jsonl --platform $(PLATFORM) \
	    $(addprefix --elf ,$(TRACE_ELFS)) -o $(TRACE_OUT)/perfetto.json
	@$(PYTHON) $(TRACE_TOOL) plot $(TRACE_OUT)/trace.jsonl --platform $(PLATFORM) \
	    -o $(TRACE_OUT)/plots > /dev/null || true
	@head -n 40 $(TRACE_OUT)/summary.txt
	@echo "  trace: $(TRACE_OUT)/{trace.jsonl,report.txt,summary.txt,perfetto.json,plots/} (ui.perfetto.dev opens perfetto.json)"

# TRACE_* options other than the kinds (TRACE_CSR, TRACE_RING, ...) pass through as given.
trace-monitor:
	@$(MAKE) -s --no-print-directory monitor TRACE=$(TRACE_KINDS) BUILD=$(TRACE_OUT)

# The record encoder (tests/integration/test_trace.py): the monitor's tracer/trace.c and
# log.c, built for the host with the unit tests' flags, and its own stubs.
$(HOST_BUILD)/trace-encode: tests/tools/trace_encode.c tracer/trace.c tracer/trace.h \
		tracer/trace_format.h miralis/core/log.c
	@mkdir -p $(@D)
	@$(HOST_CC) $(HOST_CFLAGS) $(filter %.c,$^) -o $@

trace-tools: $(HOST_BUILD)/trace-encode $(PAYLOAD_OUT)/hello.elf

# Tracing monitors for tests/integration/test_trace.py (each its own BUILD folder), the
# encoder, and the payload's ELF for symbols.
trace-test-builds: trace-tools
	@$(MAKE) -s --no-print-directory monitor TRACE=all BUILD=$(BUILD)/trace-all
	@$(MAKE) -s --no-print-directory monitor TRACE=csr BUILD=$(BUILD)/trace-csr
	@$(MAKE) -s --no-print-directory monitor TRACE=csr TRACE_CSR=0x300-0x3ff BUILD=$(BUILD)/trace-mcsr
	@$(MAKE) -s --no-print-directory monitor TRACE=all TRACE_RING=16 TRACE_STREAM=0 BUILD=$(BUILD)/trace-ring
	@$(MAKE) -s --no-print-directory monitor TRACE=sbi,world BUILD=$(BUILD)/trace-sbi
	@$(MAKE) -s --no-print-directory monitor TRACE=sbi,world TRACE_RING=16 BUILD=$(BUILD)/trace-board PLATFORM=sifive_u
	@$(MAKE) -s --no-print-directory monitor TRACE_COMPILE=0 BUILD=$(BUILD)/trace-none
