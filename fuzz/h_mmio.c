/* Harness: the MMIO path (a load/store/AMO that hit a no-access PMP entry) with accesses of
 * any address, size and value, checked against a reference model of what QEMU's M-mode
 * would have done natively: on a virtual device (CLINT: aligned 4/8-byte accesses reach
 * the registers, others fault; finisher: faults on the host), under virtual MPRV (replayed
 * on RAM), elsewhere (the hardware's access fault, unchanged).
 * Input: [0] flags (bit 0: virtual MPRV with MPP=S), then 16-byte records:
 *   u8 form (% 7: load, store, fp load, fp store, AMO/LR/SC, compressed, raw word),
 *   u8 funct (width/funct3 or AMO funct5), u8 regs (rd | rs2 << 5 packed mod 32),
 *   u8 addr kind (% 4: CLINT + off, finisher + off, RAM + off, any 64-bit), u32 raw/offset,
 *   u64 value (stored value / AMO operand; for kind 3 the address). */
#include "harness.h"
#include <miralis/csr.h>
#include <miralis/world.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLINT_SIZE 0x10000ULL

static uint64_t extend(uint64_t val, unsigned width, int is_unsigned)
{
    if (width >= 8)
        return val;
    unsigned sh = 64 - 8 * width;
    return is_unsigned ? (val << sh) >> sh : (uint64_t)((int64_t)(val << sh) >> sh);
}

/* The reference memory: what arch_host gives M-mode physically. */
static int ref_ok(uint64_t a, unsigned w)
{
    if (a >= HOST_RAM_BASE && a + w <= HOST_RAM_BASE + HOST_RAM_SIZE && a + w > a)
        return 1;
    return a >= FUZZ_CLINT_BASE && a + w <= FUZZ_CLINT_BASE + CLINT_SIZE && !(a & (w - 1)) &&
           (w == 4 || w == 8);
}
static uint8_t *ref_ptr(uint64_t a)
{
    return a >= HOST_RAM_BASE ? &host_hw.ram[a - HOST_RAM_BASE]
                              : (uint8_t *)host_hw.mmio + (a - FUZZ_CLINT_BASE);
}

