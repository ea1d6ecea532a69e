/* The target description GDB reads with qXfer:features:read:target.xml: rv64, the GPRs and
 * pc (org.gnu.gdb.riscv.cpu, the registers of the 'g' packet), the CSRs the target reports
 * (org.gnu.gdb.riscv.csr, regnum 65 + number) and the privilege level
 * (org.gnu.gdb.riscv.virtual, regnum 4161). Freestanding. */
#include "gdb_xml.h"

static char xml_buf[GDB_XML_MAX];

struct xml_out {
    char *buf;
    size_t cap, len;     /* len < cap always (room for the NUL) */
    bool full;
};

static void xml_puts(struct xml_out *o, const char *str)
{
    for (; *str; str++) {
        if (o->len + 1 >= o->cap) {
            o->full = true;
            return;
        }
        o->buf[o->len++] = *str;
    }
}

static void xml_putname(struct xml_out *o, const char *name)
{
    char c[2] = {0, 0};
    for (; *name; name++) {
        switch (*name) {
        case '<': xml_puts(o, "&lt;"); break;
        case '>': xml_puts(o, "&gt;"); break;
        case '&': xml_puts(o, "&amp;"); break;
        case '"': xml_puts(o, "&quot;"); break;
        default: c[0] = *name; xml_puts(o, c); break;
        }
    }
}

static void xml_putdec(struct xml_out *o, unsigned v)
{
    char tmp[12];
    int i = (int)sizeof(tmp) - 1;
    tmp[i] = 0;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    xml_puts(o, &tmp[i]);
}

static void xml_reg(struct xml_out *o, const char *name, const char *type, unsigned regnum,
                    const char *group)
{
    xml_puts(o, "<reg name=\"");
    xml_putname(o, name);
    xml_puts(o, "\" bitsize=\"64\"");
    if (type) {
        xml_puts(o, " type=\"");
        xml_puts(o, type);
        xml_puts(o, "\"");
    }
    xml_puts(o, " regnum=\"");
    xml_putdec(o, regnum);
    xml_puts(o, "\"");
    if (group) {
        xml_puts(o, " group=\"");
        xml_puts(o, group);
        xml_puts(o, "\"");
    }
    xml_puts(o, "/>\n");
}

/* GDB's features/riscv/64bit-cpu.xml */
static const char *const xml_gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *xml_gpr_type(unsigned i)
{
    if (i == 1)
        return "code_ptr";
    if (i == 2 || i == 3 || i == 4 || i == 8)
        return "data_ptr";
    return "int";
}

static const char xml_tail[] =
    "<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
    "<reg name=\"priv\" bitsize=\"64\" regnum=\"4161\"/>\n"
    "</feature>\n"
    "</target>\n";

/* GDB's features/riscv/64bit-fpu.xml names: needed as soon as the ELF uses a hard-float
 * ABI (lp64d), or GDB refuses the target ("bfd requires flen 8"). */
static const char *const xml_fpr_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
    "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

size_t gdb_xml_build(const struct gdb_target_ops *ops, void *ctx, char *buf, size_t cap)
{
    struct xml_out o = {buf, cap, 0, false};
    unsigned n = ops && ops->csr_count && ops->csr_number && ops->csr_name ? ops->csr_count(ctx) : 0;

    if (cap == 0)
        return 0;
    xml_puts(&o, "<?xml version=\"1.0\"?>\n"
                 "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                 "<target version=\"1.0\">\n"
                 "<architecture>riscv:rv64</architecture>\n"
                 "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (unsigned i = 0; i < 32; i++)
        xml_reg(&o, xml_gpr_names[i], xml_gpr_type(i), i, 0);
    xml_reg(&o, "pc", "code_ptr", GDB_REG_PC, 0);
    xml_puts(&o, "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
    for (unsigned i = 0; i < 32; i++)
        xml_reg(&o, xml_fpr_names[i], "ieee_double", GDB_REG_F0 + i, "float");
    xml_reg(&o, "fflags", "int", GDB_REG_CSR0 + 1, "float");
    xml_reg(&o, "frm", "int", GDB_REG_CSR0 + 2, "float");
    xml_reg(&o, "fcsr", "int", GDB_REG_CSR0 + 3, "float");
    xml_puts(&o, "</feature>\n");
    if (n) {
        const char *close = "</feature>\n";
        size_t reserve = sizeof(xml_tail) - 1 + 11; /* tail + "</feature>\n" */
        xml_puts(&o, "<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        for (unsigned i = 0; i < n; i++) {
            const char *name = ops->csr_name(ctx, i);
            unsigned num = ops->csr_number(ctx, i);
            size_t before = o.len;
            if (!name || !*name || num > 0xfff)
                continue;
            xml_reg(&o, name, 0, GDB_REG_CSR0 + num, "csr");
            if (o.full || o.len + reserve + 1 > o.cap) {  /* does not fit: leave it out */
                o.len = before;
                o.full = false;
                break;
            }
        }
        xml_puts(&o, close);
    }
    xml_puts(&o, xml_tail);
    if (o.full)          /* cap too small for even the fixed part */
        o.len = 0;
    buf[o.len] = 0;
    return o.len;
}

size_t gdb_xml_generate(const struct gdb_target_ops *ops, void *ctx)
{
    return gdb_xml_build(ops, ctx, xml_buf, sizeof(xml_buf));
}

const char *gdb_xml_text(void)
{
    return xml_buf;
}
