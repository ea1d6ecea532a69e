/* The hardware side of the seam declared in miralis/arch.h, for RISC-V in M-mode. */
#include <miralis/arch.h>
#include <stddef.h>

bool arch_csr_probe(unsigned num);

#define csr_read(csr) ({ uint64_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"r"((uint64_t)(val)))
#define csr_swap(csr, val) ({ uint64_t v_; __asm__ volatile("csrrw %0, " #csr ", %1" \
                              : "=r"(v_) : "r"((uint64_t)(val))); v_; })

_Static_assert(offsetof(struct vcpu, pc) == VCPU_PC, "entry.S layout");
_Static_assert(offsetof(struct vcpu, trap_cause) == VCPU_CAUSE, "entry.S layout");
_Static_assert(offsetof(struct vcpu, trap_tval) == VCPU_TVAL, "entry.S layout");
_Static_assert(offsetof(struct vcpu, recover_pc) == VCPU_RECOVER, "entry.S layout");
_Static_assert(offsetof(struct vcpu, fault_cause) == VCPU_FAULT_CAUSE, "entry.S layout");
_Static_assert(offsetof(struct vcpu, fault_tval) == VCPU_FAULT_TVAL, "entry.S layout");
_Static_assert(offsetof(struct vcpu, monitor_sp) == VCPU_MONITOR_SP, "entry.S layout");

static inline struct vcpu *current_vcpu(void)
{
    struct vcpu *v;
    __asm__("mv %0, tp" : "=r"(v));
    return v;
}

bool arch_csr_exists(unsigned num)
{
    /* QEMU's mideleg changes on its first access (it then reads the H bits as 1): leave
     * that first access to the firmware. mideleg exists exactly when S-mode does. */
    if (num == CSR_MIDELEG)
        return csr_read(misa) & (1u << ('S' - 'A'));
    return arch_csr_probe(num);
}

/* Put the guest's current value in the hardware, write the new one, read what it kept,
 * then put the monitor's value back: the CPU's own WARL rules, including those that keep
 * the old value (an mtvec mode 2 write, an unsupported satp mode). Four instructions in one
 * asm block: no memory access and no trap in between, so even a temporary mstatus.MPRV or
 * a foreign mtvec cannot affect the monitor. */
#define LEGALIZE(csr, val) ({ uint64_t o_, n_; __asm__ volatile( \
    "csrrw %0, " #csr ", %2\n csrw " #csr ", %3\n csrr %1, " #csr "\n csrw " #csr ", %0" \
    : "=&r"(o_), "=&r"(n_) : "r"((uint64_t)(old)), "r"((uint64_t)(val))); n_; })

uint64_t arch_csr_legalize(unsigned num, uint64_t old, uint64_t val)
{
    switch (num) {
    case CSR_MSTATUS: {
        /* MIE must stay 0 in the monitor; it is a plain bit, writable as given. */
        old &= ~MSTATUS_MIE;
        uint64_t n = LEGALIZE(mstatus, val & ~MSTATUS_MIE);
        return (n & ~MSTATUS_MIE) | (val & MSTATUS_MIE);
    }
    case CSR_MEDELEG: return LEGALIZE(medeleg, val);
    case CSR_MIE: return LEGALIZE(mie, val);
    case CSR_MTVEC: return LEGALIZE(mtvec, val);
    case CSR_MCOUNTEREN: return LEGALIZE(mcounteren, val);
    case CSR_MSCRATCH: return LEGALIZE(mscratch, val);
    case CSR_MEPC: return LEGALIZE(mepc, val);
    case CSR_MCAUSE: return LEGALIZE(mcause, val);
    case CSR_MTVAL: return LEGALIZE(mtval, val);
    case CSR_MTINST: return LEGALIZE(0x34a, val);
    case CSR_MTVAL2: return LEGALIZE(0x34b, val);
    case CSR_SCOUNTEREN: return LEGALIZE(scounteren, val);
    case CSR_SATP: return LEGALIZE(satp, val);
    case 0x747: /* mseccfg: its bits are sticky and bind M-mode; never try them. */
        return val & 0x307;
    default: return val;
    }
}

/* Guarded memory access: a fault lands on label 1 and is reported in *fault. */
#define GUARDED_LOAD(insn, addr, out) __asm__ volatile( \
    "la t0, 1f\n sd t0, %2(tp)\n " insn " %0, 0(%1)\n sd zero, %2(tp)\n li t0, 0\n j 2f\n" \
    "1: li t0, 1\n2: mv %1, t0" : "=&r"(out), "+r"(addr) : "i"(VCPU_RECOVER) : "t0", "memory")
