/* The GDB stub's watchpoints (one PMP entry of the monitor's) and `monitor` commands. */
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/log.h>
#include <miralis/machine.h>
#include <miralis/stats.h>
#include <miralis/vpmp.h>
#include "gdb.h"
#include "gdb_target.h"
#include "trace.h"

struct machine *gdb_machine(void);
struct vcpu *gdb_current_vcpu(void);
void gdb_set_catch(bool exceptions, bool world);
bool gdb_catch_exceptions(void);
bool gdb_catch_world(void);
void gdb_watch_changed(void);

/* ---- watchpoints: a NAPOT region around the watched bytes, without the watched access
 * right, in the firmware world's PMP image. Accesses in the region that do not match are
 * performed for the firmware; a matching one stops the hart before it happens (GDB then
 * steps over it with the watchpoint removed, as for RISC-V hardware watchpoints). ---- */

static struct watch {
    bool active;
    int type;            /* GDB_WP_WRITE, GDB_WP_READ, GDB_WP_ACCESS */
    uint64_t addr, len;  /* what GDB watches */
    uint64_t base, size; /* the NAPOT region */
} watch;

uint8_t gdb_watch_cfg(void)
{
    if (!watch.active)
        return 0;
    /* Keep execute and whatever access is not watched (R=0,W=1 is reserved: no R, no W). */
    return PMP_A_NAPOT | PMP_X | (watch.type == GDB_WP_WRITE ? PMP_R : 0);
}

void gdb_watch_program(struct vcpu *v)
{
    const struct machine *m = v->machine;
    uint64_t a = watch.active ? (watch.base + watch.size / 2 - 1) >> 2 : 0;
    arch_pmp_set_addr(m->pmp_debug_index, a);
}

int gdb_watch_insert(int type, uint64_t addr, unsigned len)
{
    struct machine *m = gdb_machine();
    if (!m->pmp_debug_index || watch.active || len == 0 || len > 4096)
        return -1;
    uint64_t size = 8;
    while ((addr & ~(size - 1)) + size < addr + len)
        size <<= 1;
    watch = (struct watch){.active = true, .type = type, .addr = addr, .len = len,
                            .base = addr & ~(size - 1), .size = size};
    uint64_t mb = m->monitor_base;
    if (watch.base < mb + m->monitor_size && watch.base + size > mb) {
        watch.active = false; /* never open a window onto the monitor */
        return -1;
    }
    gdb_watch_changed();
    return 0;
}

int gdb_watch_remove(int type, uint64_t addr, unsigned len)
{
    (void)len;
    if (watch.active && watch.type == type && watch.addr == addr) {
        watch.active = false;
        gdb_watch_changed();
    }
    return 0;
}

void gdb_watch_clear(void)
{
    if (watch.active) {
        watch.active = false;
        gdb_watch_changed();
    }
}

int gdb_on_access_fault(struct vcpu *v, const struct insn *in, uint64_t addr, bool store)
{
    if (!watch.active || addr - watch.base >= watch.size)
        return GDB_FAULT_NOT_MINE;
    uint64_t end = addr + (in->width ? in->width : 1);
    bool overlap = addr < watch.addr + watch.len && end > watch.addr;
    bool wanted = watch.type == GDB_WP_ACCESS || (watch.type == GDB_WP_WRITE) == store;
    if (!overlap || !wanted)
        return GDB_FAULT_EMULATE;
    static const char *const kind[] = {[GDB_WP_WRITE] = "watch", [GDB_WP_READ] = "rwatch",
                                       [GDB_WP_ACCESS] = "awatch"};
    char reason[40];
    unsigned n = 0;
    for (const char *s = kind[watch.type]; *s; s++)
        reason[n++] = *s;
    reason[n++] = ':';
    int shift = 60;
    while (shift > 0 && !((watch.addr >> shift) & 0xf))
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        reason[n++] = "0123456789abcdef"[(watch.addr >> shift) & 0xf];
    reason[n++] = ';';
    reason[n] = 0;
    gdb_stop_here(v, reason);
    return GDB_FAULT_STOPPED;
}

/* ---- monitor commands ---- */

static bool starts(const char *s, const char *p)
{
    while (*p)
        if (*s++ != *p++)
            return false;
    return *s == 0 || *s == ' ';
}

static const char *arg(const char *s)
{
    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    return s;
}

static void show_csrs(void *argp)
{
    struct vcpu *v = argp;
    static const uint16_t shown[] = {0x300, 0x301, 0x302, 0x303, 0x304, 0x344, 0x305, 0x306,
                                     0x340, 0x341, 0x342, 0x343, 0x30a, 0x100, 0x105, 0x141,
                                     0x142, 0x143, 0x180};
    log_printf("hart %u, virtual privilege %s%s\n", v->hartid,
               v->priv == PRV_M ? "M" : v->priv == PRV_S ? "S" : "U", v->virt ? " (V=1)" : "");
    for (unsigned i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
        uint64_t val;
        if (gdb_read_csr(v, shown[i], &val))
            log_printf("  %-10s 0x%016lx\n", csr_name(shown[i]), val);
    }
}

