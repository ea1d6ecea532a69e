/* Trap injection, mret/sret, interrupts, world switches, MMIO and MPRV replay. */
#include "fixture.h"
#include "unit.h"
#include <miralis/csr.h>
#include <miralis/world.h>
#include <string.h>

#define MRET 0x30200073
#define SRET 0x10200073
#define WFI  0x10500073

static void enable_pmp_entry(struct vcpu *v)
{
    uint64_t old;
    CHECK(csr_rmw(v, CSR_PMPCFG0, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X, 0xff, &old));
}

TEST(firmware_ecall_is_ecall_from_m)
{
    struct vcpu *v = fixture_vcpu();
    v->csr[CSR_ID_mtvec] = 0x80000400;
    v->csr[CSR_ID_mstatus] |= MSTATUS_MIE;
    uint64_t pc = v->pc;
    fixture_trap(v, CAUSE_ECALL_U, 0);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_ECALL_M);
    CHECK_EQ(v->csr[CSR_ID_mepc], pc);
    CHECK_EQ(v->csr[CSR_ID_mtval], 0);
    CHECK_EQ(v->pc, 0x80000400);
    uint64_t s = v->csr[CSR_ID_mstatus];
    CHECK_EQ((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_M);
    CHECK(s & MSTATUS_MPIE);
    CHECK(!(s & MSTATUS_MIE));
    CHECK_EQ(v->priv, PRV_M);
}

TEST(firmware_breakpoint_keeps_hardware_tval)
{
    struct vcpu *v = fixture_vcpu();
    host_hw.csr[CSR_MTVAL2] = 0;
    fixture_trap(v, CAUSE_BREAKPOINT, 0);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_BREAKPOINT);
    CHECK_EQ(v->csr[CSR_ID_mtval], 0);
}

