/* Privileged instructions of virtual M-mode (privileged spec 3.3, 8.2.x for H). */
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/emulate.h>
#include <miralis/machine.h>
#include <miralis/vpmp.h>
#include <miralis/vtimer.h>
#include <miralis/world.h>

#define MSTATUS_MPP_GET(s) (((s) >> MSTATUS_MPP_SHIFT) & 3)
#define HSTATUS_SPV BIT(7)

static enum emu_outcome illegal(struct trap_info *t, uint32_t raw)
{
    /* QEMU reports the instruction bits in mtval for illegal instructions. */
    *t = (struct trap_info){.cause = CAUSE_ILLEGAL_INSN, .tval = raw};
    return EMU_TRAP;
}

static enum emu_outcome emulate_csr(struct vcpu *v, const struct insn *in, uint32_t raw,
                                    struct trap_info *t)
{
    uint64_t src = (in->op >= OP_CSRRWI) ? (uint64_t)in->imm : vcpu_get_reg(v, in->rs1);
    uint64_t val, wmask, old;
    switch (in->op) {
    case OP_CSRRW: case OP_CSRRWI:
        val = src; wmask = ~0ULL;
        break;
    case OP_CSRRS: case OP_CSRRSI:
        /* rs1 = x0 / uimm = 0: no write at all, not even to a read-only CSR. */
        val = ~0ULL; wmask = in->rs1 ? src : 0;
        break;
    default: /* OP_CSRRC, OP_CSRRCI */
        val = 0; wmask = in->rs1 ? src : 0;
        break;
    }
    if (!csr_rmw(v, in->csr, val, wmask, &old))
        return illegal(t, raw);
    /* These counters also tell the tracer what happened (tracer/trace_trap.c). */
    v->stats.emulated[wmask ? EMU_CSR_WRITE : EMU_CSR_READ]++;
    vcpu_set_reg(v, in->rd, old);
    return EMU_NEXT;
}

static bool any_pmp_entry_active(const struct vcpu *v)
{
    for (unsigned e = 0; e < v->machine->pmp_virtual_count; e++)
        if (v->pmpcfg[e] & PMP_A)
            return true;
    return false;
}

/* mret (3.3.2): privilege from MPP (and V from MPV), MIE from MPIE, MPP to the lowest
 * mode, MPRV cleared when leaving M -- or QEMU 7.2's version of it (QUIRK_QEMU_MRET). */
static enum emu_outcome emulate_mret(struct vcpu *v, uint32_t raw, struct trap_info *t)
{
    bool qemu = v->machine->platform->quirks & QUIRK_QEMU_MRET;
    uint64_t s = v->csr[CSR_ID_mstatus];
    unsigned mpp = MSTATUS_MPP_GET(s);
    if (mpp == 2)
        mpp = PRV_U; /* reserved encoding: the CPU stores it and returns to U */
    if (qemu && mpp != PRV_M && !any_pmp_entry_active(v))
        return illegal(t, raw);
    bool mpv = (s & MSTATUS_MPV) && mpp != PRV_M;
    s &= ~(MSTATUS_MIE | MSTATUS_MPP | MSTATUS_MPV);
    if (s & MSTATUS_MPIE)
        s |= MSTATUS_MIE;
    s |= MSTATUS_MPIE; /* MPP = U (0) */
    if (mpp != PRV_M && !qemu)
        s &= ~MSTATUS_MPRV;
    v->csr[CSR_ID_mstatus] = s;
    v->pc = v->csr[CSR_ID_mepc];
    v->priv = mpp;
    v->virt = mpv;
    v->stats.emulated[EMU_MRET]++;
    return EMU_JUMP;
}

/* sret executed in M-mode (3.3.2, 8.6.4): privilege from SPP, V from hstatus.SPV.
 * (QEMU 7.2 leaves MPRV alone here, which the spec allows since MPRV only matters in M.) */
