/* A small printf for the monitor's console (no libc in the monitor). */
#include <miralis/log.h>
#include <stdbool.h>

static void (*log_putc)(char);

void log_init(void (*putc)(char))
{
    log_putc = putc;
}

static char *cap_buf;
static unsigned long cap_len, cap_pos;

static void cap_putc(char c)
{
    if (cap_pos + 1 < cap_len)
        cap_buf[cap_pos++] = c;
}

void log_capture(char *buf, unsigned long len, void (*fn)(void *), void *arg)
{
    void (*saved)(char) = log_putc;
    cap_buf = buf;
    cap_len = len;
    cap_pos = 0;
    log_putc = cap_putc;
    fn(arg);
    log_putc = saved;
    if (len)
        buf[cap_pos] = 0;
}

static void put_text(void *text) { log_printf("%s", (const char *)text); }

void log_capture_text(char *buf, unsigned long len, const char *text)
{
    log_capture(buf, len, put_text, (void *)text);
}

void log_write(const char *buf, unsigned n)
{
    if (log_putc)
        for (unsigned i = 0; i < n; i++)
            log_putc(buf[i]);
}

static void out(char c)
{
    if (log_putc) {
        if (c == '\n')
            log_putc('\r');
        log_putc(c);
    }
}

static void out_num(uint64_t n, unsigned base, int width, bool zero, bool neg)
{
    char buf[24];
    int i = 0;
    do {
        buf[i++] = "0123456789abcdef"[n % base];
        n /= base;
    } while (n);
    if (neg)
        buf[i++] = '-';
    while (i < width)
        out(zero ? '0' : ' '), width--;
    while (i)
        out(buf[--i]);
}

void log_vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out(*fmt);
            continue;
        }
        fmt++;
        bool left = *fmt == '-';
        if (left)
            fmt++;
        bool zero = *fmt == '0';
        int width = 0, longs = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            longs++, fmt++;
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = 0;
            for (s = s ? s : "(null)"; *s; s++, n++)
                out(*s);
            while (left && n++ < width)
                out(' ');
            break;
        }
        case 'c': out((char)va_arg(ap, int)); break;
        case 'd': {
            int64_t n = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            out_num(n < 0 ? -(uint64_t)n : (uint64_t)n, 10, width, zero, n < 0);
            break;
        }
        case 'u': out_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, zero, false); break;
        case 'x': out_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, zero, false); break;
        case 'p': out('0'), out('x'), out_num((uintptr_t)va_arg(ap, void *), 16, 0, false, false); break;
        case '%': out('%'); break;
        default: out('%'); out(*fmt); if (!*fmt) return; break;
        }
    }
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
}
