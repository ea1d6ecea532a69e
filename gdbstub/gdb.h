/* GDB Remote Serial Protocol stub: the protocol side (pure C, host-testable). The monitor
 * implements struct gdb_target_ops over its vcpus (gdb_target.c) and feeds the server the
 * bytes of its transport; the server answers through tx(). */
#ifndef MIRALIS_GDB_H
#define MIRALIS_GDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PACKET_MAX 4096          /* PacketSize advertised in qSupported (hex 0x1000) */
#define GDB_MONITOR_OUT_MAX 4096     /* longest answer of ops->monitor_cmd (with the NUL) */

/* Register numbers as GDB's RISC-V target uses them (gdb/riscv-tdep.h). */
#define GDB_REG_PC       32
#define GDB_REG_F0       33          /* f0..f31: 33..64 */
#define GDB_REG_CSR0     65          /* CSR n is 65 + n */
#define GDB_REG_PRIV     (65 + 4096) /* org.gnu.gdb.riscv.virtual "priv" */

/* Z/z packet types */
enum gdb_bp_type { GDB_BP_SOFT = 0, GDB_BP_HARD = 1, GDB_WP_WRITE = 2, GDB_WP_READ = 3,
                   GDB_WP_ACCESS = 4 };

/* What the monitor must do after the server handled input. */
enum gdb_action {
    GDB_NONE,        /* keep feeding bytes */
    GDB_CONTINUE,    /* resume all harts (thread for a single-hart vCont in resume_thread) */
    GDB_STEP,        /* single-step resume_thread, the others stay stopped */
    GDB_DETACH,      /* remove breakpoints, resume, stop serving */
    GDB_KILL,        /* end the machine */
};

struct gdb_target_ops {
    /* Threads are harts: GDB thread id = hart id + 1 (ids must be > 0). */
    unsigned (*thread_count)(void *ctx);
    int (*thread_id)(void *ctx, unsigned index);         /* index < thread_count */
    bool (*thread_alive)(void *ctx, int tid);
    /* Registers in GDB numbering; false: "not available" (E01 / x-filled). */
    bool (*read_reg)(void *ctx, int tid, unsigned regno, uint64_t *val);
    bool (*write_reg)(void *ctx, int tid, unsigned regno, uint64_t val);
    /* Guest physical memory; false if any byte is out of reach (monitor memory...). */
    bool (*read_mem)(void *ctx, uint64_t addr, uint8_t *buf, size_t len);
    bool (*write_mem)(void *ctx, uint64_t addr, const uint8_t *buf, size_t len);
    /* Breakpoints/watchpoints: 0 ok, -1 error (E01), 1 unsupported (empty reply). */
    int (*insert_bp)(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind);
    int (*remove_bp)(void *ctx, enum gdb_bp_type type, uint64_t addr, unsigned kind);
    /* qRcmd ("monitor ..."): write the answer text to out (NUL-terminated). */
    void (*monitor_cmd)(void *ctx, const char *cmd, char *out, size_t outlen);
    /* The CSR numbers to describe in the target XML, in order, and their names. */
    unsigned (*csr_count)(void *ctx);
    unsigned (*csr_number)(void *ctx, unsigned index);
    const char *(*csr_name)(void *ctx, unsigned index);
};

struct gdb_server {
    const struct gdb_target_ops *ops;
    void *ctx;
    void (*tx)(void *ctx, const char *buf, size_t len);  /* transport out */

    /* Protocol state (private to gdb_server.c / gdb_packet.c). */
    bool no_ack;
    int g_tid;                 /* thread for g/G/p/P/m (Hg), 0 = any */
    int c_tid;                 /* thread for c/s (Hc), -1 = all */
    int resume_tid;            /* with GDB_CONTINUE/GDB_STEP: the thread to run (-1: all) */
    int stopped_tid;           /* thread of the last stop reply */
    int rx_state;
    size_t rx_len;
    uint8_t rx_sum, rx_csum;
    char rx[GDB_PACKET_MAX + 1];
    char tx_buf[2 * GDB_PACKET_MAX + 8];
    unsigned bad_packets;      /* checksum errors, overflows (for tests / monitor stats) */
    /* More private state (gdb_packet.c / gdb_server.c). */
    bool rx_bad;               /* current packet over-long or bad checksum digit: dropped at its end */
    bool interrupt;            /* a Ctrl-C byte not yet taken */
    uint8_t tx_sum;            /* reply being built in tx_buf */
    bool tx_full;
    size_t tx_len;
    unsigned thread_cursor;    /* qfThreadInfo / qsThreadInfo */
    size_t xml_len;            /* target.xml, generated at a qXfer read of offset 0 */
    char stop_reply[96];       /* last stop reply, for '?' */
    char mon_out[GDB_MONITOR_OUT_MAX]; /* qRcmd answer */
};

void gdb_server_init(struct gdb_server *s, const struct gdb_target_ops *ops, void *ctx,
                     void (*tx)(void *ctx, const char *buf, size_t len));
/* Feed one byte from the transport. A complete, valid packet is acknowledged ('+', unless
 * QStartNoAckMode) and handled; a bad checksum is answered '-'. A 0x03 (Ctrl-C) outside a
 * packet is remembered for gdb_server_take_interrupt(). */
enum gdb_action gdb_server_input(struct gdb_server *s, uint8_t byte);
/* True once if a Ctrl-C (0x03) byte arrived while the target ran (polled by the monitor). */
bool gdb_server_take_interrupt(struct gdb_server *s);
/* Report a stop: "T<sig>thread:<tid>;<reason>" where reason is e.g. "swbreak:",
 * "hwbreak:", "watch:<addr>", "rwatch:<addr>", "awatch:<addr>" or "" (signal only). */
void gdb_server_stop(struct gdb_server *s, int tid, int signal, const char *reason);
/* Console output of the guests while GDB waits for a stop: 'O' packets (hex). */
void gdb_server_console(struct gdb_server *s, const char *text, size_t len);
/* The target was killed / exited: "W<code>". */
void gdb_server_exited(struct gdb_server *s, int code);

#endif
