/* Harness: the tracer's record encoder and transport (tracer/trace.c): random trace_emit
 * calls, flushes and end-of-trap hooks, under a random filter; the console output is
 * decoded (frames, base64, 48-byte records) and compared with a reference model of the
 * ring (capacity, drops, filters).
 * Input: u8 kinds, u16 csr_lo, u16 csr_hi, u8 worlds | stream << 7, then 32-byte events:
 *   u8 op (% 8: 0-5 emit, 6 flush, 7 end-of-trap hook), u8 kind, u8 priv, u8 pad,
 *   u16 arg16, u16 pad, u32 arg32, u64 pc, u64 a, u32 b (low half; high half = ~low). */
#include "harness.h"
#include <miralis/log.h>
#include "trace.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CONFIG_TRACE_RING
#define CONFIG_TRACE_RING 16
#endif

static char out[1 << 16];
static size_t out_len;
static void capture(char c)
{
    if (out_len < sizeof(out))
        out[out_len++] = c;
}

/* Reference ring. */
static struct trace_record q[CONFIG_TRACE_RING];
static unsigned q_head, q_tail; /* counts, modulo arithmetic on unsigned */
static uint64_t m_recorded, m_dropped, m_reported;

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Check the console output against the model, then forget it. */
static void check_output(const struct vcpu *v)
{
    size_t i = 0;
    while (i < out_len) {
        if (out[i] != 0x1e)
            fuzz_fail(v, "tracer output outside a frame at %zu", i);
        size_t e = i;
        while (e < out_len && out[e] != '\n')
            e++;
        if (e == out_len)
            fuzz_fail(v, "unterminated frame");
        const char *f = out + i + 1;
        size_t n = e - i - 1;
        if (n < 10 || memcmp(f, "MTRACE1 ", 8) != 0)
            fuzz_fail(v, "bad frame magic");
        if (f[8] == 'R') {
            if (n != 10 + 64 || f[9] != ' ')
                fuzz_fail(v, "R frame of %zu bytes", n);
            uint8_t rec[48];
            for (unsigned k = 0; k < 16; k++) {
                int a = b64val(f[10 + 4 * k]), b = b64val(f[11 + 4 * k]);
                int c = b64val(f[12 + 4 * k]), d = b64val(f[13 + 4 * k]);
                if (a < 0 || b < 0 || c < 0 || d < 0)
                    fuzz_fail(v, "bad base64");
                uint32_t x = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
                rec[3 * k] = x >> 16; rec[3 * k + 1] = x >> 8; rec[3 * k + 2] = x;
            }
            if (q_head == q_tail)
                fuzz_fail(v, "a record the model did not expect");
            if (memcmp(rec, &q[q_tail % CONFIG_TRACE_RING], 48) != 0)
                fuzz_fail(v, "record %u differs from what was emitted", q_tail);
            q_tail++;
        } else if (f[8] == 'D') {
            char want[96];
            int k = snprintf(want, sizeof(want), "D hart=0 recorded=%llu dropped=%llu",
                             (unsigned long long)m_recorded, (unsigned long long)m_dropped);
            if ((size_t)k != n - 8 || memcmp(want, f + 8, (size_t)k) != 0)
                fuzz_fail(v, "D frame '%.*s', model '%s'", (int)(n - 8), f + 8, want);
            if (m_dropped == m_reported)
                fuzz_fail(v, "D frame without new drops");
            m_reported = m_dropped;
        } else {
            fuzz_fail(v, "unexpected frame type %c", f[8]);
        }
        i = e + 1;
    }
    out_len = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vcpu *v = fuzz_vcpu();
    struct reader r = {data, size};
    log_init(capture);
    /* Drain what a previous input left, and take the tracer's counters as the model's. */
    struct trace_filter all = {.kinds = 0x7f, .csr_hi = 0xfff, .worlds = 3, .harts = ~0ULL};
    trace_configure(&fuzz_machine, &all);
    trace_flush(v);
    out_len = 0;
    struct trace_stats st = trace_stats_of(v);
    m_recorded = st.recorded;
    m_dropped = m_reported = st.dropped;
    q_head = q_tail = 0;

    struct trace_filter f = {.harts = ~0ULL};
    f.kinds = rd_u8(&r) & 0x7f;
    f.csr_lo = rd_u16(&r);
    f.csr_hi = rd_u16(&r);
    uint8_t w = rd_u8(&r);
    f.worlds = w & 3;
    fuzz_machine.trace_stream = w >> 7;
    trace_configure(&fuzz_machine, &f);
    if (v->trace_mask != f.kinds)
        fuzz_fail(v, "trace_configure: mask 0x%x, kinds 0x%x", v->trace_mask, f.kinds);

    while (rd_more(&r)) {
        fuzz_work++;
        uint8_t op = rd_u8(&r) % 8, kind = rd_u8(&r) % TRACE_KIND_COUNT, priv = rd_u8(&r);
        rd_u8(&r);
        uint16_t arg16 = rd_u16(&r);
        rd_u16(&r);
        uint32_t arg32 = rd_u32(&r);
        uint64_t pc = rd_u64(&r), a = rd_u64(&r), lo = rd_u32(&r);
        uint64_t b = lo | (~lo << 32);
        v->priv = (priv & 3) == 3 ? PRV_M : PRV_S;
        if (op < 6) {
            uint8_t world = v->priv == PRV_M ? TRACE_WORLD_FIRMWARE : TRACE_WORLD_OS;
            int pass = (f.worlds >> world) & 1;
            if (kind == TRACE_CSR && ((arg16 & 0xfff) < f.csr_lo || (arg16 & 0xfff) > f.csr_hi))
                pass = 0;
            uint64_t time = host_hw.csr[CSR_TIME];
            trace(v, (enum trace_kind)kind, arg16, arg32, pc, a, b);
            if (!((v->trace_mask >> kind) & 1))
                pass = 0;
            if (pass) {
                if (q_head - q_tail >= CONFIG_TRACE_RING) {
                    m_dropped++;
                } else {
                    q[q_head % CONFIG_TRACE_RING] = (struct trace_record){
                        .kind = kind, .hart = 0, .world = world, .arg16 = arg16, .arg32 = arg32,
                        .time = time, .pc = pc, .a = a, .b = b};
                    q_head++;
                    m_recorded++;
                }
            }
        } else if (op == 6) {
            trace_flush(v);
            check_output(v);
            if (q_head != q_tail)
                fuzz_fail(v, "flush left %u records", q_head - q_tail);
        } else {
            trace_after_trap(v);
            check_output(v);
            if (fuzz_machine.trace_stream && q_head - q_tail >= CONFIG_TRACE_RING / 2)
                fuzz_fail(v, "stream mode kept a half-full ring");
        }
        struct trace_stats s = trace_stats_of(v);
        if (s.recorded != m_recorded || s.dropped != m_dropped)
            fuzz_fail(v, "counters recorded=%llu dropped=%llu, model %llu %llu",
                      (unsigned long long)s.recorded, (unsigned long long)s.dropped,
                      (unsigned long long)m_recorded, (unsigned long long)m_dropped);
    }
    trace_flush(v);
    check_output(v);
    log_init(0);
    return 0;
}
