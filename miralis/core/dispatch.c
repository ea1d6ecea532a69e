/* The trap dispatcher: every trap the monitor takes from a guest comes here once. It picks
 * the emulation, then applies the outcome: only this file moves the pc, injects a trap or
 * switches worlds (the KVM pattern: emulation returns an outcome, the dispatcher acts). */
#include <miralis/arch.h>
#include <miralis/decode.h>
#include <miralis/emulate.h>
#include <miralis/machine.h>
#include <miralis/vpmp.h>
#include <miralis/vtimer.h>
#include <miralis/world.h>
#include <miralis/dispatch.h>
#include <miralis/log.h>
#include "gdb_target.h"
#include "trace.h"

static unsigned cause_index(uint64_t cause, unsigned limit)
{
    uint64_t c = cause & ~CAUSE_INTERRUPT;
    return c < limit ? (unsigned)c : limit - 1;
}

/* The hardware's own description of a trap: what the firmware gets when the monitor has
 * nothing to emulate. */
static struct trap_info hardware_trap(struct vcpu *v)
{
    struct trap_info t = {.cause = v->trap_cause, .tval = v->trap_tval};
    if (vcpu_has_csr(v, CSR_ID_mtinst))
        arch_read_trap_extra(&t);
    return t;
}

static inline __attribute__((always_inline)) void apply(struct vcpu *v, enum emu_outcome out,
                                                       unsigned len, const struct trap_info *t)
{
    switch (out) {
    case EMU_NEXT:
        v->pc += len;
        break;
    case EMU_JUMP:
        if (v->priv != PRV_M) {
            v->stats.to_os++;
            v->sbi_pending = false;
            gdb_note_world_switch(v);
            world_enter(v);
        } else {
            v->dirty |= DIRTY_IRQ | DIRTY_PMP; /* MIE, and MPP for the MPRV image */
        }
        break;
    case EMU_TRAP:
        gdb_note_exception(v);
        trap_inject(v, t);
        break;
    case EMU_RETRY:
        break;
    }
}

static void inject_interrupt(struct vcpu *v)
{
    int irq = irq_pending_virtual(v, (int)(v->trap_cause & 63));
    if (irq < 0) {
        /* No longer pending (e.g. cleared by another hart): resume. With the monitor's
         * tick, a timer interrupt the guest does not take may come from a compare value
         * another hart left behind: set this hart's again, or it would fire until the
         * next tick. */
        if (vtimer_on(v))
            vtimer_program(v, false);
        return;
    }
    struct trap_info t = {.cause = CAUSE_INTERRUPT | (uint64_t)irq};
    v->stats.injected_interrupts++;
    trap_inject(v, &t);
}

/* The trapped instruction, from memory -- or as the traced path already fetched and decoded
 * it (pre; always 0 in the untraced path, where this folds away). */
static inline __attribute__((always_inline)) bool trapped_insn(struct vcpu *v,
                                                              const struct trace_trap *pre,
                                                              uint32_t *raw, struct insn *in,
                                                              struct trap_info *fault)
{
    if (pre && pre->fetched) {
        *raw = pre->raw;
        *in = pre->in;
        return true;
    }
    if (!fetch_insn(v, v->pc, raw, fault))
        return false;
    insn_decode(*raw, in);
    return true;
}

/* A load or store that hit a no-access PMP entry: a virtual device, or virtual MPRV. */
static inline __attribute__((always_inline)) void firmware_access_fault(struct vcpu *v,
                                                                        const struct trace_trap *pre)
{
    struct trap_info t = hardware_trap(v);
    struct insn in;
    uint32_t raw;
    struct trap_info fetch_fault;
    if (!trapped_insn(v, pre, &raw, &in, &fetch_fault) || in.op == OP_INVALID) {
        apply(v, EMU_TRAP, 0, &t);
        return;
    }
    enum emu_outcome out = EMU_TRAP;
    bool store = v->trap_cause == CAUSE_STORE_ACCESS;
    int watch = gdb_on_access_fault(v, &in, v->trap_tval, store);
    if (watch == GDB_FAULT_STOPPED)
        return; /* the debugger had it: the instruction runs when it resumes us */
    if (watch == GDB_FAULT_EMULATE)
        out = emulate_passthrough(v, &in, v->trap_tval, &t);
    else if (vpmp_world_of(v) == PMP_FIRMWARE_MPRV)
        /* Under virtual MPRV the address is MPP's (translated, S/U-protected): the replay
         * decides, devices included, as the hardware would. */
        out = emulate_mprv(v, &in, v->trap_tval, &t);
    else if (machine_find_device(v->machine, v->trap_tval))
        out = emulate_mmio(v, &in, v->trap_tval, &t);
    apply(v, out, in.len, &t);
}

