/* The monitor's tracer: per-hart rings of trace records (trace_format.h), filled at a few
 * call sites (trap entry, CSR emulation, device accesses, injection, world switch, SBI).
 * Compiled out with CONFIG_TRACE=0. Compiled in but off, a trap costs one load and one
 * branch on the vcpu's trace mask (the dispatcher's choice of its traced path, which holds
 * the trap-level trace points: trace_trap.c); a device access one more. */
#ifndef MIRALIS_TRACE_H
#define MIRALIS_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include "trace_format.h"
#include <miralis/decode.h>
#include <miralis/vcpu.h>

#ifndef CONFIG_TRACE
#define CONFIG_TRACE 1
#endif

struct machine;

/* What is recorded; changeable at run time (trace_configure). */
struct trace_filter {
    uint32_t kinds;     /* mask of 1 << enum trace_kind */
    uint16_t csr_lo;    /* CSR events only for numbers in [csr_lo, csr_hi] */
    uint16_t csr_hi;
    uint8_t worlds;     /* mask of 1 << TRACE_WORLD_* */
    uint64_t harts;     /* mask of hart ids */
};

/* Records kept per hart, and how they leave the machine. */
struct trace_stats {
    uint64_t recorded, dropped, flushed;
};

/* The world an event of privilege priv belongs to (the record's world field). */
static inline uint8_t trace_world_of(unsigned priv)
{
    return priv == PRV_M ? TRACE_WORLD_FIRMWARE : TRACE_WORLD_OS;
}

/* Whether events of this kind are recorded on this hart (constant false when compiled out):
 * for call sites that must compute something before they can record. */
static inline bool trace_on(const struct vcpu *v, enum trace_kind kind)
{
    return CONFIG_TRACE && __builtin_expect(v->trace_mask & (1u << kind), 0);
}

/* The trap-level trace points (trace_trap.c): the dispatcher's traced path calls begin
 * before it handles a trap and end after, and the records are derived from the hart's
 * state then and now; the untraced path has no trace point at all. */
struct trace_trap {
    uint64_t pc;                       /* where the trap was taken */
    uint64_t csr_reads, csr_writes;    /* the CSR emulation's counters before */
    uint64_t injected;                 /* injected interrupts before */
    uint64_t csr_old;                  /* the CSR's value before (for rd = x0) */
    bool fetched;                      /* raw and in hold the trapped instruction */
    uint32_t raw;
    struct insn in;
    uint16_t csr_num;
    uint8_t csr_rd, priv;
    bool csr, sbi_pending;
    /* A firmware load/store that may be a device access */
    bool dev, dev_store, dev_fp;
    uint8_t dev_width, dev_reg;
    uint64_t dev_addr, dev_val, dev_loads, dev_stores;
};
#if CONFIG_TRACE
__attribute__((cold)) void trace_emit(struct vcpu *v, enum trace_kind kind, uint16_t arg16, uint32_t arg32,
                uint64_t pc, uint64_t a, uint64_t b);
/* The same, for an event of an earlier moment: in the given world (TRACE_WORLD_*) rather
 * than the hart's current one. */
__attribute__((cold)) void trace_emit_in(struct vcpu *v, uint8_t world, enum trace_kind kind,
                                         uint16_t arg16, uint32_t arg32, uint64_t pc,
                                         uint64_t a, uint64_t b);

void trace_trap_begin(struct vcpu *v, struct trace_trap *s);
void trace_trap_end(struct vcpu *v, const struct trace_trap *s);

static inline void trace(struct vcpu *v, enum trace_kind kind, uint16_t arg16, uint32_t arg32,
                         uint64_t pc, uint64_t a, uint64_t b)
{
    if (__builtin_expect(v->trace_mask & (1u << kind), 0))
        trace_emit(v, kind, arg16, arg32, pc, a, b);
}

/* Boot (first hart): the filter the configuration asks for; the header line. */
void trace_init(struct machine *m, const struct trace_filter *f, uint64_t timebase_hz);
/* Boot (each hart): take the current filter. */
void trace_hart_init(struct vcpu *v);
/* Change the filter on every hart (the GDB stub's `monitor trace ...`). */
void trace_configure(struct machine *m, const struct trace_filter *f);
/* Write this hart's records to the console; in stream mode, called once a ring is half
 * full. trace_flush_all at the end of a run (power-off). */
void trace_flush(struct vcpu *v);
void trace_flush_all(struct machine *m);
/* The hook at the end of every trap: stream the ring out when it fills up. */
__attribute__((cold)) void trace_after_trap(struct vcpu *v);
struct trace_stats trace_stats_of(const struct vcpu *v);
#else
static inline void trace(struct vcpu *v, enum trace_kind kind, uint16_t arg16, uint32_t arg32,
                         uint64_t pc, uint64_t a, uint64_t b)
{
    (void)v; (void)kind; (void)arg16; (void)arg32; (void)pc; (void)a; (void)b;
}
static inline void trace_init(struct machine *m, const struct trace_filter *f, uint64_t hz)
{ (void)m; (void)f; (void)hz; }
static inline void trace_configure(struct machine *m, const struct trace_filter *f) { (void)m; (void)f; }
static inline void trace_hart_init(struct vcpu *v) { (void)v; }
static inline void trace_flush(struct vcpu *v) { (void)v; }
static inline void trace_flush_all(struct machine *m) { (void)m; }
static inline void trace_after_trap(struct vcpu *v) { (void)v; }
static inline void trace_trap_begin(struct vcpu *v, struct trace_trap *s) { (void)v; s->fetched = false; }
static inline void trace_trap_end(struct vcpu *v, const struct trace_trap *s) { (void)v; (void)s; }
#endif

#endif
