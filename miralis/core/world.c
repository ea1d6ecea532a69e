/* Trap injection, interrupt routing and world switches. */
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/machine.h>
#include <miralis/vpmp.h>
#include <miralis/vtimer.h>
#include <miralis/world.h>

/* Fields of the physical mstatus that hold the guest's own values in both worlds: they
 * only affect S/U execution or the FP/vector units, never the monitor. */
#define MSTATUS_GUEST_FIELDS (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | \
                              MSTATUS_MXR | MSTATUS_FS | MSTATUS_VS | MSTATUS_TVM | \
                              MSTATUS_TW | MSTATUS_TSR)

int irq_pending_virtual(struct vcpu *v, int hint)
{
    /* In M-mode, M-level interrupts need mstatus.MIE; below M they are always enabled. */
    if (v->priv == PRV_M && !(v->csr[CSR_ID_mstatus] & MSTATUS_MIE))
        return -1;
    uint64_t pending = vtimer_guest_mip(v, arch_read_mip()) & v->csr[CSR_ID_mie] &
                       ~v->csr[CSR_ID_mideleg];
    if (!pending)
        return -1;
    /* The hardware already chose among what was pending with its own priority order
     * (3.1.9; QEMU 7.2 takes the lowest number first): keep its choice when it stands. */
    if (hint >= 0 && hint < 64 && (pending & BIT(hint)))
        return hint;
    int irq = 0;
    while (!(pending & 1))
        pending >>= 1, irq++;
    return irq;
}

uint64_t irq_physical_mie(struct vcpu *v)
{
    /* The monitor's tick must reach it in every world and mode (vtimer.h); the guest's
     * own timer interrupt is then held back by the compare value, not by mie. */
    uint64_t tick = vtimer_on(v) ? MIP_MTIP : 0;
    uint64_t mie = v->csr[CSR_ID_mie] | tick;
    if (v->priv != PRV_M)
        return mie; /* the OS world: delegation and enables are the guest's own */
    if (!(v->csr[CSR_ID_mstatus] & MSTATUS_MIE))
        return tick;
    /* Firmware world (physical U-mode): only interrupts the virtual M-mode takes may trap;
     * delegated ones must stay pending, or the hardware would deliver them to S-mode. */
    return mie & ~v->csr[CSR_ID_mideleg];
}

void trap_inject(struct vcpu *v, const struct trap_info *t)
{
    uint64_t s = v->csr[CSR_ID_mstatus];
    bool from_os = v->priv != PRV_M;
    s &= ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MPV | MSTATUS_GVA);
    s |= (uint64_t)v->priv << MSTATUS_MPP_SHIFT;
    if (s & MSTATUS_MIE)
        s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MIE;
    if (v->virt)
        s |= MSTATUS_MPV;
    if (t->gva)
        s |= MSTATUS_GVA;
    v->csr[CSR_ID_mstatus] = s;
    v->csr[CSR_ID_mepc] = v->pc;
    v->csr[CSR_ID_mcause] = t->cause;
    v->csr[CSR_ID_mtval] = t->tval;
    v->csr[CSR_ID_mtval2] = t->tval2;
    v->csr[CSR_ID_mtinst] = t->tinst;
    v->mmio_reserved = 0; /* a trap the guest sees ends its reservation, as natively */

    uint64_t tvec = v->csr[CSR_ID_mtvec];
    uint64_t base = tvec & ~MTVEC_MODE_MASK;
    if ((t->cause & CAUSE_INTERRUPT) && (tvec & MTVEC_MODE_MASK) == MTVEC_VECTORED)
        base += 4 * (t->cause & 0xfff);
    v->pc = base;
    v->priv = PRV_M;
    v->virt = false;
    if (from_os) {
        v->stats.to_firmware++;
        world_enter(v);
    } else {
        /* MIE and MPP changed; the physical image's guest fields did not. */
        v->dirty |= DIRTY_IRQ | DIRTY_PMP;
    }
}

/* The trap bookkeeping of an S-level status register (sstatus or vsstatus, 4.1.1): the
 * previous mode in SPP, SIE saved in SPIE and cleared. */
static uint64_t s_trap_status(uint64_t s, unsigned priv)
{
    s &= ~(MSTATUS_SPP | MSTATUS_SPIE);
    if (priv == PRV_S)
        s |= MSTATUS_SPP;
    if (s & MSTATUS_SIE)
        s |= MSTATUS_SPIE;
    return s & ~MSTATUS_SIE;
}

