/* Loads and stores the firmware makes where it may not go directly: virtual devices
 * (covered by no-access PMP entries) and accesses under virtual MPRV. Decoding the
 * instruction is kept apart from what happens to the access (the device's access()). */
#include <miralis/arch.h>
#include <miralis/emulate.h>
#include <miralis/machine.h>
#include <miralis/vpmp.h>

bool fetch_insn(struct vcpu *v, uint64_t pc, uint32_t *raw, struct trap_info *fault)
{
    (void)v;
    uint32_t w;
    if (!arch_fetch(pc, &w, fault))
        return false;
    /* As the hardware's mtval shows it: 16 bits for a compressed instruction, else 32. */
    *raw = insn_length((uint16_t)w) == 2 ? (uint16_t)w : w;
    return true;
}

static uint64_t extend(uint64_t val, unsigned width, bool is_unsigned)
{
    if (width >= 8)
        return val;
    unsigned shift = 64 - 8 * width;
    if (is_unsigned)
        return (val << shift) >> shift;
    return (uint64_t)((int64_t)(val << shift) >> shift);
}

const struct vdevice *machine_find_device(const struct machine *m, uint64_t addr)
{
    for (unsigned i = 0; i < m->platform->num_devices; i++) {
        const struct vdevice *d = &m->platform->devices[i];
        if (addr - d->base < d->size)
            return d;
    }
    return 0;
}

static void complete_load(struct vcpu *v, const struct insn *in, uint64_t val)
{
    if (in->op == OP_FLOAD) /* flw NaN-boxes its 32 bits (unprivileged spec 12.2) */
        arch_fp_write(in->rd, in->width == 4 ? (val & 0xffffffffULL) | ~0xffffffffULL : val);
    else
        vcpu_set_reg(v, in->rd, extend(val, in->width, in->is_unsigned));
}


uint64_t store_value(struct vcpu *v, const struct insn *in)
{
    uint64_t val = in->op == OP_FSTORE ? arch_fp_read(in->rs2) : vcpu_get_reg(v, in->rs2);
    return insn_cut_to_width(val, in->width);
}

/* An AMO on a device: a read, the operation, a write, as QEMU performs it on MMIO
 * (A extension, unprivileged spec 8.2-8.4). LR is a load that reserves the address; SC
 * stores and succeeds (rd = 0) only on the address reserved last. (On QEMU a guest SC after
 * an emulated LR fails before it reaches memory: the trap cleared the hardware's
 * reservation. The spec allows that spurious failure; see docs/ARCHITECTURE.md.) */
static enum emu_outcome emulate_mmio_amo(struct vcpu *v, const struct vdevice *dev,
                                         const struct insn *in, uint64_t addr,
                                         struct trap_info *trap)
{
    unsigned f5 = (unsigned)in->imm, w = in->width;
    uint64_t old, src = vcpu_get_reg(v, in->rs2), res;
    if (f5 == 0x02) { /* lr */
        if (dev->access(v, dev, addr - dev->base, w, false, &old, trap) != MMIO_DONE)
            return EMU_TRAP;
        v->mmio_reserved = addr + 1;
        vcpu_set_reg(v, in->rd, extend(old, w, false));
        return EMU_NEXT;
    }
    if (f5 == 0x03) { /* sc */
        bool ok = v->mmio_reserved == addr + 1;
        v->mmio_reserved = 0;
        res = insn_cut_to_width(src, w);
        if (ok && dev->access(v, dev, addr - dev->base, w, true, &res, trap) != MMIO_DONE)
            return EMU_TRAP;
        vcpu_set_reg(v, in->rd, ok ? 0 : 1);
        return EMU_NEXT;
    }
    if (dev->access(v, dev, addr - dev->base, w, false, &old, trap) != MMIO_DONE)
        return EMU_TRAP;
    int64_t a = (int64_t)extend(old, w, false), b = (int64_t)extend(src, w, false);
    uint64_t ua = extend(old, w, true), ub = extend(src, w, true);
    switch (f5) {
    case 0x00: res = ua + ub; break;
    case 0x01: res = ub; break;
    case 0x04: res = ua ^ ub; break;
    case 0x08: res = ua | ub; break;
    case 0x0c: res = ua & ub; break;
    case 0x10: res = a < b ? ua : ub; break;
    case 0x14: res = a > b ? ua : ub; break;
    case 0x18: res = ua < ub ? ua : ub; break;
    default:   res = ua > ub ? ua : ub; break; /* 0x1c amomaxu */
    }
    res = insn_cut_to_width(res, w);
    if (dev->access(v, dev, addr - dev->base, w, true, &res, trap) != MMIO_DONE)
        return EMU_TRAP;
    vcpu_set_reg(v, in->rd, extend(old, w, false));
    v->stats.emulated[EMU_MMIO_STORE]++;
    return EMU_NEXT;
}

