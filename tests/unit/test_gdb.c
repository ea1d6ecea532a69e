/* GDB stub, protocol side: a fake target (2 harts, arrays of registers and memory, a
 * breakpoint list) driven byte by byte through gdb_server_input, exact replies checked. */
#include "unit.h"
#include <string.h>
#include <stdlib.h>

#ifndef GDBSTUB_HOST_CORE       /* gdbstub/gdbstub.mk not in the build yet: compile it here */
#include "../../gdbstub/gdb_packet.c"
#include "../../gdbstub/gdb_server.c"
#include "../../gdbstub/gdb_xml.c"
#endif
#include "../../gdbstub/gdb.h"
#include "../../gdbstub/gdb_xml.h"

/* ---- the fake target ---- */

#define FK_MEM_BASE 0x80000000ull
#define FK_MEM_SIZE 0x10000
#define FK_BPS 16

static const struct { const char *name; unsigned num; } fk_csrs[] = {
#define X(n, num, kind, flags) {#n, num},
#include <miralis/csr_list.h>
    MIRALIS_CSR_LIST(X)
#undef X
};
#define FK_NCSRS (sizeof(fk_csrs) / sizeof(fk_csrs[0]))

static struct fake {
    uint64_t regs[2][33];
    uint64_t csr[2][4096];
    uint64_t priv[2];
    uint8_t mem[FK_MEM_SIZE];
    struct { enum gdb_bp_type type; uint64_t addr; unsigned kind; } bp[FK_BPS];
    int nbp;
    unsigned ncsrs;
    char last_cmd[256];
    char out[1 << 16];
    size_t out_len;
} fk;

static struct gdb_server srv;

static unsigned fk_thread_count(void *ctx) { (void)ctx; return 2; }
static int fk_thread_id(void *ctx, unsigned i) { (void)ctx; return (int)i + 1; }
static bool fk_alive(void *ctx, int tid) { (void)ctx; return tid == 1 || tid == 2; }

static uint64_t *fk_reg(int tid, unsigned regno)
{
    if (tid != 1 && tid != 2)
        return NULL;
    if (regno <= 32)
        return regno == 5 ? NULL : &fk.regs[tid - 1][regno];   /* t0 "unavailable" */
    if (regno >= GDB_REG_CSR0 && regno < GDB_REG_CSR0 + 4096) {
        for (unsigned i = 0; i < FK_NCSRS; i++)
            if (fk_csrs[i].num == regno - GDB_REG_CSR0)
                return &fk.csr[tid - 1][regno - GDB_REG_CSR0];
        return NULL;
    }
    if (regno == GDB_REG_PRIV)
        return &fk.priv[tid - 1];
    return NULL;
}

static bool fk_read_reg(void *ctx, int tid, unsigned regno, uint64_t *val)
{
    uint64_t *r = fk_reg(tid, regno);
    (void)ctx;
    if (!r)
        return false;
    *val = *r;
    return true;
}

static bool fk_write_reg(void *ctx, int tid, unsigned regno, uint64_t val)
{
    uint64_t *r = fk_reg(tid, regno);
    (void)ctx;
    if (!r)
        return regno == 5 && (tid == 1 || tid == 2);   /* t0: writes ignored */
    if (regno != 0)
        *r = val;
    return true;
}

static bool fk_in_mem(uint64_t addr, size_t len)
{
    return addr >= FK_MEM_BASE && len <= FK_MEM_SIZE && addr - FK_MEM_BASE <= FK_MEM_SIZE - len;
}

static bool fk_read_mem(void *ctx, uint64_t addr, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (!fk_in_mem(addr, len))
        return false;
    memcpy(buf, fk.mem + (addr - FK_MEM_BASE), len);
    return true;
}

static bool fk_write_mem(void *ctx, uint64_t addr, const uint8_t *buf, size_t len)
{
    (void)ctx;
    if (!fk_in_mem(addr, len))
        return false;
    memcpy(fk.mem + (addr - FK_MEM_BASE), buf, len);
    return true;
}

static int fk_insert_bp(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind)
{
    (void)ctx;
    if (type == GDB_WP_ACCESS)
        return 1;
    if (addr == 0xdead || fk.nbp == FK_BPS)
        return -1;
    fk.bp[fk.nbp].type = type;
    fk.bp[fk.nbp].addr = addr;
    fk.bp[fk.nbp].kind = kind;
    fk.nbp++;
    return 0;
}

static int fk_remove_bp(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind)
{
    (void)ctx;
    for (int i = 0; i < fk.nbp; i++)
        if (fk.bp[i].type == type && fk.bp[i].addr == addr && fk.bp[i].kind == kind) {
            fk.bp[i] = fk.bp[--fk.nbp];
            return 0;
        }
    return type == GDB_WP_ACCESS ? 1 : -1;
}

static void fk_monitor(void *ctx, const char *cmd, char *out, size_t outlen)
{
    (void)ctx;
    snprintf(fk.last_cmd, sizeof(fk.last_cmd), "%s", cmd);
    if (!strcmp(cmd, "big")) {              /* more than one 'O' packet */
        size_t n = outlen - 1;
        for (size_t i = 0; i < n; i++)
            out[i] = (char)('a' + i % 26);
        out[n] = 0;
    } else if (!strcmp(cmd, "quiet")) {
        out[0] = 0;
    } else {
        snprintf(out, outlen, "you said: %s\n", cmd);
    }
}

