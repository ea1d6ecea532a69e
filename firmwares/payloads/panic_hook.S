/* For test builds of the monitor (CONFIG_TEST_HOOKS=1) only: a firmware that asks the
 * monitor to reach an impossible state (a0 selects which), to test the diagnostic path. */
    .section .text
    .globl _start
_start:
    bnez    a0, 1f                  /* hart 0 only */
    li      a7, 0x4d495241
    li      a6, HOOK
    ecall
1:  wfi
    j       1b
