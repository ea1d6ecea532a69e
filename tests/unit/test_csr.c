/* The CSR table and the CSR instructions' semantics (Zicsr; privileged spec 2.1). */
#include "fixture.h"
#include "unit.h"
#include <miralis/csr.h>
#include <string.h>

static uint32_t csr_insn(unsigned f3, unsigned rd, unsigned rs1, unsigned csr)
{
    return (csr << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73;
}

TEST(csr_table_sorted_unique_named)
{
    for (int id = 1; id < CSR_ID_COUNT; id++)
        CHECK(csr_table[id - 1].num < csr_table[id].num);
    for (int id = 0; id < CSR_ID_COUNT; id++) {
        CHECK_EQ(csr_id_of(csr_table[id].num), id);
        CHECK(csr_table[id].name && csr_table[id].name[0]);
        for (int j = 0; j < id; j++)
            CHECK(strcmp(csr_table[id].name, csr_table[j].name) != 0);
        /* Read-only numbers can only be constants or views of hardware state. */
        if ((csr_table[id].num >> 10) == 3)
            CHECK(csr_table[id].kind == K_CONST || csr_table[id].kind == K_PASS);
    }
    CHECK_EQ(csr_id_of(0x7b0), -1); /* dcsr: debug mode only */
    CHECK_EQ(csr_id_of(4096), -1);
    CHECK(strcmp(csr_name(0x300), "mstatus") == 0);
}

TEST(csr_rs1_x0_means_no_write)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    /* csrrs/csrrc with a zero mask are reads, even of read-only CSRs. */
    CHECK(csr_rmw(v, 0xf14, ~0ULL, 0, &old));
    CHECK(!csr_rmw(v, 0xf14, ~0ULL, 1, &old));
    CHECK(!csr_rmw(v, 0x747, 0, 0, &old));   /* mseccfg absent on this CPU */
    CHECK(!csr_rmw(v, 0x7b0, 0, 0, &old));   /* not in the table */
    CHECK(!csr_rmw(v, 0xb13, 0, 0, &old));   /* mhpmcounter19 absent (16 counters) */
}

TEST(csr_instructions_through_dispatch)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t pc = v->pc;
    v->x[11] = 0x1234;
    fixture_exec(v, csr_insn(1, 10, 11, 0x340)); /* csrrw a0, mscratch, a1 */
    CHECK_EQ(v->pc, pc + 4);
    CHECK_EQ(v->csr[CSR_ID_mscratch], 0x1234);
    fixture_exec(v, csr_insn(2, 12, 0, 0x340));  /* csrr a2, mscratch */
    CHECK_EQ(v->x[12], 0x1234);
    v->x[5] = 0x4;
    fixture_exec(v, csr_insn(3, 13, 5, 0x340));  /* csrrc a3, mscratch, t0 */
    CHECK_EQ(v->x[13], 0x1234);
    CHECK_EQ(v->csr[CSR_ID_mscratch], 0x1230);
    fixture_exec(v, csr_insn(6, 0, 3, 0x340));   /* csrrsi zero, mscratch, 3 */
    CHECK_EQ(v->csr[CSR_ID_mscratch], 0x1233);
    fixture_exec(v, csr_insn(7, 14, 0, 0xf14));  /* csrrci a4, mhartid, 0: a read */
    CHECK_EQ(v->csr[CSR_ID_mcause], 0);
    CHECK_EQ(v->x[14], 0);
    /* Writing x0 must never change register 0. */
    fixture_exec(v, csr_insn(2, 0, 0, 0x340));
    CHECK_EQ(v->x[0], 0);
}

TEST(csr_illegal_access_injects_illegal_instruction)
{
    struct vcpu *v = fixture_vcpu();
    v->csr[CSR_ID_mtvec] = HOST_RAM_BASE + 0x100;
    uint64_t pc = v->pc;
    uint32_t w = csr_insn(1, 0, 5, 0xf11);       /* csrw mvendorid, t0: read-only */
    fixture_exec(v, w);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_ILLEGAL_INSN);
    CHECK_EQ(v->csr[CSR_ID_mtval], w);
    CHECK_EQ(v->csr[CSR_ID_mepc], pc);
    CHECK_EQ(v->pc, HOST_RAM_BASE + 0x100);
    CHECK_EQ((v->csr[CSR_ID_mstatus] & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_M);
}

