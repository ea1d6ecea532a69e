/* Decoder against encodings produced by GNU as (riscv64-unknown-elf-as), and exhaustive
 * sweeps of the SYSTEM opcode's fixed encodings. */
#include "unit.h"
#include <miralis/decode.h>

static struct insn dec(uint32_t raw)
{
    struct insn in;
    insn_decode(raw, &in);
    return in;
}

TEST(decode_csr_forms)
{
    struct insn in = dec(0x34059573); /* csrrw a0, mscratch, a1 */
    CHECK_EQ(in.op, OP_CSRRW); CHECK_EQ(in.rd, 10); CHECK_EQ(in.rs1, 11); CHECK_EQ(in.csr, 0x340);
    CHECK_EQ(in.len, 4);
    in = dec(0x30002073); /* csrrs zero, mstatus, zero */
    CHECK_EQ(in.op, OP_CSRRS); CHECK_EQ(in.rd, 0); CHECK_EQ(in.rs1, 0);
    in = dec(0x304332f3); /* csrrc t0, mie, t1 */
    CHECK_EQ(in.op, OP_CSRRC); CHECK_EQ(in.rd, 5); CHECK_EQ(in.rs1, 6); CHECK_EQ(in.csr, 0x304);
    in = dec(0x7a0fd573); /* csrrwi a0, tselect, 31 */
    CHECK_EQ(in.op, OP_CSRRWI); CHECK_EQ(in.imm, 31); CHECK_EQ(in.csr, 0x7a0);
    in = dec(0xf1406573); /* csrrsi a0, mhartid, 0 */
    CHECK_EQ(in.op, OP_CSRRSI); CHECK_EQ(in.imm, 0); CHECK_EQ(in.rs1, 0);
    in = dec(0x30047073); /* csrrci zero, mstatus, 8 */
    CHECK_EQ(in.op, OP_CSRRCI); CHECK_EQ(in.imm, 8);
    CHECK(!insn_decode(0x30004073, &in)); /* funct3 = 4 with csr fields: not hlv/hsv */
}

TEST(decode_priv_fixed_encodings)
{
    CHECK_EQ(dec(0x30200073).op, OP_MRET);
    CHECK_EQ(dec(0x10200073).op, OP_SRET);
    CHECK_EQ(dec(0x10500073).op, OP_WFI);
    CHECK_EQ(dec(0x00000073).op, OP_ECALL);
    CHECK_EQ(dec(0x00100073).op, OP_EBREAK);
    struct insn in = dec(0x12b50073); /* sfence.vma a0, a1 */
    CHECK_EQ(in.op, OP_SFENCE_VMA); CHECK_EQ(in.rs1, 10); CHECK_EQ(in.rs2, 11);
    CHECK_EQ(dec(0x12000073).op, OP_SFENCE_VMA);
    CHECK_EQ(dec(0x22000073).op, OP_HFENCE_VVMA);
    CHECK_EQ(dec(0x62000073).op, OP_HFENCE_GVMA);
    /* Any other bit set in a fixed encoding makes it illegal (a decoder that accepted too
     * much was one of the Rust Miralis's verified bugs). */
    for (unsigned bit = 7; bit < 32; bit++) {
        CHECK_EQ(dec(0x30200073 ^ (1u << bit)).op == OP_MRET, 0);
        CHECK_EQ(dec(0x10500073 ^ (1u << bit)).op == OP_WFI, 0);
        CHECK_EQ(dec(0x10200073 ^ (1u << bit)).op == OP_SRET, 0);
    }
    CHECK(!insn_decode(0x12b500f3, &in)); /* sfence.vma with rd != 0 */
}

TEST(decode_system_funct3_0_sweep)
{
    /* Every funct3=0 SYSTEM word the decoder accepts is one of the known forms. */
    unsigned accepted = 0;
    for (uint32_t hi = 0; hi < (1u << 13); hi++) {  /* bits 31:20 and bit 19 sampled */
        for (uint32_t rd = 0; rd < 32; rd += 31) {
            uint32_t w = (hi << 19) | (rd << 7) | 0x73;
            struct insn in;
            if (!insn_decode(w, &in))
                continue;
            accepted++;
            CHECK(in.op == OP_ECALL || in.op == OP_EBREAK || in.op == OP_MRET ||
                  in.op == OP_SRET || in.op == OP_WFI || in.op == OP_SFENCE_VMA ||
                  in.op == OP_HFENCE_VVMA || in.op == OP_HFENCE_GVMA);
            CHECK_EQ(rd, 0);
        }
    }
    CHECK(accepted > 0);
}

