/* The GDB stub inside the monitor: all-stop debugging of the harts' virtual state.
 * - A hart that stops (breakpoint, step done, Ctrl-C, a caught event) serves GDB over the
 *   platform's debug transport; the other harts park in the monitor at their next trap.
 * - Software breakpoints are ebreak/c.ebreak written into the firmware's memory: the
 *   firmware runs in physical U-mode, so its ebreak traps to the monitor (medeleg = 0).
 * - Single-step: there is no hardware step in U-mode, so the stub decodes the instruction
 *   at pc, puts temporary breakpoints on every successor, and stops at the first trap back
 *   to the monitor (the successor, or the instruction itself if it traps: CSR, mret...).
 * - Registers of a parked hart that live in its physical CSRs are read by that hart on
 *   request (a mailbox polled in its parking loop).
 * Pure C over the vcpus and arch.h. */
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/decode.h>
#include <miralis/log.h>
#include <miralis/machine.h>
#include <miralis/stats.h>
#include <miralis/vpmp.h>
#include <miralis/vtimer.h>
#include <miralis/vuart.h>
#include <miralis/world.h>
#include "gdb.h"
#include "gdb_target.h"
#include "trace.h"

#define SIGINT  2
#define SIGTRAP 5
#define MAX_BPS 32
#define EBREAK   0x00100073u
#define C_EBREAK 0x9002u

struct breakpoint {
    uint64_t addr;
    uint32_t orig;      /* the instruction bytes the ebreak replaced */
    uint8_t len;        /* 2 or 4 */
    bool active;
    bool hard;          /* set with Z1: reported as hwbreak */
};

/* A request from the serving hart to a parked one (its physical CSRs are its own). */
enum { REQ_NONE, REQ_CSR_READ, REQ_CSR_WRITE, REQ_DONE }; /* csr: a GDB register number */
struct mailbox {
    volatile int op;
    unsigned csr;
    uint64_t val;
    bool ok;
};

static struct {
    struct gdb_server server;
    struct machine *m;
    bool attached;                  /* a debugger is being served (until D or k) */
    volatile int serving;           /* hart id serving GDB, -1: none */
    volatile uint32_t generation;   /* bumped at every resume */
    volatile uint64_t run_mask;     /* harts allowed to run after the resume */
    volatile uint32_t parked;
    struct mailbox mail[CONFIG_MAX_HARTS];
    struct breakpoint bps[MAX_BPS];
    struct breakpoint step_bps[2];
    int stepping;                   /* hart single-stepping, -1: none */
    uint64_t step_over_addr;        /* user breakpoint lifted for the step, 0: none */
    bool continue_after_step;       /* stepping off a breakpoint to continue: no report */
    uint64_t step_pc;               /* where the step started */
    bool catch_pending[CONFIG_MAX_HARTS];
    uint32_t watch_gen, watch_applied[CONFIG_MAX_HARTS];
    bool catch_exceptions, catch_world;
    uint32_t poll_count;
    char console[128];
    unsigned console_len;
} g = {.serving = -1, .stepping = -1};

static int tid_of(const struct vcpu *v) { return (int)v->hartid + 1; }

static struct vcpu *vcpu_of(int tid)
{
    if (tid <= 0 || tid > CONFIG_MAX_HARTS)
        return 0;
    return g.m->vcpus[tid - 1];
}

static int current_hart(void)
{
    return g.serving;
}

/* Used by gdb_monitor.c */
struct machine *gdb_machine(void) { return g.m; }
struct vcpu *gdb_current_vcpu(void) { return vcpu_of(g.server.g_tid > 0 ? g.server.g_tid : g.serving + 1); }
void gdb_set_catch(bool exceptions, bool world) { g.catch_exceptions = exceptions; g.catch_world = world; }
bool gdb_catch_exceptions(void) { return g.catch_exceptions; }
bool gdb_catch_world(void) { return g.catch_world; }
void gdb_watch_changed(void) { g.watch_gen++; }

/* ---- transport and console ---- */

static void tx(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        g.m->platform->gdb_putc(buf[i]);
}

static void console_flush(void)
{
    if (g.console_len && g.attached)
        gdb_server_console(&g.server, g.console, g.console_len);
    g.console_len = 0;
}

/* Guest console output while the debugger owns the UART: 'O' packets, by line. */
static void console_sink(const char *buf, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        if (!g.attached) {
            if (g.m->platform->putc)
                g.m->platform->putc(buf[i]);
            continue;
        }
        g.console[g.console_len++] = buf[i];
        if (buf[i] == '\n' || g.console_len == sizeof(g.console))
            console_flush();
    }
}

