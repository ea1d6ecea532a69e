/* Harness: the instruction decoder on random 16/32-bit words.
 * Input: a sequence of little-endian words; each word is 2 bytes if its low two bits are
 * not 11 (a compressed instruction), else 4 bytes (the unprivileged spec's length rule).
 * Oracles: ASan/UBSan; every accepted word re-encodes from the decoded fields to exactly
 * the same bits (up to fields the decoder deliberately drops: AMO aq/rl); the reported
 * length is the encoding's length; operands are in range; a rejected word leaves op
 * OP_INVALID with nothing else set but the length. */
#include "harness.h"
#include <stdlib.h>
#include <string.h>

#define FAIL(...) fuzz_fail(0, __VA_ARGS__)

static uint32_t enc_i(const struct insn *d, uint32_t opc, uint32_t f3)
{
    return ((uint32_t)(d->imm & 0xfff) << 20) | ((uint32_t)d->rs1 << 15) | (f3 << 12) |
           ((uint32_t)d->rd << 7) | opc;
}

static uint32_t enc_s(const struct insn *d, uint32_t opc, uint32_t f3, unsigned src)
{
    uint32_t imm = (uint32_t)d->imm & 0xfff;
    return ((imm >> 5) << 25) | ((uint32_t)src << 20) | ((uint32_t)d->rs1 << 15) | (f3 << 12) |
           ((imm & 31) << 7) | opc;
}

static unsigned log2w(unsigned w) { return w == 1 ? 0 : w == 2 ? 1 : w == 4 ? 2 : 3; }

/* Re-encode a 32-bit instruction from its decoded fields. */
static uint32_t encode32(const struct insn *d, uint32_t raw)
{
    static const uint32_t csr_f3[] = {
        [OP_CSRRW] = 1, [OP_CSRRS] = 2, [OP_CSRRC] = 3, [OP_CSRRWI] = 5, [OP_CSRRSI] = 6,
        [OP_CSRRCI] = 7,
    };
    switch (d->op) {
    case OP_CSRRW: case OP_CSRRS: case OP_CSRRC:
    case OP_CSRRWI: case OP_CSRRSI: case OP_CSRRCI:
        if (d->imm != d->rs1)
            FAIL("csr: imm %lld != rs1 %u", (long long)d->imm, d->rs1);
        return ((uint32_t)d->csr << 20) | ((uint32_t)d->rs1 << 15) | (csr_f3[d->op] << 12) |
               ((uint32_t)d->rd << 7) | 0x73;
    case OP_ECALL: return 0x00000073;
    case OP_EBREAK: return 0x00100073;
    case OP_MRET: return 0x30200073;
    case OP_SRET: return 0x10200073;
    case OP_WFI: return 0x10500073;
    case OP_SFENCE_VMA: case OP_HFENCE_VVMA: case OP_HFENCE_GVMA: {
        uint32_t f7 = d->op == OP_SFENCE_VMA ? 0x09 : d->op == OP_HFENCE_VVMA ? 0x11 : 0x31;
        return (f7 << 25) | ((uint32_t)d->rs2 << 20) | ((uint32_t)d->rs1 << 15) | 0x73;
    }
    case OP_HLV: {
        /* rs2 field: 0 = hlv, 1 = hlv.u, 3 = hlvx */
        uint32_t f7 = 0x30 | (log2w(d->width) << 1);
        uint32_t rs2 = (raw >> 20) & 31; /* hlvx and hlv.u are both unsigned: from raw */
        if (!d->is_unsigned && rs2 != 0)
            FAIL("hlv signed with rs2 %u", rs2);
        if (d->is_unsigned && rs2 != 1 && rs2 != 3)
            FAIL("hlv unsigned with rs2 %u", rs2);
        return (f7 << 25) | (rs2 << 20) | ((uint32_t)d->rs1 << 15) | (4u << 12) |
               ((uint32_t)d->rd << 7) | 0x73;
    }
    case OP_HSV: {
        uint32_t f7 = 0x31 | (log2w(d->width) << 1);
        return (f7 << 25) | ((uint32_t)d->rs2 << 20) | ((uint32_t)d->rs1 << 15) | (4u << 12) | 0x73;
    }
    case OP_LOAD:
        return enc_i(d, 0x03, log2w(d->width) | (d->is_unsigned ? 4 : 0));
    case OP_FLOAD:
        return enc_i(d, 0x07, log2w(d->width));
    case OP_STORE:
        return enc_s(d, 0x23, log2w(d->width), d->rs2);
    case OP_FSTORE:
        return enc_s(d, 0x27, log2w(d->width), d->rs2);
    case OP_AMO:
        return ((uint32_t)d->imm << 27) | (raw & (3u << 25)) | ((uint32_t)d->rs2 << 20) |
               ((uint32_t)d->rs1 << 15) | (log2w(d->width) << 12) | ((uint32_t)d->rd << 7) | 0x2f;
    default:
        FAIL("op %d in a 32-bit word", d->op);
    }
}