#define GUARDED_STORE(insn, addr, val) __asm__ volatile( \
    "la t0, 1f\n sd t0, %2(tp)\n " insn " %1, 0(%0)\n sd zero, %2(tp)\n li t0, 0\n j 2f\n" \
    "1: li t0, 1\n2: mv %0, t0" : "+r"(addr) : "r"(val), "i"(VCPU_RECOVER) : "t0", "memory")

static bool report(uint64_t failed, struct trap_info *fault)
{
    if (!failed)
        return true;
    struct vcpu *v = current_vcpu();
    *fault = (struct trap_info){.cause = v->fault_cause, .tval = v->fault_tval};
    return false;
}

bool arch_load(uint64_t addr, unsigned width, uint64_t *val, struct trap_info *fault)
{
    uint64_t a = addr, out = 0;
    switch (width) {
    case 1: GUARDED_LOAD("lbu", a, out); break;
    case 2: GUARDED_LOAD("lhu", a, out); break;
    case 4: GUARDED_LOAD("lwu", a, out); break;
    default: GUARDED_LOAD("ld", a, out); break;
    }
    *val = out;
    return report(a, fault);
}

bool arch_store(uint64_t addr, unsigned width, uint64_t val, struct trap_info *fault)
{
    uint64_t a = addr;
    switch (width) {
    case 1: GUARDED_STORE("sb", a, val); break;
    case 2: GUARDED_STORE("sh", a, val); break;
    case 4: GUARDED_STORE("sw", a, val); break;
    default: GUARDED_STORE("sd", a, val); break;
    }
    return report(a, fault);
}

/* HLV/HSV with fixed registers (address in t1, data in t2), under a guard. The funct7 and
 * rs2 fields select the form (decode.c). */
#define HYP_LOAD(f7, rs2) __asm__ volatile( \
    "la t0, 1f\n sd t0, %2(tp)\n mv t1, %1\n .insn r 0x73, 4, " #f7 ", t2, t1, x" #rs2 "\n" \
    " sd zero, %2(tp)\n mv %0, t2\n li %1, 0\n j 2f\n1: li %1, 1\n2:" \
    : "=&r"(out), "+r"(a) : "i"(VCPU_RECOVER) : "t0", "t1", "t2", "memory")
#define HYP_STORE(f7) __asm__ volatile( \
    "la t0, 1f\n sd t0, %2(tp)\n mv t1, %0\n mv t2, %1\n .insn r 0x73, 4, " #f7 ", x0, t1, t2\n" \
    " sd zero, %2(tp)\n li %0, 0\n j 2f\n1: li %0, 1\n2:" \
    : "+r"(a) : "r"(in), "i"(VCPU_RECOVER) : "t0", "t1", "t2", "memory")

bool arch_hyp_access(uint32_t raw, uint64_t addr, uint64_t *val, struct trap_info *fault)
{
    uint64_t a = addr, out = 0, in = *val;
    unsigned f7 = raw >> 25, rs2 = (raw >> 20) & 31;
    switch ((f7 << 5) | rs2) {
    case (0x30 << 5) | 0: HYP_LOAD(0x30, 0); break;  /* hlv.b */
    case (0x30 << 5) | 1: HYP_LOAD(0x30, 1); break;  /* hlv.bu */
    case (0x32 << 5) | 0: HYP_LOAD(0x32, 0); break;  /* hlv.h */
    case (0x32 << 5) | 1: HYP_LOAD(0x32, 1); break;  /* hlv.hu */
    case (0x32 << 5) | 3: HYP_LOAD(0x32, 3); break;  /* hlvx.hu */
    case (0x34 << 5) | 0: HYP_LOAD(0x34, 0); break;  /* hlv.w */
    case (0x34 << 5) | 1: HYP_LOAD(0x34, 1); break;  /* hlv.wu */
    case (0x34 << 5) | 3: HYP_LOAD(0x34, 3); break;  /* hlvx.wu */
    case (0x36 << 5) | 0: HYP_LOAD(0x36, 0); break;  /* hlv.d */
    default:
        switch (f7) {
        case 0x31: HYP_STORE(0x31); break;           /* hsv.b */
        case 0x33: HYP_STORE(0x33); break;           /* hsv.h */
        case 0x35: HYP_STORE(0x35); break;           /* hsv.w */
        default:   HYP_STORE(0x37); break;           /* hsv.d */
        }
    }
    *val = out;
    if (!a)
        return true;
    struct vcpu *v = current_vcpu();
    *fault = (struct trap_info){.cause = v->fault_cause, .tval = v->fault_tval,
                                .gva = (csr_read(mstatus) & MSTATUS_GVA) != 0};
    arch_read_trap_extra(fault);
    return false;
}

