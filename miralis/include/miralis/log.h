/* The monitor's own console output and its one way to stop on an impossible state. */
#ifndef MIRALIS_LOG_H
#define MIRALIS_LOG_H

#include <stdarg.h>
#include <stdint.h>

struct machine;
struct vcpu;

#define LOG_ERROR 0
#define LOG_WARN  1
#define LOG_INFO  2
#define LOG_DEBUG 3
#ifndef CONFIG_LOG_LEVEL
#define CONFIG_LOG_LEVEL LOG_INFO
#endif

void log_init(void (*putc)(char));
/* Run fn(arg) with the console output going into buf (NUL-terminated, cut to len). */
void log_capture(char *buf, unsigned long len, void (*fn)(void *), void *arg);
void log_capture_text(char *buf, unsigned long len, const char *text);
/* Raw bytes to the console (no newline translation). */
void log_write(const char *buf, unsigned n);
/* printf subset: %s %c %d %u %x %lx %llx %p %%, with width, 0 padding, and '-' for %s. */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vprintf(const char *fmt, va_list ap);

#define log_at(level, ...) do { if ((level) <= CONFIG_LOG_LEVEL) log_printf(__VA_ARGS__); } while (0)
#define log_error(...) log_at(LOG_ERROR, "miralis: error: " __VA_ARGS__)
#define log_warn(...)  log_at(LOG_WARN,  "miralis: warning: " __VA_ARGS__)
#define log_info(...)  log_at(LOG_INFO,  "miralis: " __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, "miralis: " __VA_ARGS__)

/* A monitor-internal impossible state: print hart, pc, cause and a message; stop the machine
 * with a failure status. Never returns. */
__attribute__((noreturn, format(printf, 2, 3)))
void monitor_panic(const struct vcpu *v, const char *fmt, ...);

#endif
