# Miralis-C: one non-recursive Makefile. Every folder adds its own rules in a *.mk file.
# Configuration is by make variables (see docs/CONFIG.md); `make help` lists them.

PLATFORM  ?= virt
FIRMWARE  ?= opensbi-jump
PAYLOAD   ?= hello
HARTS     ?= 1
LOG_LEVEL ?= info
STATS     ?= 0

BUILD     := build
CROSS     ?= riscv64-unknown-elf-
RV_CC     := $(CROSS)gcc
RV_OBJCOPY:= $(CROSS)objcopy
HOST_CC   ?= cc
PYTHON    := /usr/bin/python3

## all: build the monitor, the test firmwares and the payloads (default)
## test: install what is missing, build, run every test (unit + QEMU); ends with "N passed, N failed"
.DEFAULT_GOAL := all
.PHONY: all deps help run

# Names for the firmwares and payloads `make run` knows; anything else is taken as a path
# (or the name of a test firmware in build/firmwares).
OPENSBI_DIR := /usr/lib/riscv64-linux-gnu/opensbi/generic
FW_PATH_opensbi-jump    := $(OPENSBI_DIR)/fw_jump.bin
FW_PATH_opensbi-dynamic := $(OPENSBI_DIR)/fw_dynamic.bin
FW_PATH_uboot-mmode     := /usr/lib/u-boot/qemu-riscv64/u-boot.bin
PAYLOAD_PATH_hello      := $(BUILD)/payloads/hello.bin
PAYLOAD_PATH_uboot      := /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
PAYLOAD_PATH_none       :=
firmware_path = $(or $(FW_PATH_$(FIRMWARE)),$(if $(wildcard firmwares/$(FIRMWARE).c),$(BUILD)/firmwares/$(FIRMWARE).bin),$(FIRMWARE))
payload_path  = $(if $(filter none,$(PAYLOAD)),,$(or $(PAYLOAD_PATH_$(PAYLOAD)),$(PAYLOAD)))

deps:
	@scripts/install-deps

include platform/$(PLATFORM)/platform.mk
include miralis/miralis.mk
include firmwares/firmwares.mk
include firmwares/payloads/payloads.mk
include tests/tests.mk
include gdbstub/gdbstub.mk
include linux/linux.mk
include tracer/tracer.mk

all: monitor firmwares payloads

## run: install what is missing, build, and boot FIRMWARE (+ PAYLOAD) under the monitor
run: deps all
	@scripts/run-qemu --smp $(HARTS) --timeout $(or $(TIMEOUT),3600) $(if $(filter 1,$(NATIVE)),--native) \
	    $(if $(payload_path),--kernel $(payload_path)) $(firmware_path)

help:
	@sed -n 's/^## //p' Makefile $(wildcard */*.mk) docs/CONFIG.md

## bench: instructions per trap path (firmware CSR access, MMIO, traps, world switches), -icount
.PHONY: bench
bench: deps all
	@$(MAKE) -s --no-print-directory monitor TRACE_COMPILE=0 BUILD=$(BUILD)/trace-none
	@scripts/bench --tracer-off-vs $(BUILD)/trace-none
include fuzz/fuzz.mk

# ---- debugging the firmware with GDB (gdbstub/README.md) ----
GDB_PORT ?= 1234
firmware_elf = $(or $(wildcard $(patsubst %.bin,%.elf,$(firmware_path))),$(if $(wildcard firmwares/$(FIRMWARE).c),$(BUILD)/firmwares/$(FIRMWARE).elf))
.PHONY: debug gdb monitor-gdb
monitor-gdb:
	@$(MAKE) -s --no-print-directory monitor GDB=1 BUILD=$(BUILD)/gdb
	@$(MAKE) -s --no-print-directory monitor GDB=1 BUILD=$(BUILD)/gdb PLATFORM=sifive_u

## debug: start FIRMWARE (+ PAYLOAD) under a monitor with the GDB stub, waiting for GDB on GDB_PORT
debug: deps all monitor-gdb
	@echo "miralis: waiting for gdb on 127.0.0.1:$(GDB_PORT): run 'make gdb' in another terminal"
	@BUILD=$(BUILD)/gdb scripts/run-qemu --smp $(HARTS) --timeout $(or $(TIMEOUT),3600) \
	    $(if $(payload_path),--kernel $(payload_path)) $(firmware_path) -- \
	    $(shell $(MAKE) -s --no-print-directory print-qemu-debug GDB_PORT=$(GDB_PORT))

## gdb: gdb-multiarch connected to `make debug`, with the firmware's symbols when it has some
gdb:
	gdb-multiarch -x scripts/gdbinit -ex 'target remote 127.0.0.1:$(GDB_PORT)' $(firmware_elf)