bool arch_fetch(uint64_t pc, uint32_t *raw, struct trap_info *fault)
{
    uint64_t a = pc, out;
    if (!(pc & 3)) {
        /* The hot case, one guarded read: an aligned word never crosses a page. */
        GUARDED_LOAD("lwu", a, out);
        if (!a) {
            *raw = (uint32_t)out;
            return true;
        }
    }
    uint64_t lo, hi;
    if (!arch_load(pc, 2, &lo, fault))
        return false;
    if (!arch_load(pc + 2, 2, &hi, fault))
        hi = 0; /* a 16-bit instruction at the very end of a region */
    *raw = (uint32_t)lo | ((uint32_t)hi << 16);
    return true;
}

/* One access with mstatus = ms (MPRV set): mstatus is swapped in and out around the single
 * load or store, and restored on the fault path too, before the monitor touches memory.
 * The fault path swaps, so that ms then holds mstatus as the fault left it (its GVA). */
#define MPRV_LOAD(insn, addr, ms, out) __asm__ volatile( \
    "la t0, 1f\n sd t0, %3(tp)\n csrrw %2, mstatus, %2\n " insn " %0, 0(%1)\n" \
    " csrw mstatus, %2\n sd zero, %3(tp)\n li %1, 0\n j 2f\n" \
    "1: csrrw %2, mstatus, %2\n li %1, 1\n2:" \
    : "=&r"(out), "+r"(addr), "+r"(ms) : "i"(VCPU_RECOVER) : "t0", "memory")
#define MPRV_STORE(insn, addr, ms, val) __asm__ volatile( \
    "la t0, 1f\n sd t0, %3(tp)\n csrrw %1, mstatus, %1\n " insn " %2, 0(%0)\n" \
    " csrw mstatus, %1\n sd zero, %3(tp)\n li %0, 0\n j 2f\n" \
    "1: csrrw %1, mstatus, %1\n li %0, 1\n2:" \
    : "+r"(addr), "+r"(ms) : "r"(val), "i"(VCPU_RECOVER) : "t0", "memory")
/* The same for one AMO, LR or SC: rd is %0 (out), rs1 %1 (addr), rs2 %3 (val). */
#define MPRV_AMO(insn, addr, ms, val, out) __asm__ volatile( \
    "la t0, 1f\n sd t0, %4(tp)\n csrrw %2, mstatus, %2\n " insn "\n" \
    " csrw mstatus, %2\n sd zero, %4(tp)\n li %1, 0\n j 2f\n" \
    "1: csrrw %2, mstatus, %2\n li %1, 1\n2:" \
    : "=&r"(out), "+r"(addr), "+r"(ms) : "r"(val), "i"(VCPU_RECOVER) : "t0", "memory")

/* A fault of a replay: with MPV=1 (H extension) the hardware also says whether tval is a
 * guest virtual address (GVA, priv spec 8.6.4) and gives mtval2 (the guest physical
 * address). mtinst stays 0, always allowed (8.6.3): a transformed instruction would be the
 * monitor's, naming its registers, not the firmware's. */
static bool report_mprv(uint64_t failed, uint64_t mstatus, uint64_t ms_at_fault,
                        struct trap_info *fault)
{
    if (report(failed, fault))
        return true;
    if (mstatus & MSTATUS_MPV) {
        fault->gva = (ms_at_fault & MSTATUS_GVA) != 0;
        arch_read_trap_extra(fault);
        fault->tinst = 0;
    }
    return false;
}

