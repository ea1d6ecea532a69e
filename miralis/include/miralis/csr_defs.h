/* CSR numbers and field masks, from the RISC-V privileged spec v1.12 (chapters 2, 3, 4, 8). */
#ifndef MIRALIS_CSR_DEFS_H
#define MIRALIS_CSR_DEFS_H

#define BIT(n) (1ULL << (n))

/* mstatus fields (3.1.6) */
#define MSTATUS_SIE   BIT(1)
#define MSTATUS_MIE   BIT(3)
#define MSTATUS_SPIE  BIT(5)
#define MSTATUS_UBE   BIT(6)
#define MSTATUS_MPIE  BIT(7)
#define MSTATUS_SPP   BIT(8)
#define MSTATUS_VS    (3ULL << 9)
#define MSTATUS_MPP   (3ULL << 11)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_FS    (3ULL << 13)
#define MSTATUS_XS    (3ULL << 15)
#define MSTATUS_MPRV  BIT(17)
#define MSTATUS_SUM   BIT(18)
#define MSTATUS_MXR   BIT(19)
#define MSTATUS_TVM   BIT(20)
#define MSTATUS_TW    BIT(21)
#define MSTATUS_TSR   BIT(22)
#define MSTATUS_UXL   (3ULL << 32)
#define MSTATUS_SXL   (3ULL << 34)
#define MSTATUS_SBE   BIT(36)
#define MSTATUS_MBE   BIT(37)
#define MSTATUS_GVA   BIT(38)
#define MSTATUS_MPV   BIT(39)
#define MSTATUS_SD    BIT(63)

/* sstatus is a restricted view of mstatus (4.1.1). */
#define SSTATUS_VIEW  (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | \
                       MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* Interrupt numbers (3.1.9) */
#define IRQ_SSI   1
#define IRQ_VSSI  2
#define IRQ_MSI   3
#define IRQ_STI   5
#define IRQ_VSTI  6
#define IRQ_MTI   7
#define IRQ_SEI   9
#define IRQ_VSEI  10
#define IRQ_MEI   11
#define IRQ_SGEI  12
#define IRQ_LCOFI 13
#define MIP_MSIP  BIT(IRQ_MSI)
#define MIP_MTIP  BIT(IRQ_MTI)
#define MIP_MEIP  BIT(IRQ_MEI)
#define MIP_M_BITS (MIP_MSIP | MIP_MTIP | MIP_MEIP)
#define MIP_VS_BITS (BIT(IRQ_VSSI) | BIT(IRQ_VSTI) | BIT(IRQ_VSEI))

/* Exception causes (3.1.15) */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_VS          10
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15
#define CAUSE_FETCH_GUEST_PAGE  20
#define CAUSE_LOAD_GUEST_PAGE   21
#define CAUSE_VIRTUAL_INSN      22
#define CAUSE_STORE_GUEST_PAGE  23
#define CAUSE_INTERRUPT         BIT(63)
#define NUM_EXC_CAUSES          24
#define NUM_IRQ_CAUSES          16

/* PMP configuration bits (3.7.1) */
#define PMP_R      0x01
#define PMP_W      0x02
#define PMP_X      0x04
#define PMP_A      0x18
#define PMP_A_OFF  0x00
#define PMP_A_TOR  0x08
#define PMP_A_NA4  0x10
#define PMP_A_NAPOT 0x18
#define PMP_L      0x80

/* mtvec modes (3.1.7) */
#define MTVEC_MODE_MASK 3ULL
#define MTVEC_VECTORED  1ULL

/* satp (4.1.11) */
#define SATP_MODE_SHIFT 60

/* Selected CSR numbers used by name in the code (the full list is in csr_list.h). */
#define CSR_CYCLE      0xc00
#define CSR_TIME       0xc01
#define CSR_INSTRET    0xc02
#define CSR_SSTATUS    0x100
#define CSR_SIE        0x104
#define CSR_STVEC      0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG    0x10a
#define CSR_SSCRATCH   0x140
#define CSR_SEPC       0x141
#define CSR_SCAUSE     0x142
#define CSR_STVAL      0x143
#define CSR_SIP        0x144
#define CSR_STIMECMP   0x14d
#define CSR_SATP       0x180
#define CSR_MSTATUS    0x300
#define CSR_MISA       0x301
#define CSR_MEDELEG    0x302
#define CSR_MIDELEG    0x303
#define CSR_MIE        0x304
#define CSR_MTVEC      0x305
#define CSR_MCOUNTEREN 0x306
#define CSR_MENVCFG    0x30a
#define CSR_MSCRATCH   0x340
#define CSR_MEPC       0x341
#define CSR_MCAUSE     0x342
#define CSR_MTVAL      0x343
#define CSR_MIP        0x344
#define CSR_MTINST     0x34a
#define CSR_MTVAL2     0x34b
#define CSR_PMPCFG0    0x3a0
#define CSR_PMPADDR0   0x3b0
#define CSR_HSTATUS    0x600
#define CSR_HEDELEG    0x602
#define CSR_HTVAL      0x643
#define CSR_HTINST     0x64a
#define CSR_VSSTATUS   0x200
#define CSR_VSTVEC     0x205
#define CSR_VSEPC      0x241
#define CSR_VSCAUSE    0x242
#define CSR_VSTVAL     0x243
#define HSTATUS_GVA    BIT(6)
#define HSTATUS_SPV    BIT(7)
#define HSTATUS_SPVP   BIT(8)
#define CSR_HIDELEG    0x603
#define CSR_HIE        0x604
#define CSR_VSIE       0x204
#define CSR_MHARTID    0xf14

#endif
