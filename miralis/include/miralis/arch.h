/* The seam between the pure-C emulator and the hardware. The monitor implements it in
 * arch/riscv (real CSRs, PMP, memory); unit tests and fuzzers in arch/host (plain arrays).
 * Nothing else in miralis/core touches hardware. */
#ifndef MIRALIS_ARCH_H
#define MIRALIS_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include "vcpu.h"

/* Physical CSRs by number: only numbers of the PASS kind, plus those the world switch uses. */
uint64_t arch_csr_read(unsigned num);
void arch_csr_write(unsigned num, uint64_t val);
/* Set / clear bits of a physical CSR with the hardware's own csrs/csrc: the other bits are
 * left alone even when the hardware changes them meanwhile (mip.SEIP, STIP...). */
void arch_csr_set(unsigned num, uint64_t bits);
void arch_csr_clear(unsigned num, uint64_t bits);
/* The value the hardware would hold after a write of val over old: the exact WARL
 * legalisation of this CPU, for the CSRs the monitor stores virtually (STORE, mstatus). */
uint64_t arch_csr_legalize(unsigned num, uint64_t old, uint64_t val);
/* Whether an M-mode access to this CSR exists on this CPU (probed once at boot). */
bool arch_csr_exists(unsigned num);

/* Memory, as M-mode sees it physically; a fault is reported, never taken. */
bool arch_load(uint64_t addr, unsigned width, uint64_t *val, struct trap_info *fault);
bool arch_store(uint64_t addr, unsigned width, uint64_t val, struct trap_info *fault);
/* Execute the hypervisor load/store raw (HLV/HLVX/HSV, legal in M-mode) on the firmware's
 * behalf: translation and protection come from the hardware's hstatus/vsatp/hgatp, which
 * hold the guest's values. *val is the value loaded (extended) or to store. */
bool arch_hyp_access(uint32_t raw, uint64_t addr, uint64_t *val, struct trap_info *fault);
/* Read the 32 bits at pc as an instruction fetch would find them (pc 2-byte aligned);
 * false if even the first halfword cannot be read. */
bool arch_fetch(uint64_t pc, uint32_t *raw, struct trap_info *fault);
/* One load or store performed with mstatus temporarily set to mstatus (MPRV, MPP, MPV,
 * SUM, MXR chosen by the caller): the firmware's access under its virtual MPRV. */
bool arch_mprv_access(uint64_t mstatus, uint64_t addr, unsigned width, bool store,
                      uint64_t *val, struct trap_info *fault);
/* The same for one A-extension instruction (op: its funct5, width 4 or 8), executed as is:
 * atomic, reserving (LR) or conditional (SC) in the hardware, faulting as that instruction
 * does. *val is rs2 in, rd out (as the instruction writes rd). */
bool arch_mprv_amo(uint64_t mstatus, unsigned op, unsigned width, uint64_t addr,
                   uint64_t *val, struct trap_info *fault);

/* The guest's floating-point registers (shared by both worlds, as natively), as raw 64-bit
 * patterns; used by FP loads/stores the monitor emulates. */
uint64_t arch_fp_read(unsigned reg);
/* fflags (1), frm (2), fcsr (3); false if the FP unit is off. */
bool arch_fp_csr(unsigned csr, uint64_t *val, bool write);
void arch_fp_write(unsigned reg, uint64_t val);

/* Physical PMP: addresses once, configuration bytes on every world switch. */
unsigned arch_pmp_count(void);
/* Both return the value the hardware kept (its WARL legalisation). */
uint64_t arch_pmp_set_addr(unsigned idx, uint64_t addr);
uint8_t arch_pmp_legalize_cfg(unsigned idx, uint8_t cfg);
/* Write pmpcfg0, pmpcfg2, ... (rv64: 8 entries each) from packed values. */
void arch_pmp_write_cfg_regs(const uint64_t *regs, unsigned count);

/* Hot paths: direct accessors (no lookup by number). */
uint64_t arch_read_mstatus(void);
void arch_write_mstatus(uint64_t val);
/* mtval2 and mtinst of the trap being handled (H extension). */
void arch_read_trap_extra(struct trap_info *t);

/* The time CSR (timestamps of trace records). */
uint64_t arch_read_time(void);
/* Boot: where the CPU has no time CSR, read time from this mtime register instead. */
void arch_time_init(uint64_t mtime_addr);

/* Physical interrupt state. */
uint64_t arch_read_mip(void);
void arch_set_mie(uint64_t mie);
/* Wait (physical wfi) until an interrupt in wake_mask is pending. */
void arch_wait_for_interrupt(uint64_t wake_mask);

/* Fences executed on behalf of the firmware. */
void arch_fence_i(void);
void arch_sfence_vma(uint64_t vaddr, uint64_t asid, bool use_vaddr, bool use_asid);
void arch_hfence_vvma(uint64_t vaddr, uint64_t asid);
void arch_hfence_gvma(uint64_t gaddr, uint64_t vmid);

/* Load the physical state of a world: mstatus image, medeleg, mie, satp, counter enables. */
struct world_image {
    uint64_t mstatus;
    uint64_t medeleg;
    uint64_t mie;
    uint64_t satp;
    uint64_t mcounteren;
    uint64_t scounteren;
    bool has_smode;         /* medeleg, satp, scounteren exist on this hart */
};
void arch_install_world(const struct world_image *w);
/* Read back what the OS may have changed natively (sstatus fields, sie, satp, scounteren). */
void arch_save_os_state(struct world_image *w);

/* MMIO of the monitor's own (physical) devices. */
uint64_t arch_mmio_read(uint64_t addr, unsigned width);
void arch_mmio_write(uint64_t addr, unsigned width, uint64_t val);

#endif