static void show_pmp(void *argp)
{
    struct vcpu *v = argp;
    const struct machine *m = v->machine;
    log_printf("physical PMP of hart %u (%u entries; firmware entries %u..%u = virtual 0..%u)\n",
               v->hartid, m->pmp_phys_count, m->pmp_first_virtual,
               m->pmp_first_virtual + m->pmp_virtual_count - 1, m->pmp_virtual_count - 1);
    for (unsigned i = 0; i < m->pmp_phys_count; i++) {
        uint64_t cfg = arch_csr_read(CSR_PMPCFG0 + (i / 8) * 2) >> (8 * (i % 8)) & 0xff;
        const char *role = i == 0 ? "monitor" : i < 1 + m->platform->num_devices ? "device"
                         : i == m->pmp_debug_index && i ? "watchpoint"
                         : i == m->pmp_first_virtual - 1 ? "TOR base"
                         : i == m->pmp_phys_count - 1 ? "catch-all" : "firmware";
        log_printf("  %2u cfg 0x%02lx addr 0x%016lx  %s", i, cfg,
                   arch_csr_read(CSR_PMPADDR0 + i), role);
        if (i >= m->pmp_first_virtual && i < m->pmp_first_virtual + m->pmp_virtual_count)
            log_printf(" (virtual %u: cfg 0x%02x)", i - m->pmp_first_virtual,
                       v->pmpcfg[i - m->pmp_first_virtual]);
        log_printf("\n");
    }
}

static void show_stats(void *argp)
{
    stats_print((const struct machine *)argp);
}

static uint64_t parse_num(const char **p)
{
    uint64_t v = 0;
    const char *s = *p;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    for (;; s++) {
        unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
                   : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) : 99;
        if (d >= base)
            break;
        v = v * base + d;
    }
    *p = s;
    return v;
}

static bool word_is(const char *p, const char *w)
{
    while (*w)
        if (*p++ != *w++)
            return false;
    return *p == 0 || *p == ',' || *p == ' ';
}

/* "off" | "on [kinds] [csr=LO-HI] [world=firmware|os] [harts=MASK]" */
static bool parse_trace(const char *a, struct trace_filter *f)
{
    static const char *const names[] = {"trap", "csr", "emul", "device", "irq", "world", "sbi"};
    *f = (struct trace_filter){.kinds = 0, .csr_lo = 0, .csr_hi = 0xfff, .worlds = 3,
                               .harts = ~0ULL};
    if (starts(a, "off"))
        return true;
    if (!starts(a, "on"))
        return false;
    for (a = arg(a); *a; a = arg(a)) {
        if (a[0] == 'c' && a[1] == 's' && a[2] == 'r' && a[3] == '=') {
            const char *p = a + 4;
            f->csr_lo = (uint16_t)parse_num(&p);
            f->csr_hi = *p == '-' ? (p++, (uint16_t)parse_num(&p)) : f->csr_lo;
        } else if (starts(a, "world=firmware")) {
            f->worlds = 1u << TRACE_WORLD_FIRMWARE;
        } else if (starts(a, "world=os")) {
            f->worlds = 1u << TRACE_WORLD_OS;
        } else if (a[0] == 'h' && a[1] == 'a' && a[2] == 'r' && a[3] == 't' && a[4] == 's' &&
                   a[5] == '=') {
            const char *p = a + 6;
            f->harts = parse_num(&p);
        } else {
            for (const char *p = a; *p && *p != ' '; ) {
                bool known = word_is(p, "all");
                if (known)
                    f->kinds = (1u << TRACE_KIND_COUNT) - 1;
                for (unsigned i = 0; i < TRACE_KIND_COUNT; i++)
                    if (word_is(p, names[i]))
                        f->kinds |= 1u << i, known = true;
                if (!known)
                    return false;
                while (*p && *p != ',' && *p != ' ')
                    p++;
                if (*p == ',')
                    p++;
            }
        }
    }
    if (!f->kinds)
        f->kinds = (1u << TRACE_KIND_COUNT) - 1;
    return true;
}

static const char help[] =
    "monitor commands:\n"
    "  csr                 virtual CSRs of the current thread (what the firmware reads)\n"
    "  stats               trap and world-switch counters of every hart\n"
    "  pmp                 physical PMP entries and the virtual ones they hold\n"
    "  trace off | on [KINDS] [csr=LO-HI] [world=firmware|os] [harts=MASK]\n"
    "                      switch tracing (kinds: trap,csr,emul,device,irq,world,sbi,all)\n"
    "  catch exceptions|world|none  stop when the firmware gets an exception / at world switches\n";

void gdb_monitor_command(void *ctx, const char *cmd, char *out, size_t outlen)
{
    (void)ctx;
    struct vcpu *v = gdb_current_vcpu();
    struct machine *m = gdb_machine();
    if (starts(cmd, "csr")) {
        log_capture(out, outlen, show_csrs, v);
    } else if (starts(cmd, "pmp")) {
        log_capture(out, outlen, show_pmp, v);
    } else if (starts(cmd, "stats")) {
        log_capture(out, outlen, show_stats, m);
    } else if (starts(cmd, "catch")) {
        const char *a = arg(cmd);
        gdb_set_catch(starts(a, "exceptions"), starts(a, "world"));
        log_capture_text(out, outlen, gdb_catch_exceptions() ? "catching exceptions\n"
                                      : gdb_catch_world() ? "catching world switches\n"
                                      : "catching nothing\n");
    } else if (starts(cmd, "trace")) {
        struct trace_filter f;
        if (!parse_trace(arg(cmd), &f)) {
            log_capture_text(out, outlen, "usage: trace off | trace on [KINDS] [csr=LO-HI] "
                                          "[world=firmware|os] [harts=MASK]\n");
            return;
        }
        trace_configure(m, &f);
        log_capture_text(out, outlen, f.kinds ? "tracing on\n" : "tracing off\n");
    } else {
        log_capture_text(out, outlen, help);
    }
}