TEST(mret_to_s_switches_world)
{
    struct vcpu *v = fixture_vcpu();
    enable_pmp_entry(v);
    v->csr[CSR_ID_mepc] = 0x80200000;
    v->csr[CSR_ID_mstatus] = (v->csr[CSR_ID_mstatus] & ~MSTATUS_MPP) | (1ULL << MSTATUS_MPP_SHIFT) |
                             MSTATUS_MPIE | MSTATUS_MPRV;
    v->csr[CSR_ID_medeleg] = 0xb109;
    v->csr[CSR_ID_satp] = 8ULL << 60;
    unsigned installs = host_hw.install_count;
    fixture_exec(v, MRET);
    CHECK_EQ(v->priv, PRV_S);
    CHECK_EQ(v->pc, 0x80200000);
    CHECK_EQ(host_hw.install_count, installs + 1);
    CHECK_EQ(host_hw.installed.medeleg, 0xb109);
    CHECK_EQ(host_hw.installed.satp, 8ULL << 60);
    CHECK_EQ((host_hw.installed.mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
    CHECK_EQ(host_hw.installed.mstatus & MSTATUS_MPRV, 0);  /* never physical */
    CHECK_EQ(host_hw.pmpcfg[4], PMP_A_NAPOT | PMP_R | PMP_W | PMP_X); /* OS image loaded */
    CHECK_EQ(host_hw.pmpcfg[15], 0);
    uint64_t s = v->csr[CSR_ID_mstatus];
    CHECK(s & MSTATUS_MIE);
    CHECK_EQ(s & MSTATUS_MPP, 0);
    CHECK(s & MSTATUS_MPRV);                     /* QEMU 7.2's mret keeps MPRV */
    CHECK_EQ(v->stats.to_os, 1);
}

TEST(mret_without_pmp_is_illegal_on_qemu)
{
    struct vcpu *v = fixture_vcpu();
    v->csr[CSR_ID_mtvec] = 0x80000800;
    v->csr[CSR_ID_mstatus] = (v->csr[CSR_ID_mstatus] & ~MSTATUS_MPP) | (1ULL << MSTATUS_MPP_SHIFT);
    fixture_exec(v, MRET);
    CHECK_EQ(v->priv, PRV_M);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_ILLEGAL_INSN);
    CHECK_EQ(v->csr[CSR_ID_mtval], MRET);
}

TEST(mret_mpp_reserved_goes_to_u)
{
    struct vcpu *v = fixture_vcpu();
    enable_pmp_entry(v);
    v->csr[CSR_ID_mstatus] |= 2ULL << MSTATUS_MPP_SHIFT;
    fixture_exec(v, MRET);
    CHECK_EQ(v->priv, PRV_U);
}

TEST(sret_from_m_uses_spp_and_sepc)
{
    struct vcpu *v = fixture_vcpu();
    enable_pmp_entry(v);
    host_hw.csr[CSR_SEPC] = 0x80300000;
    v->csr[CSR_ID_mstatus] |= MSTATUS_SPP | MSTATUS_SPIE;
    fixture_exec(v, SRET);
    CHECK_EQ(v->priv, PRV_S);
    CHECK_EQ(v->pc, 0x80300000);
    CHECK(v->csr[CSR_ID_mstatus] & MSTATUS_SIE);
    CHECK_EQ(v->csr[CSR_ID_mstatus] & MSTATUS_SPP, 0);
}

TEST(os_ecall_is_forwarded_to_firmware)
{
    struct vcpu *v = fixture_vcpu();
    enable_pmp_entry(v);
    v->csr[CSR_ID_mtvec] = 0x80000100;
    v->csr[CSR_ID_mstatus] |= (1ULL << MSTATUS_MPP_SHIFT) | MSTATUS_MPIE;
    v->csr[CSR_ID_mepc] = 0x80200000;
    fixture_exec(v, MRET);                         /* into S, MIE = 1 */
    v->pc = 0x80200010;
    host_hw.csr[CSR_SATP] = 9ULL << 60;            /* the OS changed satp natively */
    host_hw.csr[CSR_MSTATUS] |= MSTATUS_SUM;       /* ...and sstatus.SUM */
    fixture_trap(v, CAUSE_ECALL_S, 0);
    CHECK_EQ(v->priv, PRV_M);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_ECALL_S);
    CHECK_EQ(v->csr[CSR_ID_mepc], 0x80200010);
    CHECK_EQ(v->pc, 0x80000100);
    CHECK_EQ(v->csr[CSR_ID_satp], 9ULL << 60);
    CHECK(v->csr[CSR_ID_mstatus] & MSTATUS_SUM);
    CHECK_EQ((v->csr[CSR_ID_mstatus] & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
    CHECK(v->csr[CSR_ID_mstatus] & MSTATUS_MPIE);
    CHECK_EQ(host_hw.installed.medeleg, 0);        /* firmware world: nothing delegated */
    CHECK_EQ(host_hw.installed.satp, 0);
    CHECK_EQ(v->stats.to_firmware, 1);
    CHECK_EQ(v->stats.os_exceptions[CAUSE_ECALL_S], 1);
}

TEST(interrupts_follow_mie_and_vectoring)
{
    struct vcpu *v = fixture_vcpu();
    v->csr[CSR_ID_mtvec] = 0x80000201;             /* vectored */
    v->csr[CSR_ID_mie] = MIP_MTIP | MIP_MSIP;
    v->dirty |= DIRTY_IRQ;
    world_refresh(v);
    CHECK_EQ(host_hw.csr[CSR_MIE], 0);             /* MIE = 0: nothing may trap */
    v->csr[CSR_ID_mstatus] |= MSTATUS_MIE;
    v->dirty |= DIRTY_IRQ;
    world_refresh(v);
    CHECK_EQ(host_hw.csr[CSR_MIE], MIP_MTIP | MIP_MSIP);
    host_hw.csr[CSR_MIP] = MIP_MTIP | MIP_MSIP;
    uint64_t pc = v->pc;
    fixture_trap(v, CAUSE_INTERRUPT | IRQ_MTI, 0); /* the hardware chose MTI */
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_INTERRUPT | IRQ_MTI);
    CHECK_EQ(v->pc, 0x80000200 + 4 * IRQ_MTI);
    CHECK_EQ(v->csr[CSR_ID_mepc], pc);
    CHECK_EQ(host_hw.csr[CSR_MIE], 0);             /* MIE cleared by the trap */
    /* A stale physical interrupt that is no longer pending is dropped. */
    host_hw.csr[CSR_MIP] = 0;
    v->csr[CSR_ID_mstatus] |= MSTATUS_MIE;
    pc = v->pc;
    fixture_trap(v, CAUSE_INTERRUPT | IRQ_MSI, 0);
    CHECK_EQ(v->pc, pc);
}

TEST(delegated_interrupts_never_trap_the_firmware)
{
    struct vcpu *v = fixture_vcpu();
    v->csr[CSR_ID_mideleg] = BIT(IRQ_STI);
    v->csr[CSR_ID_mie] = BIT(IRQ_STI) | MIP_MTIP;
    v->csr[CSR_ID_mstatus] |= MSTATUS_MIE;
    CHECK_EQ(irq_physical_mie(v), MIP_MTIP);
    v->priv = PRV_S;                               /* the OS world: the guest's own mie */
    CHECK_EQ(irq_physical_mie(v), BIT(IRQ_STI) | MIP_MTIP);
}

TEST(wfi_waits_only_without_pending_enabled_interrupt)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t pc = v->pc;
    v->csr[CSR_ID_mie] = MIP_MTIP;
    host_hw.csr[CSR_MIP] = MIP_MTIP;               /* pending and enabled, MIE = 0 */
    fixture_exec(v, WFI);
    CHECK_EQ(host_hw.wfi_count, 0);
    CHECK_EQ(v->pc, pc + 4);
    host_hw.csr[CSR_MIP] = 0;
    fixture_exec(v, WFI);
    CHECK_EQ(host_hw.wfi_count, 1);
}