bool arch_mprv_access(uint64_t mstatus, uint64_t addr, unsigned width, bool store,
                      uint64_t *val, struct trap_info *fault)
{
    uint64_t a = addr, ms = mstatus, out = 0;
    if (store) {
        switch (width) {
        case 1: MPRV_STORE("sb", a, ms, *val); break;
        case 2: MPRV_STORE("sh", a, ms, *val); break;
        case 4: MPRV_STORE("sw", a, ms, *val); break;
        default: MPRV_STORE("sd", a, ms, *val); break;
        }
    } else {
        switch (width) {
        case 1: MPRV_LOAD("lbu", a, ms, out); break;
        case 2: MPRV_LOAD("lhu", a, ms, out); break;
        case 4: MPRV_LOAD("lwu", a, ms, out); break;
        default: MPRV_LOAD("ld", a, ms, out); break;
        }
        *val = out;
    }
    return report_mprv(a, mstatus, ms, fault);
}

/* The very instruction, so that the hardware performs it atomically, keeps the reservation
 * of an LR (which an SC then tests) and reports a fault with this instruction's cause (QEMU
 * 7.2 gives an AMO the load causes when the read is refused). .aqrl: the strongest
 * ordering serves whatever aq/rl the firmware asked for (unprivileged spec 8.1). */
#define AMO_CASE(f5, name) \
    case (f5) << 1: MPRV_AMO(name ".w.aqrl %0, %3, (%1)", a, ms, in, out); break; \
    case ((f5) << 1) | 1: MPRV_AMO(name ".d.aqrl %0, %3, (%1)", a, ms, in, out); break;

bool arch_mprv_amo(uint64_t mstatus, unsigned op, unsigned width, uint64_t addr,
                   uint64_t *val, struct trap_info *fault)
{
    uint64_t a = addr, ms = mstatus, in = *val, out = 0;
    switch ((op << 1) | (width == 8)) {
    AMO_CASE(0x00, "amoadd")
    AMO_CASE(0x01, "amoswap")
    case 0x02 << 1: MPRV_AMO("lr.w.aqrl %0, (%1)", a, ms, in, out); break;
    case (0x02 << 1) | 1: MPRV_AMO("lr.d.aqrl %0, (%1)", a, ms, in, out); break;
    AMO_CASE(0x03, "sc")
    AMO_CASE(0x04, "amoxor")
    AMO_CASE(0x08, "amoor")
    AMO_CASE(0x0c, "amoand")
    AMO_CASE(0x10, "amomin")
    AMO_CASE(0x14, "amomax")
    AMO_CASE(0x18, "amominu")
    AMO_CASE(0x1c, "amomaxu")
    default: /* not an A-extension operation: insn_decode never gives one */
        *fault = (struct trap_info){.cause = CAUSE_ILLEGAL_INSN};
        return false;
    }
    *val = out;
    return report_mprv(a, mstatus, ms, fault);
}

/* FP registers: the monitor itself is built without F/D, so these few instructions are
 * assembled with D enabled locally. The firmware's FP unit is on (mstatus.FS != 0): its FP
 * access could not have faulted on memory otherwise. */
#define FP_ON ".option push\n.option arch, +d\n"
#define FP_OFF "\n.option pop"