TEST(decode_loads_stores)
{
    struct insn in = dec(0xfff58503); /* lb a0, -1(a1) */
    CHECK_EQ(in.op, OP_LOAD); CHECK_EQ(in.width, 1); CHECK_EQ(in.is_unsigned, 0);
    CHECK_EQ(in.imm, -1); CHECK_EQ(in.rd, 10); CHECK_EQ(in.rs1, 11);
    in = dec(0x7fe15403); /* lhu s0, 2046(sp) */
    CHECK_EQ(in.width, 2); CHECK_EQ(in.is_unsigned, 1); CHECK_EQ(in.imm, 2046);
    in = dec(0x8002b783); /* ld a5, -2048(t0) */
    CHECK_EQ(in.width, 8); CHECK_EQ(in.imm, -2048); CHECK_EQ(in.rs1, 5);
    in = dec(0x0085e503); /* lwu a0, 8(a1) */
    CHECK_EQ(in.width, 4); CHECK_EQ(in.is_unsigned, 1);
    in = dec(0xfea58fa3); /* sb a0, -1(a1) */
    CHECK_EQ(in.op, OP_STORE); CHECK_EQ(in.width, 1); CHECK_EQ(in.imm, -1); CHECK_EQ(in.rs2, 10);
    in = dec(0x7e963c23); /* sd s1, 2040(a2) */
    CHECK_EQ(in.width, 8); CHECK_EQ(in.imm, 2040); CHECK_EQ(in.rs2, 9); CHECK_EQ(in.rs1, 12);
    CHECK(!insn_decode(0x0085f503, &in)); /* load funct3 = 7 */
    CHECK(!insn_decode(0x7e964c23, &in)); /* store funct3 = 4 */
    in = dec(0x08b6252f); /* amoswap.w a0, a1, (a2) */
    CHECK_EQ(in.op, OP_AMO); CHECK_EQ(in.width, 4);
    CHECK_EQ(dec(0x1005b52f).op, OP_AMO); /* lr.d */
    CHECK(!insn_decode(0x1015b52f, &in)); /* lr.d with rs2 != 0 */
    in = dec(0x0045a507); /* flw fa0, 4(a1) */
    CHECK_EQ(in.op, OP_FLOAD); CHECK_EQ(in.width, 4); CHECK_EQ(in.imm, 4);
}

TEST(decode_compressed_offsets)
{
    struct insn in = dec(0x5de8); /* c.lw a0, 124(a1) */
    CHECK_EQ(in.op, OP_LOAD); CHECK_EQ(in.len, 2); CHECK_EQ(in.width, 4);
    CHECK_EQ(in.rd, 10); CHECK_EQ(in.rs1, 11); CHECK_EQ(in.imm, 124);
    in = dec(0x7c7c); /* c.ld a5, 248(s0) */
    CHECK_EQ(in.width, 8); CHECK_EQ(in.rd, 15); CHECK_EQ(in.rs1, 8); CHECK_EQ(in.imm, 248);
    in = dec(0xc1c8); /* c.sw a0, 4(a1) */
    CHECK_EQ(in.op, OP_STORE); CHECK_EQ(in.rs2, 10); CHECK_EQ(in.rs1, 11); CHECK_EQ(in.imm, 4);
    in = dec(0xe690); /* c.sd a2, 8(a3) */
    CHECK_EQ(in.width, 8); CHECK_EQ(in.rs2, 12); CHECK_EQ(in.rs1, 13); CHECK_EQ(in.imm, 8);
    in = dec(0x557e); /* c.lwsp a0, 252(sp) */
    CHECK_EQ(in.op, OP_LOAD); CHECK_EQ(in.rs1, 2); CHECK_EQ(in.rd, 10); CHECK_EQ(in.imm, 252);
    in = dec(0x70fe); /* c.ldsp ra, 504(sp) */
    CHECK_EQ(in.width, 8); CHECK_EQ(in.rd, 1); CHECK_EQ(in.imm, 504);
    in = dec(0xdfaa); /* c.swsp a0, 252(sp) */
    CHECK_EQ(in.op, OP_STORE); CHECK_EQ(in.rs2, 10); CHECK_EQ(in.imm, 252);
    in = dec(0xffa2); /* c.sdsp s0, 504(sp) */
    CHECK_EQ(in.width, 8); CHECK_EQ(in.rs2, 8); CHECK_EQ(in.imm, 504);
    in = dec(0xa988); /* c.fsd fa0, 16(a1) */
    CHECK_EQ(in.op, OP_FSTORE); CHECK_EQ(in.imm, 16);
    CHECK(!insn_decode(0x0000, &in)); /* defined illegal */
    CHECK_EQ(in.len, 2);
    CHECK(!insn_decode(0x4002, &in)); /* c.lwsp with rd = 0: reserved */
}

TEST(decode_lengths)
{
    CHECK_EQ(insn_length(0x0001), 2);
    CHECK_EQ(insn_length(0x0003), 4);
    CHECK_EQ(insn_length(0x001f), 0); /* 48-bit */
    struct insn in;
    CHECK(!insn_decode(0x0000001f, &in));
}
