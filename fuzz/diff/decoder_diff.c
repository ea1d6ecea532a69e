/* Decoder differential: our insn_decode against binutils' libopcodes (riscv64, H on).
 *   decoder-diff --exhaustive    the whole SYSTEM major opcode (all 2^25 words with opcode
 *       0x73) through our decoder, each checked against the field-level reference below;
 *       libopcodes on every funct3=0 and funct3=4 word (2 x 2^22: the fixed encodings,
 *       fences and HLV/HSV, where acceptance is decided) and on a sample of the CSR forms
 *       (all 4096 CSR numbers x rd/rs1 corner values); the load/store/FP/AMO spaces (all
 *       2^25 words of each 32-bit opcode the MMIO path decodes: structure sampled, every
 *       funct3/funct5/rs2 combination) and all 65536 16-bit words.
 *   decoder-diff --random N SEED  N random 32-bit words + all 16-bit words.
 *   decoder-diff FILE...          the words of fuzz inputs (decoder harness format).
 * Classes outside what our decoder covers (SYSTEM, loads/stores incl. compressed and FP,
 * AMO, HLV/HSV) must be OP_INVALID for us whatever libopcodes says. */
#define _GNU_SOURCE
#include <bfd.h>
#include <dis-asm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <miralis/decode.h>

static disassembler_ftype disasm;
static struct disassemble_info info;
static char text[256];
static size_t text_len;
static uint8_t buf[4];
static unsigned long mismatches, compared;

/* libopcodes prints through two callbacks (plain and styled): both append to text. */
static int put_v(const char *fmt, va_list ap)
{
    int n = vsnprintf(text + text_len, sizeof(text) - text_len, fmt, ap);
    if (n > 0)
        text_len += (size_t)n < sizeof(text) - text_len ? (size_t)n : 0;
    return n;
}

static int put(void *stream, const char *fmt, ...)
{
    (void)stream;
    va_list ap;
    va_start(ap, fmt);
    int n = put_v(fmt, ap);
    va_end(ap);
    return n;
}

static int put_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
{
    (void)stream; (void)style;
    va_list ap;
    va_start(ap, fmt);
    int n = put_v(fmt, ap);
    va_end(ap);
    return n;
}

static void init(void)
{
    bfd_init();
    bfd *abfd = bfd_openr(MARCH_OBJ, NULL);
    if (!abfd || !bfd_check_format(abfd, bfd_object)) {
        fprintf(stderr, "decoder-diff: cannot open %s\n", MARCH_OBJ);
        exit(2);
    }
    init_disassemble_info(&info, NULL, put, put_styled);
    info.arch = bfd_arch_riscv;
    info.mach = bfd_mach_riscv64;
    info.disassembler_options = "no-aliases";
    info.read_memory_func = buffer_read_memory;
    info.buffer = buf;
    info.buffer_length = 4;
    info.buffer_vma = 0;
    disassemble_init_for_target(&info);
    disasm = disassembler(bfd_arch_riscv, false, bfd_mach_riscv64, abfd);
}

/* libopcodes' view of raw: mnemonic and operand fields. */
struct ref { char mn[32]; char ops[4][48]; int nops; };

static void theirs(uint32_t raw, struct ref *r)
{
    memcpy(buf, &raw, 4);
    text_len = 0;
    text[0] = 0;
    disasm(0, &info);
    memset(r, 0, sizeof(*r));
    char *hash = strchr(text, '#'); /* the address comment libopcodes adds (lui/auipc tracking) */
    if (hash) {
        while (hash > text && (hash[-1] == ' ' || hash[-1] == '\t'))
            hash--;
        *hash = 0;
    }
    if (!strcmp(text, "unimp")) /* UNIMP is defined as csrrw zero,cycle,zero */
        snprintf(text, sizeof(text), "csrrw\tzero,cycle,zero");
    const char *p = text;
    size_t k = strcspn(p, " \t");
    snprintf(r->mn, sizeof(r->mn), "%.*s", (int)k, p);
    p += k;
    p += strspn(p, " \t");
    while (*p && r->nops < 4) {
        k = strcspn(p, ",");
        snprintf(r->ops[r->nops++], 48, "%.*s", (int)k, p);
        p += k;
        if (*p == ',')
            p++;
    }
}

static const char *const xregs[32] = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
    "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8",
    "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