static enum emu_outcome emulate_sret(struct vcpu *v)
{
    uint64_t s = v->csr[CSR_ID_mstatus];
    unsigned spp = (s & MSTATUS_SPP) ? PRV_S : PRV_U;
    s &= ~(MSTATUS_SIE | MSTATUS_SPP);
    if (s & MSTATUS_SPIE)
        s |= MSTATUS_SIE;
    s |= MSTATUS_SPIE;
    v->csr[CSR_ID_mstatus] = s;
    bool spv = false;
    if (vcpu_has_csr(v, CSR_ID_hstatus)) {
        uint64_t hs = arch_csr_read(CSR_HSTATUS);
        spv = hs & HSTATUS_SPV;
        arch_csr_write(CSR_HSTATUS, hs & ~HSTATUS_SPV);
    }
    v->pc = arch_csr_read(CSR_SEPC);
    v->priv = spp;
    v->virt = spv;
    v->stats.emulated[EMU_SRET]++;
    return EMU_JUMP;
}

/* wfi (3.3.3): returns at once if an interrupt is pending and enabled in mie (whatever
 * mstatus.MIE says); otherwise waits for one. Taking it, if enabled, is the dispatcher's
 * job on the way out. */
static enum emu_outcome emulate_wfi(struct vcpu *v)
{
    v->stats.emulated[EMU_WFI]++;
    uint64_t mie = v->csr[CSR_ID_mie];
    if (vtimer_guest_mip(v, arch_read_mip()) & mie)
        return EMU_NEXT;
    if (!vtimer_on(v)) {
        arch_wait_for_interrupt(mie);
        return EMU_NEXT;
    }
    /* The monitor's tick may end the wait first: then the wfi runs again after the trap
     * (the firmware cannot tell), so a waiting hart can still be stopped. */
    v->tick_waiting = true; /* another hart's mtimecmp write keeps the wake-up */
    vtimer_program(v, true);
    v->dirty |= DIRTY_IRQ;  /* back to the compare value for running */
    arch_wait_for_interrupt(mie | MIP_MTIP);
    v->tick_waiting = false;
    return vtimer_guest_mip(v, arch_read_mip()) & mie ? EMU_NEXT : EMU_RETRY;
}

enum emu_outcome emulate_privileged(struct vcpu *v, const struct insn *in, uint32_t raw,
                                    struct trap_info *t)
{
    /* CSR accesses, the most frequent, first: one range check, not the jump table. */
    if (insn_is_csr(in->op))
        return emulate_csr(v, in, raw, t);
    switch (in->op) {
    case OP_MRET:
        return emulate_mret(v, raw, t);
    case OP_SRET:
        return emulate_sret(v);
    case OP_WFI:
        return emulate_wfi(v);
    case OP_SFENCE_VMA:
        /* Real fence: translations the OS world will use must be flushed now. */
        arch_sfence_vma(vcpu_get_reg(v, in->rs1), vcpu_get_reg(v, in->rs2), in->rs1, in->rs2);
        v->stats.emulated[EMU_SFENCE]++;
        return EMU_NEXT;
    case OP_HFENCE_VVMA: case OP_HFENCE_GVMA:
        if (!vcpu_has_csr(v, CSR_ID_hstatus))
            return illegal(t, raw);
        if (in->op == OP_HFENCE_VVMA)
            arch_hfence_vvma(vcpu_get_reg(v, in->rs1), vcpu_get_reg(v, in->rs2));
        else
            arch_hfence_gvma(vcpu_get_reg(v, in->rs1), vcpu_get_reg(v, in->rs2));
        v->stats.emulated[EMU_HFENCE]++;
        return EMU_NEXT;
    case OP_HLV: case OP_HSV: {
        /* Legal in M-mode with the H extension (8.2.4): run it for the firmware. */
        if (!vcpu_has_csr(v, CSR_ID_hstatus))
            return illegal(t, raw);
        uint64_t val = in->op == OP_HSV ? vcpu_get_reg(v, in->rs2) : 0;
        /* The access (and its G-stage walk) has hstatus.SPVP's privilege: the firmware's
         * PMP rules for S/U apply, i.e. the OS world's image. */
        enum pmp_world w = vpmp_world_of(v);
        vpmp_install(v, PMP_OS);
        bool ok = arch_hyp_access(raw, vcpu_get_reg(v, in->rs1), &val, t);
        vpmp_install(v, w);
        if (!ok)
            return EMU_TRAP;
        if (in->op == OP_HLV)
            vcpu_set_reg(v, in->rd, val);
        return EMU_NEXT;
    }
    default:
        /* Not a privileged instruction: illegal in M-mode too. */
        v->stats.emulated[EMU_ILLEGAL]++;
        return illegal(t, raw);
    }
}