uint64_t arch_fp_read(unsigned reg)
{
    uint64_t v = 0;
    switch (reg & 31) {
    case 0: __asm__ volatile(FP_ON "fmv.x.d %0, f0" FP_OFF : "=r"(v)); break;
    case 1: __asm__ volatile(FP_ON "fmv.x.d %0, f1" FP_OFF : "=r"(v)); break;
    case 2: __asm__ volatile(FP_ON "fmv.x.d %0, f2" FP_OFF : "=r"(v)); break;
    case 3: __asm__ volatile(FP_ON "fmv.x.d %0, f3" FP_OFF : "=r"(v)); break;
    case 4: __asm__ volatile(FP_ON "fmv.x.d %0, f4" FP_OFF : "=r"(v)); break;
    case 5: __asm__ volatile(FP_ON "fmv.x.d %0, f5" FP_OFF : "=r"(v)); break;
    case 6: __asm__ volatile(FP_ON "fmv.x.d %0, f6" FP_OFF : "=r"(v)); break;
    case 7: __asm__ volatile(FP_ON "fmv.x.d %0, f7" FP_OFF : "=r"(v)); break;
    case 8: __asm__ volatile(FP_ON "fmv.x.d %0, f8" FP_OFF : "=r"(v)); break;
    case 9: __asm__ volatile(FP_ON "fmv.x.d %0, f9" FP_OFF : "=r"(v)); break;
    case 10: __asm__ volatile(FP_ON "fmv.x.d %0, f10" FP_OFF : "=r"(v)); break;
    case 11: __asm__ volatile(FP_ON "fmv.x.d %0, f11" FP_OFF : "=r"(v)); break;
    case 12: __asm__ volatile(FP_ON "fmv.x.d %0, f12" FP_OFF : "=r"(v)); break;
    case 13: __asm__ volatile(FP_ON "fmv.x.d %0, f13" FP_OFF : "=r"(v)); break;
    case 14: __asm__ volatile(FP_ON "fmv.x.d %0, f14" FP_OFF : "=r"(v)); break;
    case 15: __asm__ volatile(FP_ON "fmv.x.d %0, f15" FP_OFF : "=r"(v)); break;
    case 16: __asm__ volatile(FP_ON "fmv.x.d %0, f16" FP_OFF : "=r"(v)); break;
    case 17: __asm__ volatile(FP_ON "fmv.x.d %0, f17" FP_OFF : "=r"(v)); break;
    case 18: __asm__ volatile(FP_ON "fmv.x.d %0, f18" FP_OFF : "=r"(v)); break;
    case 19: __asm__ volatile(FP_ON "fmv.x.d %0, f19" FP_OFF : "=r"(v)); break;
    case 20: __asm__ volatile(FP_ON "fmv.x.d %0, f20" FP_OFF : "=r"(v)); break;
    case 21: __asm__ volatile(FP_ON "fmv.x.d %0, f21" FP_OFF : "=r"(v)); break;
    case 22: __asm__ volatile(FP_ON "fmv.x.d %0, f22" FP_OFF : "=r"(v)); break;
    case 23: __asm__ volatile(FP_ON "fmv.x.d %0, f23" FP_OFF : "=r"(v)); break;
    case 24: __asm__ volatile(FP_ON "fmv.x.d %0, f24" FP_OFF : "=r"(v)); break;
    case 25: __asm__ volatile(FP_ON "fmv.x.d %0, f25" FP_OFF : "=r"(v)); break;
    case 26: __asm__ volatile(FP_ON "fmv.x.d %0, f26" FP_OFF : "=r"(v)); break;
    case 27: __asm__ volatile(FP_ON "fmv.x.d %0, f27" FP_OFF : "=r"(v)); break;
    case 28: __asm__ volatile(FP_ON "fmv.x.d %0, f28" FP_OFF : "=r"(v)); break;
    case 29: __asm__ volatile(FP_ON "fmv.x.d %0, f29" FP_OFF : "=r"(v)); break;
    case 30: __asm__ volatile(FP_ON "fmv.x.d %0, f30" FP_OFF : "=r"(v)); break;
    case 31: __asm__ volatile(FP_ON "fmv.x.d %0, f31" FP_OFF : "=r"(v)); break;
    }
    return v;
}