static const char *const fregs[32] = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4",
    "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

/* CSR names as libopcodes prints them, from libopcodes itself: csrrw zero,N,zero. */
static char csr_names[4096][24];
static void init_csr_names(void)
{
    for (unsigned n = 0; n < 4096; n++) {
        struct ref r;
        theirs((n << 20) | (2 << 12) | (10 << 7) | 0x73, &r); /* csrrs a0,N,zero */
        snprintf(csr_names[n], sizeof(csr_names[n]), "%s", r.ops[1]);
    }
}

/* Our decoding in libopcodes' syntax (no aliases). */
static void ours_text(const struct insn *d, uint32_t raw, struct ref *r)
{
    memset(r, 0, sizeof(*r));
    static const char *const ld[2][4] = {{"lb", "lh", "lw", "ld"}, {"lbu", "lhu", "lwu", "?"}};
    static const char *const st[4] = {"sb", "sh", "sw", "sd"};
    unsigned lw = d->width == 1 ? 0 : d->width == 2 ? 1 : d->width == 4 ? 2 : 3;
    int c = d->len == 2;
    char off[48];
    snprintf(off, sizeof(off), "%lld(%s)", (long long)d->imm, xregs[d->rs1]);
#define SET(i, ...) snprintf(r->ops[i], 48, __VA_ARGS__)
    switch (d->op) {
    case OP_CSRRW: case OP_CSRRS: case OP_CSRRC:
        snprintf(r->mn, 32, "%s", insn_op_name(d->op));
        SET(0, "%s", xregs[d->rd]); SET(1, "%s", csr_names[d->csr]); SET(2, "%s", xregs[d->rs1]);
        r->nops = 3; break;
    case OP_CSRRWI: case OP_CSRRSI: case OP_CSRRCI:
        snprintf(r->mn, 32, "%s", insn_op_name(d->op));
        SET(0, "%s", xregs[d->rd]); SET(1, "%s", csr_names[d->csr]); SET(2, "%lld", (long long)d->imm);
        r->nops = 3; break;
    case OP_ECALL: case OP_EBREAK: case OP_MRET: case OP_SRET: case OP_WFI:
        snprintf(r->mn, 32, "%s", insn_op_name(d->op)); break;
    case OP_SFENCE_VMA: case OP_HFENCE_VVMA: case OP_HFENCE_GVMA:
        snprintf(r->mn, 32, "%s", insn_op_name(d->op));
        SET(0, "%s", xregs[d->rs1]); SET(1, "%s", xregs[d->rs2]); r->nops = 2; break;
    case OP_LOAD:
        snprintf(r->mn, 32, "%s%s%s", c ? "c." : "", ld[d->is_unsigned][lw], c && d->rs1 == 2 ? "sp" : "");
        SET(0, "%s", xregs[d->rd]); SET(1, "%s", off); r->nops = 2; break;
    case OP_STORE:
        snprintf(r->mn, 32, "%s%s%s", c ? "c." : "", st[lw], c && d->rs1 == 2 ? "sp" : "");
        SET(0, "%s", xregs[d->rs2]); SET(1, "%s", off); r->nops = 2; break;
    case OP_FLOAD: case OP_FSTORE:
        snprintf(r->mn, 32, "%sf%c%c%s", c ? "c." : "", d->op == OP_FLOAD ? 'l' : 's',
                 d->width == 4 ? 'w' : 'd', c && d->rs1 == 2 ? "sp" : "");
        SET(0, "%s", fregs[d->op == OP_FLOAD ? d->rd : d->rs2]); SET(1, "%s", off); r->nops = 2; break;
    case OP_AMO: {
        static const char *const names[32] = {[0] = "amoadd", [1] = "amoswap", [2] = "lr",
            [3] = "sc", [4] = "amoxor", [8] = "amoor", [12] = "amoand", [16] = "amomin",
            [20] = "amomax", [24] = "amominu", [28] = "amomaxu"};
        static const char *const ord[4] = {"", ".rl", ".aq", ".aqrl"};
        snprintf(r->mn, 32, "%s.%c%s", names[d->imm & 31] ? names[d->imm & 31] : "?",
                 d->width == 4 ? 'w' : 'd', ord[(raw >> 25) & 3]);
        SET(0, "%s", xregs[d->rd]);
        if (d->imm == 2) {
            SET(1, "(%s)", xregs[d->rs1]); r->nops = 2;
        } else {
            SET(1, "%s", xregs[d->rs2]); SET(2, "(%s)", xregs[d->rs1]); r->nops = 3;
        }
        break;
    }
    case OP_HLV: {
        unsigned rs2 = (raw >> 20) & 31;
        static const char wc[4] = {'b', 'h', 'w', 'd'};
        snprintf(r->mn, 32, "hlv%s.%c%s", rs2 == 3 ? "x" : "", wc[lw], d->is_unsigned ? "u" : "");
        SET(0, "%s", xregs[d->rd]); SET(1, "(%s)", xregs[d->rs1]); r->nops = 2; break;
    }
    case OP_HSV: {
        static const char wc[4] = {'b', 'h', 'w', 'd'};
        snprintf(r->mn, 32, "hsv.%c", wc[lw]);
        SET(0, "%s", xregs[d->rs2]); SET(1, "(%s)", xregs[d->rs1]); r->nops = 2; break;
    }
    default:
        break;
    }
#undef SET
}

