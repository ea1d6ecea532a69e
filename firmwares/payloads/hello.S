/* A tiny S-mode payload: prints "Hello, world!" through the SBI legacy console, then asks
 * the firmware to power off (SBI SRST). Loaded at 0x80200000 (QEMU's -kernel address);
 * position independent, so it also runs wherever fw_dynamic's next_addr says. */
#include "sbi_console.h"
    .section .text
    .globl _start
_start:
    /* Only the boot hart arrives here (OpenSBI keeps the others stopped, HSM). */
    sbi_puts message
    li      a7, SBI_EXT_SRST
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
    sbi_puts failed
4:  wfi
    j       4b

    .section .rodata
message: .asciz "Hello, world!\n"
failed:  .asciz "payload: SBI system reset failed\n"
