/* Device-tree editing: just enough to hide the monitor's memory in a /reserved-memory node.
 * Pure C over a byte buffer (unit-tested on the host with dtc-built blobs). */
#include <miralis/fdt.h>
#include <stdbool.h>
#include <stddef.h>

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

enum { H_MAGIC, H_TOTALSIZE, H_OFF_STRUCT, H_OFF_STRINGS, H_OFF_RSVMAP, H_VERSION,
       H_LAST_COMP, H_BOOT_CPU, H_SIZE_STRINGS, H_SIZE_STRUCT };

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = v >> 24; b[1] = v >> 16; b[2] = v >> 8; b[3] = v;
}

static uint32_t hdr(const void *fdt, int field) { return be32((const uint8_t *)fdt + 4 * field); }
static void set_hdr(void *fdt, int field, uint32_t v) { put32((uint8_t *)fdt + 4 * field, v); }

uint32_t fdt_total_size(const void *fdt) { return hdr(fdt, H_TOTALSIZE); }

const char *fdt_strerror(int err)
{
    switch (err) {
    case FDT_OK: return "ok";
    case FDT_ERR_BADMAGIC: return "not a flattened device tree";
    case FDT_ERR_BADLAYOUT: return "unexpected block layout";
    case FDT_ERR_NOSPACE: return "no room to grow the device tree";
    default: return "malformed structure block";
    }
}

static size_t str_len(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}
static void mem_move(uint8_t *dst, const uint8_t *src, size_t n)
{
    if (dst < src) for (size_t i = 0; i < n; i++) dst[i] = src[i];
    else for (size_t i = n; i-- > 0;) dst[i] = src[i];
}

/* Builder for the bytes to insert: a node's tokens, and the strings it needs. */
struct builder {
    uint8_t *fdt;
    uint8_t buf[256];
    uint32_t len;
    char strings[96];       /* names to append to the strings block */
    uint32_t strings_len;
    uint32_t strings_size;  /* size of the existing strings block */
    bool overflow;
};

static void emit(struct builder *b, const void *data, uint32_t n)
{
    if (b->len + n > sizeof(b->buf)) { b->overflow = true; return; }
    for (uint32_t i = 0; i < n; i++) b->buf[b->len++] = ((const uint8_t *)data)[i];
    while (b->len & 3) b->buf[b->len++] = 0;
}

static void emit32(struct builder *b, uint32_t v) { uint8_t t[4]; put32(t, v); emit(b, t, 4); }

static uint32_t string_offset(struct builder *b, const char *name)
{
    const char *tab = (const char *)b->fdt + hdr(b->fdt, H_OFF_STRINGS);
    for (uint32_t off = 0; off < b->strings_size; off += str_len(tab + off) + 1)
        if (str_eq(tab + off, name))
            return off;
    for (uint32_t off = 0; off < b->strings_len; off += str_len(b->strings + off) + 1)
        if (str_eq(b->strings + off, name))
            return b->strings_size + off;
    uint32_t n = str_len(name) + 1, off = b->strings_len;
    if (off + n > sizeof(b->strings)) { b->overflow = true; return 0; }
    for (uint32_t i = 0; i < n; i++) b->strings[off + i] = name[i];
    b->strings_len += n;
    return b->strings_size + off;
}

static void emit_prop(struct builder *b, const char *name, const uint32_t *cells, unsigned n)
{
    emit32(b, FDT_PROP);
    emit32(b, 4 * n);
    emit32(b, string_offset(b, name));
    for (unsigned i = 0; i < n; i++) emit32(b, cells[i]);
}

static void emit_node_name(struct builder *b, const char *name, uint64_t unit)
{
    char full[64];
    size_t n = 0;
    while (name[n] && n < 40) { full[n] = name[n]; n++; }
    full[n++] = '@';
    int shift = 60;
    while (shift > 0 && !((unit >> shift) & 0xf)) shift -= 4;
    for (; shift >= 0; shift -= 4) full[n++] = "0123456789abcdef"[(unit >> shift) & 0xf];
    full[n++] = 0;
    emit32(b, FDT_BEGIN_NODE);
    emit(b, full, n);
}

static void emit_cells(uint32_t *cells, unsigned *n, uint64_t v, uint32_t count)
{
    if (count == 2) cells[(*n)++] = v >> 32;
    cells[(*n)++] = (uint32_t)v;
}

/* Walk the structure block: find the root's end, and /reserved-memory with its cells. */
struct layout {
    uint32_t root_end;      /* offset of the root's FDT_END_NODE token */
    uint32_t resv_end;      /* same for /reserved-memory, 0 if absent */
    uint32_t root_acells, root_scells, resv_acells, resv_scells;
};

