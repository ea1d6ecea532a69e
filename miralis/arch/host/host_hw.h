/* The host's stand-in for the hardware under the emulator: plain arrays that unit tests and
 * fuzzers set up and inspect. Its WARL rules model QEMU 7.2 (docs/qemu-7.2-behaviour.md). */
#ifndef MIRALIS_HOST_HW_H
#define MIRALIS_HOST_HW_H

#include <stdbool.h>
#include <stdint.h>
#include <miralis/arch.h>

#define HOST_RAM_BASE 0x80000000ULL
#define HOST_RAM_SIZE 0x10000ULL

struct host_hw {
    uint64_t csr[4096];
    bool csr_exists[4096];
    uint8_t ram[HOST_RAM_SIZE];       /* physical memory at HOST_RAM_BASE */
    uint64_t mmio[0x10000 / 8];       /* a CLINT-like device at 0x2000000 */
    uint64_t fp[32];
    uint64_t mip_lines;               /* interrupt lines driven by devices: ORed into mip
                                         reads, never stored by writes (QEMU: the PLIC's
                                         SEIP beside the software-writable latch) */
    uint8_t pmpcfg[MAX_PMP];
    unsigned pmp_count;
    bool mprv_fault;                  /* make the next MPRV access fault (page fault) */
    unsigned wfi_count, sfence_count, hfence_count, install_count;
    struct world_image installed;
};

extern struct host_hw host_hw;

/* Reset the fake hardware to QEMU virt's rv64 reset state. */
void host_hw_reset(void);

#endif