void trap_reflect_os(struct vcpu *v, const struct trap_info *t)
{
    bool has_h = vcpu_has_csr(v, CSR_ID_hstatus);
    unsigned cause = (unsigned)(t->cause & 63);
    if (v->virt && has_h && ((arch_csr_read(CSR_HEDELEG) >> cause) & 1)) {
        /* VS-mode's own trap: its vs CSRs, V stays 1. */
        arch_csr_write(CSR_VSSTATUS, s_trap_status(arch_csr_read(CSR_VSSTATUS), v->priv));
        arch_csr_write(CSR_VSEPC, v->pc);
        arch_csr_write(CSR_VSCAUSE, t->cause);
        arch_csr_write(CSR_VSTVAL, t->tval);
        /* QEMU 7.2 writes these on any trap below M, to VS as well */
        arch_csr_write(CSR_HSTATUS, arch_csr_read(CSR_HSTATUS) & ~HSTATUS_GVA);
        arch_csr_write(CSR_HTVAL, 0);
        arch_csr_write(CSR_HTINST, t->tinst);
        v->pc = arch_csr_read(CSR_VSTVEC) & ~MTVEC_MODE_MASK;
    } else {
        v->csr[CSR_ID_mstatus] = s_trap_status(v->csr[CSR_ID_mstatus], v->priv);
        arch_csr_write(CSR_SEPC, v->pc);
        arch_csr_write(CSR_SCAUSE, t->cause);
        arch_csr_write(CSR_STVAL, t->tval);
        if (has_h) { /* 8.6.4: where it came from, and the hardware's GVA/htval/htinst */
            uint64_t hs = arch_csr_read(CSR_HSTATUS) & ~(HSTATUS_SPV | HSTATUS_GVA);
            if (v->virt) {
                hs = (hs & ~HSTATUS_SPVP) | HSTATUS_SPV | (v->priv == PRV_S ? HSTATUS_SPVP : 0);
                if (t->gva)
                    hs |= HSTATUS_GVA;
            }
            arch_csr_write(CSR_HSTATUS, hs);
            arch_csr_write(CSR_HTVAL, t->tval2);
            arch_csr_write(CSR_HTINST, t->tinst);
        }
        v->pc = arch_csr_read(CSR_STVEC) & ~MTVEC_MODE_MASK;
        v->virt = false;
    }
    v->priv = PRV_S;
    world_enter(v);
}

/* The physical mstatus for the current world: guest fields, and MPP/MPV so that the
 * monitor's mret lands in the right physical mode (U for the firmware). */
static uint64_t physical_mstatus(const struct vcpu *v)
{
    uint64_t s = v->csr[CSR_ID_mstatus] & MSTATUS_GUEST_FIELDS;
    if (v->priv != PRV_M) {
        s |= (uint64_t)v->priv << MSTATUS_MPP_SHIFT;
        if (v->virt)
            s |= MSTATUS_MPV;
    }
    return s;
}

void world_enter(struct vcpu *v)
{
    struct world_image w = {
        .mstatus = physical_mstatus(v),
        .mie = irq_physical_mie(v),
        .has_smode = vcpu_has_csr(v, CSR_ID_satp),
    };
    if (v->priv == PRV_M) {
        /* The firmware: no delegation (every trap comes to the monitor), no translation,
         * every counter readable as it is in M-mode. */
        w.medeleg = 0;
        w.satp = 0;
        w.mcounteren = ~0ULL;
        w.scounteren = ~0ULL;
    } else {
        w.medeleg = v->csr[CSR_ID_medeleg] & ~(CONFIG_GDB ? v->machine->medeleg_intercept : 0);
        w.satp = v->csr[CSR_ID_satp];
        w.mcounteren = v->csr[CSR_ID_mcounteren];
        w.scounteren = v->csr[CSR_ID_scounteren];
    }
    arch_install_world(&w);
    vpmp_install(v, vpmp_world_of(v));
    if (vtimer_on(v))
        vtimer_program(v, false);
    v->dirty = 0;
}

void world_refresh(struct vcpu *v)
{
    uint8_t d = v->dirty;
    if (!d)
        return;
    if (d & DIRTY_IRQ) {
        arch_set_mie(irq_physical_mie(v));
        if (vtimer_on(v))
            vtimer_program(v, false);
    }
    if (d & DIRTY_MSTATUS)
        arch_write_mstatus(physical_mstatus(v));
    if (d & DIRTY_PMP)
        vpmp_install(v, vpmp_world_of(v));
    v->dirty = 0;
}

uint64_t world_leave_os(struct vcpu *v)
{
    struct world_image w = {.has_smode = true}; /* an OS world implies S-mode */
    arch_save_os_state(&w);
    uint64_t s = v->csr[CSR_ID_mstatus] & ~MSTATUS_GUEST_FIELDS;
    v->csr[CSR_ID_mstatus] = s | (w.mstatus & MSTATUS_GUEST_FIELDS);
    /* The OS cannot change MTIE (not delegable): with the tick on, the physical bit is
     * the monitor's, the guest's stays as it was. */
    v->csr[CSR_ID_mie] = vtimer_on(v) ? (w.mie & ~MIP_MTIP) | (v->csr[CSR_ID_mie] & MIP_MTIP)
                                      : w.mie;
    v->csr[CSR_ID_satp] = w.satp;
    v->csr[CSR_ID_scounteren] = w.scounteren;
    return w.mstatus;
}