static int scan(const uint8_t *fdt, struct layout *l)
{
    uint32_t off = hdr(fdt, H_OFF_STRUCT), end = off + hdr(fdt, H_SIZE_STRUCT);
    const char *strings = (const char *)fdt + hdr(fdt, H_OFF_STRINGS);
    int depth = 0;
    bool in_resv = false;
    *l = (struct layout){.root_acells = 2, .root_scells = 1, .resv_acells = 2, .resv_scells = 1};
    while (off + 4 <= end) {
        uint32_t tok = be32(fdt + off);
        uint32_t at = off;
        off += 4;
        switch (tok) {
        case FDT_BEGIN_NODE: {
            const char *name = (const char *)fdt + off;
            uint32_t n = 0;
            while (off + n < end && name[n]) n++;
            if (off + n >= end) return FDT_ERR_BADSTRUCT;
            depth++;
            if (depth == 2 && str_eq(name, "reserved-memory")) in_resv = true;
            off = (off + n + 1 + 3) & ~3u;
            break;
        }
        case FDT_END_NODE:
            if (depth == 2 && in_resv) { l->resv_end = at; in_resv = false; }
            if (depth == 1) { l->root_end = at; return FDT_OK; }
            if (--depth < 0) return FDT_ERR_BADSTRUCT;
            break;
        case FDT_PROP: {
            if (off + 8 > end) return FDT_ERR_BADSTRUCT;
            uint32_t len = be32(fdt + off), name = be32(fdt + off + 4);
            const uint8_t *val = fdt + off + 8;
            if (name >= hdr(fdt, H_SIZE_STRINGS)) return FDT_ERR_BADSTRUCT;
            bool ac = str_eq(strings + name, "#address-cells");
            bool sc = str_eq(strings + name, "#size-cells");
            if (len == 4 && (ac || sc)) {
                uint32_t v = be32(val);
                if (depth == 1) *(ac ? &l->root_acells : &l->root_scells) = v;
                if (depth == 2 && in_resv) *(ac ? &l->resv_acells : &l->resv_scells) = v;
            }
            off = (off + 8 + len + 3) & ~3u;
            break;
        }
        case FDT_NOP:
            break;
        default:
            return FDT_ERR_BADSTRUCT;
        }
    }
    return FDT_ERR_BADSTRUCT;
}

static bool is_memory_node(const char *name)
{
    static const char m[] = "memory";
    for (unsigned i = 0; i < sizeof(m) - 1; i++)
        if (name[i] != m[i])
            return false;
    return name[6] == 0 || name[6] == '@';
}

static uint64_t get_cells(const uint8_t *p, uint32_t n)
{
    return n == 2 ? ((uint64_t)be32(p) << 32) | be32(p + 4) : be32(p);
}

static void set_cells(uint8_t *p, uint32_t n, uint64_t v)
{
    if (n == 2) { put32(p, v >> 32); p += 4; }
    put32(p, (uint32_t)v);
}

int fdt_trim_memory(void *blob, uint64_t limit, uint64_t max_cut)
{
    uint8_t *fdt = blob;
    struct layout l;
    if (hdr(fdt, H_MAGIC) != FDT_MAGIC || hdr(fdt, H_VERSION) < 17)
        return FDT_ERR_BADMAGIC;
    int err = scan(fdt, &l);
    if (err)
        return err;
    uint32_t ac = l.root_acells, sc = l.root_scells;
    if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
        return FDT_ERR_BADSTRUCT;
    /* Second walk: depth-1 memory nodes, their reg property rewritten in place. */
    uint32_t off = hdr(fdt, H_OFF_STRUCT), end = off + hdr(fdt, H_SIZE_STRUCT);
    const char *strings = (const char *)fdt + hdr(fdt, H_OFF_STRINGS);
    int depth = 0;
    bool in_mem = false;
    int trimmed = 0;
    while (off + 4 <= end) {
        uint32_t tok = be32(fdt + off);
        off += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)fdt + off;
            uint32_t n = str_len(name);
            depth++;
            in_mem = depth == 2 && is_memory_node(name);
            off = (off + n + 1 + 3) & ~3u;
        } else if (tok == FDT_END_NODE) {
            if (--depth <= 0)
                break;
            in_mem = false;
        } else if (tok == FDT_PROP) {
            uint32_t len = be32(fdt + off), name = be32(fdt + off + 4);
            uint8_t *val = fdt + off + 8;
            if (in_mem && str_eq(strings + name, "reg")) {
                for (uint32_t i = 0; i + 4 * (ac + sc) <= len; i += 4 * (ac + sc)) {
                    uint64_t base = get_cells(val + i, ac), size = get_cells(val + i + 4 * ac, sc);
                    if (base < limit && limit - base < size && size - (limit - base) <= max_cut) {
                        set_cells(val + i + 4 * ac, sc, limit - base);
                        trimmed++;
                    }
                }
            }
            off = (off + 8 + len + 3) & ~3u;
        } else if (tok != FDT_NOP) {
            return FDT_ERR_BADSTRUCT;
        }
    }
    return trimmed;
}

