/* Per-hart trace rings and their transport over the console UART (tracer/README.md).
 * Pure C over the vcpu and the machine: builds for the monitor and for the host. */
#include "trace.h"
#include <miralis/arch.h>
#include <miralis/log.h>
#include <miralis/machine.h>

#if CONFIG_TRACE

#ifndef CONFIG_TRACE_RING
#define CONFIG_TRACE_RING 1024  /* records per hart, a power of two */
#endif
_Static_assert((CONFIG_TRACE_RING & (CONFIG_TRACE_RING - 1)) == 0, "ring size: power of two");

struct trace_ring {
    uint64_t head;   /* next record to write (only the owning hart writes) */
    uint64_t tail;   /* next record to send */
    uint64_t dropped, dropped_reported, flushed;
    struct trace_record rec[CONFIG_TRACE_RING];
};

static struct trace_ring rings[CONFIG_MAX_HARTS];
static struct trace_filter filter;
static uint64_t timebase;
static bool started;    /* the header went out: tracing was switched on at least once */
static volatile uint32_t out_lock;

static void lock(void)
{
    while (__atomic_exchange_n(&out_lock, 1, __ATOMIC_ACQUIRE))
        ;
}

static void unlock(void) { __atomic_store_n(&out_lock, 0, __ATOMIC_RELEASE); }

static uint32_t mask_for(const struct vcpu *v)
{
    return (filter.harts >> (v->hartid & 63)) & 1 ? filter.kinds : 0;
}

void trace_emit(struct vcpu *v, enum trace_kind kind, uint16_t arg16, uint32_t arg32,
                uint64_t pc, uint64_t a, uint64_t b)
{
    trace_emit_in(v, trace_world_of(v->priv), kind, arg16, arg32, pc, a, b);
}

void trace_emit_in(struct vcpu *v, uint8_t world, enum trace_kind kind, uint16_t arg16,
                   uint32_t arg32, uint64_t pc, uint64_t a, uint64_t b)
{
    if (!(filter.worlds & (1u << world)))
        return;
    if (kind == TRACE_CSR) {
        uint16_t csr = arg16 & 0xfff;
        if (csr < filter.csr_lo || csr > filter.csr_hi)
            return;
    }
    struct trace_ring *r = &rings[v->hartid];
    if (r->head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) >= CONFIG_TRACE_RING) {
        r->dropped++; /* full: count it, never overwrite what was not sent */
        return;
    }
    struct trace_record *rec = &r->rec[r->head % CONFIG_TRACE_RING];
    *rec = (struct trace_record){
        .kind = (uint8_t)kind, .hart = (uint8_t)v->hartid, .world = world,
        .arg16 = arg16, .arg32 = arg32, .time = arch_read_time(), .pc = pc, .a = a, .b = b,
    };
    __atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE);
}

/* Base64 (RFC 4648): 48 bytes -> 64 characters, safe on any serial line. */
static unsigned encode_base64(const uint8_t *in, unsigned n, char *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned o = 0;
    for (unsigned i = 0; i + 2 < n; i += 3) {
        uint32_t x = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = tab[x >> 18];
        out[o++] = tab[(x >> 12) & 63];
        out[o++] = tab[(x >> 6) & 63];
        out[o++] = tab[x & 63];
    }
    return o;
}

static void put_str(char *buf, unsigned *len, const char *s)
{
    while (*s)
        buf[(*len)++] = *s++;
}

static void put_dec(char *buf, unsigned *len, uint64_t n)
{
    char tmp[24];
    unsigned i = 0;
    do { tmp[i++] = '0' + n % 10; n /= 10; } while (n);
    while (i)
        buf[(*len)++] = tmp[--i];
}

/* One frame: a record separator (0x1e), the magic and version, the payload, a newline.
 * The host tool removes frames wherever they stand, even inside a console line. */
static void send_frame(const char *body, unsigned n)
{
    lock();
    static const char magic[] = "\x1e" TRACE_MAGIC "1 ";
    log_write(magic, sizeof(magic) - 1);
    log_write(body, n);
    log_write("\n", 1);
    unlock();
}

static void send_counters(const struct vcpu *v, const char *what)
{
    struct trace_ring *r = &rings[v->hartid];
    char buf[96];
    unsigned n = 0;
    put_str(buf, &n, what);
    put_str(buf, &n, " hart=");
    put_dec(buf, &n, v->hartid);
    put_str(buf, &n, " recorded=");
    put_dec(buf, &n, r->head);
    put_str(buf, &n, " dropped=");
    put_dec(buf, &n, r->dropped);
    send_frame(buf, n);
    r->dropped_reported = r->dropped;
}

void trace_flush(struct vcpu *v)
{
    struct trace_ring *r = &rings[v->hartid];
    uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
    while (r->tail != head) {
        char buf[2 + 64];
        unsigned n = 0;
        buf[n++] = 'R';
        buf[n++] = ' ';
        n += encode_base64((const uint8_t *)&r->rec[r->tail % CONFIG_TRACE_RING],
                           TRACE_RECORD_SIZE, buf + n);
        send_frame(buf, n);
        __atomic_store_n(&r->tail, r->tail + 1, __ATOMIC_RELEASE);
        r->flushed++;
    }
    if (r->dropped != r->dropped_reported)
        send_counters(v, "D");
}

void trace_after_trap(struct vcpu *v)
{
    struct trace_ring *r = &rings[v->hartid];
    if (v->machine->trace_stream && r->head - r->tail >= CONFIG_TRACE_RING / 2)
        trace_flush(v);
}

void trace_flush_all(struct machine *m)
{
    if (!started)
        return; /* never switched on: nothing to say, not even the end */
    for (unsigned h = 0; h < CONFIG_MAX_HARTS; h++) {
        struct vcpu *v = m->vcpus[h];
        if (!v)
            continue;
        trace_flush(v);
        send_counters(v, "E");
    }
}

static void send_header(void)
{
    char buf[128];
    unsigned n = 0;
    put_str(buf, &n, "H version=");
    put_dec(buf, &n, TRACE_FORMAT_VERSION);
    put_str(buf, &n, " record=");
    put_dec(buf, &n, TRACE_RECORD_SIZE);
    put_str(buf, &n, " timebase=");
    put_dec(buf, &n, timebase);
    put_str(buf, &n, " kinds=");
    put_dec(buf, &n, filter.kinds);
    send_frame(buf, n);
    started = true;
}

void trace_configure(struct machine *m, const struct trace_filter *f)
{
    filter = *f;
    if (f->kinds && !started)
        send_header();
    for (unsigned h = 0; h < CONFIG_MAX_HARTS; h++)
        if (m->vcpus[h])
            m->vcpus[h]->trace_mask = mask_for(m->vcpus[h]);
}

void trace_init(struct machine *m, const struct trace_filter *f, uint64_t timebase_hz)
{
    (void)m;
    filter = *f;
    timebase = timebase_hz;
    if (f->kinds)
        send_header();
}

/* A hart joining after trace_init takes the filter's mask. */
void trace_hart_init(struct vcpu *v)
{
    v->trace_mask = mask_for(v);
}

struct trace_stats trace_stats_of(const struct vcpu *v)
{
    const struct trace_ring *r = &rings[v->hartid];
    return (struct trace_stats){.recorded = r->head, .dropped = r->dropped, .flushed = r->flushed};
}

#endif
