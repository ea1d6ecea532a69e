# S-mode payloads handed to the firmware (QEMU -kernel): $(BUILD)/payloads/NAME.bin
PAYLOAD_OUT := $(BUILD)/payloads

.PHONY: payloads
payloads: $(PAYLOAD_OUT)/hello.bin $(PAYLOAD_OUT)/sbreak.bin $(PAYLOAD_OUT)/sbreak.elf

$(PAYLOAD_OUT)/%.elf: firmwares/payloads/%.S firmwares/payloads/sbi_console.h
	@mkdir -p $(@D)
	@echo "  AS      $<"
	@$(RV_CC) -march=rv64imac_zicsr -mabi=lp64 -nostdlib -static -Wl,-Ttext=0x80200000 \
	    -Wl,--no-warn-rwx-segments $< -o $@

$(PAYLOAD_OUT)/%.bin: $(PAYLOAD_OUT)/%.elf
	@$(RV_OBJCOPY) -O binary $< $@

# Firmwares for the monitor's test hooks: panic_hook1 (panic), panic_hook2 (monitor fault).
payloads: $(PAYLOAD_OUT)/panic_hook1.bin $(PAYLOAD_OUT)/panic_hook2.bin
$(PAYLOAD_OUT)/panic_hook%.elf: firmwares/payloads/panic_hook.S
	@mkdir -p $(@D)
	@$(RV_CC) -DHOOK=$* -march=rv64imac_zicsr -mabi=lp64 -nostdlib -static -Wl,-Ttext=0x80000000 \
	    -Wl,--no-warn-rwx-segments $< -o $@
