/* Decoder: unprivileged spec chapters 2, 16 (C) and 24 (opcode map); privileged spec 3.3, 8.2. */
#include <miralis/decode.h>

#define OPC_LOAD     0x03
#define OPC_LOAD_FP  0x07
#define OPC_STORE    0x23
#define OPC_STORE_FP 0x27
#define OPC_AMO      0x2f
#define OPC_SYSTEM   0x73

static inline uint32_t bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (x >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int64_t sext(uint64_t x, unsigned width)
{
    uint64_t m = 1ULL << (width - 1);
    return (int64_t)((x ^ m) - m);
}

static const char *const op_names[OP_COUNT] = {
    [OP_INVALID] = "invalid", [OP_CSRRW] = "csrrw", [OP_CSRRS] = "csrrs", [OP_CSRRC] = "csrrc",
    [OP_CSRRWI] = "csrrwi", [OP_CSRRSI] = "csrrsi", [OP_CSRRCI] = "csrrci",
    [OP_ECALL] = "ecall", [OP_EBREAK] = "ebreak", [OP_MRET] = "mret", [OP_SRET] = "sret",
    [OP_WFI] = "wfi", [OP_SFENCE_VMA] = "sfence.vma", [OP_HFENCE_VVMA] = "hfence.vvma",
    [OP_HFENCE_GVMA] = "hfence.gvma", [OP_LOAD] = "load", [OP_STORE] = "store",
    [OP_FLOAD] = "fload", [OP_FSTORE] = "fstore", [OP_AMO] = "amo", [OP_HLV] = "hlv",
    [OP_HSV] = "hsv",
};

const char *insn_op_name(enum insn_op op)
{
    return (unsigned)op < OP_COUNT ? op_names[op] : "?";
}

/* SYSTEM with funct3 = 0: fixed encodings, and the fences with register operands. */
static bool decode_priv(uint32_t w, struct insn *d)
{
    switch (w) {
    case 0x00000073: d->op = OP_ECALL; return true;
    case 0x00100073: d->op = OP_EBREAK; return true;
    case 0x30200073: d->op = OP_MRET; return true;
    case 0x10200073: d->op = OP_SRET; return true;
    case 0x10500073: d->op = OP_WFI; return true;
    default: break;
    }
    if (bits(w, 11, 7) != 0)
        return false;
    switch (bits(w, 31, 25)) {
    case 0x09: d->op = OP_SFENCE_VMA; break;
    case 0x11: d->op = OP_HFENCE_VVMA; break;
    case 0x31: d->op = OP_HFENCE_GVMA; break;
    default: return false;
    }
    d->rs1 = bits(w, 19, 15);
    d->rs2 = bits(w, 24, 20);
    return true;
}

/* SYSTEM with funct3 = 4: HLV/HLVX/HSV (H extension, 8.2.4). */
static bool decode_hyp_ldst(uint32_t w, struct insn *d)
{
    static const struct { uint8_t f7, rs2, width; bool uns; bool store; } forms[] = {
        {0x30, 0, 1, false, false}, {0x30, 1, 1, true, false}, /* hlv.b, hlv.bu */
        {0x32, 0, 2, false, false}, {0x32, 1, 2, true, false}, /* hlv.h, hlv.hu */
        {0x32, 3, 2, true, false},                             /* hlvx.hu */
        {0x34, 0, 4, false, false}, {0x34, 1, 4, true, false}, /* hlv.w, hlv.wu */
        {0x34, 3, 4, true, false},                             /* hlvx.wu */
        {0x36, 0, 8, false, false},                            /* hlv.d */
        {0x31, 0, 1, false, true}, {0x33, 0, 2, false, true},  /* hsv.b, hsv.h */
        {0x35, 0, 4, false, true}, {0x37, 0, 8, false, true},  /* hsv.w, hsv.d */
    };
    uint32_t f7 = bits(w, 31, 25), rs2 = bits(w, 24, 20);
    for (unsigned i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        if (forms[i].f7 != f7)
            continue;
        if (forms[i].store) {
            if (bits(w, 11, 7) != 0)
                return false;
            d->op = OP_HSV;
            d->rs2 = rs2;
        } else {
            if (forms[i].rs2 != rs2)
                continue;
            d->op = OP_HLV;
            d->rd = bits(w, 11, 7);
        }
        d->rs1 = bits(w, 19, 15);
        d->width = forms[i].width;
        d->is_unsigned = forms[i].uns;
        return true;
    }
    return false;
}

static bool decode_system(uint32_t w, struct insn *d)
{
    static const enum insn_op csr_ops[8] = {
        OP_INVALID, OP_CSRRW, OP_CSRRS, OP_CSRRC, OP_INVALID, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI,
    };
    uint32_t f3 = bits(w, 14, 12);
    if (f3 == 0)
        return decode_priv(w, d);
    if (f3 == 4)
        return decode_hyp_ldst(w, d);
    d->op = csr_ops[f3];
    d->rd = bits(w, 11, 7);
    d->rs1 = bits(w, 19, 15); /* register, or uimm for the immediate forms */
    d->imm = d->rs1;
    d->csr = bits(w, 31, 20);
    return true;
}

/* I-type load (rd, rs1, imm[11:0]) and S-type store (rs1, rs2, imm split 31:25 | 11:7). */
static bool i_type(uint32_t w, enum insn_op op, unsigned width, bool is_unsigned, struct insn *d)
{
    d->op = op;
    d->width = width;
    d->is_unsigned = is_unsigned;
    d->rd = bits(w, 11, 7);
    d->rs1 = bits(w, 19, 15);
    d->imm = sext(bits(w, 31, 20), 12);
    return true;
}

static bool s_type(uint32_t w, enum insn_op op, unsigned width, struct insn *d)
{
    d->op = op;
    d->width = width;
    d->rs1 = bits(w, 19, 15);
    d->rs2 = bits(w, 24, 20);
    d->imm = sext((bits(w, 31, 25) << 5) | bits(w, 11, 7), 12);
    return true;
}

static bool decode_32(uint32_t w, struct insn *d)
{
    uint32_t f3 = bits(w, 14, 12);
    d->len = 4;
    switch (w & 0x7f) {
    case OPC_SYSTEM:
        return decode_system(w, d);
    case OPC_LOAD:
        if (f3 == 7)
            return false;
        return i_type(w, OP_LOAD, 1u << (f3 & 3), f3 & 4, d);
    case OPC_STORE:
        return f3 <= 3 && s_type(w, OP_STORE, 1u << f3, d);
    case OPC_LOAD_FP: /* flw, fld (F/D only: no Zfh, no V on this CPU) */
        return (f3 == 2 || f3 == 3) && i_type(w, OP_FLOAD, 1u << f3, false, d);
    case OPC_STORE_FP:
        return (f3 == 2 || f3 == 3) && s_type(w, OP_FSTORE, 1u << f3, d);
    case OPC_AMO: {
        uint32_t f5 = bits(w, 31, 27);
        if (f3 != 2 && f3 != 3)
            return false;
        /* lr (rs2 must be 0), sc, amoswap/add/xor/and/or/min/max/minu/maxu */
        if (f5 == 0x02 && bits(w, 24, 20) != 0)
            return false;
        /* funct5 of amoadd (0x00), amoswap, lr, sc, amoxor (0x04), amoor (0x08), amoand,
         * amomin (0x10), amomax, amominu, amomaxu (0x1c): a set of 32, one mask. */
        if (!((0x1111111fu >> f5) & 1))
            return false;
        d->op = OP_AMO;
        d->imm = f5; /* the operation */
        d->width = 1u << f3;
        d->rd = bits(w, 11, 7);
        d->rs1 = bits(w, 19, 15);
        d->rs2 = bits(w, 24, 20);
        return true;
    }
    default:
        return false;
    }
}

/* Compressed loads/stores (unprivileged spec 16.3). Registers rd'/rs1'/rs2' are x8..x15. */
static bool decode_16(uint32_t h, struct insn *d)
{
    uint32_t f3 = bits(h, 15, 13), q = h & 3;
    unsigned rdp = 8 + bits(h, 4, 2), rs1p = 8 + bits(h, 9, 7);
    /* Offsets, scaled: word forms use uimm[5:3|2|6], double forms uimm[5:3|7:6]. */
    uint32_t off_w = (bits(h, 12, 10) << 3) | (bits(h, 6, 6) << 2) | (bits(h, 5, 5) << 6);
    uint32_t off_d = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);
    d->len = 2;
    if (h == 0)
        return false; /* the all-zero halfword is defined illegal */
    if (q == 0) {
        switch (f3) {
        case 1: d->op = OP_FLOAD; d->width = 8; d->rd = rdp; d->imm = off_d; break;  /* c.fld */
        case 2: d->op = OP_LOAD; d->width = 4; d->rd = rdp; d->imm = off_w; break;   /* c.lw */
        case 3: d->op = OP_LOAD; d->width = 8; d->rd = rdp; d->imm = off_d; break;   /* c.ld */
        case 5: d->op = OP_FSTORE; d->width = 8; d->rs2 = rdp; d->imm = off_d; break;/* c.fsd */
        case 6: d->op = OP_STORE; d->width = 4; d->rs2 = rdp; d->imm = off_w; break; /* c.sw */
        case 7: d->op = OP_STORE; d->width = 8; d->rs2 = rdp; d->imm = off_d; break; /* c.sd */
        default: return false;
        }
        d->rs1 = rs1p;
        return true;
    }
    if (q == 2) {
        unsigned rd = bits(h, 11, 7), rs2 = bits(h, 6, 2);
        /* sp-relative: lwsp uimm[5|4:2|7:6], ldsp uimm[5|4:3|8:6], swsp uimm[5:2|7:6], sdsp uimm[5:3|8:6] */
        uint32_t lwsp = (bits(h, 12, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6);
        uint32_t ldsp = (bits(h, 12, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6);
        uint32_t swsp = (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6);
        uint32_t sdsp = (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6);
        switch (f3) {
        case 1: d->op = OP_FLOAD; d->width = 8; d->rd = rd; d->imm = ldsp; break;    /* c.fldsp */
        case 2: if (!rd) return false;
                d->op = OP_LOAD; d->width = 4; d->rd = rd; d->imm = lwsp; break;     /* c.lwsp */
        case 3: if (!rd) return false;
                d->op = OP_LOAD; d->width = 8; d->rd = rd; d->imm = ldsp; break;     /* c.ldsp */
        case 5: d->op = OP_FSTORE; d->width = 8; d->rs2 = rs2; d->imm = sdsp; break; /* c.fsdsp */
        case 6: d->op = OP_STORE; d->width = 4; d->rs2 = rs2; d->imm = swsp; break;  /* c.swsp */
        case 7: d->op = OP_STORE; d->width = 8; d->rs2 = rs2; d->imm = sdsp; break;  /* c.sdsp */
        default: return false;
        }
        d->rs1 = 2;
        return true;
    }
    return false;
}

bool insn_decode(uint32_t raw, struct insn *d)
{
    *d = (struct insn){0};
    bool ok;
    switch (insn_length((uint16_t)raw)) {
    case 2: ok = decode_16(raw & 0xffff, d); break;
    case 4: ok = decode_32(raw, d); break;
    default: ok = false; break;
    }
    if (!ok) {
        uint8_t len = d->len;
        *d = (struct insn){0};
        d->len = len;
    }
    return ok;
}