TEST(csr_warl_uses_old_virtual_value)
{
    struct vcpu *v = fixture_vcpu();
    v->csr[CSR_ID_mtvec] = 0x80001000;
    v->x[5] = 0x80002002;                         /* mode 2: reserved, write dropped */
    fixture_exec(v, csr_insn(1, 0, 5, 0x305));
    CHECK_EQ(v->csr[CSR_ID_mtvec], 0x80001000);
    v->x[5] = 0x80002001;                         /* vectored */
    fixture_exec(v, csr_insn(1, 0, 5, 0x305));
    CHECK_EQ(v->csr[CSR_ID_mtvec], 0x80002001);
    v->x[5] = 0xf00000000000abcdULL;              /* satp: unsupported mode 15 */
    fixture_exec(v, csr_insn(1, 0, 5, 0x180));
    CHECK_EQ(v->csr[CSR_ID_satp], 0);
    v->x[5] = ~0ULL;                              /* medeleg: writable mask */
    fixture_exec(v, csr_insn(1, 0, 5, 0x302));
    CHECK_EQ(v->csr[CSR_ID_medeleg], 0xf0bfff);
}

TEST(csr_mstatus_views)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    CHECK(csr_rmw(v, CSR_MSTATUS, MSTATUS_MIE | MSTATUS_MPP, ~0ULL, &old));
    /* sstatus writes never reach M-level fields. */
    CHECK(csr_rmw(v, CSR_SSTATUS, ~0ULL, ~0ULL, &old));
    CHECK(v->csr[CSR_ID_mstatus] & MSTATUS_MIE);
    CHECK_EQ(v->csr[CSR_ID_mstatus] & MSTATUS_MPP, MSTATUS_MPP);
    CHECK(v->csr[CSR_ID_mstatus] & MSTATUS_SIE);
    CHECK(csr_rmw(v, CSR_SSTATUS, 0, 0, &old));
    CHECK_EQ(old & (MSTATUS_MIE | MSTATUS_MPP), 0);
    CHECK(old & MSTATUS_SD); /* FS dirty => SD */
    /* MIE change marks the interrupt routing dirty. */
    v->dirty = 0;
    CHECK(csr_rmw(v, CSR_MSTATUS, 0, MSTATUS_MIE, &old));
    CHECK(v->dirty & DIRTY_IRQ);
}

TEST(csr_sie_vsie_views)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    CHECK(csr_rmw(v, CSR_MIDELEG, BIT(IRQ_SSI), ~0ULL, &old));
    CHECK(csr_rmw(v, CSR_SIE, ~0ULL, ~0ULL, &old));
    CHECK_EQ(v->csr[CSR_ID_mie], BIT(IRQ_SSI));  /* only delegated bits reach mie */
    CHECK(csr_rmw(v, CSR_SIE, 0, 0, &old));
    CHECK_EQ(old, BIT(IRQ_SSI));
    host_hw.csr[CSR_HIDELEG] = BIT(IRQ_VSSI);
    CHECK(csr_rmw(v, CSR_VSIE, BIT(IRQ_SSI), ~0ULL, &old)); /* vsie.SSIE is mie.VSSIE */
    CHECK(v->csr[CSR_ID_mie] & BIT(IRQ_VSSI));
    CHECK(csr_rmw(v, CSR_VSIE, 0, 0, &old));
    CHECK_EQ(old, BIT(IRQ_SSI));
}

TEST(csr_passthrough_reaches_hardware)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    CHECK(csr_rmw(v, CSR_STVEC, 0x80200000, ~0ULL, &old));
    CHECK_EQ(host_hw.csr[CSR_STVEC], 0x80200000);
    CHECK(csr_rmw(v, CSR_MIDELEG, 0x222, ~0ULL, &old));
    CHECK_EQ(v->csr[CSR_ID_mideleg], 0x222);  /* routing copy follows */
}

TEST(csr_partial_writes_stay_partial_on_passthrough_csrs)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    /* The PLIC's SEIP line is up while the firmware sets SSIP (OpenSBI's IPI path):
     * `csrs mip, SSIP` must not write SEIP into mip's software latch... */
    host_hw.csr[CSR_MIP] = 0;
    host_hw.mip_lines = BIT(IRQ_SEI);
    CHECK(csr_rmw(v, CSR_MIP, ~0ULL, BIT(IRQ_SSI), &old)); /* csrrs: val ~0, mask SSIP */
    CHECK_EQ(host_hw.csr[CSR_MIP], BIT(IRQ_SSI));
    /* ...or SEIP would stay pending after the line drops: a storm for the OS. */
    host_hw.mip_lines = 0;
    CHECK(csr_rmw(v, CSR_MIP, 0, BIT(IRQ_SSI), &old));      /* csrrc SSIP */
    CHECK_EQ(arch_read_mip(), 0);
}