/* Inlined into both the traced and the untraced path (as the single caller's would be). */
static inline __attribute__((always_inline)) void firmware_trap(struct vcpu *v,
                                                                const struct trace_trap *pre)
{
    uint64_t cause = v->trap_cause;
    if (cause & CAUSE_INTERRUPT) {
        v->stats.fw_interrupts[cause_index(cause, NUM_IRQ_CAUSES)]++;
        inject_interrupt(v);
        return;
    }
    v->stats.fw_exceptions[cause_index(cause, NUM_EXC_CAUSES)]++;
    switch (cause) {
    case CAUSE_ILLEGAL_INSN: {
        struct trap_info t;
        uint32_t raw;
        struct insn in;
        /* The instruction comes from memory, not from mtval: QEMU leaves a stale mtval
         * for some illegal instructions (hlv/hsv from U-mode). */
        if (!trapped_insn(v, pre, &raw, &in, &t)) {
            apply(v, EMU_TRAP, 0, &t);
            return;
        }
        enum emu_outcome out = emulate_privileged(v, &in, raw, &t);
        apply(v, out, in.len, &t);
        return;
    }
    case CAUSE_ECALL_U: {
#if CONFIG_TEST_HOOKS
        /* Test builds only (tests/integration/test_panic.py): reach the monitor's
         * impossible-state paths on purpose. Never compiled into a normal monitor. */
        if (v->x[17] == 0x4d495241 && v->x[16] == 1)
            monitor_panic(v, "test hook: impossible state requested by the firmware");
        if (v->x[17] == 0x4d495241 && v->x[16] == 2)
            (void)*(volatile uint64_t *)(uintptr_t)(v->x[0] + 8); /* fault in the monitor */
#endif
        /* The firmware believes it is in M-mode: its ecall is an ecall from M. */
        struct trap_info t = {.cause = CAUSE_ECALL_M};
        v->stats.emulated[EMU_ECALL]++;
        apply(v, EMU_TRAP, 0, &t);
        return;
    }
    case CAUSE_LOAD_ACCESS:
    case CAUSE_STORE_ACCESS:
        firmware_access_fault(v, pre);
        return;
    default: {
        /* Breakpoints, misaligned AMOs, fetch faults...: exactly what the hardware said. */
        struct trap_info t = hardware_trap(v);
        if (cause == CAUSE_BREAKPOINT) {
            if (gdb_on_breakpoint(v))
                return; /* the debugger's breakpoint, not the firmware's */
            v->stats.emulated[EMU_EBREAK]++;
        }
        apply(v, EMU_TRAP, 0, &t);
        return;
    }
    }
}

static inline __attribute__((always_inline)) void os_trap(struct vcpu *v)
{
    uint64_t cause = v->trap_cause;
    uint64_t phys_mstatus = world_leave_os(v);
    /* The OS changes mode natively (sret to U, to VS...): the mode the trap came from is
     * the one the hardware recorded, and that is what the firmware must see in MPP/MPV. */
    v->priv = (phys_mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    v->virt = (phys_mstatus & MSTATUS_MPV) != 0;
    if (cause & CAUSE_INTERRUPT) {
        v->stats.os_interrupts[cause_index(cause, NUM_IRQ_CAUSES)]++;
        inject_interrupt(v);
        return;
    }
    v->stats.os_exceptions[cause_index(cause, NUM_EXC_CAUSES)]++;
    /* Anything the hardware brings to M-mode from the OS is what the firmware's own
     * delegation did not delegate: the firmware handles it (SBI calls included). */
    struct trap_info t = hardware_trap(v);
    t.gva = phys_mstatus & MSTATUS_GVA;
    if (CONFIG_GDB && cause == CAUSE_BREAKPOINT && gdb_on_breakpoint(v)) {
        world_enter(v); /* the debugger's (it ran while we waited): back to the OS */
        return;
    }
    /* Only the GDB stub's interception (machine.medeleg_intercept, also just after it
     * detached) brings an exception the OS delegated here: hand it on as delegated. */
    if (CONFIG_GDB && cause < 64 && ((v->csr[CSR_ID_medeleg] >> cause) & 1)) {
        trap_reflect_os(v, &t);
        return;
    }
    if (cause == CAUSE_ECALL_S || cause == CAUSE_ECALL_VS)
        v->sbi_pending = true;
    gdb_note_world_switch(v);
    trap_inject(v, &t);
}

static inline __attribute__((always_inline)) void handle_trap(struct vcpu *v,
                                                              const struct trace_trap *pre)
{
    if (v->priv == PRV_M)
        firmware_trap(v, pre);
    else
        os_trap(v);
    world_refresh(v);
}

/* The same with the trap-level trace points around it (tracer/trace_trap.c), so that the
 * untraced path holds none: tracing compiled in but off costs one test per trap. */
static __attribute__((noinline, cold)) void handle_trap_traced(struct vcpu *v)
{
    struct trace_trap s;
    trace_trap_begin(v, &s);
    handle_trap(v, &s); /* with the instruction the trace point fetched, if it did */
    trace_trap_end(v, &s);
    trace_after_trap(v);
}

void miralis_handle_trap(struct vcpu *v)
{
    bool stepping = CONFIG_GDB && gdb_hart_stepping(v);
    if (CONFIG_TRACE && __builtin_expect(v->trace_mask != 0, 0))
        handle_trap_traced(v);
    else
        handle_trap(v, 0);
    if (CONFIG_GDB)
        gdb_after_trap(v, stepping);
}