TEST(mmio_clint_load_store_emulated)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t pc = v->pc;
    /* c.lw a0, 0(a1) with a1 = msip of hart 0, after an access fault on the CLINT */
    memcpy(&host_hw.ram[pc - HOST_RAM_BASE], &(uint16_t){0x4188}, 2);
    host_hw.mmio[0] = 1;
    v->x[11] = 0x2000000;
    fixture_trap(v, CAUSE_LOAD_ACCESS, 0x2000000);
    CHECK_EQ(v->x[10], 1);
    CHECK_EQ(v->pc, pc + 2);
    /* sd a0, 0(a1) to mtimecmp of hart 1 */
    v->x[11] = 0x2004008;
    v->x[10] = 0x1122334455667788ULL;
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x00a5b023}, 4);
    fixture_trap(v, CAUSE_STORE_ACCESS, 0x2004008);
    CHECK_EQ(host_hw.mmio[0x4008 / 8], 0x1122334455667788ULL);
    CHECK_EQ(v->pc, pc + 6);
    /* a 2-byte load is invalid on the CLINT: the device's fault reaches the firmware */
    v->csr[CSR_ID_mtvec] = 0x80000300;
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x0005d503}, 4); /* lhu a0,0(a1) */
    fixture_trap(v, CAUSE_LOAD_ACCESS, 0x2004008);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_LOAD_ACCESS);
    CHECK_EQ(v->csr[CSR_ID_mtval], 0x2004008);
    CHECK_EQ(v->pc, 0x80000300);
}

TEST(monitor_memory_fault_is_injected_unchanged)
{
    struct vcpu *v = fixture_vcpu();
    v->csr[CSR_ID_mtvec] = 0x80000300;
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x0005b503}, 4); /* ld a0,0(a1) */
    v->x[11] = 0x8fc00000;
    fixture_trap(v, CAUSE_LOAD_ACCESS, 0x8fc00000);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_LOAD_ACCESS);
    CHECK_EQ(v->csr[CSR_ID_mtval], 0x8fc00000);
    CHECK_EQ(v->x[10], 0);
}