static unsigned fk_csr_count(void *ctx) { (void)ctx; return fk.ncsrs; }
static unsigned fk_csr_number(void *ctx, unsigned i) { (void)ctx; return fk_csrs[i].num; }
static const char *fk_csr_name(void *ctx, unsigned i) { (void)ctx; return fk_csrs[i].name; }

static const struct gdb_target_ops fk_ops = {
    .thread_count = fk_thread_count, .thread_id = fk_thread_id, .thread_alive = fk_alive,
    .read_reg = fk_read_reg, .write_reg = fk_write_reg,
    .read_mem = fk_read_mem, .write_mem = fk_write_mem,
    .insert_bp = fk_insert_bp, .remove_bp = fk_remove_bp,
    .monitor_cmd = fk_monitor,
    .csr_count = fk_csr_count, .csr_number = fk_csr_number, .csr_name = fk_csr_name,
};

static void fk_tx(void *ctx, const char *buf, size_t len)
{
    CHECK(ctx == &fk);
    CHECK(len > 0);
    if (fk.out_len + len <= sizeof(fk.out)) {
        memcpy(fk.out + fk.out_len, buf, len);
        fk.out_len += len;
    } else {
        CHECK(!"output overflow");
    }
}

/* ---- driving the server ---- */

static void setup(void)
{
    memset(&fk, 0, sizeof(fk));
    fk.ncsrs = FK_NCSRS;
    for (int t = 0; t < 2; t++) {
        for (unsigned r = 1; r < 33; r++)
            fk.regs[t][r] = 0x1122334455667700ull + (uint64_t)(t * 0x100 + r);
        fk.regs[t][32] = FK_MEM_BASE + 0x100 * (uint64_t)t;
        fk.csr[t][0x300] = 0xa00000000ull + (uint64_t)t;
        fk.priv[t] = 3;
    }
    for (unsigned i = 0; i < FK_MEM_SIZE; i++)
        fk.mem[i] = (uint8_t)(i * 7);
    gdb_server_init(&srv, &fk_ops, &fk, fk_tx);
}

static enum gdb_action feed(const char *bytes, size_t n)
{
    enum gdb_action a = GDB_NONE, r;
    for (size_t i = 0; i < n; i++)
        if ((r = gdb_server_input(&srv, (uint8_t)bytes[i])) != GDB_NONE)
            a = r;
    return a;
}

static uint8_t csum(const char *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + (uint8_t)p[i]);
    return s;
}

/* Frame payload (n bytes, may hold NULs), clear the output, feed it. */
static enum gdb_action send_n(const char *payload, size_t n)
{
    char tail[4];
    fk.out_len = 0;
    feed("$", 1);
    enum gdb_action a = feed(payload, n);
    snprintf(tail, sizeof(tail), "#%02x", csum(payload, n));
    enum gdb_action b = feed(tail, 3);
    return b != GDB_NONE ? b : a;
}

static enum gdb_action send(const char *payload)
{
    return send_n(payload, strlen(payload));
}

/* The framed form of a reply. */
static const char *framed(const char *payload)
{
    static char buf[1 << 16];
    snprintf(buf, sizeof(buf), "$%s#%02x", payload, csum(payload, strlen(payload)));
    return buf;
}

/* Exactly '+' (ack mode) and one packet with this payload. */
static bool out_is(const char *payload)
{
    char expect[1 << 16];
    snprintf(expect, sizeof(expect), "%s%s", srv.no_ack ? "" : "+", framed(payload));
    if (fk.out_len == strlen(expect) && !memcmp(fk.out, expect, fk.out_len))
        return true;
    fprintf(stderr, "    got '%.*s'\n    expected '%s'\n", (int)(fk.out_len > 300 ? 300 : fk.out_len),
            fk.out, expect);
    return false;
}

/* The payload of the (single) reply packet in the output, checksum verified; NULL if none. */
static const char *reply(size_t *len)
{
    static char buf[1 << 16];
    const char *p = fk.out, *end = fk.out + fk.out_len;
    if (p < end && *p == '+')
        p++;
    if (p >= end || *p != '$')
        return NULL;
    const char *h = memchr(p, '#', (size_t)(end - p));
    if (!h || end - h != 3)
        return NULL;
    unsigned cs;
    if (sscanf(h + 1, "%2x", &cs) != 1 || cs != csum(p + 1, (size_t)(h - p - 1)))
        return NULL;
    memcpy(buf, p + 1, (size_t)(h - p - 1));
    buf[h - p - 1] = 0;
    if (len)
        *len = (size_t)(h - p - 1);
    return buf;
}

static void hexenc(char *dst, const void *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(dst + 2 * i, "%02x", ((const uint8_t *)src)[i]);
}

static void le64hex(char *dst, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        sprintf(dst + 2 * i, "%02x", (unsigned)(uint8_t)(v >> (8 * i)));
}

/* ---- tests ---- */

