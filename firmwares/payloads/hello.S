/* A tiny S-mode payload: prints "Hello, world!" through the SBI legacy console, then asks
 * the firmware to power off (SBI SRST). Loaded at 0x80200000 (QEMU's -kernel address);
 * position independent, so it also runs wherever fw_dynamic's next_addr says. */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_SRST           0x53525354
    .section .text
    .globl _start
_start:
    /* Only the boot hart arrives here (OpenSBI keeps the others stopped, HSM). */
    lla     s0, message
1:  lbu     a0, 0(s0)
    beqz    a0, 2f
    li      a7, SBI_EXT_LEGACY_PUTCHAR
    ecall
    addi    s0, s0, 1
    j       1b
2:  li      a7, SBI_EXT_SRST
    li      a6, 0                   /* sbi_system_reset */
    li      a0, 0                   /* shutdown */
    li      a1, 0                   /* no reason */
    ecall
    /* Still here: no shutdown on this platform (sifive_u): a cold reboot ends QEMU when it
     * runs with -no-reboot. */
    li      a7, SBI_EXT_SRST
    li      a6, 0
    li      a0, 1                   /* cold reboot */
    li      a1, 0
    ecall
    /* Still here: the firmware refused; say so and stop. */
    lla     s0, failed
3:  lbu     a0, 0(s0)
    beqz    a0, 4f
    li      a7, SBI_EXT_LEGACY_PUTCHAR
    ecall
    addi    s0, s0, 1
    j       3b
4:  wfi
    j       4b

    .section .rodata
message: .asciz "Hello, world!\n"
failed:  .asciz "payload: SBI system reset failed\n"
