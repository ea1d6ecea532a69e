/* The virtual hart: everything the firmware and the OS can observe of one hart.
 * Pure data; the emulator works on it and reaches the hardware only through arch.h. */
#ifndef MIRALIS_VCPU_H
#define MIRALIS_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "csr_defs.h"
#include "csr_list.h"
#include "vcpu_offsets.h"

enum csr_id {
#define CSR_ID_ENUM(name, num, kind, flags) CSR_ID_##name,
    MIRALIS_CSR_LIST(CSR_ID_ENUM)
#undef CSR_ID_ENUM
    CSR_ID_COUNT
};

#define MAX_PMP 64

/* A trap as the hardware reports it: cause, tval, and for guest faults tval2/tinst. */
struct trap_info {
    uint64_t cause;
    uint64_t tval;
    uint64_t tval2;
    uint64_t tinst;
    bool gva;
};

/* What the monitor counts per hart (printed at the end of a run, see stats.c). */
enum emu_kind {
    EMU_CSR_READ, EMU_CSR_WRITE, EMU_MRET, EMU_SRET, EMU_WFI, EMU_SFENCE, EMU_HFENCE,
    EMU_MMIO_LOAD, EMU_MMIO_STORE, EMU_MPRV_ACCESS, EMU_ECALL, EMU_EBREAK, EMU_ILLEGAL,
    EMU_KIND_COUNT
};

struct vcpu_stats {
    uint64_t fw_exceptions[NUM_EXC_CAUSES]; /* physical traps taken while the firmware ran */
    uint64_t fw_interrupts[NUM_IRQ_CAUSES];
    uint64_t os_exceptions[NUM_EXC_CAUSES]; /* traps from the OS forwarded to the firmware */
    uint64_t os_interrupts[NUM_IRQ_CAUSES];
    uint64_t emulated[EMU_KIND_COUNT];
    uint64_t to_os;                         /* world switches firmware -> OS */
    uint64_t to_firmware;                   /* world switches OS -> firmware */
    uint64_t injected_interrupts;
};

struct machine;

/* Physical state that an emulated instruction may have made stale (see world.c). */
#define DIRTY_IRQ     0x1   /* physical mie: virtual mie/mideleg/mstatus.MIE changed */
#define DIRTY_PMP     0x2   /* physical pmpcfg: virtual PMP or MPRV/MPP changed */
#define DIRTY_MSTATUS 0x4   /* physical mstatus image (FS, VS, S-mode fields) */

struct vcpu {
    /* Layout of the first fields is fixed: arch/riscv/entry.S saves and restores them. */
    uint64_t x[32];         /* guest general-purpose registers; x[0] always reads 0 */
    uint64_t pc;            /* guest pc (physical mepc while the guest runs) */
    uint64_t trap_cause;    /* physical mcause of the trap being handled */
    uint64_t trap_tval;     /* physical mtval */
    uint64_t recover_pc;    /* non-zero while a guarded monitor access may fault */
    uint64_t fault_cause;   /* filled by the guarded-access fault path */
    uint64_t fault_tval;
    uint64_t monitor_sp;    /* top of this hart's monitor stack */

    /* Hot fields first: RISC-V loads reach 2 KiB from the vcpu pointer in one instruction. */
    unsigned priv;          /* PRV_M: the firmware runs; PRV_S/PRV_U: the OS runs natively */
    bool virt;              /* V bit of the OS world (VS/VU modes) */
    uint8_t dirty;          /* DIRTY_*: physical state to refresh before resuming */
    bool sbi_pending;       /* an SBI call was forwarded; its return is traced */
    int8_t pmp_installed;   /* enum pmp_world loaded in the physical pmpcfg, -1: stale */
    bool pmp_images_valid;  /* pmp_images match the virtual configuration */
    uint32_t trace_mask;    /* trace kinds recorded on this hart (tracer/trace.h) */
    unsigned hartid;
    struct machine *machine;
    uint64_t csr_present[(CSR_ID_COUNT + 63) / 64]; /* probed on this hart at boot */

    /* Virtual CSRs, by enum csr_id (the M-mode trap CSRs come early in the table). */
    uint64_t csr[CSR_ID_COUNT];
    uint8_t pmpcfg[MAX_PMP];/* virtual PMP configuration bytes (pmpaddr are in csr[]) */
    uint64_t pmp_images[3][MAX_PMP / 8]; /* packed pmpcfg values, one image per world */
    uint64_t trigger_m;     /* per trigger: the firmware asked for M-mode matching */
    uint64_t mmio_reserved; /* address + 1 of an LR on a virtual device, 0 if none */
    /* The monitor's tick (vtimer.h): period (0: off), next tick, the firmware's mtimecmp */
    uint64_t tick_period, tick_next, tick_cmp, tick_clint;
    bool tick_waiting;      /* in an emulated wfi: the timer wakes it whatever MIE says */

    struct vcpu_stats stats;
};

static inline bool vcpu_has_csr(const struct vcpu *v, int id)
{
    return id >= 0 && (v->csr_present[id / 64] >> (id % 64)) & 1;
}

static inline uint64_t vcpu_get_reg(const struct vcpu *v, unsigned r) { return r ? v->x[r] : 0; }
static inline void vcpu_set_reg(struct vcpu *v, unsigned r, uint64_t val) { if (r) v->x[r] = val; }

#endif
