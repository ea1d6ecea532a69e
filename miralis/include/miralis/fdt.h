/* Minimal flattened-device-tree editing (Devicetree Specification v0.4, chapter 5). */
#ifndef MIRALIS_FDT_H
#define MIRALIS_FDT_H

#include <stdint.h>

enum fdt_error {
    FDT_OK = 0,
    FDT_ERR_BADMAGIC = -1,   /* not a device tree */
    FDT_ERR_BADLAYOUT = -2,  /* blocks not in header, rsvmap, struct, strings order */
    FDT_ERR_NOSPACE = -3,    /* the edit does not fit in capacity */
    FDT_ERR_BADSTRUCT = -4,  /* malformed structure block */
};

/* Add /reserved-memory/<name>@<base> { reg = <base size>; no-map; } so that neither the
 * firmware nor the OS uses [base, base+size). The blob may grow up to capacity bytes. */
int fdt_add_reserved_memory(void *fdt, uint32_t capacity, const char *name, uint64_t base,
                            uint64_t size);
/* For a monitor at the top of RAM: make a /memory range that contains limit end there, if
 * that cuts at most max_cut bytes off it (firmware such as U-Boot relocates itself to the
 * top of /memory and ignores /reserved-memory). A monitor in the middle of a large RAM is
 * left to /reserved-memory alone. Returns the number of ranges changed, or an fdt_error. */
int fdt_trim_memory(void *fdt, uint64_t limit, uint64_t max_cut);
/* Number of /cpus/cpu@... nodes, or an fdt_error. */
int fdt_count_cpus(const void *fdt);
uint32_t fdt_total_size(const void *fdt);
const char *fdt_strerror(int err);

#endif
