/* Shared by the fuzz harnesses (fuzz/h_*.c): a vcpu booted once on the host "hardware"
 * (miralis/arch/host), restored cheaply before every input, the invariants checked after
 * every emulated step, and a little reader for the byte stream of an input. */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <miralis/dispatch.h>
#include <miralis/machine.h>
#include <miralis/decode.h>
#include "host_hw.h"

/* The fuzzed machine: the host platform with the QEMU virt devices the monitor traps. */
#define FUZZ_MONITOR_BASE 0x8fc00000ULL
#define FUZZ_MONITOR_SIZE 0x200000ULL
#define FUZZ_CLINT_BASE   0x2000000ULL
#define FUZZ_FINISHER     0x100000ULL
extern struct machine fuzz_machine;

/* Boot the hart once (first call), then restore the booted state: every input starts from
 * the same hart, whatever the previous input did. */
struct vcpu *fuzz_vcpu(void);

/* More starting points: a state every input would otherwise reach the same way from the
 * booted one (e.g. the OS world after the firmware's mret) saved once as snapshot k
 * (1 .. FUZZ_SNAPSHOTS - 1; 0 is the booted state), and restored like the booted one.
 * Saved: the vcpu, the machine, the host CSRs, FP registers and PMP, and the memory written
 * since the restore it was reached from. */
#define FUZZ_SNAPSHOTS 4
void fuzz_snapshot_save(unsigned k);
struct vcpu *fuzz_snapshot_restore(unsigned k);

/* Record a RAM/MMIO range an input may have written, so that the next restore zeroes it
 * (restoring the whole 128 KiB of host memory per input would cost more than the input). */
void fuzz_dirty(uint64_t addr, unsigned len);
/* Mark the memory the instruction in (decoded) may write (store/AMO/HSV at x[rs1] + imm). */
void fuzz_dirty_insn(const struct vcpu *v, const struct insn *in);
/* Write the instruction raw (decoded: in) at the guest pc (if in RAM); false if the pc is
 * not in RAM. The harnesses decode each word once (insn_decode is code under test: its
 * coverage and comparisons should be the monitor's, not the harness's bookkeeping). */
int fuzz_place_insn(struct vcpu *v, uint32_t raw, const struct insn *in);

/* Invariants after a step (abort with a message if one fails; see fuzz/README.md). */
struct step_ctx {
    uint64_t pc, mepc, sepc, mtvec, mstatus;
    unsigned priv;
    int is_insn;            /* the step was an instruction trap at pc */
    uint32_t raw;
    struct insn in;         /* raw decoded (is_insn) */
};
/* in: raw decoded, when is_insn. */
void fuzz_step_begin(const struct vcpu *v, struct step_ctx *c, int is_insn, uint32_t raw,
                     const struct insn *in);
void fuzz_check_invariants(const struct vcpu *v, const struct step_ctx *c);
__attribute__((noreturn, format(printf, 2, 3)))
void fuzz_fail(const struct vcpu *v, const char *fmt, ...);

/* FUZZ_STRICT=1 in the environment: known divergences (fuzz/README.md, "Findings") fail
 * instead of being tolerated, and host-model limits are not worked around. */
extern int fuzz_strict;

/* The work behind an exec: words checked (decoder), steps checked (emulator, mmio: one per
 * fuzz_check_invariants), events (trace). With FUZZ_WORK=1 in the environment the total is
 * printed at exit ("fuzz_work: N"), for the work-per-second figures of make fuzz-bench. */
extern unsigned long long fuzz_work;
/* The host model's arch_load/arch_store compute addr + width without a wrap check
 * (finding H1): the harnesses keep addresses out of the last 8 bytes of the space. */
static inline uint64_t fuzz_addr(uint64_t a) { return (!fuzz_strict && a > ~0ULL - 8) ? a - 8 : a; }

/* Input reader: missing bytes read as zero. */
struct reader { const uint8_t *p; size_t n; };
static inline int rd_more(const struct reader *r) { return r->n > 0; }
static inline uint64_t rd_bytes(struct reader *r, unsigned k)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < k; i++) {
        uint64_t b = 0;
        if (r->n) { b = *r->p++; r->n--; }
        v |= b << (8 * i);
    }
    return v;
}
#define rd_u8(r)  ((uint8_t)rd_bytes(r, 1))
#define rd_u16(r) ((uint16_t)rd_bytes(r, 2))
#define rd_u32(r) ((uint32_t)rd_bytes(r, 4))
#define rd_u64(r) rd_bytes(r, 8)

/* Values worth trying for registers and addresses (RAM, devices, monitor, edges). */
extern const uint64_t fuzz_interesting[16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