int fdt_count_cpus(const void *blob)
{
    const uint8_t *fdt = blob;
    if (hdr(fdt, H_MAGIC) != FDT_MAGIC || hdr(fdt, H_VERSION) < 17)
        return FDT_ERR_BADMAGIC;
    uint32_t off = hdr(fdt, H_OFF_STRUCT), end = off + hdr(fdt, H_SIZE_STRUCT);
    int depth = 0, cpus = 0;
    bool in_cpus = false;
    while (off + 4 <= end) {
        uint32_t tok = be32(fdt + off);
        off += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)fdt + off;
            uint32_t n = 0;
            while (off + n < end && name[n]) n++;
            if (off + n >= end) return FDT_ERR_BADSTRUCT;
            depth++;
            if (depth == 2)
                in_cpus = str_eq(name, "cpus");
            else if (depth == 3 && in_cpus && name[0] == 'c' && name[1] == 'p' &&
                     name[2] == 'u' && name[3] == '@')
                cpus++;
            off = (off + n + 1 + 3) & ~3u;
        } else if (tok == FDT_END_NODE) {
            if (--depth <= 0)
                return cpus;
            if (depth == 1)
                in_cpus = false;
        } else if (tok == FDT_PROP) {
            if (off + 8 > end) return FDT_ERR_BADSTRUCT;
            off = (off + 8 + be32(fdt + off) + 3) & ~3u;
        } else if (tok != FDT_NOP) {
            return FDT_ERR_BADSTRUCT;
        }
    }
    return FDT_ERR_BADSTRUCT;
}

int fdt_add_reserved_memory(void *blob, uint32_t capacity, const char *name, uint64_t base,
                            uint64_t size)
{
    uint8_t *fdt = blob;
    struct layout l;
    if (hdr(fdt, H_MAGIC) != FDT_MAGIC || hdr(fdt, H_VERSION) < 17)
        return FDT_ERR_BADMAGIC;
    uint32_t off_struct = hdr(fdt, H_OFF_STRUCT), off_strings = hdr(fdt, H_OFF_STRINGS);
    uint32_t size_struct = hdr(fdt, H_SIZE_STRUCT), size_strings = hdr(fdt, H_SIZE_STRINGS);
    if (off_struct + size_struct > off_strings || off_strings + size_strings > hdr(fdt, H_TOTALSIZE))
        return FDT_ERR_BADLAYOUT;
    int err = scan(fdt, &l);
    if (err)
        return err;

    struct builder b = {.fdt = fdt, .strings_size = size_strings};
    uint32_t cells[4], n = 0;
    uint32_t acells = l.resv_end ? l.resv_acells : l.root_acells;
    uint32_t scells = l.resv_end ? l.resv_scells : l.root_scells;
    if (acells < 1 || acells > 2 || scells < 1 || scells > 2)
        return FDT_ERR_BADSTRUCT;
    if (!l.resv_end) {
        /* A new /reserved-memory with the root's cell sizes and an identity mapping. */
        static const char node[] = "reserved-memory";
        emit32(&b, FDT_BEGIN_NODE);
        emit(&b, node, sizeof(node));
        emit_prop(&b, "#address-cells", &acells, 1);
        emit_prop(&b, "#size-cells", &scells, 1);
        emit_prop(&b, "ranges", 0, 0);
    }
    emit_node_name(&b, name, base);
    emit_cells(cells, &n, base, acells);
    emit_cells(cells, &n, size, scells);
    emit_prop(&b, "reg", cells, n);
    emit_prop(&b, "no-map", 0, 0);
    emit32(&b, FDT_END_NODE);
    if (!l.resv_end)
        emit32(&b, FDT_END_NODE);
    if (b.overflow)
        return FDT_ERR_NOSPACE;

    uint32_t at = l.resv_end ? l.resv_end : l.root_end;
    uint32_t used = off_strings + size_strings;
    uint32_t grow = b.len + b.strings_len;
    uint32_t total = hdr(fdt, H_TOTALSIZE);
    if (used + grow > total) {
        if (used + grow > capacity)
            return FDT_ERR_NOSPACE;
        total = (used + grow + 7) & ~7u;
        if (total > capacity)
            total = used + grow;
    }
    /* Shift the rest of the structure block and the strings, then fill the gap. */
    mem_move(fdt + at + b.len, fdt + at, used - at);
    for (uint32_t i = 0; i < b.len; i++) fdt[at + i] = b.buf[i];
    for (uint32_t i = 0; i < b.strings_len; i++) fdt[used + b.len + i] = (uint8_t)b.strings[i];
    set_hdr(fdt, H_SIZE_STRUCT, size_struct + b.len);
    set_hdr(fdt, H_OFF_STRINGS, off_strings + b.len);
    set_hdr(fdt, H_SIZE_STRINGS, size_strings + b.strings_len);
    set_hdr(fdt, H_TOTALSIZE, total);
    return FDT_OK;
}