static void log_sink(char c)
{
    console_sink(&c, 1);
}

/* ---- memory, with the monitor's own region out of reach ---- */

static bool in_monitor(uint64_t addr, size_t len)
{
    uint64_t lo = g.m->monitor_base, hi = lo + g.m->monitor_size;
    return addr < hi && addr + len > lo;
}

static bool mem_read(void *ctx, uint64_t addr, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (in_monitor(addr, len) || addr + len < addr)
        return false;
    struct trap_info f;
    for (size_t i = 0; i < len; i++) {
        uint64_t b;
        if (!arch_load(addr + i, 1, &b, &f))
            return false;
        buf[i] = (uint8_t)b;
    }
    /* Show the original instructions, not our breakpoints. */
    for (unsigned k = 0; k < MAX_BPS; k++) {
        struct breakpoint *bp = &g.bps[k];
        if (!bp->active)
            continue;
        for (unsigned j = 0; j < bp->len; j++)
            if (bp->addr + j >= addr && bp->addr + j < addr + len)
                buf[bp->addr + j - addr] = (uint8_t)(bp->orig >> (8 * j));
    }
    return true;
}

static bool mem_write(void *ctx, uint64_t addr, const uint8_t *buf, size_t len)
{
    (void)ctx;
    if (in_monitor(addr, len) || addr + len < addr)
        return false;
    struct trap_info f;
    for (size_t i = 0; i < len; i++)
        if (!arch_store(addr + i, 1, buf[i], &f))
            return false;
    arch_fence_i();
    return true;
}

static bool patch(uint64_t addr, unsigned len, uint32_t insn, uint32_t *orig)
{
    struct trap_info f;
    uint64_t old;
    if (in_monitor(addr, len) || !arch_load(addr, len, &old, &f))
        return false;
    if (!arch_store(addr, len, insn, &f))
        return false;
    if (orig)
        *orig = (uint32_t)old;
    arch_fence_i();
    return true;
}

/* ---- breakpoints ---- */

static struct breakpoint *find_bp(uint64_t addr)
{
    for (unsigned k = 0; k < MAX_BPS; k++)
        if (g.bps[k].active && g.bps[k].addr == addr)
            return &g.bps[k];
    return 0;
}

static int bp_insert(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind)
{
    (void)ctx;
    if (type > GDB_BP_HARD)
        return gdb_watch_insert(type, addr, kind);
    if (find_bp(addr))
        return 0;
    unsigned len = kind == 2 ? 2 : 4;
    for (unsigned k = 0; k < MAX_BPS; k++) {
        struct breakpoint *bp = &g.bps[k];
        if (bp->active)
            continue;
        if (!patch(addr, len, len == 2 ? C_EBREAK : EBREAK, &bp->orig))
            return -1;
        *bp = (struct breakpoint){.addr = addr, .orig = bp->orig, .len = (uint8_t)len,
                                  .active = true, .hard = type == GDB_BP_HARD};
        return 0;
    }
    return -1;
}

static int bp_remove(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind)
{
    (void)ctx;
    if (type > GDB_BP_HARD)
        return gdb_watch_remove(type, addr, kind);
    struct breakpoint *bp = find_bp(addr);
    if (!bp)
        return 0;
    patch(bp->addr, bp->len, bp->orig, 0);
    bp->active = false;
    return 0;
}

static void step_bps_clear(void)
{
    for (unsigned k = 0; k < 2; k++) {
        struct breakpoint *bp = &g.step_bps[k];
        if (bp->active)
            patch(bp->addr, bp->len, bp->orig, 0);
        bp->active = false;
    }
}

static void step_bp_set(unsigned k, uint64_t addr)
{
    struct breakpoint *bp = &g.step_bps[k];
    bp->active = false;
    if (find_bp(addr) || (k == 1 && g.step_bps[0].active && g.step_bps[0].addr == addr))
        return; /* already stops there */
    bp->addr = addr;
    bp->len = 2; /* c.ebreak fits anywhere an instruction starts (C extension) */
    bp->active = patch(addr, 2, C_EBREAK, &bp->orig);
}