TEST(gdb_checksum_and_ack)
{
    setup();
    CHECK_EQ(send("?"), GDB_NONE);
    CHECK(out_is("T05thread:1;"));
    CHECK(!strcmp(framed("OK"), "$OK#9a"));
    fk.out_len = 0;
    feed("$?#3f", 5);
    CHECK_EQ(fk.out_len, 1 + strlen("$T05thread:1;#xx"));
    CHECK(!memcmp(fk.out, "+$T05thread:1;#", 15));
    /* bad checksum: '-' and nothing else; the next packet is fine */
    fk.out_len = 0;
    feed("$?#00", 5);
    CHECK_EQ(fk.out_len, 1);
    CHECK_EQ(fk.out[0], '-');
    CHECK_EQ(srv.bad_packets, 1);
    fk.out_len = 0;
    feed("$?#zz", 5);                       /* not hex */
    CHECK_EQ(fk.out_len, 1);
    CHECK_EQ(fk.out[0], '-');
    CHECK_EQ(srv.bad_packets, 2);
    send("?");
    CHECK(out_is("T05thread:1;"));
    /* upper-case checksum digits are accepted */
    fk.out_len = 0;
    feed("$qC#B4", 6);
    CHECK(out_is("QC1"));
}

TEST(gdb_no_ack_mode)
{
    setup();
    send("QStartNoAckMode");
    CHECK(!memcmp(fk.out, "+$OK#9a", 7) && fk.out_len == 7);   /* acked, then no acks */
    CHECK(srv.no_ack);
    send("?");
    CHECK(out_is("T05thread:1;"));
    CHECK_EQ(fk.out[0], '$');
    feed("+", 1);                           /* acks from GDB are ignored */
    feed("-", 1);
    send("qC");
    CHECK(out_is("QC1"));
    /* a new GDB session starts with qSupported in ack mode */
    send("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+;xmlRegisters=i386");
    CHECK(!srv.no_ack);
    CHECK(out_is("PacketSize=1000;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+"));
}

TEST(gdb_registers_g)
{
    char exp[33 * 16 + 1], pkt[1 + 33 * 16 + 1];
    size_t len;
    setup();
    send("g");
    const char *r = reply(&len);
    CHECK(r != NULL);
    CHECK_EQ(len, 33 * 16);
    for (unsigned i = 0; i < 33; i++) {
        if (i == 5)
            strcpy(exp + 16 * i, "xxxxxxxxxxxxxxxx");
        else
            le64hex(exp + 16 * i, fk.regs[0][i]);
    }
    CHECK(out_is(exp));
    CHECK(!memcmp(r + 16, "0177665544332211", 16));   /* ra = 0x1122334455667701, LE */
    CHECK(!memcmp(r + 32 * 16, "0000008000000000", 16)); /* pc */
    /* G round trip on thread 2 */
    send("Hg2");
    CHECK(out_is("OK"));
    pkt[0] = 'G';
    for (unsigned i = 0; i < 33; i++)
        le64hex(pkt + 1 + 16 * i, 0xabcdef0000000000ull + i);
    send(pkt);
    CHECK(out_is("OK"));
    CHECK_EQ(fk.regs[1][0], 0);             /* x0 stays 0 */
    CHECK_EQ(fk.regs[1][7], 0xabcdef0000000007ull);
    CHECK_EQ(fk.regs[1][32], 0xabcdef0000000020ull);
    CHECK_EQ(fk.regs[0][7], 0x1122334455667707ull);  /* thread 1 untouched */
    send("g");
    r = reply(NULL);
    CHECK(r && !memcmp(r + 7 * 16, "0700000000efcdab", 16));
    /* malformed G */
    pkt[100] = 'z';
    send(pkt);
    CHECK(out_is("E01"));
    send("G00");
    CHECK(out_is("E01"));
    send("gx");
    CHECK(out_is("E01"));
}

TEST(gdb_registers_p)
{
    char pkt[64], exp[17];
    setup();
    send("p1");
    le64hex(exp, fk.regs[0][1]);
    CHECK(out_is(exp));
    send("p20");                            /* pc */
    CHECK(out_is("0000008000000000"));
    send("p341");                           /* mstatus: 65 + 0x300 */
    CHECK(out_is("000000000a000000"));
    send("p1041");                          /* priv */
    CHECK(out_is("0300000000000000"));
    send("p21");                            /* f0: not available */
    CHECK(out_is("E01"));
    send("p5");                             /* t0: not available */
    CHECK(out_is("E01"));
    le64hex(exp, 0x8000000000006000ull);
    snprintf(pkt, sizeof(pkt), "P341=%s", exp);
    send(pkt);
    CHECK(out_is("OK"));
    CHECK_EQ(fk.csr[0][0x300], 0x8000000000006000ull);
    send("P1041=0100000000000000");
    CHECK(out_is("OK"));
    CHECK_EQ(fk.priv[0], 1);
    send("Hg2");
    send("p1041");
    CHECK(out_is("0300000000000000"));
    send("P20=0010008000000000");
    CHECK(out_is("OK"));
    CHECK_EQ(fk.regs[1][32], 0x80001000);
    /* malformed */
    send("P20=00");
    CHECK(out_is("E01"));
    send("P20");
    CHECK(out_is("E01"));
    send("P20=00100080000000zz");
    CHECK(out_is("E01"));
    send("p");
    CHECK(out_is("E01"));
    send("pzz");
    CHECK(out_is("E01"));
    send("p1x");
    CHECK(out_is("E01"));
    send("p11111111111111111");             /* 17 digits */
    CHECK(out_is("E01"));
    send("P2222=0000000000000000");         /* no such register */
    CHECK(out_is("E01"));
}

