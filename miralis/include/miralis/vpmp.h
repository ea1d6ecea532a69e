/* Virtual PMP: the firmware's entries mapped onto the physical entries the monitor leaves. */
#ifndef MIRALIS_VPMP_H
#define MIRALIS_VPMP_H

#include <stdbool.h>
#include <stdint.h>
#include "machine.h"

/* Boot: decide the physical layout and program the monitor's own entries (once per hart). */
void vpmp_init_layout(struct machine *m);
void vpmp_program_fixed_entries(struct vcpu *v);

uint64_t vpmp_read_cfg(struct vcpu *v, unsigned reg);
void vpmp_write_cfg(struct vcpu *v, unsigned reg, uint64_t val);
uint64_t vpmp_read_addr(struct vcpu *v, unsigned idx);
void vpmp_write_addr(struct vcpu *v, unsigned idx, uint64_t val);

/* Which physical configuration image to load. */
enum pmp_world { PMP_FIRMWARE, PMP_FIRMWARE_MPRV, PMP_OS, PMP_WORLDS };
void vpmp_install(struct vcpu *v, enum pmp_world w);
/* The image the current virtual state needs. */
enum pmp_world vpmp_world_of(const struct vcpu *v);

#endif