static uint32_t build(uint8_t form, uint8_t funct, uint8_t regs, uint32_t raw, int32_t *imm)
{
    unsigned rd = regs & 31, rs2 = (regs >> 3) & 31, rs1 = 5 + (funct >> 3) % 27;
    int32_t i12 = (int32_t)(raw << 20) >> 20;
    *imm = i12;
    switch (form % 7) {
    case 0: { unsigned f3 = funct & 7; if (f3 == 7) f3 = 3;
        return ((uint32_t)i12 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x03; }
    case 1: return (((uint32_t)i12 >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | ((funct & 3) << 12) |
                   ((i12 & 31) << 7) | 0x23;
    case 2: return ((uint32_t)i12 << 20) | (rs1 << 15) | ((2 + (funct & 1)) << 12) | (rd << 7) | 0x07;
    case 3: return (((uint32_t)i12 >> 5) << 25) | (rs2 << 20) | (rs1 << 15) |
                   ((2 + (funct & 1)) << 12) | ((i12 & 31) << 7) | 0x27;
    case 4: { static const uint8_t f5[] = {0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28};
        unsigned op = f5[(raw >> 12) % 11];
        *imm = 0;
        if (op == 2) rs2 = 0;
        return (op << 27) | ((raw & 3) << 25) | (rs2 << 20) | (rs1 << 15) |
               ((2 + (funct & 1)) << 12) | (rd << 7) | 0x2f; }
    case 5: /* c.lw/c.ld/c.fld/c.sw/c.sd/c.fsd with a random offset; sp forms too */
        *imm = 0; /* the harness reads the offset back from the decoder */
        return raw & 0xffff;
    default:
        return raw;
    }
}

struct expect { int done; uint64_t rd_val, fp_val, mem_val; int has_rd, has_fp, has_mem; };

static void amo_ref(unsigned f5, unsigned w, uint64_t old, uint64_t src, uint64_t *res)
{
    int64_t a = (int64_t)extend(old, w, 0), b = (int64_t)extend(src, w, 0);
    uint64_t ua = extend(old, w, 1), ub = extend(src, w, 1), r;
    switch (f5) {
    case 0x00: r = ua + ub; break;
    case 0x01: r = ub; break;
    case 0x04: r = ua ^ ub; break;
    case 0x08: r = ua | ub; break;
    case 0x0c: r = ua & ub; break;
    case 0x10: r = a < b ? ua : ub; break;
    case 0x14: r = a > b ? ua : ub; break;
    case 0x18: r = ua < ub ? ua : ub; break;
    default: r = ua > ub ? ua : ub; break;
    }
    *res = w < 8 ? r & ((1ULL << (8 * w)) - 1) : r;
}

static uint64_t reservation;
 /* reference LR/SC reservation (address + 1) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vcpu *v = fuzz_vcpu();
    struct reader r = {data, size};
    uint8_t flags = rd_u8(&r);
    int mprv = flags & 1;
    reservation = 0;
    if (mprv) {
        uint64_t old;
        csr_rmw(v, CSR_MSTATUS, MSTATUS_MPRV | (1ULL << MSTATUS_MPP_SHIFT),
                MSTATUS_MPRV | MSTATUS_MPP, &old);
        world_refresh(v);
    }
    for (unsigned n = 0; n < 256 && rd_more(&r); n++) {
        uint8_t form = rd_u8(&r), funct = rd_u8(&r), regs = rd_u8(&r), kind = rd_u8(&r);
        uint32_t raw32 = rd_u32(&r);
        uint64_t val = rd_u64(&r);
        int32_t imm;
        uint32_t raw = build(form, funct, regs, raw32, &imm);
        struct insn in;
        if (!insn_decode(raw, &in))
            in.op = OP_INVALID;
        if (in.op != OP_INVALID)
            imm = (int32_t)(in.op == OP_AMO ? 0 : in.imm);
        uint64_t addr;
        switch (kind % 4) {
        case 0: addr = FUZZ_CLINT_BASE + (raw32 >> 16) % CLINT_SIZE; break;
        case 1: addr = FUZZ_FINISHER + (raw32 >> 16) % 0x1000; break;
        case 2: addr = HOST_RAM_BASE + 0x2000 + (raw32 >> 16) % 0xe000; break;
        default: addr = fuzz_addr(val); break;
        }
        if (in.op == OP_AMO)
            addr &= ~(uint64_t)(in.width - 1); /* misaligned AMOs trap before the PMP */
        /* Operands: the base register points at addr, the source holds val. */
        if (in.op != OP_INVALID && in.rs1 && in.op != OP_HLV && in.op != OP_HSV)
            v->x[in.rs1] = addr - (uint64_t)(int64_t)imm;
        else if (in.op != OP_INVALID && !in.rs1)
            addr = fuzz_addr((uint64_t)(int64_t)imm);
        int store = in.op == OP_STORE || in.op == OP_FSTORE || in.op == OP_AMO;
        if (in.op == OP_STORE || in.op == OP_AMO) {
            if (in.rs2)
                v->x[in.rs2] = val;
        } else if (in.op == OP_FSTORE) {
            host_hw.fp[in.rs2] = val;
        }
        uint64_t src = in.op == OP_FSTORE ? host_hw.fp[in.rs2] : vcpu_get_reg(v, in.rs2);
        int lr = in.op == OP_AMO && in.imm == 2, sc = in.op == OP_AMO && in.imm == 3;
        if (lr)
            store = 0;
        /* QEMU reports a faulting AMO on MMIO as a load access fault (5): measured natively
         * (firmwares/mmio_anywhere: amoswap.d on msip, amoadd.w in the CLINT gap). */
        uint64_t cause = store && in.op != OP_AMO ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS;
        const struct vdevice *dev = machine_find_device(&fuzz_machine, addr);
        int plain = in.op == OP_LOAD || in.op == OP_STORE || in.op == OP_FLOAD || in.op == OP_FSTORE;

        if (!fuzz_place_insn(v, raw, &in))
            fuzz_fail(v, "pc out of RAM");
        fuzz_dirty(addr, 8);
        /* The reference: what QEMU's M-mode does natively (the firmware has no PMP entry). */
        unsigned w = in.width;
        int ok = 0, fault = 1, known = 0;
        if (in.op == OP_INVALID || !(plain || in.op == OP_AMO)) {
            fault = 1;
        } else if (dev && !mprv) {
            if (sc && reservation != addr + 1)
                fault = 0;  /* SC without reservation fails before any access */
            else if (dev->base == FUZZ_FINISHER || !ref_ok(addr, w))
                fault = 1;
            else
                ok = 1, fault = 0;
        } else if (mprv && sc) {
            fault = 0;  /* the replayed SC is the hardware's, whose reservation the trap dropped */
        } else if (mprv) {
            /* Under MPRV every access is MPP's: replayed by the host model's MPRV access
             * (AMOs as the very instruction), devices included (the host model applies no
             * S-mode PMP). */
            ok = ref_ok(addr, w);
            fault = !ok;
        }
        uint64_t old_mem = 0, exp_mem = 0, exp_rd = 0;
        if (ok)
            memcpy(&old_mem, ref_ptr(addr), w);
        if (ok) {
            if (in.op == OP_AMO) {
                unsigned f5 = (unsigned)in.imm;
                if (lr) {
                    exp_rd = extend(old_mem, w, 0);
                    exp_mem = old_mem;
                } else if (sc) {
                    exp_mem = extend(src, w, 1);
                    exp_rd = 0;
                } else {
                    amo_ref(f5, w, old_mem, src, &exp_mem);
                    exp_rd = extend(old_mem, w, 0);
                }
            } else if (store) {
                exp_mem = extend(src, w, 1);
            } else {
                exp_mem = old_mem;
                exp_rd = in.op == OP_FLOAD && w == 4 ? (old_mem | ~0xffffffffULL)
                                                     : extend(old_mem, w, in.is_unsigned);
            }
        }
        struct step_ctx c;
        fuzz_step_begin(v, &c, 1, raw, &in);
        uint64_t pc = v->pc;
        v->trap_cause = cause;
        v->trap_tval = addr;
        miralis_handle_trap(v);
        fuzz_check_invariants(v, &c);

        if (!fault && !ok) { /* SC that fails: rd = 1, nothing written */
            if (v->pc != pc + in.len || vcpu_get_reg(v, in.rd) != (in.rd ? 1u : 0u))
                fuzz_fail(v, "0x%08x: SC without reservation did not fail cleanly", raw);
            reservation = 0;
        } else if (ok) {
            if (v->pc != pc + in.len)
                fuzz_fail(v, "0x%08x at 0x%llx: emulated access did not complete (mcause %llu)",
                          raw, (unsigned long long)addr, (unsigned long long)v->csr[CSR_ID_mcause]);
            uint64_t now = 0;
            memcpy(&now, ref_ptr(addr), w);
            if (now != (exp_mem & (w < 8 ? (1ULL << (8 * w)) - 1 : ~0ULL)))
                fuzz_fail(v, "0x%08x: memory 0x%llx holds 0x%llx, expected 0x%llx", raw,
                          (unsigned long long)addr, (unsigned long long)now,
                          (unsigned long long)exp_mem);
            if (!store || in.op == OP_AMO) {
                uint64_t got = in.op == OP_FLOAD ? host_hw.fp[in.rd] : vcpu_get_reg(v, in.rd);
                uint64_t want = in.op == OP_FLOAD ? exp_rd : (in.rd ? exp_rd : 0);
                if (got != want)
                    fuzz_fail(v, "0x%08x: rd = 0x%llx, expected 0x%llx", raw,
                              (unsigned long long)got, (unsigned long long)want);
            }
            if (lr)
                reservation = addr + 1;
            else if (sc)
                reservation = 0;
        } else if (known && v->pc != (v->csr[CSR_ID_mtvec] & ~3ULL)) {
            /* A known divergence (README, "Findings"): tolerated unless FUZZ_STRICT=1. */
            v->pc = pc + 4;
        } else {
            /* Natively: an access fault (the hardware's, or the device's own). */
            uint64_t got = v->csr[CSR_ID_mcause];
            int cause_ok = got == cause || (known && got == CAUSE_LOAD_ACCESS);
            if (v->pc != (v->csr[CSR_ID_mtvec] & ~3ULL) || v->csr[CSR_ID_mepc] != pc ||
                !cause_ok || v->csr[CSR_ID_mtval] != addr)
                fuzz_fail(v, "0x%08x at 0x%llx (%s, dev %s, mprv %d): expected access fault "
                          "%llu, got pc 0x%llx mcause %llu mtval 0x%llx", raw,
                          (unsigned long long)addr, insn_op_name(in.op), dev ? dev->name : "-",
                          mprv, (unsigned long long)cause, (unsigned long long)v->pc,
                          (unsigned long long)got, (unsigned long long)v->csr[CSR_ID_mtval]);
            reservation = 0; /* the guest took a trap */
            /* Back to where we were, as the firmware's handler would (mret). */
            v->pc = pc + 4;
        }
        if (v->pc < HOST_RAM_BASE || v->pc + 4 > HOST_RAM_BASE + 0x2000)
            v->pc = HOST_RAM_BASE;
        /* The trap entry cleared MIE and set MPP=M: put MPRV mode back for the next one. */
        if (mprv) {
            uint64_t old;
            csr_rmw(v, CSR_MSTATUS, MSTATUS_MPRV | (1ULL << MSTATUS_MPP_SHIFT),
                    MSTATUS_MPRV | MSTATUS_MPP, &old);
            world_refresh(v);
        }
    }
    return 0;
}