/* Re-encode a compressed load/store (quadrants 0 and 2). */
static uint32_t encode16(const struct insn *d)
{
    uint32_t imm = (uint32_t)d->imm;
    int fp = d->op == OP_FLOAD || d->op == OP_FSTORE;
    int st = d->op == OP_STORE || d->op == OP_FSTORE;
    uint32_t f3 = (st ? 4 : 0) | (fp ? 1 : d->width == 4 ? 2 : 3);
    if (fp && d->width != 8)
        FAIL("compressed FP access of width %u", d->width);
    if (d->rs1 == 2) { /* sp-relative, quadrant 2 */
        uint32_t h = (f3 << 13) | 2;
        if (!st) {
            if (d->width == 4) /* uimm[5] | rd | uimm[4:2|7:6] */
                h |= ((imm >> 5) & 1) << 12 | ((imm >> 2) & 7) << 4 | ((imm >> 6) & 3) << 2;
            else               /* uimm[5] | rd | uimm[4:3|8:6] */
                h |= ((imm >> 5) & 1) << 12 | ((imm >> 3) & 3) << 5 | ((imm >> 6) & 7) << 2;
            return h | (uint32_t)d->rd << 7;
        }
        if (d->width == 4) /* uimm[5:2|7:6] | rs2 */
            h |= ((imm >> 2) & 15) << 9 | ((imm >> 6) & 3) << 7;
        else               /* uimm[5:3|8:6] | rs2 */
            h |= ((imm >> 3) & 7) << 10 | ((imm >> 6) & 7) << 7;
        return h | (uint32_t)d->rs2 << 2;
    }
    unsigned r = st ? d->rs2 : d->rd;
    if (d->rs1 < 8 || d->rs1 > 15 || r < 8 || r > 15)
        FAIL("compressed register outside x8..x15");
    uint32_t h = (f3 << 13) | ((uint32_t)(d->rs1 - 8) << 7) | ((r - 8) << 2);
    if (d->width == 4) /* uimm[5:3] | rs1' | uimm[2|6] | rd' */
        h |= ((imm >> 3) & 7) << 10 | ((imm >> 2) & 1) << 6 | ((imm >> 6) & 1) << 5;
    else               /* uimm[5:3] | rs1' | uimm[7:6] | rd' */
        h |= ((imm >> 3) & 7) << 10 | ((imm >> 6) & 3) << 5;
    return h;
}

static void check_word(uint32_t raw)
{
    struct insn d;
    memset(&d, 0xa5, sizeof(d)); /* the decoder must overwrite everything */
    bool ok = insn_decode(raw, &d);
    unsigned len = insn_length((uint16_t)raw);
    if (ok != (d.op != OP_INVALID))
        FAIL("0x%08x: return %d but op %d", raw, ok, d.op);
    if (!ok) {
        struct insn z = {0};
        z.len = d.len;
        if (memcmp(&z, &d, sizeof(d)) != 0)
            FAIL("0x%08x: rejected word leaves fields set", raw);
        if (len && d.len != len)
            FAIL("0x%08x: rejected with length %u, encoding length %u", raw, d.len, len);
        return;
    }
    if (d.len != len)
        FAIL("0x%08x: length %u, encoding length %u", raw, d.len, len);
    if (d.rd > 31 || d.rs1 > 31 || d.rs2 > 31 || d.csr > 0xfff)
        FAIL("0x%08x: operand out of range", raw);
    int mem = d.op == OP_LOAD || d.op == OP_STORE || d.op == OP_FLOAD || d.op == OP_FSTORE ||
              d.op == OP_AMO || d.op == OP_HLV || d.op == OP_HSV;
    if (mem && d.width != 1 && d.width != 2 && d.width != 4 && d.width != 8)
        FAIL("0x%08x: width %u", raw, d.width);
    if (!mem && (d.width || d.is_unsigned))
        FAIL("0x%08x: width set on a non-access", raw);
    if (d.is_unsigned && d.width == 8)
        FAIL("0x%08x: unsigned 8-byte load", raw);
    if (d.op == OP_AMO && d.width < 4)
        FAIL("0x%08x: AMO of width %u", raw, d.width);
    uint32_t back = len == 2 ? encode16(&d) : encode32(&d, raw);
    uint32_t want = len == 2 ? (raw & 0xffff) : raw;
    if (back != want)
        FAIL("0x%08x: decoded %s rd=%u rs1=%u rs2=%u w=%u u=%d imm=%lld csr=0x%x re-encodes "
             "as 0x%08x", raw, insn_op_name(d.op), d.rd, d.rs1, d.rs2, d.width, d.is_unsigned,
             (long long)d.imm, d.csr, back);
    if (insn_op_name(d.op)[0] == '?')
        FAIL("op without a name");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = {data, size};
    while (rd_more(&r)) {
        uint32_t lo = rd_u16(&r);
        uint32_t raw = lo;
        if ((lo & 3) == 3)
            raw |= (uint32_t)rd_u16(&r) << 16;
        else if (r.n >= 2) /* a compressed word: the upper half is whatever follows */
            raw |= (uint32_t)(r.p[0] | r.p[1] << 8) << 16;
        check_word(raw);
        fuzz_work++;
    }
    return 0;
}
