/* GDB Remote Serial Protocol server: the command handlers over struct gdb_target_ops.
 * Freestanding C11 (no libc). All-stop: c/s/vCont return an action and no reply; the stop
 * reply is sent later by gdb_server_stop() (or gdb_server_exited()). */
#include "gdb_packet.h"
#include "gdb_xml.h"

#define GDB_NREGS_G 33          /* x0..x31, pc: the 'g' packet */

static const char sv_supported[] =
    "PacketSize=1000;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+";

/* ---- small helpers (no string.h) ---- */

struct sv_cur {
    const char *p, *end;
};

static size_t sv_strlen(const char *str)
{
    size_t n = 0;
    while (str[n])
        n++;
    return n;
}

/* The packet is exactly str / starts with str. */
static bool sv_is(const char *pkt, size_t len, const char *str)
{
    size_t n = sv_strlen(str);
    if (n != len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pkt[i] != str[i])
            return false;
    return true;
}

static bool sv_starts(const char *pkt, size_t len, const char *str)
{
    size_t n = sv_strlen(str);
    if (n > len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pkt[i] != str[i])
            return false;
    return true;
}

static bool sv_end(const struct sv_cur *c)
{
    return c->p == c->end;
}

static bool sv_eat(struct sv_cur *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* 1 to 16 hex digits. */
static bool sv_hex(struct sv_cur *c, uint64_t *v)
{
    uint64_t x = 0;
    int n = 0, d;
    while (c->p < c->end && (d = gdb_hex_digit((uint8_t)*c->p)) >= 0) {
        if (++n > 16)
            return false;
        x = x << 4 | (uint64_t)d;
        c->p++;
    }
    *v = x;
    return n > 0;
}

/* A thread id: "-1" (all) or hex (0: any). */
static bool sv_tid(struct sv_cur *c, int *tid)
{
    uint64_t v;
    if (sv_eat(c, '-')) {
        if (!sv_hex(c, &v) || v != 1)
            return false;
        *tid = -1;
        return true;
    }
    if (!sv_hex(c, &v) || v > 0x7fffffff)
        return false;
    *tid = (int)v;
    return true;
}

static void sv_reply(struct gdb_server *s, const char *payload)
{
    gdb_send_packet(s, payload);
}

static enum gdb_action sv_error(struct gdb_server *s)
{
    sv_reply(s, "E01");
    return GDB_NONE;
}

static enum gdb_action sv_empty(struct gdb_server *s)
{
    sv_reply(s, "");
    return GDB_NONE;
}

static enum gdb_action sv_ok(struct gdb_server *s)
{
    sv_reply(s, "OK");
    return GDB_NONE;
}

/* The thread of g/G/p/P: the Hg thread, or the one that stopped. */
static int sv_reg_tid(const struct gdb_server *s)
{
    return s->g_tid > 0 ? s->g_tid : s->stopped_tid;
}

/* The thread of c/s: the Hc thread, or the one that stopped. */
static int sv_run_tid(const struct gdb_server *s)
{
    return s->c_tid > 0 ? s->c_tid : s->stopped_tid;
}

static bool sv_alive(struct gdb_server *s, int tid)
{
    return tid > 0 && s->ops->thread_alive && s->ops->thread_alive(s->ctx, tid);
}

static unsigned sv_thread_count(struct gdb_server *s)
{
    return s->ops->thread_count && s->ops->thread_id ? s->ops->thread_count(s->ctx) : 0;
}

/* Fixed-size string builder for the stop reply. */
struct sv_str {
    char *buf;
    size_t cap, len;
};

static void sv_str_c(struct sv_str *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->buf[b->len++] = c;
        b->buf[b->len] = 0;
    }
}

static void sv_str_s(struct sv_str *b, const char *str)
{
    while (*str)
        sv_str_c(b, *str++);
}

