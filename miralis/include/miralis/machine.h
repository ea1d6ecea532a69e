/* State shared by all harts, and the platform description the core needs. */
#ifndef MIRALIS_MACHINE_H
#define MIRALIS_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include "vcpu.h"

#ifndef CONFIG_MAX_HARTS
#define CONFIG_MAX_HARTS 8
#endif


struct vdevice;

/* Result of a virtual device access. */
enum mmio_result { MMIO_DONE, MMIO_FAULT };

/* A device the firmware may not touch directly: its range is covered by a no-access PMP
 * entry, and every load/store the firmware makes there is decoded and handed to access(). */
struct vdevice {
    const char *name;
    uint64_t base;
    uint64_t size;  /* power of two, base aligned to it (one NAPOT entry) */
    enum mmio_result (*access)(struct vcpu *v, const struct vdevice *dev, uint64_t offset,
                               unsigned width, bool store, uint64_t *val, struct trap_info *fault);
};

/* The default access(): the real device, reached with the monitor's privilege. */
enum mmio_result vdevice_passthrough(struct vcpu *v, const struct vdevice *dev,
                                     uint64_t offset, unsigned width, bool store,
                                     uint64_t *val, struct trap_info *fault);

/* The virtual device that covers addr, if any. */
const struct vdevice *machine_find_device(const struct machine *m, uint64_t addr);

/* Plain data about a platform: the only thing the core knows of a board. */
struct platform {
    const char *name;
    uint64_t firmware_entry;        /* where every hart enters the firmware */
    /* Platforms whose boot ROM jumps to the firmware's own address (sifive_u) start the
     * monitor through a stub there: the firmware is then loaded at firmware_staging and
     * copied to firmware_entry (firmware_max_size bytes) before it starts. 0: no staging. */
    uint64_t firmware_staging;
    uint64_t firmware_max_size;
    const struct vdevice *devices;  /* virtual devices, highest PMP priority first */
    unsigned num_devices;
    void (*putc)(char c);           /* console output for the monitor's own messages */
    uint64_t timebase_hz;           /* frequency of the time CSR (mtime) */
    uint64_t mtime_addr;            /* the CLINT's mtime: the monitor's clock where the CPU
                                     * has no time CSR (QEMU's sifive_u) */
    void (*exit)(unsigned code);    /* end the run: 0 = success; never returns */
    /* The GDB stub's transport (CONFIG_GDB): a byte or -1 if none, and output. */
    int (*gdb_getc)(void);
    void (*gdb_putc)(char c);
    unsigned quirks;                /* QUIRK_*: where the CPU departs from the spec */
};

/* QEMU 7.2 mret: does not clear MPRV, and is illegal towards S/U while no PMP entry is
 * active (helper_mret). A virtual M-mode must behave as the real one does. */
#define QUIRK_QEMU_MRET 0x1

struct machine {
    const struct platform *platform;
    uint64_t monitor_base, monitor_size;
    struct vcpu *vcpus[CONFIG_MAX_HARTS];
    /* Physical PMP layout (see vpmp.c): monitor, devices, zero entry, virtual entries, last. */
    unsigned pmp_phys_count;
    unsigned pmp_first_virtual;
    unsigned pmp_virtual_count;
    unsigned pmp_debug_index;       /* the GDB stub's watchpoint entry, 0: none */
    bool stats_enabled;
    bool trace_stream;              /* send trace records as the rings fill up */
    /* Exceptions the OS delegated that the hardware brings to the monitor anyway (the GDB
     * stub's breakpoints in the OS world): the monitor hands them on (trap_reflect_os). */
    uint64_t medeleg_intercept;
};


#endif
