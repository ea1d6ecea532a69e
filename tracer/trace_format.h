/* The trace record format, shared by the monitor (which encodes), the host unit tests and
 * the host tool tracer/miralis-trace (which decodes). Versioned: a change of layout bumps
 * TRACE_FORMAT_VERSION. See tracer/README.md for the wire format. */
#ifndef MIRALIS_TRACE_FORMAT_H
#define MIRALIS_TRACE_FORMAT_H

#include <stdint.h>

#define TRACE_MAGIC          "MTRACE"
#define TRACE_FORMAT_VERSION 1

/* Event kinds. A filter is a mask of (1 << kind). */
enum trace_kind {
    TRACE_TRAP = 0,    /* a trap reached the monitor: a = cause, b = tval (the instruction,
                          when one was emulated, is in the csr/emul record that follows) */
    TRACE_CSR = 1,     /* a virtual CSR access: arg16 = csr | TRACE_CSR_WRITE, a = old, b = new */
    TRACE_EMUL = 2,    /* an instruction emulated: arg16 = enum insn_op, arg32 = insn */
    TRACE_DEVICE = 3,  /* a virtual device access: arg16 = width | TRACE_DEV_STORE,
                          arg32 = device index, a = address, b = value */
    TRACE_IRQ = 4,     /* an interrupt injected into the firmware: a = mcause, b = mip */
    TRACE_WORLD = 5,   /* a world switch: arg16 = TRACE_TO_OS / TRACE_TO_FIRMWARE,
                          arg32 = new privilege | V << 2, a = mcause that caused it (to fw) */
    TRACE_SBI = 6,     /* an SBI call from the OS: arg16 = TRACE_SBI_CALL / TRACE_SBI_RETURN,
                          arg32 = TRACE_SBI_FORWARDED / TRACE_SBI_HANDLED,
                          call: a = extension (a7), b = function (a6);
                          return: a = error (a0), b = value (a1) */
    TRACE_KIND_COUNT
};

#define TRACE_CSR_WRITE   0x8000
#define TRACE_DEV_STORE   0x0100
#define TRACE_TO_OS       0
#define TRACE_TO_FIRMWARE 1
#define TRACE_SBI_CALL    0
#define TRACE_SBI_RETURN  1
#define TRACE_SBI_FORWARDED 0
#define TRACE_SBI_HANDLED   1

/* World of the event, in flags. */
#define TRACE_WORLD_FIRMWARE 0
#define TRACE_WORLD_OS       1

/* One record: 48 bytes, little-endian, no implicit padding. */
struct trace_record {
    uint8_t kind;      /* enum trace_kind */
    uint8_t hart;
    uint8_t world;     /* TRACE_WORLD_* at the time of the event */
    uint8_t reserved;
    uint16_t arg16;
    uint16_t reserved2;
    uint32_t arg32;
    uint32_t reserved3;
    uint64_t time;     /* the time CSR (mtime, timebase in the header line) */
    uint64_t pc;       /* the guest pc the event belongs to */
    uint64_t a;
    uint64_t b;
};

#define TRACE_RECORD_SIZE 48
_Static_assert(sizeof(struct trace_record) == TRACE_RECORD_SIZE, "trace record layout");

#endif
