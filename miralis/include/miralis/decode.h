/* Instruction decoder for what the monitor emulates: SYSTEM instructions (privileged ones
 * and the CSR instructions) and the loads/stores that reach the MMIO and MPRV paths.
 * Pure function of the instruction bits; strict: a word it accepts is a valid encoding. */
#ifndef MIRALIS_DECODE_H
#define MIRALIS_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum insn_op {
    OP_INVALID = 0,   /* not an encoding this decoder knows */
    OP_CSRRW, OP_CSRRS, OP_CSRRC, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI,
    OP_ECALL, OP_EBREAK, OP_MRET, OP_SRET, OP_WFI,
    OP_SFENCE_VMA, OP_HFENCE_VVMA, OP_HFENCE_GVMA,
    OP_LOAD, OP_STORE,        /* integer loads and stores, 32-bit and compressed */
    OP_FLOAD, OP_FSTORE,      /* floating-point loads and stores (right after: see below) */
    OP_AMO,                   /* A extension: LR/SC/AMOs */
    OP_HLV, OP_HSV,           /* hypervisor virtual-machine loads and stores */
    OP_COUNT
};

struct insn {
    enum insn_op op;
    uint8_t len;        /* 2 or 4 bytes */
    uint8_t rd, rs1, rs2;
    uint8_t width;      /* access size in bytes for loads/stores */
    bool is_unsigned;   /* zero-extending load */
    uint16_t csr;
    int64_t imm;        /* load/store offset, CSR uimm, or AMO funct5 */
};

/* Classes of operations (the enum keeps each class contiguous: one range check). */
static inline bool insn_is_csr(enum insn_op op)
{
    return (unsigned)op - OP_CSRRW <= (unsigned)OP_CSRRCI - OP_CSRRW;
}
/* A plain load or store, integer or floating point (not an AMO, not HLV/HSV). */
static inline bool insn_is_plain_access(enum insn_op op)
{
    return (unsigned)op - OP_LOAD <= (unsigned)OP_FSTORE - OP_LOAD;
}
static inline bool insn_is_plain_store(enum insn_op op)
{
    return op == OP_STORE || op == OP_FSTORE;
}

/* val cut to an access of width bytes (1, 2, 4 or 8). */
static inline uint64_t insn_cut_to_width(uint64_t val, unsigned width)
{
    return width < 8 ? val & ((1ULL << (8 * width)) - 1) : val;
}

/* Length of the instruction whose first 16 bits are lo (2 or 4; 0 for longer encodings),
 * unprivileged spec 1.5. */
static inline unsigned insn_length(uint16_t lo)
{
    if ((lo & 3) != 3)
        return 2;
    return (lo & 0x1c) != 0x1c ? 4 : 0;
}
/* Decode raw (16-bit forms in the low half). Returns false (op = OP_INVALID) if unknown. */
bool insn_decode(uint32_t raw, struct insn *out);
const char *insn_op_name(enum insn_op op);

#endif