/* Whether a libopcodes mnemonic is in a class our decoder covers. */
static int covered(const char *mn)
{
    static const char *const exact[] = {"csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci",
        "ecall", "ebreak", "mret", "sret", "wfi", "sfence.vma", "hfence.vvma", "hfence.gvma",
        "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", "sb", "sh", "sw", "sd", "flw", "fld", "fsw",
        "fsd", "c.lw", "c.ld", "c.sw", "c.sd", "c.fld", "c.fsd", "c.lwsp", "c.ldsp", "c.swsp",
        "c.sdsp", "c.fldsp", "c.fsdsp", 0};
    for (unsigned i = 0; exact[i]; i++)
        if (!strcmp(mn, exact[i]))
            return 1;
    static const char *const prefix[] = {"amo", "lr.", "sc.", "hlv", "hsv", 0};
    for (unsigned i = 0; prefix[i]; i++)
        if (!strncmp(mn, prefix[i], strlen(prefix[i])))
            return 1;
    return 0;
}

static void compare(uint32_t raw)
{
    struct insn d;
    struct ref t, o;
    int ok = insn_decode(raw, &d);
    theirs(raw, &t);
    compared++;
    int valid_t = t.mn[0] != '.' && covered(t.mn);
    if (!ok && !valid_t)
        return;
    if (ok)
        ours_text(&d, raw, &o);
    int same = ok && valid_t && !strcmp(o.mn, t.mn) && o.nops == t.nops;
    for (int i = 0; same && i < o.nops; i++)
        same = !strcmp(o.ops[i], t.ops[i]);
    if (same)
        return;
    if (mismatches++ < 40) {
        printf("MISMATCH 0x%08x: libopcodes \"%s\"", raw, text);
        if (ok) {
            printf(", ours \"%s", o.mn);
            for (int i = 0; i < o.nops; i++)
                printf("%s%s", i ? "," : " ", o.ops[i]);
            printf("\"\n");
        } else {
            printf(", ours OP_INVALID\n");
        }
    }
}

/* The field-level reference for SYSTEM words (independent of decode.c's structure). */
static unsigned long ref_errors;
static void check_system_fields(uint32_t w)
{
    struct insn d;
    int ok = insn_decode(w, &d);
    unsigned f3 = (w >> 12) & 7, rd = (w >> 7) & 31, rs1 = (w >> 15) & 31, csr = w >> 20;
    int want_ok;
    if (f3 != 0 && f3 != 4) {
        static const enum insn_op ops[8] = {0, OP_CSRRW, OP_CSRRS, OP_CSRRC, 0, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI};
        want_ok = 1;
        if (!ok || d.op != ops[f3] || d.rd != rd || d.rs1 != rs1 || d.csr != csr ||
            d.imm != rs1 || d.len != 4)
            goto bad;
        return;
    }
    if (f3 == 0) {
        unsigned f7 = w >> 25;
        want_ok = w == 0x73 || w == 0x00100073 || w == 0x30200073 || w == 0x10200073 ||
                  w == 0x10500073 || (rd == 0 && (f7 == 0x09 || f7 == 0x11 || f7 == 0x31));
    } else {
        unsigned f7 = w >> 25, rs2 = (w >> 20) & 31;
        int load = f7 == 0x30 || f7 == 0x32 || f7 == 0x34 || f7 == 0x36;
        int lrs2 = rs2 == 0 || (rs2 == 1 && f7 != 0x36) || (rs2 == 3 && (f7 == 0x32 || f7 == 0x34));
        int store = (f7 == 0x31 || f7 == 0x33 || f7 == 0x35 || f7 == 0x37) && rd == 0;
        want_ok = (load && lrs2) || store;
    }
    if (ok == want_ok)
        return;
bad:
    if (ref_errors++ < 20)
        printf("REFERENCE 0x%08x: decoder %s, reference %s\n", w, ok ? insn_op_name(d.op) : "invalid",
               want_ok ? "valid" : "invalid");
}

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }

static void exhaustive(void)
{
    /* 1. All 2^25 SYSTEM words through our decoder against the field reference. */
    for (uint32_t hi = 0; hi < (1u << 25); hi++)
        check_system_fields((hi << 7) | 0x73);
    printf("system: 33554432 words against the field reference, %lu errors\n", ref_errors);
    /* 2. libopcodes on every funct3=0 and funct3=4 SYSTEM word (acceptance decided there). */
    for (uint32_t f3 = 0; f3 <= 4; f3 += 4)
        for (uint32_t x = 0; x < (1u << 22); x++) {
            uint32_t rd = x & 31, rest = x >> 5; /* rs1, imm[11:0] */
            compare((rest << 15) | (f3 << 12) | (rd << 7) | 0x73);
        }
    /* 3. CSR forms: every CSR number x rd/rs1 corners, for the six funct3. */
    static const unsigned corner[] = {0, 1, 2, 15, 31};
    for (uint32_t f3 = 1; f3 < 8; f3++) {
        if (f3 == 4)
            continue;
        for (uint32_t csr = 0; csr < 4096; csr++)
            for (unsigned a = 0; a < 5; a++)
                for (unsigned b = 0; b < 5; b++)
                    compare((csr << 20) | (corner[a] << 15) | (f3 << 12) | (corner[b] << 7) | 0x73);
    }
    /* 4. The MMIO path's 32-bit spaces: every funct3 x funct7 x rs2 x a rotating sample
     *    of rd/rs1/imm, for LOAD, LOAD-FP, STORE, STORE-FP, AMO (and every other opcode:
     *    these must be OP_INVALID). */
    for (uint32_t opc = 3; opc < 128; opc += 4)
        for (uint32_t f3 = 0; f3 < 8; f3++)
            for (uint32_t f7 = 0; f7 < 128; f7++)
                for (uint32_t rs2 = 0; rs2 < 32; rs2++) {
                    uint32_t r = rnd();
                    compare((f7 << 25) | (rs2 << 20) | ((r & 31) << 15) | (f3 << 12) |
                            (((r >> 5) & 31) << 7) | opc);
                }
    /* 5. Every 16-bit word. */
    for (uint32_t h = 0; h < 0x10000; h++)
        if ((h & 3) != 3)
            compare(h);
}

int main(int argc, char **argv)
{
    init();
    init_csr_names();
    if (argc > 1 && !strcmp(argv[1], "--exhaustive")) {
        exhaustive();
    } else if (argc > 3 && !strcmp(argv[1], "--random")) {
        unsigned long n = strtoul(argv[2], 0, 0);
        rng ^= strtoull(argv[3], 0, 0) * 0x9e3779b97f4a7c15ULL;
        for (unsigned long i = 0; i < n; i++)
            compare(rnd());
        for (uint32_t h = 0; h < 0x10000; h++)
            if ((h & 3) != 3)
                compare(h);
    } else {
        for (int i = 1; i < argc; i++) {
            FILE *f = fopen(argv[i], "rb");
            if (!f) { perror(argv[i]); return 2; }
            uint8_t b[4];
            size_t n;
            while ((n = fread(b, 1, 2, f)) == 2) {
                uint32_t w = b[0] | b[1] << 8;
                if ((w & 3) == 3) {
                    if (fread(b + 2, 1, 2, f) != 2) break;
                    w |= (uint32_t)(b[2] | b[3] << 8) << 16;
                }
                compare(w);
            }
            fclose(f);
        }
    }
    printf("decoder-diff: %lu words compared with libopcodes, %lu mismatches, %lu reference errors\n",
           compared, mismatches, ref_errors);
    return mismatches || ref_errors ? 1 : 0;
}
