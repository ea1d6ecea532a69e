/* The trap-level trace points, derived from the hart's state before and after the
 * dispatcher handled a trap. The dispatcher itself holds no trace point: with tracing
 * compiled in but off, its only cost is the one test of the hart's trace mask that picks
 * the traced path (dispatch.c). What each record holds, and in which order records come,
 * is what tracer/README.md documents. The emulation's counters (vcpu stats) say what it
 * did: a CSR access, a device access, an injected interrupt. */
#include "trace.h"
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/emulate.h>
#include <miralis/machine.h>
#include <miralis/vtimer.h>

#if CONFIG_TRACE

/* The platform's index of a device, or ~0 for none (a debugger's watched RAM). */
static uint32_t device_index(const struct machine *m, uint64_t addr)
{
    const struct vdevice *dev = machine_find_device(m, addr);
    return dev ? (uint32_t)(dev - m->platform->devices) : ~0u;
}

void trace_trap_begin(struct vcpu *v, struct trace_trap *s)
{
    s->pc = v->pc;
    s->priv = (uint8_t)v->priv;
    s->sbi_pending = v->sbi_pending;
    s->csr = s->dev = s->fetched = false;
    s->csr_reads = v->stats.emulated[EMU_CSR_READ];
    s->csr_writes = v->stats.emulated[EMU_CSR_WRITE];
    s->injected = v->stats.injected_interrupts;
    trace(v, TRACE_TRAP, 0, 0, v->pc, v->trap_cause, v->trap_tval);

    if (v->priv != PRV_M) {
        /* An SBI call: the OS's ecall, which the firmware will handle. */
        if (v->trap_cause == CAUSE_ECALL_S || v->trap_cause == CAUSE_ECALL_VS)
            trace(v, TRACE_SBI, TRACE_SBI_CALL, TRACE_SBI_FORWARDED, v->pc, v->x[17], v->x[16]);
        return;
    }
    bool insn_trap = v->trap_cause == CAUSE_ILLEGAL_INSN &&
                     (trace_on(v, TRACE_CSR) || trace_on(v, TRACE_EMUL));
    bool access_fault = (v->trap_cause == CAUSE_LOAD_ACCESS ||
                         v->trap_cause == CAUSE_STORE_ACCESS) && trace_on(v, TRACE_DEVICE);
    if (!insn_trap && !access_fault)
        return;
    /* The instruction the dispatcher will emulate (fetched the same way). */
    struct trap_info fault;
    if (!fetch_insn(v, v->pc, &s->raw, &fault))
        return;
    /* A word it rejects: OP_INVALID, neither access nor CSR. The dispatcher takes the
     * instruction from here rather than fetching and decoding it again. */
    insn_decode(s->raw, &s->in);
    s->fetched = true;
    const struct insn in = s->in;
    if (access_fault) {
        /* Maybe a device access: a store's value is known now, a load's once done. */
        if (!insn_is_plain_access(in.op))
            return; /* AMOs on devices are not recorded */
        s->dev = true;
        s->dev_store = insn_is_plain_store(in.op);
        s->dev_fp = in.op == OP_FLOAD || in.op == OP_FSTORE;
        s->dev_width = in.width;
        s->dev_reg = (uint8_t)(s->dev_store ? in.rs2 : in.rd);
        s->dev_addr = v->trap_tval;
        s->dev_loads = v->stats.emulated[EMU_MMIO_LOAD];
        s->dev_stores = v->stats.emulated[EMU_MMIO_STORE];
        if (s->dev_store)
            s->dev_val = store_value(v, &in);
        return;
    }
    if (!insn_is_csr(in.op)) {
        trace(v, TRACE_EMUL, (uint16_t)in.op, s->raw, v->pc, 0, 0);
        return;
    }
    /* A CSR access: its old value is what lands in rd. Only with rd = x0 read it now:
     * a read can change a CSR (QEMU sets mideleg's H bits on its first access), so an
     * early read must not happen where the firmware's own read would show the change. */
    s->csr = trace_on(v, TRACE_CSR);
    s->csr_num = in.csr;
    s->csr_rd = (uint8_t)in.rd;
    if (s->csr && in.rd == 0 && !csr_rmw(v, in.csr, 0, 0, &s->csr_old))
        s->csr = false; /* illegal: the firmware gets the trap, no access to record */
}

static void record_device(struct vcpu *v, const struct trace_trap *s)
{
    uint64_t done = v->stats.emulated[s->dev_store ? EMU_MMIO_STORE : EMU_MMIO_LOAD];
    if (done == (s->dev_store ? s->dev_stores : s->dev_loads))
        return; /* not emulated: the firmware got the fault */
    uint64_t val = s->dev_val;
    if (!s->dev_store) /* what landed in rd (x0: the value is gone, 0 is recorded) */
        val = insn_cut_to_width(s->dev_fp ? arch_fp_read(s->dev_reg) : v->x[s->dev_reg],
                                s->dev_width);
    trace(v, TRACE_DEVICE, s->dev_width | (s->dev_store ? TRACE_DEV_STORE : 0),
          device_index(v->machine, s->dev_addr), s->pc, s->dev_addr, val);
}

void trace_trap_end(struct vcpu *v, const struct trace_trap *s)
{
    if (s->dev)
        record_device(v, s);
    if (s->csr) {
        bool wrote = v->stats.emulated[EMU_CSR_WRITE] != s->csr_writes;
        if (wrote || v->stats.emulated[EMU_CSR_READ] != s->csr_reads) {
            uint64_t old = s->csr_rd ? v->x[s->csr_rd] : s->csr_old;
            uint64_t now = old;
            if (wrote)
                csr_rmw(v, s->csr_num, 0, 0, &now); /* what the write left (WARL) */
            trace(v, TRACE_CSR, s->csr_num | (wrote ? TRACE_CSR_WRITE : 0), s->raw, s->pc,
                  old, now);
        }
    }
    if (v->stats.injected_interrupts != s->injected && trace_on(v, TRACE_IRQ)) {
        /* Recorded in the world that was interrupted. */
        uint64_t cause = v->csr[CSR_ID_mcause];
        trace_emit_in(v, trace_world_of(s->priv), TRACE_IRQ, (uint16_t)(cause & ~CAUSE_INTERRUPT),
                      0, s->pc, cause, vtimer_guest_mip(v, arch_read_mip()));
    }
    if (s->priv != PRV_M && v->priv == PRV_M) {
        trace(v, TRACE_WORLD, TRACE_TO_FIRMWARE, PRV_M, v->pc, v->csr[CSR_ID_mcause], 0);
    } else if (s->priv == PRV_M && v->priv != PRV_M) {
        trace(v, TRACE_WORLD, TRACE_TO_OS, v->priv | (v->virt << 2), v->pc, 0, 0);
        if (s->sbi_pending) /* back from the firmware's handling of an SBI call: a0/a1 */
            trace(v, TRACE_SBI, TRACE_SBI_RETURN, TRACE_SBI_FORWARDED, v->pc, v->x[10], v->x[11]);
    }
}

#endif
