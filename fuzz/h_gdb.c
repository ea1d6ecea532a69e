/* Harness: the GDB stub's protocol side (gdbstub/gdb_packet.c, gdb_server.c, gdb_xml.c):
 * any byte stream from the debugger's line, fed byte by byte to the server over a fake
 * two-hart target. Oracles beyond ASan/UBSan: every reply the server sends is a well-formed
 * packet ('$' payload '#' two hex digits of the right checksum, or a single '+'/'-'), and
 * the target is only ever asked for registers, memory and threads that exist.
 * Input: raw bytes; a byte 0xff followed by n sends the canned packet n % NCANNED (so
 * short inputs reach the deep handlers: qXfer, qRcmd, vCont, Z). */
#include "harness.h"
#include "gdb.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREGS (GDB_REG_PRIV + 1)
static uint64_t regs[2][NREGS];
static uint8_t mem[4096];

static void fail(const char *why)
{
    fprintf(stderr, "h_gdb: %s\n", why);
    abort();
}

static unsigned thread_count(void *ctx) { (void)ctx; return 2; }
static int thread_id(void *ctx, unsigned i) { (void)ctx; if (i >= 2) fail("thread index"); return (int)i + 1; }
static bool thread_alive(void *ctx, int tid) { (void)ctx; return tid == 1 || tid == 2; }

static bool read_reg(void *ctx, int tid, unsigned regno, uint64_t *val)
{
    (void)ctx;
    if (tid < 1 || tid > 2 || regno >= NREGS)
        return false;
    *val = regs[tid - 1][regno];
    return true;
}

static bool write_reg(void *ctx, int tid, unsigned regno, uint64_t val)
{
    (void)ctx;
    if (tid < 1 || tid > 2 || regno >= NREGS)
        return false;
    regs[tid - 1][regno] = val;
    return true;
}

static bool read_mem(void *ctx, uint64_t addr, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (addr >= sizeof(mem) || len > sizeof(mem) - addr)
        return false;
    memcpy(buf, mem + addr, len);
    return true;
}

static bool write_mem(void *ctx, uint64_t addr, const uint8_t *buf, size_t len)
{
    (void)ctx;
    if (addr >= sizeof(mem) || len > sizeof(mem) - addr)
        return false;
    memcpy(mem + addr, buf, len);
    return true;
}

static int bp(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind)
{
    (void)ctx; (void)kind;
    if (type > GDB_WP_ACCESS)
        fail("breakpoint type out of range");
    return addr < sizeof(mem) ? 0 : -1;
}

static void monitor_cmd(void *ctx, const char *cmd, char *out, size_t outlen)
{
    (void)ctx;
    size_t n = strlen(cmd);
    if (n >= GDB_PACKET_MAX)
        fail("monitor command longer than a packet");
    snprintf(out, outlen, "echo: %s\n", cmd);
}

static unsigned csr_count(void *ctx) { (void)ctx; return 3; }
static unsigned csr_number(void *ctx, unsigned i) { (void)ctx; static const unsigned n[] = {0x300, 0x341, 0x7a0}; return n[i % 3]; }
static const char *csr_name(void *ctx, unsigned i) { (void)ctx; static const char *const n[] = {"mstatus", "mepc", "tselect"}; return n[i % 3]; }

static const struct gdb_target_ops ops = {
    .thread_count = thread_count, .thread_id = thread_id, .thread_alive = thread_alive,
    .read_reg = read_reg, .write_reg = write_reg, .read_mem = read_mem, .write_mem = write_mem,
    .insert_bp = bp, .remove_bp = bp, .monitor_cmd = monitor_cmd,
    .csr_count = csr_count, .csr_number = csr_number, .csr_name = csr_name,
};

/* Replies are checked as they are sent. */
static int tx_state;          /* 0: between packets, 1: payload, 2/3: checksum digits */
static uint8_t tx_sum, tx_digits;

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static void tx(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        switch (tx_state) {
        case 0:
            if (c == '$') { tx_state = 1; tx_sum = 0; }
            else if (c != '+' && c != '-') fail("reply byte outside a packet");
            break;
        case 1:
            if (c == '#') { tx_state = 2; tx_digits = 0; }
            else if (c == '$') fail("'$' inside a reply");
            else tx_sum += (uint8_t)c;
            break;
        default:
            if (hexval(c) < 0) fail("bad checksum digit in a reply");
            tx_digits = (uint8_t)(tx_digits << 4 | hexval(c));
            if (++tx_state == 4) {
                if (tx_digits != tx_sum) fail("wrong checksum in a reply");
                tx_state = 0;
            }
        }
    }
}

static const char *const canned[] = {
    "qSupported:multiprocess+;swbreak+", "QStartNoAckMode", "?", "g", "p341", "P20=1122334455667788",
    "m0,100", "M10,4:deadbeef", "qXfer:features:read:target.xml:0,ffb", "qfThreadInfo", "qsThreadInfo",
    "Hg2", "Hc-1", "vCont?", "vCont;s:1;c", "Z0,100,4", "z0,100,4", "Z2,200,8", "qRcmd,68656c70",
    "T2", "qC", "D", "k", "c", "s",
};
#define NCANNED (sizeof(canned) / sizeof(canned[0]))

static void feed(struct gdb_server *s, uint8_t b)
{
    fuzz_work++;
    enum gdb_action a = gdb_server_input(s, b);
    if (a == GDB_CONTINUE || a == GDB_STEP) /* the stop the monitor would report */
        gdb_server_stop(s, s->resume_tid > 0 ? s->resume_tid : 1, 5, "swbreak:");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct gdb_server s;
    gdb_server_init(&s, &ops, 0, tx);
    tx_state = 0;
    for (size_t i = 0; i < size; i++) {
        if (data[i] == 0xff && i + 1 < size) {
            const char *p = canned[data[++i] % NCANNED];
            uint8_t sum = 0;
            feed(&s, '$');
            for (; *p; p++) { feed(&s, (uint8_t)*p); sum += (uint8_t)*p; }
            char tail[3];
            snprintf(tail, sizeof(tail), "%02x", sum);
            feed(&s, '#'); feed(&s, (uint8_t)tail[0]); feed(&s, (uint8_t)tail[1]);
            continue;
        }
        feed(&s, data[i]);
    }
    (void)gdb_server_take_interrupt(&s);
    if (tx_state != 0)
        fail("a reply was left unfinished");
    return 0;
}
