# Conformance test firmwares: each firmwares/NAME.c (or firmwares/NAME/*.c) is linked with
# firmwares/lib into $(BUILD)/firmwares/NAME.elf and NAME.bin. See firmwares/README.md.
#
# firmwares/lib and firmwares/payloads (S-mode payloads, not tests) are not firmwares.
# Harts: a firmware needs 1 hart unless it sets FW_HARTS_<name> below.
# `make -s print-firmware-tests` prints "NAME HARTS KIND" per firmware (KIND: see below).

FW_DIR   := firmwares
FW_OUT   := $(BUILD)/firmwares
FW_CFLAGS := -march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany \
	-ffreestanding -nostdlib -nostartfiles -fno-builtin -fno-jump-tables \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-pic \
	-O2 -g -Wall -Wextra -Werror -std=c11 -I$(FW_DIR)/lib
FW_LDFLAGS := -nostdlib -nostartfiles -static -Wl,--no-relax -Wl,--no-warn-rwx-segments -T $(FW_DIR)/lib/link.ld
FW_READELF := $(patsubst %gcc,%readelf,$(RV_CC))

FIRMWARE_TESTS := $(sort $(patsubst $(FW_DIR)/%.c,%,$(wildcard $(FW_DIR)/*.c)) \
	$(patsubst $(FW_DIR)/%/,%,$(filter-out $(FW_DIR)/lib/ $(FW_DIR)/payloads/,$(dir $(wildcard $(FW_DIR)/*/*.c)))))

FW_HARTS_smp_ipi := 2

# Kind: native (default: output compared natively vs under the monitor), monitor-only
# (compared with firmwares/expected/NAME.txt), bench (instruction counts, `make bench`).
# Monitor-only firmwares test what only exists under the monitor (natively they run, but
# their dump means nothing): list them in FW_MONITOR_ONLY.
FW_MONITOR_ONLY += monitor_isolation
FW_KIND_bench_traps := bench
fw_kind = $(or $(FW_KIND_$(1)),$(if $(filter $(1),$(FW_MONITOR_ONLY)),monitor-only),native)

fw_harts = $(or $(FW_HARTS_$(1)),1)
FIRMWARE_TESTS_SMP := $(foreach f,$(FIRMWARE_TESTS),$(if $(filter-out 1,$(call fw_harts,$(f))),$(f)))

FW_LIB_SRCS := $(wildcard $(FW_DIR)/lib/*.c $(FW_DIR)/lib/*.S)
FW_LIB_OBJS := $(patsubst $(FW_DIR)/lib/%,$(FW_OUT)/lib/%.o,$(FW_LIB_SRCS))
FW_HDRS := $(wildcard $(FW_DIR)/lib/*.h)

.PHONY: firmwares print-firmware-tests
firmwares: $(foreach f,$(FIRMWARE_TESTS),$(FW_OUT)/$(f).bin $(FW_OUT)/$(f).elf)

print-firmware-tests:
	@$(foreach f,$(FIRMWARE_TESTS),echo "$(f) $(call fw_harts,$(f)) $(call fw_kind,$(f))";)

$(FW_OUT)/lib/%.o: $(FW_DIR)/lib/% $(FW_HDRS)
	@mkdir -p $(dir $@)
	$(RV_CC) $(FW_CFLAGS) -c $< -o $@

$(FW_OUT)/obj/%.o: $(FW_DIR)/%.c $(FW_HDRS)
	@mkdir -p $(dir $@)
	$(RV_CC) $(FW_CFLAGS) -c $< -o $@

# Absolute relocations would tie the image to its link address: refuse them.
define FW_LINK_RULE
$(FW_OUT)/$(1).elf: $(FW_LIB_OBJS) $(FW_DIR)/lib/link.ld \
		$(patsubst $(FW_DIR)/%.c,$(FW_OUT)/obj/%.o,$(wildcard $(FW_DIR)/$(1).c $(FW_DIR)/$(1)/*.c))
	@mkdir -p $$(dir $$@)
	@if command -v $(FW_READELF) >/dev/null 2>&1 && \
	    $(FW_READELF) -rW $$(filter %.o,$$^) | \
	    awk '/^Relocation section/ { dbg = ($$$$3 ~ /debug/) } !dbg' | \
	    grep -E 'R_RISCV_(64|32|HI20|LO12_[IS]) '; then \
	    echo "error: absolute relocation in $$@" >&2; exit 1; fi
	$(RV_CC) $(FW_CFLAGS) $(FW_LDFLAGS) $$(filter %.o,$$^) -o $$@
endef
$(foreach f,$(FIRMWARE_TESTS),$(eval $(call FW_LINK_RULE,$(f))))

$(FW_OUT)/%.bin: $(FW_OUT)/%.elf
	$(RV_OBJCOPY) -O binary $< $@
