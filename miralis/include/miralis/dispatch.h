/* Entry points of the core, called by the arch layer. */
#ifndef MIRALIS_DISPATCH_H
#define MIRALIS_DISPATCH_H

#include <stdint.h>
#include "machine.h"

/* Handle the trap described by v->trap_cause/trap_tval/pc; on return, resume v. */
void miralis_handle_trap(struct vcpu *v);

/* Boot: probe the CPU and decide the physical layout (once, on the first hart). */
void miralis_machine_init(struct machine *m);
/* The trap CSRs at reset, read before the monitor takes any trap (probing does). */
struct reset_trap_csrs {
    uint64_t mstatus, mepc, mcause, mtval, mtvec;
};

/* Boot: give hart v the state the firmware would find at reset. */
void miralis_hart_init(struct machine *m, struct vcpu *v, unsigned hartid, uint64_t fdt,
                       uint64_t fw_info, const struct reset_trap_csrs *reset);

#endif