void arch_fp_write(unsigned reg, uint64_t val)
{
    switch (reg & 31) {
    case 0: __asm__ volatile(FP_ON "fmv.d.x f0, %0" FP_OFF :: "r"(val)); break;
    case 1: __asm__ volatile(FP_ON "fmv.d.x f1, %0" FP_OFF :: "r"(val)); break;
    case 2: __asm__ volatile(FP_ON "fmv.d.x f2, %0" FP_OFF :: "r"(val)); break;
    case 3: __asm__ volatile(FP_ON "fmv.d.x f3, %0" FP_OFF :: "r"(val)); break;
    case 4: __asm__ volatile(FP_ON "fmv.d.x f4, %0" FP_OFF :: "r"(val)); break;
    case 5: __asm__ volatile(FP_ON "fmv.d.x f5, %0" FP_OFF :: "r"(val)); break;
    case 6: __asm__ volatile(FP_ON "fmv.d.x f6, %0" FP_OFF :: "r"(val)); break;
    case 7: __asm__ volatile(FP_ON "fmv.d.x f7, %0" FP_OFF :: "r"(val)); break;
    case 8: __asm__ volatile(FP_ON "fmv.d.x f8, %0" FP_OFF :: "r"(val)); break;
    case 9: __asm__ volatile(FP_ON "fmv.d.x f9, %0" FP_OFF :: "r"(val)); break;
    case 10: __asm__ volatile(FP_ON "fmv.d.x f10, %0" FP_OFF :: "r"(val)); break;
    case 11: __asm__ volatile(FP_ON "fmv.d.x f11, %0" FP_OFF :: "r"(val)); break;
    case 12: __asm__ volatile(FP_ON "fmv.d.x f12, %0" FP_OFF :: "r"(val)); break;
    case 13: __asm__ volatile(FP_ON "fmv.d.x f13, %0" FP_OFF :: "r"(val)); break;
    case 14: __asm__ volatile(FP_ON "fmv.d.x f14, %0" FP_OFF :: "r"(val)); break;
    case 15: __asm__ volatile(FP_ON "fmv.d.x f15, %0" FP_OFF :: "r"(val)); break;
    case 16: __asm__ volatile(FP_ON "fmv.d.x f16, %0" FP_OFF :: "r"(val)); break;
    case 17: __asm__ volatile(FP_ON "fmv.d.x f17, %0" FP_OFF :: "r"(val)); break;
    case 18: __asm__ volatile(FP_ON "fmv.d.x f18, %0" FP_OFF :: "r"(val)); break;
    case 19: __asm__ volatile(FP_ON "fmv.d.x f19, %0" FP_OFF :: "r"(val)); break;
    case 20: __asm__ volatile(FP_ON "fmv.d.x f20, %0" FP_OFF :: "r"(val)); break;
    case 21: __asm__ volatile(FP_ON "fmv.d.x f21, %0" FP_OFF :: "r"(val)); break;
    case 22: __asm__ volatile(FP_ON "fmv.d.x f22, %0" FP_OFF :: "r"(val)); break;
    case 23: __asm__ volatile(FP_ON "fmv.d.x f23, %0" FP_OFF :: "r"(val)); break;
    case 24: __asm__ volatile(FP_ON "fmv.d.x f24, %0" FP_OFF :: "r"(val)); break;
    case 25: __asm__ volatile(FP_ON "fmv.d.x f25, %0" FP_OFF :: "r"(val)); break;
    case 26: __asm__ volatile(FP_ON "fmv.d.x f26, %0" FP_OFF :: "r"(val)); break;
    case 27: __asm__ volatile(FP_ON "fmv.d.x f27, %0" FP_OFF :: "r"(val)); break;
    case 28: __asm__ volatile(FP_ON "fmv.d.x f28, %0" FP_OFF :: "r"(val)); break;
    case 29: __asm__ volatile(FP_ON "fmv.d.x f29, %0" FP_OFF :: "r"(val)); break;
    case 30: __asm__ volatile(FP_ON "fmv.d.x f30, %0" FP_OFF :: "r"(val)); break;
    case 31: __asm__ volatile(FP_ON "fmv.d.x f31, %0" FP_OFF :: "r"(val)); break;
    }
}

bool arch_fp_csr(unsigned csr, uint64_t *val, bool write)
{
    if (!(csr_read(mstatus) & MSTATUS_FS))
        return false;
    switch (csr) {
    case 1:
        if (write) __asm__ volatile(FP_ON "csrw fflags, %0" FP_OFF :: "r"(*val));
        else __asm__ volatile(FP_ON "csrr %0, fflags" FP_OFF : "=r"(*val));
        return true;
    case 2:
        if (write) __asm__ volatile(FP_ON "csrw frm, %0" FP_OFF :: "r"(*val));
        else __asm__ volatile(FP_ON "csrr %0, frm" FP_OFF : "=r"(*val));
        return true;
    case 3:
        if (write) __asm__ volatile(FP_ON "csrw fcsr, %0" FP_OFF :: "r"(*val));
        else __asm__ volatile(FP_ON "csrr %0, fcsr" FP_OFF : "=r"(*val));
        return true;
    default:
        return false;
    }
}

/* PMP: pmpcfgN and pmpaddrN by index (rv64: even pmpcfg registers, 8 entries each). */
unsigned arch_pmp_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_PMP; i++) {
        if (!arch_csr_probe(CSR_PMPADDR0 + i))
            break;
        arch_csr_write(CSR_PMPADDR0 + i, ~0ULL);
        if (!arch_csr_read(CSR_PMPADDR0 + i))
            break;
        arch_csr_write(CSR_PMPADDR0 + i, 0);
        n++;
    }
    return n;
}

uint64_t arch_pmp_set_addr(unsigned idx, uint64_t addr)
{
    arch_csr_write(CSR_PMPADDR0 + idx, addr);
    return arch_csr_read(CSR_PMPADDR0 + idx);
}

