# Linux for the "boot Linux under the monitor" tests: a riscv64 Linux 6.1 Image per
# platform, built from Debian's linux-source-6.1 by scripts/build-linux and cached outside
# the checkout, and an initramfs of our own static programs (linux/initramfs/).
# See linux/README.md.
#
## linux: the Linux Image for LINUX_PLATFORM (default PLATFORM) -> build/linux/<platform>/Image (cached in ~/.cache/miralis-c)
## linux-images: the Linux Images of every platform in LINUX_PLATFORMS (virt sifive_u)
## initramfs: build/linux/initramfs.cpio.gz (/init + /bin/workloads, static riscv64 programs)

LINUX_PLATFORM  ?= $(PLATFORM)
LINUX_PLATFORMS ?= virt sifive_u
LINUX_CROSS     ?= riscv64-linux-gnu-
LINUX_BUILD     := $(BUILD)/linux
# Paths, for run scripts and tests: LINUX_IMAGE (this platform), LINUX_IMAGE_<platform>,
# LINUX_INITRAMFS.
LINUX_IMAGE_virt     := $(LINUX_BUILD)/virt/Image
LINUX_IMAGE_sifive_u := $(LINUX_BUILD)/sifive_u/Image
LINUX_IMAGE          := $(LINUX_BUILD)/$(LINUX_PLATFORM)/Image
LINUX_INITRAMFS      := $(LINUX_BUILD)/initramfs.cpio.gz

INITRAMFS_DIR    := $(LINUX_BUILD)/initramfs
INITRAMFS_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -static -pthread
INITRAMFS_WL_SRC := $(wildcard linux/initramfs/workloads/*.c)

.PHONY: linux linux-images initramfs print-linux-paths linux-FORCE
linux: $(LINUX_IMAGE)
linux-images: $(foreach p,$(LINUX_PLATFORMS),$(LINUX_BUILD)/$(p)/Image)
initramfs: $(LINUX_INITRAMFS)

# The script decides whether to build (its cache key); it runs every time, and in a
# second run only hashes and copies.
$(LINUX_BUILD)/%/Image: linux-FORCE
	@scripts/build-linux image $* $@

$(LINUX_BUILD)/tools/gen_init_cpio: scripts/build-linux
	@scripts/build-linux gen-init-cpio $@

$(INITRAMFS_DIR)/init: linux/initramfs/init.c linux/initramfs/common.h
	@mkdir -p $(@D)
	@echo "  LINUXCC $@"
	@$(LINUX_CROSS)gcc $(INITRAMFS_CFLAGS) $< -o $@

$(INITRAMFS_DIR)/workloads: $(INITRAMFS_WL_SRC) linux/initramfs/common.h
	@mkdir -p $(@D)
	@echo "  LINUXCC $@"
	@$(LINUX_CROSS)gcc $(INITRAMFS_CFLAGS) $(INITRAMFS_WL_SRC) -o $@

# gen_init_cpio list: no root needed for the device node; fixed timestamp (-t 0).
$(LINUX_BUILD)/initramfs.list: linux/linux.mk
	@mkdir -p $(@D)
	@printf '%s\n' \
	  'dir /dev 0755 0 0' 'nod /dev/console 0600 0 0 c 5 1' 'dir /proc 0555 0 0' \
	  'dir /sys 0555 0 0' 'dir /bin 0755 0 0' 'dir /tmp 1777 0 0' \
	  'file /init $(abspath $(INITRAMFS_DIR)/init) 0755 0 0' \
	  'file /bin/workloads $(abspath $(INITRAMFS_DIR)/workloads) 0755 0 0' > $@

$(LINUX_INITRAMFS): $(LINUX_BUILD)/initramfs.list $(LINUX_BUILD)/tools/gen_init_cpio \
                    $(INITRAMFS_DIR)/init $(INITRAMFS_DIR)/workloads
	@echo "  CPIO    $@"
	@$(LINUX_BUILD)/tools/gen_init_cpio -t 0 $< > $(@:.gz=)
	@gzip -9n < $(@:.gz=) > $@

print-linux-paths:
	@echo LINUX_IMAGE=$(LINUX_IMAGE) $(foreach p,$(LINUX_PLATFORMS),LINUX_IMAGE_$(p)=$(LINUX_BUILD)/$(p)/Image) LINUX_INITRAMFS=$(LINUX_INITRAMFS)

# The QEMU tests boot Linux (tests/integration/test_linux.py).
test integration: linux-images initramfs

# `make run-linux`: Linux under the monitor with Debian's OpenSBI; the init's prompt by
# default (WORKLOAD=shell), or e.g. `make run-linux WORKLOAD=all HARTS=4` to run the
# workloads and power off. NATIVE=1: the same without the monitor.
WORKLOAD ?= shell
LINUX_CONSOLE_virt     := ttyS0
LINUX_CONSOLE_sifive_u := ttySIF0
.PHONY: run-linux
## run-linux: boot Linux under the monitor (WORKLOAD=shell|all|a,b HARTS=N FIRMWARE=... NATIVE=1)
run-linux: deps all linux initramfs
	@scripts/run-qemu --smp $(HARTS) --timeout $(or $(TIMEOUT),3600) $(if $(filter 1,$(NATIVE)),--native) \
	    --kernel $(LINUX_IMAGE) $(firmware_path) -- -initrd $(LINUX_INITRAMFS) \
	    -append "console=$(LINUX_CONSOLE_$(PLATFORM)) earlycon=sbi workload=$(WORKLOAD) panic=-1"
