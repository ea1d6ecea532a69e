/* The monitor's own tick: a periodic machine timer interrupt the monitor takes for itself
 * (the GDB stub uses it to see Ctrl-C and to stop harts that run without ever trapping).
 * While a hart ticks, its CLINT mtimecmp is virtual: the firmware reads and writes its own
 * value, the hardware holds the earlier of that value (when the guest would take the
 * interrupt) and the next tick, and the guest's mip.MTIP is computed from its own value.
 * Compiled in with the GDB stub only (CONFIG_GDB): otherwise mtimecmp is the hardware's. */
#ifndef MIRALIS_VTIMER_H
#define MIRALIS_VTIMER_H

#include <stdbool.h>
#include <stdint.h>
#include "machine.h"

#ifndef CONFIG_GDB
#define CONFIG_GDB 0
#endif
/* Compiled in with its only user, the GDB stub (and in the host unit tests). */
#ifndef CONFIG_VTIMER
#define CONFIG_VTIMER CONFIG_GDB
#endif

static inline bool vtimer_on(const struct vcpu *v)
{
    return CONFIG_VTIMER && v->tick_period;
}

/* Start ticking every period (time CSR units) on this hart; stop (mtimecmp is the
 * firmware's again, in the hardware). */
void vtimer_start(struct vcpu *v, uint64_t period);
void vtimer_stop(struct vcpu *v);

/* The guest's view of mip: MTIP from its own mtimecmp. */
uint64_t vtimer_mip(const struct vcpu *v, uint64_t mip);
/* The same for any hart: the hardware's mip (hw_mip), fixed up while the hart ticks. */
static inline uint64_t vtimer_guest_mip(const struct vcpu *v, uint64_t hw_mip)
{
    return vtimer_on(v) ? vtimer_mip(v, hw_mip) : hw_mip;
}

/* Put in the hardware the compare value for the current virtual state (after a change of
 * mie, mstatus.MIE, the world, or the firmware's mtimecmp). waking: for an emulated wfi,
 * which wakes on the timer whatever mstatus.MIE says (3.3.3). */
void vtimer_program(struct vcpu *v, bool waking);

/* At the end of a trap: true if a tick was due (the next one is then armed). */
bool vtimer_tick(struct vcpu *v);

/* The CLINT as a virtual device: mtimecmp virtual while the hart ticks, the rest (msip,
 * mtime) the real device's. Platforms with a SiFive CLINT use VDEVICE_CLINT: without the
 * GDB stub nothing ticks, and the CLINT is the plain pass-through device. */
enum mmio_result vdevice_clint(struct vcpu *v, const struct vdevice *dev, uint64_t offset,
                               unsigned width, bool store, uint64_t *val,
                               struct trap_info *fault);
#if CONFIG_GDB
#define VDEVICE_CLINT vdevice_clint
#else
#define VDEVICE_CLINT vdevice_passthrough
#endif

#endif
