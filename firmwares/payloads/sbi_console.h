/* For the S-mode payloads (.S): SBI calls they make. */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_SRST           0x53525354

/* Print the NUL-terminated string at label through the SBI legacy console (clobbers s0,
 * a0, a7, and the local labels 8 and 9). */
.macro sbi_puts label
    lla     s0, \label
9:  lbu     a0, 0(s0)
    beqz    a0, 8f
    li      a7, SBI_EXT_LEGACY_PUTCHAR
    ecall
    addi    s0, s0, 1
    j       9b
8:
.endm
