#ifndef MIRALIS_STATS_H
#define MIRALIS_STATS_H

#include "machine.h"

void stats_print(const struct machine *m);
enum mmio_result vdevice_finisher(struct vcpu *v, const struct vdevice *dev, uint64_t offset,
                                  unsigned width, bool store, uint64_t *val,
                                  struct trap_info *fault);

#endif