TEST(mprv_accesses_are_replayed)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    csr_write_mstatus(v, v->csr[CSR_ID_mstatus] | MSTATUS_MPRV | (1ULL << MSTATUS_MPP_SHIFT));
    world_refresh(v);
    CHECK_EQ(host_hw.pmpcfg[15], PMP_A_NAPOT | PMP_X);     /* data accesses now trap */
    (void)old;
    host_hw.ram[0x800] = 0x5a;
    v->x[11] = HOST_RAM_BASE + 0x800;
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x0005c503}, 4); /* lbu a0,0(a1) */
    uint64_t pc = v->pc;
    fixture_trap(v, CAUSE_LOAD_ACCESS, HOST_RAM_BASE + 0x800);
    CHECK_EQ(v->x[10], 0x5a);
    CHECK_EQ(v->pc, pc + 4);
    CHECK_EQ(v->stats.emulated[EMU_MPRV_ACCESS], 1);
    /* A replay that faults reports the replay's own fault, not the PMP trap. */
    v->csr[CSR_ID_mtvec] = 0x80000300;
    host_hw.mprv_fault = true;
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x00a5a023}, 4); /* sw a0,0(a1) */
    fixture_trap(v, CAUSE_STORE_ACCESS, HOST_RAM_BASE + 0x800);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_STORE_PAGE);
    CHECK_EQ(v->csr[CSR_ID_mtval], HOST_RAM_BASE + 0x800);
    CHECK_EQ(v->pc, 0x80000300);
}

TEST(mprv_amos_are_replayed)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t a = HOST_RAM_BASE + 0x800, pc;
    csr_write_mstatus(v, v->csr[CSR_ID_mstatus] | MSTATUS_MPRV | (1ULL << MSTATUS_MPP_SHIFT));
    world_refresh(v);
    memcpy(&host_hw.ram[0x800], &(uint64_t){0x80000005}, 8);
    v->x[11] = a;
    v->x[12] = 3;
    /* amoadd.w a0, a2, (a1): rd is the old word sign-extended, as rv64 writes it */
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x00c5a52f}, 4);
    pc = v->pc;
    fixture_trap(v, CAUSE_LOAD_ACCESS, a);
    CHECK_EQ(v->x[10], 0xffffffff80000005ULL);
    CHECK_EQ(host_hw.ram[0x800], 0x08);
    CHECK_EQ(v->pc, pc + 4);
    CHECK_EQ(v->stats.emulated[EMU_MPRV_ACCESS], 1);
    /* lr.d a0, (a1) then sc.d a0, a2, (a1): the hardware's SC decides (the host model's,
     * like QEMU's, has lost the reservation in the trap: it fails, memory untouched) */
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x1005b52f}, 4);
    fixture_trap(v, CAUSE_LOAD_ACCESS, a);
    CHECK_EQ(v->x[10], 0x80000008);
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x18c5b52f}, 4);
    pc = v->pc;
    fixture_trap(v, CAUSE_STORE_ACCESS, a);
    CHECK_EQ(v->x[10], 1);
    CHECK_EQ(host_hw.ram[0x800], 0x08);
    CHECK_EQ(v->pc, pc + 4);
    /* amoswap.d a0, a2, (a1) whose replay faults: the replay's cause, a0 untouched */
    v->csr[CSR_ID_mtvec] = 0x80000300;
    host_hw.mprv_fault = true;
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x08c5b52f}, 4);
    fixture_trap(v, CAUSE_LOAD_ACCESS, a);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_STORE_PAGE);
    CHECK_EQ(v->csr[CSR_ID_mtval], a);
    CHECK_EQ(v->x[10], 1);
    CHECK_EQ(v->pc, 0x80000300);
}