static void sv_str_hex(struct sv_str *b, uint64_t v, int min_digits)
{
    static const char hx[] = "0123456789abcdef";
    int shift = 60;
    while (shift > 0 && shift >= 4 * min_digits && ((v >> shift) & 15) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        sv_str_c(b, hx[(v >> shift) & 15]);
}

static void sv_set_stop(struct gdb_server *s, int tid, int signal, const char *reason)
{
    struct sv_str b = {s->stop_reply, sizeof(s->stop_reply), 0};
    s->stop_reply[0] = 0;
    sv_str_c(&b, 'T');
    sv_str_hex(&b, (uint8_t)signal, 2);
    sv_str_s(&b, "thread:");
    sv_str_hex(&b, (uint64_t)(unsigned)tid, 1);
    sv_str_c(&b, ';');
    if (reason && *reason) {
        size_t n = sv_strlen(reason);
        sv_str_s(&b, reason);
        if (reason[n - 1] != ';')
            sv_str_c(&b, ';');
    }
    s->stopped_tid = tid;
}

/* ---- registers ---- */

static enum gdb_action sv_read_regs(struct gdb_server *s)
{
    int tid = sv_reg_tid(s);
    gdb_tx_begin(s);
    for (unsigned r = 0; r < GDB_NREGS_G; r++) {
        uint64_t v;
        if (s->ops->read_reg && s->ops->read_reg(s->ctx, tid, r, &v))
            gdb_tx_u64_le(s, v);
        else
            for (int i = 0; i < 16; i++)
                gdb_tx_char(s, 'x');
    }
    gdb_tx_end(s);
    return GDB_NONE;
}

/* 16 hex digits, target (little-endian) byte order. */
static bool sv_le64(const char *p, uint64_t *v)
{
    uint8_t b[8];
    if (!gdb_hex_decode(b, p, 8))
        return false;
    *v = 0;
    for (int i = 7; i >= 0; i--)
        *v = *v << 8 | b[i];
    return true;
}

static enum gdb_action sv_write_regs(struct gdb_server *s, const char *arg, size_t len)
{
    int tid = sv_reg_tid(s);
    uint64_t vals[GDB_NREGS_G];
    bool ok = true;
    if (len != GDB_NREGS_G * 16 || !s->ops->write_reg)
        return sv_error(s);
    for (unsigned r = 0; r < GDB_NREGS_G; r++)
        if (!sv_le64(arg + 16 * r, &vals[r]))
            return sv_error(s);
    for (unsigned r = 0; r < GDB_NREGS_G; r++)
        if (!s->ops->write_reg(s->ctx, tid, r, vals[r]))
            ok = false;
    return ok ? sv_ok(s) : sv_error(s);
}

static enum gdb_action sv_read_reg(struct gdb_server *s, struct sv_cur *c)
{
    uint64_t regno, v;
    if (!sv_hex(c, &regno) || !sv_end(c) || regno > 0xffffffffu || !s->ops->read_reg ||
        !s->ops->read_reg(s->ctx, sv_reg_tid(s), (unsigned)regno, &v))
        return sv_error(s);
    gdb_tx_begin(s);
    gdb_tx_u64_le(s, v);
    gdb_tx_end(s);
    return GDB_NONE;
}

static enum gdb_action sv_write_reg(struct gdb_server *s, struct sv_cur *c)
{
    uint64_t regno, v;
    if (!sv_hex(c, &regno) || !sv_eat(c, '=') || c->end - c->p != 16 || regno > 0xffffffffu ||
        !sv_le64(c->p, &v) || !s->ops->write_reg ||
        !s->ops->write_reg(s->ctx, sv_reg_tid(s), (unsigned)regno, v))
        return sv_error(s);
    return sv_ok(s);
}

/* ---- memory ---- */

/* "addr,len" */
static bool sv_addr_len(struct sv_cur *c, uint64_t *addr, uint64_t *len)
{
    if (!sv_hex(c, addr) || !sv_eat(c, ',') || !sv_hex(c, len))
        return false;
    return *len == 0 || *addr + (*len - 1) >= *addr;     /* no wrap around */
}

static enum gdb_action sv_read_mem(struct gdb_server *s, struct sv_cur *c)
{
    uint64_t addr, len;
    uint8_t chunk[64];
    if (!sv_addr_len(c, &addr, &len) || !sv_end(c) || !s->ops->read_mem)
        return sv_error(s);
    gdb_tx_begin(s);
    if (len > GDB_PACKET_MAX)               /* a short read: GDB asks for the rest */
        len = GDB_PACKET_MAX;
    while (len) {
        size_t n = len < sizeof(chunk) ? (size_t)len : sizeof(chunk);
        if (!s->ops->read_mem(s->ctx, addr, chunk, n))
            return sv_error(s);
        gdb_tx_hex(s, chunk, n);
        addr += n;
        len -= n;
    }
    gdb_tx_end(s);
    return GDB_NONE;
}

static enum gdb_action sv_write_mem(struct gdb_server *s, struct sv_cur *c, bool binary)
{
    uint64_t addr, len;
    uint8_t *data;
    size_t n;
    if (!sv_addr_len(c, &addr, &len) || !sv_eat(c, ':') || !s->ops->write_mem)
        return sv_error(s);
    data = (uint8_t *)(uintptr_t)c->p;      /* decoded in place, in s->rx */
    n = (size_t)(c->end - c->p);
    if (binary) {
        n = gdb_bin_unescape(data, n);
        if (n != len)
            return sv_error(s);
    } else {
        if (n != 2 * len || !gdb_hex_decode(data, c->p, (size_t)len))
            return sv_error(s);
    }
    if (len && !s->ops->write_mem(s->ctx, addr, data, (size_t)len))
        return sv_error(s);
    return sv_ok(s);
}

/* ---- running ---- */

static enum gdb_action sv_resume(struct gdb_server *s, struct sv_cur *c, bool step, bool sig)
{
    int tid = sv_run_tid(s);
    uint64_t v, addr = 0;
    bool has_addr = false;
    if (sig) {                              /* C sig[;addr] / S sig[;addr]: signal ignored */
        if (!sv_hex(c, &v) || v > 0xff)
            return sv_error(s);
        if (sv_eat(c, ';')) {
            if (!sv_hex(c, &addr))
                return sv_error(s);
            has_addr = true;
        }
    } else if (!sv_end(c)) {
        if (!sv_hex(c, &addr))
            return sv_error(s);
        has_addr = true;
    }
    if (!sv_end(c))
        return sv_error(s);
    if (has_addr && (!s->ops->write_reg || !s->ops->write_reg(s->ctx, tid, GDB_REG_PC, addr)))
        return sv_error(s);
    if (step) {
        s->resume_tid = tid;
        return GDB_STEP;
    }
    s->resume_tid = s->c_tid > 0 ? s->c_tid : -1;
    return GDB_CONTINUE;
}

/* vCont;action[:tid]... In all-stop: a step action wins (the others stay stopped); else
 * continue all, or only the one thread named if it is the only continue action. */
static enum gdb_action sv_vcont(struct gdb_server *s, struct sv_cur *c)
{
    bool have_step = false, cont_all = false;
    int step_tid = 0, cont_tid = 0, cont_count = 0;
    uint64_t v;

    if (sv_end(c))
        return sv_error(s);
    while (!sv_end(c)) {
        char a;
        int tid = -1;
        if (!sv_eat(c, ';') || sv_end(c))
            return sv_error(s);
        a = *c->p++;
        if (a == 'C' || a == 'S') {
            if (!sv_hex(c, &v) || v > 0xff)
                return sv_error(s);
        } else if (a != 'c' && a != 's' && a != 't') {
            return sv_error(s);
        }
        if (sv_eat(c, ':')) {
            if (!sv_tid(c, &tid))
                return sv_error(s);
            if (tid == 0)
                tid = -1;
            if (tid > 0 && !sv_alive(s, tid))
                return sv_error(s);
        }
        if (a == 's' || a == 'S') {
            if (!have_step) {
                have_step = true;
                step_tid = tid > 0 ? tid : sv_run_tid(s);
            }
        } else if (a == 'c' || a == 'C') {
            if (tid > 0) {
                cont_tid = tid;
                cont_count++;
            } else {
                cont_all = true;
            }
        }
    }
    if (have_step) {
        s->resume_tid = step_tid;
        return GDB_STEP;
    }
    if (cont_all || cont_count > 1) {
        s->resume_tid = -1;
        return GDB_CONTINUE;
    }
    if (cont_count == 1) {
        s->resume_tid = cont_tid;
        return GDB_CONTINUE;
    }
    return sv_ok(s);                        /* only 't' (stop): already stopped */
}

/* ---- threads ---- */

static enum gdb_action sv_thread_info(struct gdb_server *s, bool first)
{
    unsigned n = sv_thread_count(s);
    bool any = false;
    if (first)
        s->thread_cursor = 0;
    if (s->thread_cursor >= n) {
        sv_reply(s, "l");
        return GDB_NONE;
    }
    gdb_tx_begin(s);
    gdb_tx_char(s, 'm');
    while (s->thread_cursor < n && gdb_tx_room(s) > 20) {
        int tid = s->ops->thread_id(s->ctx, s->thread_cursor++);
        if (any)
            gdb_tx_char(s, ',');
        gdb_tx_num(s, (uint64_t)(unsigned)tid);
        any = true;
    }
    gdb_tx_end(s);
    return GDB_NONE;
}

static enum gdb_action sv_set_thread(struct gdb_server *s, struct sv_cur *c)
{
    char op;
    int tid;
    if (sv_end(c))
        return sv_error(s);
    op = *c->p++;
    if ((op != 'g' && op != 'c') || !sv_tid(c, &tid) || !sv_end(c))
        return sv_error(s);
    if (tid > 0 && !sv_alive(s, tid))
        return sv_error(s);
    if (op == 'g')
        s->g_tid = tid > 0 ? tid : 0;
    else
        s->c_tid = tid > 0 ? tid : -1;
    return sv_ok(s);
}

/* ---- breakpoints ---- */

static enum gdb_action sv_breakpoint(struct gdb_server *s, struct sv_cur *c, bool insert)
{
    uint64_t type, addr, kind;
    int r;
    int (*fn)(void *, enum gdb_bp_type, uint64_t, unsigned) =
        insert ? s->ops->insert_bp : s->ops->remove_bp;
    if (!sv_hex(c, &type) || !sv_eat(c, ',') || !sv_hex(c, &addr) || !sv_eat(c, ',') ||
        !sv_hex(c, &kind) || !sv_end(c) || kind > 0xffffffffu)
        return sv_error(s);
    if (type > GDB_WP_ACCESS || !fn)
        return sv_empty(s);
    r = fn(s->ctx, (enum gdb_bp_type)type, addr, (unsigned)kind);
    if (r == 0)
        return sv_ok(s);
    return r > 0 ? sv_empty(s) : sv_error(s);
}

/* ---- queries ---- */

/* 'O' packets with the hex of text, as many as needed, each within PacketSize. */
static void sv_output(struct gdb_server *s, const char *text, size_t len)
{
    while (len) {
        size_t n = (GDB_PACKET_MAX - 1) / 2;
        gdb_tx_begin(s);
        gdb_tx_char(s, 'O');
        if (n > len)
            n = len;
        gdb_tx_hex(s, (const uint8_t *)text, n);
        gdb_tx_end(s);
        text += n;
        len -= n;
    }
}

static enum gdb_action sv_rcmd(struct gdb_server *s, struct sv_cur *c)
{
    size_t n = (size_t)(c->end - c->p);
    char *cmd = (char *)(uintptr_t)c->p;
    if (n % 2 || !gdb_hex_decode((uint8_t *)cmd, c->p, n / 2))
        return sv_error(s);
    cmd[n / 2] = 0;
    if (!s->ops->monitor_cmd)
        return sv_empty(s);
    s->mon_out[0] = 0;
    s->ops->monitor_cmd(s->ctx, cmd, s->mon_out, sizeof(s->mon_out));
    s->mon_out[sizeof(s->mon_out) - 1] = 0;
    sv_output(s, s->mon_out, sv_strlen(s->mon_out));
    return sv_ok(s);
}

static enum gdb_action sv_xfer_features(struct gdb_server *s, struct sv_cur *c)
{
    static const char annex[] = "target.xml:";
    uint64_t off, len;
    const char *xml;
    size_t n = 0, budget;

    if (!sv_starts(c->p, (size_t)(c->end - c->p), annex))
        return sv_error(s);
    c->p += sizeof(annex) - 1;
    if (!sv_hex(c, &off) || !sv_eat(c, ',') || !sv_hex(c, &len) || !sv_end(c))
        return sv_error(s);
    if (off == 0 || s->xml_len == 0)
        s->xml_len = gdb_xml_generate(s->ops, s->ctx);
    xml = gdb_xml_text();
    if (off >= s->xml_len) {
        sv_reply(s, "l");
        return GDB_NONE;
    }
    gdb_tx_begin(s);
    budget = gdb_tx_room(s) - 1;            /* after the 'm'/'l' */
    while (off + n < s->xml_len && n < len) {
        size_t e = gdb_bin_escaped_len((uint8_t)xml[off + n]);
        if (e > budget)
            break;
        budget -= e;
        n++;
    }
    gdb_tx_char(s, off + n >= s->xml_len ? 'l' : 'm');
    gdb_tx_bin(s, (const uint8_t *)xml + off, n);
    gdb_tx_end(s);
    return GDB_NONE;
}

static enum gdb_action sv_query(struct gdb_server *s, const char *pkt, size_t len)
{
    struct sv_cur c = {pkt, pkt + len};

    if (sv_starts(pkt, len, "qSupported")) {
        sv_reply(s, sv_supported);
    } else if (sv_is(pkt, len, "QStartNoAckMode")) {
        sv_reply(s, "OK");                  /* acknowledged, then no more acks */
        s->no_ack = true;
    } else if (sv_is(pkt, len, "qfThreadInfo")) {
        return sv_thread_info(s, true);
    } else if (sv_is(pkt, len, "qsThreadInfo")) {
        return sv_thread_info(s, false);
    } else if (sv_is(pkt, len, "qC")) {
        gdb_tx_begin(s);
        gdb_tx_str(s, "QC");
        gdb_tx_num(s, (uint64_t)(unsigned)s->stopped_tid);
        gdb_tx_end(s);
    } else if (sv_starts(pkt, len, "qRcmd,")) {
        c.p += 6;
        return sv_rcmd(s, &c);
    } else if (sv_starts(pkt, len, "qXfer:features:read:")) {
        c.p += 20;
        return sv_xfer_features(s, &c);
    } else if (sv_is(pkt, len, "qAttached") || sv_starts(pkt, len, "qAttached:")) {
        sv_reply(s, "1");
    } else if (sv_starts(pkt, len, "qSymbol")) {
        sv_reply(s, "OK");
    } else {                                /* qOffsets, qTStatus, ...: unsupported */
        sv_reply(s, "");
    }
    return GDB_NONE;
}

static enum gdb_action sv_v(struct gdb_server *s, const char *pkt, size_t len)
{
    struct sv_cur c = {pkt, pkt + len};
    if (sv_is(pkt, len, "vCont?")) {
        sv_reply(s, "vCont;c;C;s;S;t");
        return GDB_NONE;
    }
    if (sv_starts(pkt, len, "vCont;") || sv_is(pkt, len, "vCont")) {
        c.p += 5;
        return sv_vcont(s, &c);
    }
    if (sv_is(pkt, len, "vKill") || sv_starts(pkt, len, "vKill;")) {
        sv_reply(s, "OK");
        return GDB_KILL;
    }
    return sv_empty(s);                     /* vMustReplyEmpty, vFile, vRun, ... */
}

static enum gdb_action sv_handle(struct gdb_server *s, const char *pkt, size_t len)
{
    struct sv_cur c = {pkt + 1, pkt + len};
    int tid;

    if (len == 0)
        return sv_empty(s);
    switch (pkt[0]) {
    case '?':
        sv_reply(s, s->stop_reply);
        return GDB_NONE;
    case 'g':
        return len == 1 ? sv_read_regs(s) : sv_error(s);
    case 'G':
        return sv_write_regs(s, pkt + 1, len - 1);
    case 'p':
        return sv_read_reg(s, &c);
    case 'P':
        return sv_write_reg(s, &c);
    case 'm':
        return sv_read_mem(s, &c);
    case 'M':
        return sv_write_mem(s, &c, false);
    case 'X':
        return sv_write_mem(s, &c, true);
    case 'c':
        return sv_resume(s, &c, false, false);
    case 's':
        return sv_resume(s, &c, true, false);
    case 'C':
        return sv_resume(s, &c, false, true);
    case 'S':
        return sv_resume(s, &c, true, true);
    case 'H':
        return sv_set_thread(s, &c);
    case 'T':
        if (!sv_tid(&c, &tid) || !sv_end(&c))
            return sv_error(s);
        return sv_alive(s, tid) ? sv_ok(s) : sv_error(s);
    case 'Z':
        return sv_breakpoint(s, &c, true);
    case 'z':
        return sv_breakpoint(s, &c, false);
    case 'k':
        return GDB_KILL;                    /* no reply */
    case 'D':
        sv_reply(s, "OK");
        return GDB_DETACH;
    case 'q':
    case 'Q':
        return sv_query(s, pkt, len);
    case 'v':
        return sv_v(s, pkt, len);
    default:
        return sv_empty(s);
    }
}

/* ---- the interface ---- */

void gdb_server_init(struct gdb_server *s, const struct gdb_target_ops *ops, void *ctx,
                     void (*tx)(void *ctx, const char *buf, size_t len))
{
    s->ops = ops;
    s->ctx = ctx;
    s->tx = tx;
    s->no_ack = false;
    s->g_tid = 0;
    s->c_tid = -1;
    s->resume_tid = -1;
    s->bad_packets = 0;
    s->interrupt = false;
    s->tx_len = 0;
    s->tx_sum = 0;
    s->tx_full = false;
    s->thread_cursor = 0;
    s->xml_len = 0;
    s->mon_out[0] = 0;
    gdb_rx_reset(s);
    sv_set_stop(s, sv_thread_count(s) ? ops->thread_id(ctx, 0) : 1, 5, "");
}

enum gdb_action gdb_server_input(struct gdb_server *s, uint8_t byte)
{
    switch (gdb_rx_byte(s, byte)) {
    case GDB_RX_NONE:
        return GDB_NONE;
    case GDB_RX_INTERRUPT:
        s->interrupt = true;
        return GDB_NONE;
    case GDB_RX_BAD:
        gdb_send_raw(s, "-", 1);
        return GDB_NONE;
    case GDB_RX_PACKET:
        break;
    }
    /* qSupported opens a session: a new GDB speaks with acks until QStartNoAckMode. */
    if (sv_starts(s->rx, s->rx_len, "qSupported")) {
        s->no_ack = false;
        s->g_tid = 0;
        s->c_tid = -1;
    }
    if (!s->no_ack)
        gdb_send_raw(s, "+", 1);
    enum gdb_action a = sv_handle(s, s->rx, s->rx_len);
    if (a == GDB_CONTINUE || a == GDB_STEP)
        s->interrupt = false;   /* a Ctrl-C that raced with the last stop is spent */
    return a;
}

bool gdb_server_take_interrupt(struct gdb_server *s)
{
    bool r = s->interrupt;
    s->interrupt = false;
    return r;
}

void gdb_server_stop(struct gdb_server *s, int tid, int signal, const char *reason)
{
    sv_set_stop(s, tid, signal, reason);
    sv_reply(s, s->stop_reply);
}

void gdb_server_console(struct gdb_server *s, const char *text, size_t len)
{
    sv_output(s, text, len);
}

void gdb_server_exited(struct gdb_server *s, int code)
{
    struct sv_str b = {s->stop_reply, sizeof(s->stop_reply), 0};
    s->stop_reply[0] = 0;
    sv_str_c(&b, 'W');
    sv_str_hex(&b, (uint8_t)code, 2);
    sv_reply(s, s->stop_reply);
}
