/* Virtual traps, virtual interrupts and the switch between the firmware and the OS. */
#ifndef MIRALIS_WORLD_H
#define MIRALIS_WORLD_H

#include <stdint.h>
#include "vcpu.h"

/* Deliver a trap to the virtual firmware as an M-mode trap (3.1.6.1, 3.1.14-3.1.16):
 * mepc/mcause/mtval/mtval2/mtinst, MPP/MPV/MPIE/MIE/GVA, pc at mtvec. From the OS world
 * this is a world switch. t->cause has bit 63 set for interrupts. */
void trap_inject(struct vcpu *v, const struct trap_info *t);

/* Deliver to the OS's own handler an exception the OS delegated (virtual medeleg) that
 * reached the monitor anyway (machine.medeleg_intercept), as the hardware would have
 * (4.1.1, 8.6.4): to HS/S-mode, or to VS-mode if it came from V=1 and hedeleg delegates it
 * further. Then resumes the OS world there. */
void trap_reflect_os(struct vcpu *v, const struct trap_info *t);

/* The interrupt the virtual hart would take now, or -1; hint is the one the hardware
 * just delivered (or -1). */
int irq_pending_virtual(struct vcpu *v, int hint);

/* The physical mie that makes the hardware interrupt the guest exactly when the virtual
 * hart would take an interrupt. */
uint64_t irq_physical_mie(struct vcpu *v);

/* Load the physical state of the world v->priv says the guest is in. */
void world_enter(struct vcpu *v);
/* Before resuming the guest: refresh physical state the emulation made stale. */
void world_refresh(struct vcpu *v);
/* A trap from the OS world: take back what the OS may have changed natively. */
uint64_t world_leave_os(struct vcpu *v); /* returns the physical mstatus at the trap */

#endif
