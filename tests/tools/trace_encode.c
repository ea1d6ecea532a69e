/* Host encoder for the tracer's record-format tests (tests/integration/test_trace.py):
 * emits known records through the monitor's own tracer/trace.c (trace_emit, trace_flush,
 * trace_flush_all) to stdout, as the monitor would on its console. Between the frames it
 * prints, as console text, one "expect ..." line per record that must come back from the
 * decoder, and text fragments that frames interrupt in the middle of a line.
 *   build/host/trace-encode > out.log */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <miralis/log.h>
#include <miralis/machine.h>
#include "trace.h"

#define HARTS 8 /* CONFIG_MAX_HARTS of the host build */

static uint64_t now;
uint64_t arch_read_time(void) { return now; } /* the record's time field, chosen here */

static void out(char c) { fputc(c, stdout); }

static struct vcpu vcpus[HARTS];
static struct machine machine;

static const struct {
    uint16_t arg16;
    uint32_t arg32;
    uint64_t time, pc, a, b;
} patterns[] = {
    {0, 0, 0, 0, 0, 0},
    {0xffff, 0xffffffffu, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX},
    {0x8000, 0x80000000u, 1ULL << 63, 1ULL << 63, 1ULL << 63, 1ULL << 63},
    {0x1234, 0x89abcdefu, 0x0123456789abcdefULL, 0x80000000deadbeefULL,
     0xfedcba9876543210ULL, 0x0f1e2d3c4b5a6978ULL},
    {0x0001, 0x00000001u, 1, 1, 1, 1},
};
#define NPAT (sizeof(patterns) / sizeof(patterns[0]))

static const unsigned privs[] = {3, 1, 0}; /* M: firmware world; S, U: OS world */

static void emit(unsigned hart, unsigned kind, unsigned p, unsigned priv, int print)
{
    struct vcpu *v = &vcpus[hart];
    v->priv = priv;
    now = patterns[p].time;
    trace_emit(v, (enum trace_kind)kind, patterns[p].arg16, patterns[p].arg32, patterns[p].pc,
               patterns[p].a, patterns[p].b);
    if (print)
        printf("expect kind=%u hart=%u world=%u arg16=%u arg32=%u time=%llu pc=%llu a=%llu b=%llu\n",
               kind, hart, priv == 3 ? 0u : 1u, patterns[p].arg16, patterns[p].arg32,
               (unsigned long long)patterns[p].time, (unsigned long long)patterns[p].pc,
               (unsigned long long)patterns[p].a, (unsigned long long)patterns[p].b);
}

int main(void)
{
    log_init(out);
    machine.trace_stream = 1;
    for (unsigned h = 0; h < HARTS; h++) {
        vcpus[h].hartid = h;
        vcpus[h].machine = &machine;
        machine.vcpus[h] = &vcpus[h];
    }
    struct trace_filter all = {.kinds = (1u << TRACE_KIND_COUNT) - 1, .csr_lo = 0,
                               .csr_hi = 0xfff, .worlds = 3, .harts = ~0ULL};
    trace_init(&machine, &all, 10000000);
    for (unsigned h = 0; h < HARTS; h++)
        trace_hart_init(&vcpus[h]);

    /* Every kind on every hart with every pattern, in both worlds. */
    unsigned n = 0;
    for (unsigned kind = 0; kind < TRACE_KIND_COUNT; kind++)
        for (unsigned p = 0; p < NPAT; p++)
            for (unsigned h = 0; h < HARTS; h++, n++) {
                emit(h, kind, p, privs[n % 3], 1);
                if (n % 7 == 0)
                    fputs("mid-line text ", stdout); /* a frame interrupts this line */
                trace_flush(&vcpus[h]);
                if (n % 7 == 0)
                    fputs("continues\n", stdout);
            }

    /* A full ring: CONFIG_TRACE_RING (16) records are kept on hart 5, the rest dropped. */
    for (unsigned i = 0; i < 20; i++)
        emit(5, TRACE_CSR, 3, 3, i < 16);
    trace_flush(&vcpus[5]); /* 16 records, then a D frame: dropped=4 */
    fputs("last line\n", stdout);
    trace_flush_all(&machine); /* E frames, one per hart */
    return 0;
}
