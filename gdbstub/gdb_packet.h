/* GDB RSP codec, private to gdbstub/: the receive state machine and the reply encoder. */
#ifndef MIRALIS_GDB_PACKET_H
#define MIRALIS_GDB_PACKET_H

#include "gdb.h"

enum gdb_rx_event {
    GDB_RX_NONE,        /* byte consumed, nothing complete */
    GDB_RX_PACKET,      /* a packet with a good checksum: s->rx[0..rx_len) (NUL after it) */
    GDB_RX_BAD,         /* bad checksum or over-long packet: dropped (answer '-') */
    GDB_RX_INTERRUPT,   /* 0x03 outside a packet */
};

void gdb_rx_reset(struct gdb_server *s);
enum gdb_rx_event gdb_rx_byte(struct gdb_server *s, uint8_t byte);

/* Replies are built in s->tx_buf as "$payload#cc" and sent by gdb_tx_end. Appending never
 * overflows: past the capacity it sets tx_full and drops bytes (callers size their data
 * with gdb_tx_room first). */
void gdb_tx_begin(struct gdb_server *s);
size_t gdb_tx_room(const struct gdb_server *s);     /* payload bytes still free */
void gdb_tx_char(struct gdb_server *s, char c);      /* as is (text, hex) */
void gdb_tx_str(struct gdb_server *s, const char *str);
void gdb_tx_bin(struct gdb_server *s, const uint8_t *p, size_t n);  /* '}' escaped */
size_t gdb_bin_escaped_len(uint8_t c);               /* 1 or 2 */
void gdb_tx_hex(struct gdb_server *s, const uint8_t *p, size_t n);  /* 2 digits a byte */
void gdb_tx_u64_le(struct gdb_server *s, uint64_t v);              /* 16 digits, LE bytes */
void gdb_tx_num(struct gdb_server *s, uint64_t v);                 /* shortest hex */
void gdb_tx_end(struct gdb_server *s);
/* A whole packet / raw bytes (acks). */
void gdb_send_packet(struct gdb_server *s, const char *payload);
void gdb_send_raw(struct gdb_server *s, const char *buf, size_t len);

int gdb_hex_digit(uint8_t c);                        /* 0..15, -1 if not hex */
/* Decode 2n hex digits into n bytes (dst may be src: in place). False on a bad digit. */
bool gdb_hex_decode(uint8_t *dst, const char *src, size_t n);
/* Undo the '}' escapes in place; returns the new length, or (size_t)-1 for a dangling '}'. */
size_t gdb_bin_unescape(uint8_t *buf, size_t len);

#endif
