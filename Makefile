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

.DEFAULT_GOAL := all
.PHONY: all deps help

deps:
	@scripts/install-deps

include platform/$(PLATFORM)/platform.mk
include miralis/miralis.mk
include firmwares/firmwares.mk
include firmwares/payloads/payloads.mk
include tests/tests.mk

all: monitor firmwares payloads

help:
	@sed -n '/^## /s/^## //p' docs/CONFIG.md
