/* A vcpu on the host's fake hardware, booted as the monitor boots a hart. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <miralis/dispatch.h>
#include <miralis/machine.h>
#include "host_hw.h"

extern struct machine fixture_machine;
struct vcpu *fixture_vcpu(void);
/* The same with the CLINT as vdevice_clint (the monitor's tick, vtimer.h). */
struct vcpu *fixture_vcpu_with_clint(void);
/* Run one trap through the dispatcher, as the hardware would raise it. */
void fixture_trap(struct vcpu *v, uint64_t cause, uint64_t tval);
/* Execute raw (placed at the guest pc in host RAM) as a trapping instruction. */
void fixture_exec(struct vcpu *v, uint32_t raw);

#endif