/* Successors of the instruction at pc (unprivileged spec 2.5, 16.4). */
static unsigned successors(struct vcpu *v, uint64_t pc, uint64_t next[2])
{
    uint8_t b[4];
    if (!mem_read(0, pc, b, 2))
        return 0;
    uint32_t w = b[0] | (uint32_t)b[1] << 8;
    unsigned len = insn_length((uint16_t)w) == 2 ? 2 : 4;
    if (len == 4) {
        if (!mem_read(0, pc + 2, b + 2, 2))
            return 0;
        w |= (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    }
    next[0] = pc + len;
    if (len == 4) {
        int64_t imm;
        switch (w & 0x7f) {
        case 0x6f: /* jal */
            imm = ((w >> 31) & 1) << 20 | ((w >> 12) & 0xff) << 12 | ((w >> 20) & 1) << 11 |
                  ((w >> 21) & 0x3ff) << 1;
            next[0] = pc + (uint64_t)((imm ^ (1 << 20)) - (1 << 20));
            return 1;
        case 0x67: /* jalr */
            imm = (int64_t)(int32_t)w >> 20;
            next[0] = (vcpu_get_reg(v, (w >> 15) & 31) + (uint64_t)imm) & ~1ULL;
            return 1;
        case 0x63: /* branches */
            imm = ((w >> 31) & 1) << 12 | ((w >> 7) & 1) << 11 | ((w >> 25) & 0x3f) << 5 |
                  ((w >> 8) & 0xf) << 1;
            next[1] = pc + (uint64_t)((imm ^ (1 << 12)) - (1 << 12));
            return 2;
        default:
            return 1;
        }
    }
    unsigned q = w & 3, f3 = (w >> 13) & 7;
    if (q == 1 && f3 == 5) { /* c.j */
        int64_t imm = ((w >> 12) & 1) << 11 | ((w >> 11) & 1) << 4 | ((w >> 9) & 3) << 8 |
                      ((w >> 8) & 1) << 10 | ((w >> 7) & 1) << 6 | ((w >> 6) & 1) << 7 |
                      ((w >> 3) & 7) << 1 | ((w >> 2) & 1) << 5;
        next[0] = pc + (uint64_t)((imm ^ (1 << 11)) - (1 << 11));
        return 1;
    }
    if (q == 1 && (f3 == 6 || f3 == 7)) { /* c.beqz, c.bnez */
        int64_t imm = ((w >> 12) & 1) << 8 | ((w >> 10) & 3) << 3 | ((w >> 5) & 3) << 6 |
                      ((w >> 3) & 3) << 1 | ((w >> 2) & 1) << 5;
        next[1] = pc + (uint64_t)((imm ^ (1 << 8)) - (1 << 8));
        return 2;
    }
    if (q == 2 && f3 == 4 && ((w >> 2) & 31) == 0 && ((w >> 7) & 31) != 0) { /* c.jr, c.jalr */
        next[0] = vcpu_get_reg(v, (w >> 7) & 31) & ~1ULL;
        return 1;
    }
    return 1;
}

/* ---- registers ---- */

#define GDB_REG_FFLAGS (GDB_REG_CSR0 + 1)
#define GDB_REG_FCSR   (GDB_REG_CSR0 + 3)

/* Registers that live in this hart's hardware: CSRs (the virtual view), FP registers. */
static bool hw_reg_local(struct vcpu *v, unsigned regno, uint64_t *val, bool write)
{
    if (regno >= GDB_REG_F0 && regno < GDB_REG_F0 + 32) {
        if (!(arch_read_mstatus() & MSTATUS_FS))
            return false; /* FP unit off: the registers cannot be read */
        if (write)
            arch_fp_write(regno - GDB_REG_F0, *val);
        else
            *val = arch_fp_read(regno - GDB_REG_F0);
        return true;
    }
    if (regno >= GDB_REG_FFLAGS && regno <= GDB_REG_FCSR) {
        if (!(arch_read_mstatus() & MSTATUS_FS))
            return false;
        return arch_fp_csr(regno - GDB_REG_CSR0, val, write);
    }
    uint64_t old;
    unsigned csr = regno - GDB_REG_CSR0;
    return write ? csr_rmw(v, csr, *val, ~0ULL, &old) : csr_rmw(v, csr, 0, 0, val);
}

static bool hw_reg(struct vcpu *v, unsigned regno, uint64_t *val, bool write)
{
    if ((int)v->hartid == current_hart())
        return hw_reg_local(v, regno, val, write);
    /* A parked hart: its physical registers are only reachable from itself. */
    struct mailbox *mb = &g.mail[v->hartid];
    mb->csr = regno;
    mb->val = *val;
    __atomic_store_n(&mb->op, write ? REQ_CSR_WRITE : REQ_CSR_READ, __ATOMIC_RELEASE);
    for (uint64_t spin = 0; __atomic_load_n(&mb->op, __ATOMIC_ACQUIRE) != REQ_DONE; spin++)
        if (spin > 100000000ULL)
            return false; /* not parked (running without traps): unavailable */
    mb->op = REQ_NONE;
    *val = mb->val;
    return mb->ok;
}

static bool reg_read(void *ctx, int tid, unsigned regno, uint64_t *val)
{
    (void)ctx;
    struct vcpu *v = vcpu_of(tid > 0 ? tid : current_hart() + 1);
    if (!v)
        return false;
    if (regno < 32) { *val = vcpu_get_reg(v, regno); return true; }
    if (regno == GDB_REG_PC) { *val = v->pc; return true; }
    if (regno == GDB_REG_PRIV) { *val = v->priv; return true; }
    if (regno >= GDB_REG_F0 && regno < GDB_REG_CSR0 + 4096) {
        *val = 0;
        return hw_reg(v, regno, val, false);
    }
    return false;
}

static bool reg_write(void *ctx, int tid, unsigned regno, uint64_t val)
{
    (void)ctx;
    struct vcpu *v = vcpu_of(tid > 0 ? tid : current_hart() + 1);
    if (!v)
        return false;
    if (regno < 32) { vcpu_set_reg(v, regno, val); return true; }
    if (regno == GDB_REG_PC) { v->pc = val; return true; }
    if (regno >= GDB_REG_F0 && regno < GDB_REG_CSR0 + 4096)
        return hw_reg(v, regno, &val, true);
    return false; /* priv: changing it would need a world switch; refused */
}

/* ---- threads ---- */

static unsigned thread_count(void *ctx)
{
    (void)ctx;
    unsigned n = 0;
    for (unsigned h = 0; h < CONFIG_MAX_HARTS; h++)
        n += g.m->vcpus[h] != 0;
    return n;
}

static int thread_id(void *ctx, unsigned index)
{
    (void)ctx;
    for (unsigned h = 0; h < CONFIG_MAX_HARTS; h++)
        if (g.m->vcpus[h] && index-- == 0)
            return (int)h + 1;
    return -1;
}

static bool thread_alive(void *ctx, int tid)
{
    (void)ctx;
    return vcpu_of(tid) != 0;
}

/* ---- target description: every virtual CSR this hart has ---- */

static unsigned csr_count(void *ctx)
{
    (void)ctx;
    return CSR_ID_COUNT;
}

static unsigned csr_number(void *ctx, unsigned index)
{
    (void)ctx;
    return csr_table[index].num;
}

static const char *csr_name_of(void *ctx, unsigned index)
{
    (void)ctx;
    return csr_table[index].name;
}

static const struct gdb_target_ops ops = {
    .thread_count = thread_count, .thread_id = thread_id, .thread_alive = thread_alive,
    .read_reg = reg_read, .write_reg = reg_write, .read_mem = mem_read, .write_mem = mem_write,
    .insert_bp = bp_insert, .remove_bp = bp_remove, .monitor_cmd = gdb_monitor_command,
    .csr_count = csr_count, .csr_number = csr_number, .csr_name = csr_name_of,
};

/* ---- stopping, parking, serving ---- */

static void serve_mailbox(struct vcpu *v)
{
    struct mailbox *mb = &g.mail[v->hartid];
    int op = __atomic_load_n(&mb->op, __ATOMIC_ACQUIRE);
    if (op != REQ_CSR_READ && op != REQ_CSR_WRITE)
        return;
    mb->ok = hw_reg_local(v, mb->csr, &mb->val, op == REQ_CSR_WRITE);
    __atomic_store_n(&mb->op, REQ_DONE, __ATOMIC_RELEASE);
}

/* The watch entry lives in each hart's own PMP: each hart reloads it when it changed. */
static void apply_watch(struct vcpu *v)
{
    if (g.watch_applied[v->hartid] == g.watch_gen)
        return;
    g.watch_applied[v->hartid] = g.watch_gen;
    gdb_watch_program(v);
    v->pmp_installed = -1;
    v->pmp_images_valid = false;
    vpmp_install(v, vpmp_world_of(v));
}

/* Wait in the monitor until a resume includes this hart. */
static void park(struct vcpu *v)
{
    uint32_t gen = __atomic_load_n(&g.generation, __ATOMIC_ACQUIRE);
    __atomic_fetch_add(&g.parked, 1, __ATOMIC_ACQ_REL);
    for (;;) {
        serve_mailbox(v);
        if (__atomic_load_n(&g.generation, __ATOMIC_ACQUIRE) != gen) {
            if ((__atomic_load_n(&g.run_mask, __ATOMIC_ACQUIRE) >> v->hartid) & 1)
                break;
            gen = g.generation; /* a resume for someone else: keep waiting */
        }
    }
    __atomic_fetch_sub(&g.parked, 1, __ATOMIC_ACQ_REL);
    apply_watch(v);
}

static void resume(uint64_t mask)
{
    __atomic_store_n(&g.run_mask, mask, __ATOMIC_RELEASE);
    __atomic_store_n(&g.serving, -1, __ATOMIC_RELEASE);
    __atomic_fetch_add(&g.generation, 1, __ATOMIC_ACQ_REL);
}

static void start_step(struct vcpu *v)
{
    uint64_t next[2];
    struct breakpoint *bp = find_bp(v->pc);
    g.step_over_addr = 0;
    if (bp) { /* step off our own breakpoint: the instruction goes back for one step */
        patch(bp->addr, bp->len, bp->orig, 0);
        g.step_over_addr = bp->addr;
    }
    unsigned n = successors(v, v->pc, next);
    for (unsigned k = 0; k < 2; k++)
        g.step_bps[k].active = false;
    for (unsigned k = 0; k < n; k++)
        step_bp_set(k, next[k]);
    g.step_pc = v->pc;
    g.stepping = (int)v->hartid;
}

/* Become the hart that talks to GDB; if another one does, wait for it first. */
static void acquire(struct vcpu *v)
{
    for (;;) {
        int none = -1;
        if (__atomic_compare_exchange_n(&g.serving, &none, (int)v->hartid, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return;
        if (g.serving == (int)v->hartid)
            return;
        park(v);
    }
}

/* This hart has stopped: stop the others, tell GDB, serve it until it resumes us. */
static void serve(struct vcpu *v, int signal, const char *reason)
{
    acquire(v);
    __atomic_store_n(&g.run_mask, 0, __ATOMIC_RELEASE);
    /* The others park at their next trap (a hart looping without traps cannot). */
    unsigned others = thread_count(0) - 1;
    for (uint64_t spin = 0; g.parked < others && spin < 20000000ULL; spin++)
        ;
    console_flush();
    /* What the tracer holds goes out now, while GDB still reads console output. */
    for (unsigned h = 0; h < CONFIG_MAX_HARTS; h++)
        if (g.m->vcpus[h] && g.m->vcpus[h]->trace_mask)
            trace_flush(g.m->vcpus[h]);
    console_flush();
    if (signal)
        gdb_server_stop(&g.server, tid_of(v), signal, reason);
    for (;;) {
        int c = g.m->platform->gdb_getc();
        if (c < 0)
            continue;
        enum gdb_action act = gdb_server_input(&g.server, (uint8_t)c);
        apply_watch(v);
        if (act == GDB_NONE)
            continue;
        if (act == GDB_KILL)
            g.m->platform->exit(0);
        if (act == GDB_DETACH) {
            for (unsigned k = 0; k < MAX_BPS; k++)
                if (g.bps[k].active)
                    bp_remove(0, GDB_BP_SOFT, g.bps[k].addr, 0);
            gdb_watch_clear();
            apply_watch(v);
            g.attached = false;
            g.m->medeleg_intercept = 0;
            resume(~0ULL);
            return;
        }
        struct vcpu *target = vcpu_of(g.server.resume_tid);
        if (!target)
            target = v;
        if (act == GDB_STEP || find_bp(target->pc)) {
            /* A step, or a continue from a breakpoint: the instruction under it must run
             * once without it, so step first (then continue without a report). */
            g.continue_after_step = act != GDB_STEP;
            start_step(target);
            resume(1ULL << target->hartid);
        } else {
            /* vCont;c:TID runs that hart alone; c / vCont;c run them all. */
            resume(g.server.resume_tid > 0 ? 1ULL << target->hartid : ~0ULL);
        }
        if ((g.run_mask >> v->hartid) & 1)
            return;
        park(v); /* another hart steps; it serves the next stop */
        return;
    }
}

static void step_complete(struct vcpu *v)
{
    step_bps_clear();
    g.stepping = -1;
    if (g.step_over_addr) {
        struct breakpoint *bp = find_bp(g.step_over_addr);
        if (bp)
            patch(bp->addr, bp->len, bp->len == 2 ? C_EBREAK : EBREAK, 0);
        g.step_over_addr = 0;
    }
    if (g.continue_after_step) {
        g.continue_after_step = false;
        resume(~0ULL); /* the others were parked for the step: release them all */
        return;
    }
    serve(v, SIGTRAP, "");
}

void gdb_stop_here(struct vcpu *v, const char *reason)
{
    serve(v, SIGTRAP, reason);
}

bool gdb_read_csr(struct vcpu *v, unsigned csr, uint64_t *val)
{
    *val = 0;
    return hw_reg(v, GDB_REG_CSR0 + csr, val, false);
}

/* ---- hooks ---- */

void gdb_init(struct machine *m, unsigned boot_hart)
{
    /* Before the other harts are let go: they must find a debugger attached and a hart
     * serving it, and park instead of starting the firmware. */
    g.m = m;
    gdb_server_init(&g.server, &ops, 0, tx);
    vuart_set_sink(console_sink);
    log_init(log_sink);
    g.attached = true;
    g.serving = (int)boot_hart;
    /* Breakpoints in the OS world too: its ebreaks come to the monitor even where the
     * firmware delegated them (the OS's own are handed on: trap_reflect_os). */
    m->medeleg_intercept = BIT(CAUSE_BREAKPOINT);
}

/* The monitor's tick: 100 per second of the time CSR, so that Ctrl-C and an all-stop reach
 * harts that run without trapping (vtimer.h). */
#define TICKS_PER_SECOND 100

void gdb_boot(struct machine *m, struct vcpu *v, bool first)
{
    vtimer_start(v, m->platform->timebase_hz / TICKS_PER_SECOND);
    world_refresh(v); /* armed now: the firmware may never trap (a `j .` at its entry) */
    if (first)
        serve(v, 0, ""); /* no stop reply: GDB asks with '?' when it connects */
    else if (g.attached && g.serving >= 0)
        park(v);
}

bool gdb_hart_stepping(const struct vcpu *v)
{
    return g.attached && g.stepping == (int)v->hartid;
}

bool gdb_on_breakpoint(struct vcpu *v)
{
    if (!g.attached)
        return false;
    for (unsigned k = 0; k < 2; k++)
        if (g.step_bps[k].active && g.step_bps[k].addr == v->pc && g.stepping == (int)v->hartid)
            return true; /* the step landed: gdb_after_trap completes it */
    struct breakpoint *bp = find_bp(v->pc);
    if (!bp)
        return false; /* the firmware's own ebreak: delivered to it */
    if (g.stepping == (int)v->hartid) {
        step_bps_clear();
        g.stepping = -1;
        g.continue_after_step = false;
    }
    serve(v, SIGTRAP, bp->hard ? "hwbreak:" : "swbreak:");
    return true;
}

void gdb_note_exception(struct vcpu *v)
{
    if (g.attached && g.catch_exceptions)
        g.catch_pending[v->hartid] = true;
}

void gdb_note_world_switch(struct vcpu *v)
{
    if (g.attached && g.catch_world)
        g.catch_pending[v->hartid] = true;
}

void gdb_after_trap(struct vcpu *v, bool was_stepping)
{
    bool ticked = vtimer_on(v) && vtimer_tick(v);
    if (!g.attached) {
        if (vtimer_on(v)) { /* detached: the firmware's mtimecmp goes back to the hardware */
            vtimer_stop(v);
            world_refresh(v);
        }
        return;
    }
    if (was_stepping && ticked && v->pc == g.step_pc)
        return; /* only the tick came (or it ended a wfi): the step goes on */
    if (was_stepping && g.stepping == (int)v->hartid) {
        step_complete(v);
        return;
    }
    if (g.catch_pending[v->hartid]) {
        g.catch_pending[v->hartid] = false;
        serve(v, SIGTRAP, "");
        return;
    }
    int serving = __atomic_load_n(&g.serving, __ATOMIC_ACQUIRE);
    if (serving >= 0 && serving != (int)v->hartid) {
        park(v);
        return;
    }
    /* Ctrl-C: look at the transport at every tick and now and then, not at every trap. */
    if (ticked || (++g.poll_count & 255) == 0) {
        int c = g.m->platform->gdb_getc();
        if (c >= 0) {
            gdb_server_input(&g.server, (uint8_t)c);
            if (gdb_server_take_interrupt(&g.server))
                serve(v, SIGINT, "");
        }
    }
    apply_watch(v);
}