TEST(gdb_memory_m_M)
{
    char exp[64], big[20000];
    size_t len;
    setup();
    send("m80000000,4");
    CHECK(out_is("00070e15"));
    send("m8000fffe,2");                    /* last bytes */
    hexenc(exp, fk.mem + 0xfffe, 2);
    CHECK(out_is(exp));
    send("m8000fffe,3");                    /* one byte out of reach */
    CHECK(out_is("E01"));
    send("m0,4");
    CHECK(out_is("E01"));
    send("mffffffffffffffff,2");            /* wraps */
    CHECK(out_is("E01"));
    /* a long read is cut to what a reply holds; GDB reads the rest */
    send("m80000000,2000");
    const char *r = reply(&len);
    CHECK(r != NULL);
    CHECK_EQ(len, 2 * 4096);
    hexenc(big, fk.mem, 4096);
    CHECK(r && !memcmp(r, big, 2 * 4096));
    send("M80000010,4:deadbeef");
    CHECK(out_is("OK"));
    CHECK(fk.mem[0x10] == 0xde && fk.mem[0x13] == 0xef);
    send("m80000010,4");
    CHECK(out_is("deadbeef"));
    send("M80000010,0:");
    CHECK(out_is("OK"));
    send("M80000010,4:deadbe");             /* short data */
    CHECK(out_is("E01"));
    send("M80000010,2:deadbeef");           /* long data */
    CHECK(out_is("E01"));
    send("M80000010,2:zzzz");
    CHECK(out_is("E01"));
    CHECK(fk.mem[0x10] == 0xde);
    send("M0,2:1234");
    CHECK(out_is("E01"));
    /* the longest M that fits in a packet */
    len = (GDB_PACKET_MAX - 20) / 2;
    int n = snprintf(big, sizeof(big), "M80001000,%zx:", len);
    for (size_t i = 0; i < len; i++)
        sprintf(big + n + 2 * i, "%02x", (unsigned)(i & 0xff) ^ 0x5a);
    send(big);
    CHECK(out_is("OK"));
    CHECK_EQ(fk.mem[0x1000 + len - 1], ((len - 1) & 0xff) ^ 0x5a);
    /* malformed */
    send("m");
    CHECK(out_is("E01"));
    send("m80000000");
    CHECK(out_is("E01"));
    send("m80000000,");
    CHECK(out_is("E01"));
    send("mzz,4");
    CHECK(out_is("E01"));
    send("m80000000,4x");
    CHECK(out_is("E01"));
    send("M80000000,4");
    CHECK(out_is("E01"));
}

TEST(gdb_memory_X_escapes)
{
    /* data: '#' '$' '}' '*' 0x00 0x03 'a' 0xff, escaped as GDB does */
    const char pkt[] = "X80000020,8:}\x03}\x04}]}\x0a\x00\x03" "a\xff";
    const uint8_t want[8] = {'#', '$', '}', '*', 0, 3, 'a', 0xff};
    setup();
    send_n(pkt, sizeof(pkt) - 1);
    CHECK(out_is("OK"));
    CHECK(!memcmp(fk.mem + 0x20, want, 8));
    CHECK(!srv.interrupt);                  /* 0x03 inside a packet is data */
    CHECK(!gdb_server_take_interrupt(&srv));
    send("X80000020,0:");                   /* GDB's probe */
    CHECK(out_is("OK"));
    send_n("X80000020,2:}", 13);            /* dangling escape */
    CHECK(out_is("E01"));
    send_n("X80000020,3:ab", 14);           /* length mismatch */
    CHECK(out_is("E01"));
    send_n("X0,1:a", 6);
    CHECK(out_is("E01"));
    send("X80000020");
    CHECK(out_is("E01"));
}

