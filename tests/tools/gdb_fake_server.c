/* A fake 2-hart RISC-V target served over TCP by the GDB stub's protocol side
 * (gdbstub/gdb_server.c), to check it against a real GDB (gdbstub/README.md):
 *
 *   build/host/gdb-fake-server [PORT]         (default 1234; serves until 'k')
 *   gdb-multiarch -batch -ex 'target remote :1234' -ex 'info registers pc mstatus priv' ...
 *
 * Harts are threads 1 and 2. RAM: 64 KiB of nops at 0x80000000 (anything else fails).
 * Continue runs nops (pc += 4, wrapping in RAM) until a breakpoint or a Ctrl-C; a step runs
 * one. Watchpoints are accepted and never fire. CSRs: every CSR of miralis/csr_list.h. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../gdbstub/gdb.h"

#define NHARTS 2
#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000
#define MAX_BPS 32

static const struct { const char *name; unsigned num; } csrs[] = {
#define X(n, num, kind, flags) {#n, num},
#include "../../miralis/include/miralis/csr_list.h"
    MIRALIS_CSR_LIST(X)
#undef X
};
#define NCSRS (sizeof(csrs) / sizeof(csrs[0]))

static struct {
    uint64_t x[NHARTS][33];
    uint64_t csr[NHARTS][4096];
    uint64_t priv[NHARTS];
    uint8_t ram[RAM_SIZE];
    struct { int type; uint64_t addr; unsigned kind; } bp[MAX_BPS];
    int nbp;
    int fd;
    bool verbose;
} t;

static struct gdb_server srv;

static int csr_index(unsigned num)
{
    for (unsigned i = 0; i < NCSRS; i++)
        if (csrs[i].num == num)
            return (int)i;
    return -1;
}

static unsigned thread_count(void *ctx) { (void)ctx; return NHARTS; }
static int thread_id(void *ctx, unsigned i) { (void)ctx; return (int)i + 1; }
static bool thread_alive(void *ctx, int tid) { (void)ctx; return tid >= 1 && tid <= NHARTS; }

static uint64_t *reg(int tid, unsigned regno)
{
    if (!thread_alive(0, tid))
        return NULL;
    if (regno <= GDB_REG_PC)
        return &t.x[tid - 1][regno];
    if (regno >= GDB_REG_CSR0 && regno < GDB_REG_CSR0 + 4096 && csr_index(regno - GDB_REG_CSR0) >= 0)
        return &t.csr[tid - 1][regno - GDB_REG_CSR0];
    if (regno == GDB_REG_PRIV)
        return &t.priv[tid - 1];
    return NULL;
}

static bool read_reg(void *ctx, int tid, unsigned regno, uint64_t *val)
{
    uint64_t *r = reg(tid, regno);
    (void)ctx;
    if (t.verbose)
        fprintf(stderr, "  read_reg tid %d reg %u%s\n", tid, regno, r ? "" : " (unavailable)");
    if (!r)
        return false;
    *val = *r;
    return true;
}

static bool write_reg(void *ctx, int tid, unsigned regno, uint64_t val)
{
    uint64_t *r = reg(tid, regno);
    (void)ctx;
    if (!r)
        return false;
    if (regno != 0)
        *r = val;
    return true;
}

static bool in_ram(uint64_t addr, size_t len)
{
    return addr >= RAM_BASE && len <= RAM_SIZE && addr - RAM_BASE <= RAM_SIZE - len;
}

static bool read_mem(void *ctx, uint64_t addr, uint8_t *buf, size_t len)
{
    (void)ctx;
    if (!in_ram(addr, len))
        return false;
    memcpy(buf, t.ram + (addr - RAM_BASE), len);
    return true;
}

static bool write_mem(void *ctx, uint64_t addr, const uint8_t *buf, size_t len)
{
    (void)ctx;
    if (!in_ram(addr, len))
        return false;
    memcpy(t.ram + (addr - RAM_BASE), buf, len);
    return true;
}

static int insert_bp(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind)
{
    (void)ctx;
    if (t.nbp == MAX_BPS)
        return -1;
    t.bp[t.nbp].type = type;
    t.bp[t.nbp].addr = addr;
    t.bp[t.nbp].kind = kind;
    t.nbp++;
    fprintf(stderr, "fake: insert type %d at 0x%llx kind %u\n", type, (unsigned long long)addr, kind);
    return 0;
}

static int remove_bp(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind)
{
    (void)ctx;
    for (int i = 0; i < t.nbp; i++)
        if (t.bp[i].type == (int)type && t.bp[i].addr == addr && t.bp[i].kind == kind) {
            t.bp[i] = t.bp[--t.nbp];
            fprintf(stderr, "fake: remove type %d at 0x%llx\n", type, (unsigned long long)addr);
            return 0;
        }
    return -1;
}

static void monitor_cmd(void *ctx, const char *cmd, char *out, size_t outlen)
{
    (void)ctx;
    if (!strcmp(cmd, "help"))
        snprintf(out, outlen, "fake target commands: help, harts, bps\n");
    else if (!strcmp(cmd, "harts"))
        snprintf(out, outlen, "hart 0: pc 0x%llx\nhart 1: pc 0x%llx\n",
                 (unsigned long long)t.x[0][32], (unsigned long long)t.x[1][32]);
    else if (!strcmp(cmd, "bps"))
        snprintf(out, outlen, "%d breakpoints/watchpoints\n", t.nbp);
    else
        snprintf(out, outlen, "unknown command '%s'\n", cmd);
}

static unsigned csr_count(void *ctx) { (void)ctx; return NCSRS; }
static unsigned csr_number(void *ctx, unsigned i) { (void)ctx; return csrs[i].num; }
static const char *csr_name(void *ctx, unsigned i) { (void)ctx; return csrs[i].name; }

static const struct gdb_target_ops ops = {
    .thread_count = thread_count, .thread_id = thread_id, .thread_alive = thread_alive,
    .read_reg = read_reg, .write_reg = write_reg, .read_mem = read_mem, .write_mem = write_mem,
    .insert_bp = insert_bp, .remove_bp = remove_bp, .monitor_cmd = monitor_cmd,
    .csr_count = csr_count, .csr_number = csr_number, .csr_name = csr_name,
};

static void tx(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    if (t.verbose)
        fprintf(stderr, "-> %.*s\n", (int)len, buf);
    while (len) {
        ssize_t n = write(t.fd, buf, len);
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

static void reset_target(void)
{
    memset(&t.x, 0, sizeof(t.x));
    for (int h = 0; h < NHARTS; h++) {
        for (unsigned r = 1; r < 32; r++)
            t.x[h][r] = 0x1000 * (uint64_t)(h + 1) + r;
        t.x[h][32] = RAM_BASE + 0x100 * (uint64_t)h;
        for (unsigned i = 0; i < NCSRS; i++)
            t.csr[h][csrs[i].num] = 0;
        t.csr[h][0x300] = 0xa00000000ull;            /* mstatus: SXL = UXL = 2 */
        t.csr[h][0x301] = 0x800000000014112dull;     /* misa: rv64imafdchsu */
        t.csr[h][0x305] = RAM_BASE + 0x400;          /* mtvec */
        t.csr[h][0xf14] = (uint64_t)h;               /* mhartid */
        t.priv[h] = 3;
    }
    for (unsigned i = 0; i < RAM_SIZE; i += 4) {     /* nop */
        t.ram[i] = 0x13;
        t.ram[i + 1] = t.ram[i + 2] = t.ram[i + 3] = 0;
    }
    t.nbp = 0;
}