static enum emu_outcome emulate_on(struct vcpu *v, const struct vdevice *dev,
                                   const struct insn *in, uint64_t addr, struct trap_info *trap);

enum emu_outcome emulate_mmio(struct vcpu *v, const struct insn *in, uint64_t addr,
                              struct trap_info *trap)
{
    return emulate_on(v, machine_find_device(v->machine, addr), in, addr, trap);
}

enum emu_outcome emulate_passthrough(struct vcpu *v, const struct insn *in, uint64_t addr,
                                     struct trap_info *trap)
{
    static const struct vdevice memory = {.name = "memory", .base = 0, .size = ~0ULL,
                                          .access = vdevice_passthrough};
    return emulate_on(v, &memory, in, addr, trap);
}

static enum emu_outcome emulate_on(struct vcpu *v, const struct vdevice *dev,
                                   const struct insn *in, uint64_t addr, struct trap_info *trap)
{
    bool store = insn_is_plain_store(in->op);
    if (dev && in->op == OP_AMO)
        return emulate_mmio_amo(v, dev, in, addr, trap);
    if (!dev || !insn_is_plain_access(in->op))
        return EMU_TRAP; /* caller keeps the hardware's access fault in *trap */
    uint64_t val = store ? store_value(v, in) : 0;
    if (dev->access(v, dev, addr - dev->base, in->width, store, &val, trap) != MMIO_DONE)
        return EMU_TRAP;
    /* Counted once done: the tracer records the access from this (tracer/trace_trap.c). */
    v->stats.emulated[store ? EMU_MMIO_STORE : EMU_MMIO_LOAD]++;
    if (!store)
        complete_load(v, in, val);
    return EMU_NEXT;
}

/* Under virtual MPRV (priv spec 3.1.6.3) every load, store, FP load/store and AMO of the
 * firmware is replayed by the monitor with the real MPRV, MPP (and MPV, SUM, MXR), the
 * guest's satp and the OS world's PMP image: the hardware translates, checks and faults. */
enum emu_outcome emulate_mprv(struct vcpu *v, const struct insn *in, uint64_t addr,
                              struct trap_info *trap)
{
    bool store = insn_is_plain_store(in->op), amo = in->op == OP_AMO;
    if (!insn_is_plain_access(in->op) && !amo)
        return EMU_TRAP; /* the decoder gives nothing else here; the fault stands */
    uint64_t val = amo ? vcpu_get_reg(v, in->rs2) : store ? store_value(v, in) : 0;
    uint64_t vs = v->csr[CSR_ID_mstatus];
    uint64_t keep = MSTATUS_MPP | MSTATUS_MPV | MSTATUS_SUM | MSTATUS_MXR;
    uint64_t ms = (arch_read_mstatus() & ~(keep | MSTATUS_MPRV)) | (vs & keep) | MSTATUS_MPRV;
    v->stats.emulated[EMU_MPRV_ACCESS]++;
    /* The access runs as MPP would: the OS world's PMP image and the guest's satp. */
    vpmp_install(v, PMP_OS);
    arch_csr_write(CSR_SATP, v->csr[CSR_ID_satp]);
    /* An AMO is the very instruction, atomic, with its own fault causes. An LR reserves in
     * the hardware, and an SC is the hardware's SC: it succeeds only on a reservation the
     * hardware still holds, never overwriting a store of another hart (a reservation kept
     * in v->mmio_reserved could not see those). On QEMU the trap return that follows the
     * LR drops the reservation: see docs/ARCHITECTURE.md, Known gaps. */
    bool ok = amo ? arch_mprv_amo(ms, (unsigned)in->imm, in->width, addr, &val, trap)
                  : arch_mprv_access(ms, addr, in->width, store, &val, trap);
    arch_csr_write(CSR_SATP, 0);
    vpmp_install(v, PMP_FIRMWARE_MPRV);
    if (!ok)
        return EMU_TRAP;
    if (amo)
        vcpu_set_reg(v, in->rd, val); /* as the instruction wrote it (sign-extended .w) */
    else if (!store)
        complete_load(v, in, val);
    return EMU_NEXT;
}

/* The default device behaviour: forward the access to the real device with the monitor's
 * privilege, so the firmware gets exactly what the hardware answers (value or fault). */
enum mmio_result vdevice_passthrough(struct vcpu *v, const struct vdevice *dev,
                                     uint64_t offset, unsigned width, bool store,
                                     uint64_t *val, struct trap_info *fault)
{
    (void)v;
    bool ok = store ? arch_store(dev->base + offset, width, *val, fault)
                    : arch_load(dev->base + offset, width, val, fault);
    return ok ? MMIO_DONE : MMIO_FAULT;
}