TEST(os_trap_records_the_mode_the_os_was_in)
{
    struct vcpu *v = fixture_vcpu();
    enable_pmp_entry(v);
    v->csr[CSR_ID_mtvec] = 0x80000100;
    v->csr[CSR_ID_mstatus] |= (1ULL << MSTATUS_MPP_SHIFT);
    v->csr[CSR_ID_mie] = MIP_MTIP;
    fixture_exec(v, MRET);                          /* into S */
    /* The OS went to U-mode natively (sret); a timer interrupt comes from U. */
    host_hw.csr[CSR_MSTATUS] &= ~(MSTATUS_MPP | MSTATUS_MPV);
    host_hw.csr[CSR_MIP] = MIP_MTIP;
    fixture_trap(v, CAUSE_INTERRUPT | IRQ_MTI, 0);
    CHECK_EQ((v->csr[CSR_ID_mstatus] & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_U);
    CHECK_EQ(v->csr[CSR_ID_mstatus] & MSTATUS_MPV, 0);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_INTERRUPT | IRQ_MTI);
    CHECK_EQ(v->priv, PRV_M);
    /* From VS-mode: MPV must be set. */
    v->csr[CSR_ID_mstatus] |= (1ULL << MSTATUS_MPP_SHIFT);
    v->pc = HOST_RAM_BASE + 0x40;
    fixture_exec(v, MRET);
    host_hw.csr[CSR_MSTATUS] |= (1ULL << MSTATUS_MPP_SHIFT) | MSTATUS_MPV;
    fixture_trap(v, CAUSE_ECALL_VS, 0);
    CHECK_EQ((v->csr[CSR_ID_mstatus] & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT, PRV_S);
    CHECK(v->csr[CSR_ID_mstatus] & MSTATUS_MPV);
}

TEST(illegal_instruction_is_fetched_not_taken_from_stale_mtval)
{
    struct vcpu *v = fixture_vcpu();
    /* csrr a0, mscratch in memory; the hardware's mtval still holds an older instruction
     * (QEMU does that for hlv/hsv): the monitor must execute what is at the pc. */
    v->csr[CSR_ID_mscratch] = 0x77;
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x34002573}, 4);
    fixture_trap(v, CAUSE_ILLEGAL_INSN, 0x30200073 /* stale: mret */);
    CHECK_EQ(v->x[10], 0x77);
    CHECK_EQ(v->priv, PRV_M);
}

TEST(mmio_amo_and_fp_on_device)
{
    struct vcpu *v = fixture_vcpu();
    host_hw.mmio[0] = 0x5;
    v->x[11] = 0x2000000;
    v->x[12] = 0x3;
    /* amoor.w a0, a2, (a1) */
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x40c5a52f}, 4);
    fixture_trap(v, CAUSE_STORE_ACCESS, 0x2000000);
    CHECK_EQ(v->x[10], 0x5);
    CHECK_EQ(host_hw.mmio[0] & 0xffffffff, 0x7);
    /* flw fa0, 0(a1): NaN-boxed */
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x0005a507}, 4);
    fixture_trap(v, CAUSE_LOAD_ACCESS, 0x2000000);
    CHECK_EQ(host_hw.fp[10], 0xffffffff00000007ULL);
    /* fsd fa0, 8(a1) */
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &(uint32_t){0x00a5b427}, 4);
    fixture_trap(v, CAUSE_STORE_ACCESS, 0x2000008);
    CHECK_EQ(host_hw.mmio[1], 0xffffffff00000007ULL);
}

TEST(hlv_is_executed_for_the_firmware)
{
    struct vcpu *v = fixture_vcpu();
    host_hw.ram[0x900] = 0xab;
    v->x[11] = HOST_RAM_BASE + 0x900;
    uint64_t pc = v->pc;
    /* hlv.bu a0, (a1): funct7 0x30, rs2 1 */
    uint32_t w = (0x30u << 25) | (1u << 20) | (11u << 15) | (4u << 12) | (10u << 7) | 0x73;
    fixture_exec(v, w);
    CHECK_EQ(v->x[10], 0xab);
    CHECK_EQ(v->pc, pc + 4);
}
