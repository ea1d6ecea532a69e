/* An S-mode payload with breakpoints of its own (the GDB stub's OS-world breakpoint test,
 * tests/integration/test_gdb.py): it takes its own ebreak and c.ebreak through stvec (the
 * firmware delegates breakpoints to S), counts them, then passes `mark`, a place for the
 * debugger's breakpoint, prints the count and powers off through SBI SRST. Under a debugger
 * its own ebreaks must still reach its handler, exactly as natively. */
#include "sbi_console.h"
    .section .text
    .globl _start
_start:
    lla     t0, s_trap
    csrw    stvec, t0
    li      s1, 0                   /* breakpoints taken */
    ebreak
    c.ebreak
    .globl mark
mark:
    addi    s1, s1, 0x30            /* '0' + count */
    sbi_puts message
    mv      a0, s1
    li      a7, SBI_EXT_LEGACY_PUTCHAR
    ecall
    li      a0, '\n'
    ecall
    li      a7, SBI_EXT_SRST
    li      a6, 0
    li      a0, 0                   /* shutdown */
    li      a1, 0
    ecall
3:  wfi
    j       3b

/* scause 3: count it, step over the ebreak (2 or 4 bytes), back with sret. */
    .balign 4
s_trap:
    csrr    t0, scause
    li      t1, 3
    bne     t0, t1, 4f
    addi    s1, s1, 1
    csrr    t0, sepc
    lhu     t1, 0(t0)
    andi    t1, t1, 3
    li      t2, 3
    addi    t0, t0, 2
    bne     t1, t2, 5f
    addi    t0, t0, 2
5:  csrw    sepc, t0
    sret
4:  j       4b

    .section .rodata
message: .asciz "sbreak: own breakpoints taken: "
