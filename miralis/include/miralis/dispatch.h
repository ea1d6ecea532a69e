/* Entry points of the core, called by the arch layer. */
#ifndef MIRALIS_DISPATCH_H
#define MIRALIS_DISPATCH_H

#include <stdint.h>
#include "machine.h"

/* Handle the trap described by v->trap_cause/trap_tval/pc; on return, resume v. */
void miralis_handle_trap(struct vcpu *v);

/* Boot: probe the CPU and decide the physical layout (once, on the first hart). */
void miralis_machine_init(struct machine *m);
/* Boot: give hart v the state the firmware would find at reset; call before anything
 * changes the hart's CSRs (except mtvec, whose reset value is passed in). */
void miralis_hart_init(struct machine *m, struct vcpu *v, unsigned hartid, uint64_t fdt,
                       uint64_t fw_info, uint64_t reset_mtvec);

#endif