static int bp_at(uint64_t pc)
{
    for (int i = 0; i < t.nbp; i++)
        if ((t.bp[i].type == GDB_BP_SOFT || t.bp[i].type == GDB_BP_HARD) && t.bp[i].addr == pc)
            return i;
    return -1;
}

static void advance(int hart)
{
    uint64_t *pc = &t.x[hart][32];
    *pc += 4;
    if (!in_ram(*pc, 4))
        *pc = RAM_BASE;
}

/* Run every hart (or one) until a breakpoint or a Ctrl-C. Returns false if GDB is gone. */
static bool run(int only_tid)
{
    gdb_server_console(&srv, "fake target: running\n", 21);
    for (unsigned long n = 1;; n++) {
        for (int h = 0; h < NHARTS; h++) {
            if (only_tid > 0 && only_tid != h + 1)
                continue;
            advance(h);
            int b = bp_at(t.x[h][32]);
            if (b >= 0) {
                gdb_server_stop(&srv, h + 1, 5, t.bp[b].type == GDB_BP_HARD ? "hwbreak:" : "swbreak:");
                return true;
            }
        }
        if (n % 4096 == 0) {
            struct pollfd p = {t.fd, POLLIN, 0};
            if (poll(&p, 1, 1) > 0) {           /* 1 ms: a slow target, an idle CPU */
                uint8_t c;
                if (read(t.fd, &c, 1) != 1)
                    return false;
                gdb_server_input(&srv, c);
                if (gdb_server_take_interrupt(&srv)) {
                    gdb_server_stop(&srv, srv.stopped_tid, 2, "");
                    return true;
                }
            }
        }
    }
}

/* Serve one GDB connection. Returns false on 'k'. */
static bool serve(void)
{
    uint8_t buf[4096];
    gdb_server_init(&srv, &ops, NULL, tx);
    for (;;) {
        ssize_t n = read(t.fd, buf, sizeof(buf));
        if (n <= 0)
            return true;
        if (t.verbose)
            fprintf(stderr, "<- %.*s\n", (int)n, (const char *)buf);
        for (ssize_t i = 0; i < n; i++) {
            switch (gdb_server_input(&srv, buf[i])) {
            case GDB_NONE:
                break;
            case GDB_KILL:
                return false;
            case GDB_DETACH:
                return true;
            case GDB_STEP:
                advance(srv.resume_tid - 1);
                gdb_server_stop(&srv, srv.resume_tid, 5, "");
                break;
            case GDB_CONTINUE:
                if (!run(srv.resume_tid))
                    return true;
                break;
            }
        }
    }
}

int main(int argc, char **argv)
{
    int port = 1234, one = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            t.verbose = true;
        else
            port = atoi(argv[i]);
    }
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1)) {
        perror("gdb-fake-server: bind/listen");
        return 1;
    }
    fprintf(stderr, "gdb-fake-server: listening on 127.0.0.1:%d\n", port);
    reset_target();
    for (;;) {
        t.fd = accept(ls, NULL, NULL);
        if (t.fd < 0)
            continue;
        setsockopt(t.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        fprintf(stderr, "gdb-fake-server: connected\n");
        bool again = serve();
        close(t.fd);
        fprintf(stderr, "gdb-fake-server: %s (%u bad packets)\n", again ? "disconnected" : "killed",
                srv.bad_packets);
        if (!again)
            return 0;
    }
}
