/* Per-hart counters of traps and world switches, printed at the end of a run. */
#include <miralis/decode.h>
#include <miralis/log.h>
#include <miralis/machine.h>
#include <miralis/stats.h>
#include "trace.h"

static const char *const emu_names[EMU_KIND_COUNT] = {
    [EMU_CSR_READ] = "csr-read", [EMU_CSR_WRITE] = "csr-write", [EMU_MRET] = "mret",
    [EMU_SRET] = "sret", [EMU_WFI] = "wfi", [EMU_SFENCE] = "sfence.vma",
    [EMU_HFENCE] = "hfence", [EMU_MMIO_LOAD] = "mmio-load", [EMU_MMIO_STORE] = "mmio-store",
    [EMU_MPRV_ACCESS] = "mprv-access", [EMU_ECALL] = "ecall", [EMU_EBREAK] = "ebreak",
    [EMU_ILLEGAL] = "illegal",
};

static void print_row(const char *what, const uint64_t *counts, unsigned n, const char *prefix)
{
    bool any = false;
    for (unsigned i = 0; i < n; i++)
        any |= counts[i] != 0;
    if (!any)
        return;
    log_printf("miralis:   %s:", what);
    for (unsigned i = 0; i < n; i++)
        if (counts[i])
            log_printf(" %s%u=%lu", prefix, i, counts[i]);
    log_printf("\n");
}

void stats_print(const struct machine *m)
{
    for (unsigned h = 0; h < CONFIG_MAX_HARTS; h++) {
        const struct vcpu *v = m->vcpus[h];
        if (!v)
            continue;
        const struct vcpu_stats *s = &v->stats;
        log_printf("miralis: stats hart %u: world switches to-os=%lu to-firmware=%lu "
                   "injected-interrupts=%lu\n", h, s->to_os, s->to_firmware,
                   s->injected_interrupts);
        print_row("firmware traps", s->fw_exceptions, NUM_EXC_CAUSES, "cause");
        print_row("firmware interrupts", s->fw_interrupts, NUM_IRQ_CAUSES, "irq");
        print_row("os traps forwarded", s->os_exceptions, NUM_EXC_CAUSES, "cause");
        print_row("os interrupts forwarded", s->os_interrupts, NUM_IRQ_CAUSES, "irq");
        log_printf("miralis:   emulated:");
        for (unsigned i = 0; i < EMU_KIND_COUNT; i++)
            if (s->emulated[i])
                log_printf(" %s=%lu", emu_names[i], s->emulated[i]);
        log_printf("\n");
    }
}

/* The platform's power-off device: print the counters (if asked) before the machine stops. */
enum mmio_result vdevice_finisher(struct vcpu *v, const struct vdevice *dev, uint64_t offset,
                                  unsigned width, bool store, uint64_t *val,
                                  struct trap_info *fault)
{
    if (store && v->machine->stats_enabled)
        stats_print(v->machine);
    if (store)
        trace_flush_all(v->machine); /* the run ends: send what the rings still hold */
    return vdevice_passthrough(v, dev, offset, width, store, val, fault);
}
