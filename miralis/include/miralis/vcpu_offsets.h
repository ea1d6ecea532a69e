/* Offsets in struct vcpu used by the assembly entry code (static asserts in arch.c). */
#ifndef MIRALIS_VCPU_OFFSETS_H
#define MIRALIS_VCPU_OFFSETS_H

#define VCPU_PC          256
#define VCPU_CAUSE       264
#define VCPU_TVAL        272
#define VCPU_RECOVER     280
#define VCPU_FAULT_CAUSE 288
#define VCPU_FAULT_TVAL  296
#define VCPU_MONITOR_SP  304

#endif