uint8_t arch_pmp_legalize_cfg(unsigned idx, uint8_t cfg)
{
    unsigned reg = CSR_PMPCFG0 + (idx / 8) * 2, shift = 8 * (idx % 8);
    uint64_t old = arch_csr_read(reg);
    arch_csr_write(reg, (old & ~(0xffULL << shift)) | ((uint64_t)cfg << shift));
    uint8_t kept = arch_csr_read(reg) >> shift;
    arch_csr_write(reg, old);
    return kept;
}

void arch_pmp_write_cfg_regs(const uint64_t *regs, unsigned count)
{
    /* The common case (16 entries) without the lookup by CSR number. */
    if (count >= 1)
        csr_write(pmpcfg0, regs[0]);
    if (count >= 2)
        csr_write(pmpcfg2, regs[1]);
    for (unsigned r = 2; r < count; r++)
        arch_csr_write(CSR_PMPCFG0 + 2 * r, regs[r]);
}

uint64_t arch_read_mip(void) { return csr_read(mip); }
uint64_t arch_read_mstatus(void) { return csr_read(mstatus); }
/* The time CSR, or where the CPU has none (QEMU's sifive_u: its CLINT does not provide
 * rdtime, the CSR traps even in M-mode) the CLINT's mtime register. */
static const volatile uint64_t *mtime_mmio;
void arch_time_init(uint64_t mtime_addr)
{
    if (!arch_csr_probe(CSR_TIME) && mtime_addr)
        mtime_mmio = (const volatile uint64_t *)mtime_addr;
}
uint64_t arch_read_time(void) { return mtime_mmio ? *mtime_mmio : csr_read(time); }
void arch_write_mstatus(uint64_t val) { csr_write(mstatus, val); }

void arch_read_trap_extra(struct trap_info *t)
{
    t->tval2 = csr_read(0x34b);
    t->tinst = csr_read(0x34a);
}
void arch_set_mie(uint64_t mie) { csr_write(mie, mie); }

void arch_wait_for_interrupt(uint64_t wake_mask)
{
    /* mstatus.MIE is 0 in the monitor: wfi resumes on (mip & mie) without trapping. */
    uint64_t old = csr_swap(mie, wake_mask);
    __asm__ volatile("wfi");
    csr_write(mie, old);
}

void arch_fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}

void arch_sfence_vma(uint64_t vaddr, uint64_t asid, bool use_vaddr, bool use_asid)
{
    if (use_vaddr && use_asid)
        __asm__ volatile("sfence.vma %0, %1" ::"r"(vaddr), "r"(asid) : "memory");
    else if (use_vaddr)
        __asm__ volatile("sfence.vma %0, zero" ::"r"(vaddr) : "memory");
    else if (use_asid)
        __asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
    else
        __asm__ volatile("sfence.vma" ::: "memory");
}

void arch_hfence_vvma(uint64_t vaddr, uint64_t asid)
{
    __asm__ volatile(".insn r 0x73, 0, 0x11, x0, %0, %1" ::"r"(vaddr), "r"(asid) : "memory");
}

void arch_hfence_gvma(uint64_t gaddr, uint64_t vmid)
{
    __asm__ volatile(".insn r 0x73, 0, 0x31, x0, %0, %1" ::"r"(gaddr), "r"(vmid) : "memory");
}

void arch_install_world(const struct world_image *w)
{
    csr_write(mstatus, w->mstatus);
    csr_write(mie, w->mie);
    csr_write(mcounteren, w->mcounteren);
    if (w->has_smode) {
        csr_write(medeleg, w->medeleg);
        csr_write(satp, w->satp);
        csr_write(scounteren, w->scounteren);
    }
}

void arch_save_os_state(struct world_image *w)
{
    w->mstatus = csr_read(mstatus);
    w->mie = csr_read(mie);
    if (w->has_smode) {
        w->satp = csr_read(satp);
        w->scounteren = csr_read(scounteren);
    }
}

uint64_t arch_mmio_read(uint64_t addr, unsigned width)
{
    switch (width) {
    case 1: return *(volatile uint8_t *)addr;
    case 2: return *(volatile uint16_t *)addr;
    case 4: return *(volatile uint32_t *)addr;
    default: return *(volatile uint64_t *)addr;
    }
}

void arch_mmio_write(uint64_t addr, unsigned width, uint64_t val)
{
    switch (width) {
    case 1: *(volatile uint8_t *)addr = val; break;
    case 2: *(volatile uint16_t *)addr = val; break;
    case 4: *(volatile uint32_t *)addr = val; break;
    default: *(volatile uint64_t *)addr = val; break;
    }
}