TEST(gdb_run_c_s)
{
    setup();
    CHECK_EQ(send("c"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, -1);
    CHECK_EQ(fk.out_len, 1);                /* just the ack: the stop reply comes later */
    CHECK_EQ(fk.out[0], '+');
    CHECK_EQ(send("c80000040"), GDB_CONTINUE);
    CHECK_EQ(fk.regs[0][32], 0x80000040);
    CHECK_EQ(send("s"), GDB_STEP);
    CHECK_EQ(srv.resume_tid, 1);
    CHECK_EQ(send("Hc2"), GDB_NONE);
    CHECK(out_is("OK"));
    CHECK_EQ(send("s80000080"), GDB_STEP);
    CHECK_EQ(srv.resume_tid, 2);
    CHECK_EQ(fk.regs[1][32], 0x80000080);
    CHECK_EQ(send("c"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, 2);
    send("Hc-1");
    CHECK(out_is("OK"));
    CHECK_EQ(send("C05"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, -1);
    CHECK_EQ(send("S05;80000100"), GDB_STEP);
    CHECK_EQ(srv.resume_tid, 1);
    CHECK_EQ(fk.regs[0][32], 0x80000100);
    /* malformed: no action */
    CHECK_EQ(send("cxyz"), GDB_NONE);
    CHECK(out_is("E01"));
    CHECK_EQ(send("C"), GDB_NONE);
    CHECK(out_is("E01"));
    CHECK_EQ(send("S05;"), GDB_NONE);
    CHECK(out_is("E01"));
    CHECK_EQ(send("C123"), GDB_NONE);
    CHECK(out_is("E01"));
}

TEST(gdb_vcont)
{
    setup();
    send("vCont?");
    CHECK(out_is("vCont;c;C;s;S;t"));
    CHECK_EQ(send("vCont;c"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, -1);
    CHECK_EQ(fk.out_len, 1);
    CHECK_EQ(send("vCont;s:2;c"), GDB_STEP);
    CHECK_EQ(srv.resume_tid, 2);
    CHECK_EQ(send("vCont;s:1"), GDB_STEP);
    CHECK_EQ(srv.resume_tid, 1);
    CHECK_EQ(send("vCont;c:2"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, 2);
    CHECK_EQ(send("vCont;c:1;c:2"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, -1);
    CHECK_EQ(send("vCont;C05:2;c"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, -1);
    CHECK_EQ(send("vCont;S05:2"), GDB_STEP);
    CHECK_EQ(srv.resume_tid, 2);
    CHECK_EQ(send("vCont;c:-1"), GDB_CONTINUE);
    CHECK_EQ(srv.resume_tid, -1);
    CHECK_EQ(send("vCont;s"), GDB_STEP);
    CHECK_EQ(srv.resume_tid, 1);
    CHECK_EQ(send("vCont;t"), GDB_NONE);
    CHECK(out_is("OK"));
    const char *bad[] = {"vCont", "vCont;", "vCont;x", "vCont;s:5", "vCont;s:", "vCont;c;",
                         "vCont;C", "vCont;c:zz", "vCont;cc", "vCont;s:1:2"};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(send(bad[i]), GDB_NONE);
        CHECK(out_is("E01"));
    }
}

TEST(gdb_threads)
{
    setup();
    send("qfThreadInfo");
    CHECK(out_is("m1,2"));
    send("qsThreadInfo");
    CHECK(out_is("l"));
    send("qC");
    CHECK(out_is("QC1"));
    send("T1");
    CHECK(out_is("OK"));
    send("T2");
    CHECK(out_is("OK"));
    send("T3");
    CHECK(out_is("E01"));
    send("T0");
    CHECK(out_is("E01"));
    send("T");
    CHECK(out_is("E01"));
    send("Hg3");
    CHECK(out_is("E01"));
    send("Hg0");
    CHECK(out_is("OK"));
    send("Hg-1");
    CHECK(out_is("OK"));
    send("Hc0");
    CHECK(out_is("OK"));
    send("Hx1");
    CHECK(out_is("E01"));
    send("H");
    CHECK(out_is("E01"));
    send("Hg");
    CHECK(out_is("E01"));
    send("Hg-2");
    CHECK(out_is("E01"));
    /* a stop in thread 2: '?' and qC follow it, and 'g' with no Hg reads it */
    fk.out_len = 0;
    gdb_server_stop(&srv, 2, 5, "swbreak:");
    CHECK(!memcmp(fk.out, framed("T05thread:2;swbreak:;"), fk.out_len));
    send("?");
    CHECK(out_is("T05thread:2;swbreak:;"));
    send("qC");
    CHECK(out_is("QC2"));
    send("p20");
    CHECK(out_is("0001008000000000"));
}

TEST(gdb_breakpoints)
{
    setup();
    send("Z0,80000010,4");
    CHECK(out_is("OK"));
    CHECK_EQ(fk.nbp, 1);
    CHECK_EQ(fk.bp[0].addr, 0x80000010);
    CHECK_EQ(fk.bp[0].kind, 4);
    CHECK_EQ(fk.bp[0].type, GDB_BP_SOFT);
    send("Z1,80000020,2");
    CHECK(out_is("OK"));
    CHECK_EQ(fk.bp[1].type, GDB_BP_HARD);
    send("Z2,80000100,8");
    CHECK(out_is("OK"));
    CHECK_EQ(fk.bp[2].type, GDB_WP_WRITE);
    send("Z3,80000100,8");
    CHECK(out_is("OK"));
    CHECK_EQ(fk.bp[3].type, GDB_WP_READ);
    send("Z4,80000100,8");                  /* the target: unsupported */
    CHECK(out_is(""));
    send("Z0,dead,4");                      /* the target: error */
    CHECK(out_is("E01"));
    send("z0,80000010,4");
    CHECK(out_is("OK"));
    CHECK_EQ(fk.nbp, 3);
    send("z0,80000010,4");
    CHECK(out_is("E01"));
    send("z4,80000100,8");
    CHECK(out_is(""));
    send("Z5,80000100,8");                  /* no such type */
    CHECK(out_is(""));
    send("Z0,80000010");
    CHECK(out_is("E01"));
    send("Z0,zz,4");
    CHECK(out_is("E01"));
    send("Z");
    CHECK(out_is("E01"));
    send("z0,1,2,3");
    CHECK(out_is("E01"));
}

TEST(gdb_kill_detach)
{
    setup();
    CHECK_EQ(send("k"), GDB_KILL);
    CHECK_EQ(fk.out_len, 1);
    CHECK_EQ(send("vKill;1"), GDB_KILL);
    CHECK(out_is("OK"));
    CHECK_EQ(send("D"), GDB_DETACH);
    CHECK(out_is("OK"));
    CHECK_EQ(send("D;1"), GDB_DETACH);
    CHECK(out_is("OK"));
}

TEST(gdb_monitor_rcmd)
{
    char pkt[300], hex[200];
    setup();
    hexenc(hex, "help me", 7);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hex);
    CHECK_EQ(send(pkt), GDB_NONE);
    CHECK(!strcmp(fk.last_cmd, "help me"));
    char out[600], ohex[300];
    hexenc(ohex, "you said: help me\n", 18);
    snprintf(out, sizeof(out), "+$O%s#%02x$OK#9a", ohex, csum("O", 1) + csum(ohex, strlen(ohex)));
    CHECK(fk.out_len == strlen(out) && !memcmp(fk.out, out, fk.out_len));
    /* no output: just OK */
    hexenc(hex, "quiet", 5);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hex);
    send(pkt);
    CHECK(out_is("OK"));
    /* a long answer: several 'O' packets, then OK; reassemble */
    hexenc(hex, "big", 3);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hex);
    send(pkt);
    {
        static char text[GDB_MONITOR_OUT_MAX + 1];
        size_t tl = 0, npk = 0;
        const char *p = fk.out + 1, *end = fk.out + fk.out_len;
        bool ok_seen = false;
        while (p < end) {
            const char *h = memchr(p, '#', (size_t)(end - p));
            CHECK(*p == '$' && h);
            if (!h || *p != '$')
                break;
            if (h - p == 3 && !memcmp(p, "$OK", 3)) {
                ok_seen = true;
                CHECK(h + 3 == end);
            } else {
                CHECK(p[1] == 'O');
                for (const char *q = p + 2; q + 1 < h; q += 2) {
                    unsigned b;
                    sscanf(q, "%2x", &b);
                    text[tl++] = (char)b;
                }
                npk++;
            }
            p = h + 3;
        }
        CHECK(ok_seen);
        CHECK(npk >= 2);
        CHECK_EQ(tl, GDB_MONITOR_OUT_MAX - 1);
        CHECK(text[0] == 'a' && text[27] == 'b' && text[tl - 1] == (char)('a' + (tl - 1) % 26));
    }
    send("qRcmd,6");                        /* odd hex */
    CHECK(out_is("E01"));
    send("qRcmd,zz");
    CHECK(out_is("E01"));
    send("qRcmd,");                         /* empty command is fine */
    CHECK(!strcmp(fk.last_cmd, ""));
}

/* Read target.xml with qXfer chunks of the given length. */
static char *read_xml(unsigned chunk, int *npackets)
{
    static char xml[1 << 16];
    size_t off = 0;
    char pkt[128];
    *npackets = 0;
    for (;;) {
        size_t len;
        snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,%x", off, chunk);
        send(pkt);
        const char *r = reply(&len);
        CHECK(r != NULL);
        if (!r || len == 0 || (r[0] != 'm' && r[0] != 'l'))
            return NULL;
        (*npackets)++;
        for (size_t i = 1; i < len; i++) {
            uint8_t c = (uint8_t)r[i];
            CHECK(c != '$' && c != '#' && c != '*');
            if (c == '}')
                c = (uint8_t)r[++i] ^ 0x20;
            xml[off++] = (char)c;
        }
        CHECK(len - 1 <= chunk);
        if (r[0] == 'l')
            break;
        if (*npackets > 10000)
            return NULL;
    }
    xml[off] = 0;
    return xml;
}

/* Tags balance (no attributes with '>' in our XML). */
static bool xml_balanced(const char *x)
{
    const char *stack[16];
    size_t lens[16];
    int depth = 0;
    for (const char *p = strchr(x, '<'); p; p = strchr(p + 1, '<')) {
        if (p[1] == '?' || p[1] == '!')
            continue;
        const char *gt = strchr(p, '>');
        if (!gt)
            return false;
        if (p[1] == '/') {
            size_t n = strcspn(p + 2, " >");
            if (depth == 0 || n != lens[depth - 1] || memcmp(stack[depth - 1], p + 2, n))
                return false;
            depth--;
        } else if (gt[-1] != '/') {
            if (depth == 16)
                return false;
            stack[depth] = p + 1;
            lens[depth++] = strcspn(p + 1, " >");
        }
    }
    return depth == 0;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

TEST(gdb_target_xml)
{
    int np;
    setup();
    char *x = read_xml(0x100, &np);
    CHECK(x != NULL);
    if (!x)
        return;
    CHECK(np > 10);
    CHECK(!strncmp(x, "<?xml version=\"1.0\"?>", 21));
    CHECK(strstr(x, "<architecture>riscv:rv64</architecture>") != NULL);
    CHECK(strstr(x, "<feature name=\"org.gnu.gdb.riscv.cpu\">") != NULL);
    CHECK(strstr(x, "<feature name=\"org.gnu.gdb.riscv.csr\">") != NULL);
    CHECK(strstr(x, "<feature name=\"org.gnu.gdb.riscv.virtual\">") != NULL);
    CHECK(strstr(x, "<reg name=\"zero\" bitsize=\"64\" type=\"int\" regnum=\"0\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"ra\" bitsize=\"64\" type=\"code_ptr\" regnum=\"1\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"fp\" bitsize=\"64\" type=\"data_ptr\" regnum=\"8\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"t6\" bitsize=\"64\" type=\"int\" regnum=\"31\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"mstatus\" bitsize=\"64\" regnum=\"833\" group=\"csr\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"priv\" bitsize=\"64\" regnum=\"4161\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"fa0\" bitsize=\"64\" type=\"ieee_double\" regnum=\"43\" group=\"float\"/>") != NULL);
    CHECK(strstr(x, "<reg name=\"fcsr\" bitsize=\"64\" type=\"int\" regnum=\"68\" group=\"float\"/>") != NULL);
    CHECK_EQ(count(x, "<reg "), 33 + 35 + FK_NCSRS + 1); /* cpu, fpu, csr, virtual */
    CHECK_EQ(count(x, "group=\"csr\""), FK_NCSRS);
    CHECK_EQ(count(x, "<feature "), 4);
    CHECK_EQ(count(x, "</feature>"), 4);
    CHECK(xml_balanced(x));
    size_t total = strlen(x);
    CHECK(!strcmp(x + total - 10, "</target>\n"));
    /* other chunk sizes give the same document */
    char *copy = malloc(total + 1);
    memcpy(copy, x, total + 1);
    x = read_xml(0xffb, &np);
    CHECK(x && !strcmp(x, copy));
    x = read_xml(7, &np);
    CHECK(x && !strcmp(x, copy));
    x = read_xml(0x10000, &np);             /* more than a reply holds */
    CHECK(x && !strcmp(x, copy));
    free(copy);
    /* past the end, other annexes, malformed */
    char pkt[100];
    snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,100", total);
    send(pkt);
    CHECK(out_is("l"));
    send("qXfer:features:read:other.xml:0,100");
    CHECK(out_is("E01"));
    send("qXfer:features:read:target.xml:0");
    CHECK(out_is("E01"));
    send("qXfer:features:read:target.xml:zz,10");
    CHECK(out_is("E01"));
    send("qXfer:features:read:target.xml");
    CHECK(out_is("E01"));
    send("qXfer:threads:read::0,100");      /* not offered */
    CHECK(out_is(""));
    /* no CSRs: no csr feature */
    fk.ncsrs = 0;
    x = read_xml(0x800, &np);
    CHECK(x && !strstr(x, "riscv.csr") && strstr(x, "riscv.virtual") && xml_balanced(x));
}

TEST(gdb_xml_truncation)
{
    static char buf[GDB_XML_MAX];
    setup();
    size_t full = gdb_xml_build(&fk_ops, &fk, buf, sizeof(buf));
    CHECK(full > 0 && full < sizeof(buf));
    CHECK(xml_balanced(buf));
    /* too small for every CSR: some are left out, the document stays well formed */
    size_t n = gdb_xml_build(&fk_ops, &fk, buf, 6500);
    CHECK(n > 0 && n < 6500);
    CHECK(xml_balanced(buf));
    CHECK(strstr(buf, "regnum=\"4161\"") != NULL);
    CHECK(count(buf, "group=\"csr\"") > 0 && count(buf, "group=\"csr\"") < (int)FK_NCSRS);
    CHECK(gdb_xml_build(&fk_ops, &fk, buf, 100) == 0 && buf[0] == 0);
    /* 250 CSRs of long names fit in GDB_XML_MAX */
    CHECK(5200 + 250 * sizeof("<reg name=\"mhpmcounter31h\" bitsize=\"64\" regnum=\"4095\" group=\"csr\"/>\n")
          < GDB_XML_MAX);
}

TEST(gdb_framing_errors)
{
    static char big[GDB_PACKET_MAX + 200];
    setup();
    /* over-long: '-', then the state is clean */
    memset(big, 'a', sizeof(big));
    fk.out_len = 0;
    feed("$", 1);
    feed(big, sizeof(big));
    feed("#00", 3);
    CHECK_EQ(fk.out_len, 1);
    CHECK_EQ(fk.out[0], '-');
    CHECK_EQ(srv.bad_packets, 1);
    send("qC");
    CHECK(out_is("QC1"));
    /* exactly GDB_PACKET_MAX is accepted (an unknown packet: empty reply) */
    memset(big, 'J', GDB_PACKET_MAX);
    send_n(big, GDB_PACKET_MAX);
    CHECK(out_is(""));
    send_n(big, GDB_PACKET_MAX + 1);
    CHECK_EQ(fk.out_len, 1);
    CHECK_EQ(fk.out[0], '-');
    /* garbage and acks before '$' */
    fk.out_len = 0;
    feed("hello+-+}#12", 12);
    CHECK_EQ(fk.out_len, 0);
    send("qC");
    CHECK(out_is("QC1"));
    /* a disconnect mid-packet (or mid-checksum), then a new packet */
    feed("$m8000", 6);
    send("qC");
    CHECK(out_is("QC1"));
    feed("$qC#b", 5);
    send("?");
    CHECK(out_is("T05thread:1;"));
    /* empty packet */
    send("");
    CHECK(out_is(""));
}

TEST(gdb_interrupt)
{
    setup();
    CHECK(!gdb_server_take_interrupt(&srv));
    CHECK_EQ(send("c"), GDB_CONTINUE);
    fk.out_len = 0;
    CHECK_EQ(gdb_server_input(&srv, 0x03), GDB_NONE);
    CHECK_EQ(fk.out_len, 0);
    CHECK(gdb_server_take_interrupt(&srv));
    CHECK(!gdb_server_take_interrupt(&srv));
    gdb_server_stop(&srv, 1, 2, "");
    CHECK(fk.out_len == strlen(framed("T02thread:1;")) && !memcmp(fk.out, framed("T02thread:1;"), fk.out_len));
    /* a Ctrl-C that arrives while stopped does not stop the next continue */
    gdb_server_input(&srv, 0x03);
    CHECK_EQ(send("vCont;c"), GDB_CONTINUE);
    CHECK(!gdb_server_take_interrupt(&srv));
}

TEST(gdb_unknown_and_misc)
{
    setup();
    const char *empty[] = {"qOffsets", "vMustReplyEmpty", "qTStatus", "Jfoo", "qThreadExtraInfo,1",
                           "vFile:open:", "!", "qXfer:memory-map:read::0,100", "QNonStop:1",
                           "vRun;", "bc", "qfoo"};
    for (unsigned i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        CHECK_EQ(send(empty[i]), GDB_NONE);
        CHECK(out_is(""));
    }
    send("qAttached");
    CHECK(out_is("1"));
    send("qAttached:1");
    CHECK(out_is("1"));
    send("qSymbol::");
    CHECK(out_is("OK"));
    send("qSupported");
    CHECK(out_is("PacketSize=1000;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+"));
}

TEST(gdb_stop_console_exit)
{
    setup();
    fk.out_len = 0;
    gdb_server_stop(&srv, 2, 5, "watch:80000100");
    CHECK(fk.out_len == strlen(framed("T05thread:2;watch:80000100;")) &&
          !memcmp(fk.out, framed("T05thread:2;watch:80000100;"), fk.out_len));
    fk.out_len = 0;
    gdb_server_stop(&srv, 10, 0x11, "hwbreak:;");
    CHECK(!memcmp(fk.out, framed("T11thread:a;hwbreak:;"), fk.out_len));
    fk.out_len = 0;
    gdb_server_console(&srv, "hi\n", 3);
    CHECK(fk.out_len == strlen(framed("O68690a")) && !memcmp(fk.out, framed("O68690a"), fk.out_len));
    fk.out_len = 0;
    gdb_server_console(&srv, "", 0);
    CHECK_EQ(fk.out_len, 0);
    fk.out_len = 0;
    gdb_server_exited(&srv, 0);
    CHECK(fk.out_len == 7 && !memcmp(fk.out, framed("W00"), 7));
    send("?");
    CHECK(out_is("W00"));
    /* a long reason is cut, never overflows */
    char reason[300];
    memset(reason, 'r', sizeof(reason) - 1);
    reason[sizeof(reason) - 1] = 0;
    gdb_server_stop(&srv, 1, 5, reason);
    send("?");
    size_t len;
    const char *r = reply(&len);
    CHECK(r && !strncmp(r, "T05thread:1;rrr", 15) && len < sizeof(srv.stop_reply));
}

/* Random bytes (biased to the protocol's characters and packet prefixes): never crashes
 * (ASan), always answers with well-framed packets. */
TEST(gdb_random_input)
{
    static const char *prefixes[] = {"$m", "$M8000", "$X80000000,", "$p", "$P", "$G", "$g#67",
        "$qXfer:features:read:target.xml:", "$vCont;", "$Z0,", "$qRcmd,", "$H", "$T", "$c", "$s",
        "$qfThreadInfo#bb", "$qsThreadInfo#c8", "$?#3f", "$C", "$S", "$QStartNoAckMode#b0"};
    static const char alphabet[] = "0123456789abcdefABx,:;=-+$#}*\x03gGmMXpPzZq";
    uint64_t seed = 12345;
    setup();
    for (int iter = 0; iter < 200000; iter++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(seed >> 33);
        if (r % 40 == 0) {
            const char *p = prefixes[(r / 40) % (sizeof(prefixes) / sizeof(prefixes[0]))];
            feed(p, strlen(p));
        } else if (r % 3 == 0) {
            uint8_t b = (uint8_t)(r >> 8);
            gdb_server_input(&srv, b);
        } else {
            gdb_server_input(&srv, (uint8_t)alphabet[(r >> 8) % (sizeof(alphabet) - 1)]);
        }
        if (fk.out_len > sizeof(fk.out) / 2)
            fk.out_len = 0;
        if (fk.nbp == FK_BPS)
            fk.nbp = 0;
    }
    /* still serving */
    send("QStartNoAckMode");
    send("qC");
    CHECK(reply(NULL) != NULL);
}
