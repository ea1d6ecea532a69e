/* GDB Remote Serial Protocol codec: "$payload#cc" framing, acks, escapes, hex. Freestanding. */
#include "gdb_packet.h"

enum { RX_IDLE, RX_DATA, RX_CSUM1, RX_CSUM2 };

static const char pk_hexchars[] = "0123456789abcdef";

int gdb_hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void gdb_rx_reset(struct gdb_server *s)
{
    s->rx_state = RX_IDLE;
    s->rx_len = 0;
    s->rx_sum = 0;
    s->rx_csum = 0;
    s->rx_bad = false;
    s->rx[0] = 0;
}

static void pk_rx_start(struct gdb_server *s)
{
    s->rx_state = RX_DATA;
    s->rx_len = 0;
    s->rx_sum = 0;
    s->rx_bad = false;
}

enum gdb_rx_event gdb_rx_byte(struct gdb_server *s, uint8_t c)
{
    int d;

    if (c == '$') {                 /* always starts a packet: a cut-off one is forgotten */
        pk_rx_start(s);
        return GDB_RX_NONE;
    }
    switch (s->rx_state) {
    case RX_DATA:
        if (c == '#') {
            s->rx_state = RX_CSUM1;
        } else {
            s->rx_sum = (uint8_t)(s->rx_sum + c);
            if (s->rx_len < GDB_PACKET_MAX)
                s->rx[s->rx_len++] = (char)c;
            else
                s->rx_bad = true;   /* over-long: keep counting until '#' */
        }
        return GDB_RX_NONE;
    case RX_CSUM1:
        d = gdb_hex_digit(c);
        if (d < 0)
            s->rx_bad = true;
        s->rx_csum = (uint8_t)((d < 0 ? 0 : d) << 4);
        s->rx_state = RX_CSUM2;
        return GDB_RX_NONE;
    case RX_CSUM2:
        d = gdb_hex_digit(c);
        s->rx_state = RX_IDLE;
        s->rx[s->rx_len] = 0;
        if (d < 0 || s->rx_bad || (uint8_t)(s->rx_csum | d) != s->rx_sum) {
            s->bad_packets++;
            s->rx_len = 0;
            s->rx[0] = 0;
            s->rx_bad = false;
            return GDB_RX_BAD;
        }
        return GDB_RX_PACKET;
    default:                        /* RX_IDLE: acks '+'/'-', Ctrl-C, garbage */
        return c == 0x03 ? GDB_RX_INTERRUPT : GDB_RX_NONE;
    }
}

/* ---- transmit ---- */

#define TX_CAP (sizeof(((struct gdb_server *)0)->tx_buf))

void gdb_tx_begin(struct gdb_server *s)
{
    s->tx_buf[0] = '$';
    s->tx_len = 1;
    s->tx_sum = 0;
    s->tx_full = false;
}

size_t gdb_tx_room(const struct gdb_server *s)
{
    /* keep 3 bytes for "#cc" */
    return s->tx_len + 3 <= TX_CAP ? TX_CAP - 3 - s->tx_len : 0;
}

void gdb_tx_char(struct gdb_server *s, char c)
{
    if (gdb_tx_room(s) == 0) {
        s->tx_full = true;
        return;
    }
    s->tx_buf[s->tx_len++] = c;
    s->tx_sum = (uint8_t)(s->tx_sum + (uint8_t)c);
}

void gdb_tx_str(struct gdb_server *s, const char *str)
{
    while (*str)
        gdb_tx_char(s, *str++);
}

size_t gdb_bin_escaped_len(uint8_t c)
{
    return (c == '$' || c == '#' || c == '}' || c == '*') ? 2 : 1;
}

void gdb_tx_bin(struct gdb_server *s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (gdb_bin_escaped_len(p[i]) == 2) {
            if (gdb_tx_room(s) < 2) {
                s->tx_full = true;
                return;
            }
            gdb_tx_char(s, '}');
            gdb_tx_char(s, (char)(p[i] ^ 0x20));
        } else {
            gdb_tx_char(s, (char)p[i]);
        }
    }
}

void gdb_tx_hex(struct gdb_server *s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        gdb_tx_char(s, pk_hexchars[p[i] >> 4]);
        gdb_tx_char(s, pk_hexchars[p[i] & 15]);
    }
}

void gdb_tx_u64_le(struct gdb_server *s, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        uint8_t b = (uint8_t)(v >> (8 * i));
        gdb_tx_hex(s, &b, 1);
    }
}

void gdb_tx_num(struct gdb_server *s, uint64_t v)
{
    int shift = 60;
    while (shift > 0 && ((v >> shift) & 15) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        gdb_tx_char(s, pk_hexchars[(v >> shift) & 15]);
}

void gdb_tx_end(struct gdb_server *s)
{
    s->tx_buf[s->tx_len++] = '#';
    s->tx_buf[s->tx_len++] = pk_hexchars[s->tx_sum >> 4];
    s->tx_buf[s->tx_len++] = pk_hexchars[s->tx_sum & 15];
    s->tx(s->ctx, s->tx_buf, s->tx_len);
}

void gdb_send_packet(struct gdb_server *s, const char *payload)
{
    gdb_tx_begin(s);
    gdb_tx_str(s, payload);
    gdb_tx_end(s);
}

void gdb_send_raw(struct gdb_server *s, const char *buf, size_t len)
{
    s->tx(s->ctx, buf, len);
}

bool gdb_hex_decode(uint8_t *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = gdb_hex_digit((uint8_t)src[2 * i]), lo = gdb_hex_digit((uint8_t)src[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        dst[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

size_t gdb_bin_unescape(uint8_t *buf, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '}') {
            if (++i == len)
                return (size_t)-1;
            buf[out++] = buf[i] ^ 0x20;
        } else {
            buf[out++] = buf[i];
        }
    }
    return out;
}
