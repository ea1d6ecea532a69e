/* Harness: the trap path (dispatcher, CSR emulation, privileged instructions, MMIO/MPRV
 * path, trap injection, world switches) on a stream of instructions and trap events, from
 * an initial virtual hart state -- the pattern of Xen's x86 instruction-emulator harness.
 * Input format (fuzz/README.md):
 *   header, 20 bytes: [0] flags (bits 0-1 start world: 0 firmware/M, 1 OS/S, 2 OS/U,
 *     3 OS/VS; bit 2 tracer on), [1..16] 31 nibbles: x1..x31 from fuzz_interesting[],
 *     [17..18] physical mip lines, [19] reserved;
 *   then events, tag byte % 10 selects:
 *     0 insn32 (u32)  1 insn16 (u16): placed at the guest pc, raised as illegal-instruction
 *     2 csr (u16 num, u64 val): the firmware's write through the monitor's CSR emulation
 *     3 reg (u8 r, u64 val)
 *     4 exception (u8: cause & 31 | from-mode << 5 | V << 7, u64 tval)
 *     5 interrupt (u8 irq)     6 mip lines (u16)
 *     7 device access (u32 insn, u8 addr kind, u64 val): the access fault of a load/store
 *     8 OS native change (u8 what, u64 val): sstatus fields, sie, satp, scounteren
 *     9 the next MPRV replay faults (page fault)
 * After every event: the invariants of harness.c. */
#include "harness.h"
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/world.h>
#include "trace.h"
#include <string.h>

#define MAX_EVENTS 512
#define MIP_LINES 0x3eeeULL

static void trap(struct vcpu *v, uint64_t cause, uint64_t tval)
{
    v->trap_cause = cause;
    v->trap_tval = tval;
    miralis_handle_trap(v);
}

/* Finding H1 (host model wraps at the top of the address space): keep the addresses the
 * host model will see out of the last 8 bytes. */
static void guard_addresses(struct vcpu *v, const struct insn *in)
{
    if (in->op == OP_HLV || in->op == OP_HSV)
        vcpu_set_reg(v, in->rs1, fuzz_addr(vcpu_get_reg(v, in->rs1)));
}

static void exec_insn(struct vcpu *v, uint32_t raw)
{
    struct step_ctx c;
    struct insn in;
    insn_decode(raw, &in);
    guard_addresses(v, &in);
    if (!fuzz_place_insn(v, raw, &in)) {
        /* The pc is not in RAM: the hardware raises a fetch access fault. */
        fuzz_step_begin(v, &c, 0, 0, 0);
        trap(v, CAUSE_FETCH_ACCESS, v->pc);
    } else {
        fuzz_step_begin(v, &c, 1, raw, &in);
        trap(v, CAUSE_ILLEGAL_INSN, insn_length((uint16_t)raw) == 2 ? (raw & 0xffff) : raw);
    }
    fuzz_check_invariants(v, &c);
}

static void firmware_csr(struct vcpu *v, unsigned num, uint64_t val)
{
    uint64_t old;
    if (v->priv != PRV_M)
        return;
    csr_rmw(v, num & 0xfff, val, ~0ULL, &old);
    world_refresh(v);
}

/* Leave the firmware for the OS the way a firmware does: MPP (and MPV), mepc, one PMP
 * entry (QEMU 7.2 refuses mret to S/U without one), mret. */
static void enter_os(struct vcpu *v, unsigned world)
{
    uint64_t mpp = world == 2 ? PRV_U : PRV_S;
    firmware_csr(v, CSR_PMPADDR0, ~0ULL);
    firmware_csr(v, CSR_PMPCFG0, PMP_A_NAPOT | PMP_R | PMP_W | PMP_X);
    uint64_t s = v->csr[CSR_ID_mstatus] & ~(MSTATUS_MPP | MSTATUS_MPV);
    s |= mpp << MSTATUS_MPP_SHIFT;
    if (world == 3)
        s |= MSTATUS_MPV;
    firmware_csr(v, CSR_MSTATUS, s);
    firmware_csr(v, CSR_MEPC, HOST_RAM_BASE + 0x1000);
    exec_insn(v, 0x30200073); /* mret */
}

static void os_native(struct vcpu *v, unsigned what, uint64_t val)
{
    if (v->priv == PRV_M)
        return;
    uint64_t *phys = host_hw.csr;
    switch (what % 4) {
    case 0: { /* sret/csrw sstatus by the OS: only the S-level fields it owns */
        uint64_t own = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR |
                       MSTATUS_FS | MSTATUS_VS;
        phys[CSR_MSTATUS] = (phys[CSR_MSTATUS] & ~own) | (val & own);
        break;
    }
    case 1: { /* sie: the bits mideleg gives S */
        uint64_t own = phys[CSR_MIDELEG] & 0x222;
        phys[CSR_MIE] = (phys[CSR_MIE] & ~own) | (val & own);
        break;
    }
    case 2:
        phys[CSR_SATP] = arch_csr_legalize(CSR_SATP, phys[CSR_SATP], val);
        break;
    default:
        phys[CSR_SCOUNTEREN] = val;
        break;
    }
}

/* The booted firmware world (snapshot 0) or the OS world `world` entered from it by
 * enter_os: the same steps for every input, so they run (invariants checked) once, at the
 * first input, and their result is a snapshot. They read nothing of the input: the header's
 * registers, mip lines and tracer apply after them (enter_os checks that the mip lines
 * cannot change its outcome). */
static struct vcpu *start(unsigned world)
{
    static int made;
    if (!made) {
        static const uint64_t lines[] = {MIP_LINES, 0};
        static uint64_t phys[2][4096];
        for (unsigned w = 1; w <= 3; w++) {
            struct vcpu out[2];
            for (unsigned i = 0; i < 2; i++) {
                struct vcpu *v = fuzz_vcpu();
                host_hw.csr[CSR_MIP] = lines[i];
                world_refresh(v);
                enter_os(v, w);
                host_hw.csr[CSR_MIP] = 0;
                out[i] = *v;
                memcpy(phys[i], host_hw.csr, sizeof(phys[i]));
            }
            if (out[0].priv != out[1].priv || out[0].virt != out[1].virt ||
                out[0].pc != out[1].pc ||
                memcmp(out[0].csr, out[1].csr, sizeof(out[0].csr)) != 0 ||
                memcmp(phys[0], phys[1], sizeof(phys[0])) != 0)
                fuzz_fail(&out[1], "entering world %u depends on the mip lines: the start "
                          "worlds cannot be snapshots any more (h_emulator.c, start())", w);
            fuzz_snapshot_save(w);
        }
        made = 1;
    }
    return world ? fuzz_snapshot_restore(world) : fuzz_vcpu();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reader r = {data, size};
    uint8_t flags = rd_u8(&r);
    struct vcpu *v = start(flags & 3);
    for (unsigned i = 1; i < 32; i += 2) {
        uint8_t b = rd_u8(&r);
        v->x[i] = fuzz_interesting[b & 15];
        if (i + 1 < 32)
            v->x[i + 1] = fuzz_interesting[b >> 4];
    }
    host_hw.csr[CSR_MIP] = rd_u16(&r) & MIP_LINES;
    rd_u8(&r);
    if (flags & 4) {
        struct trace_filter f = {.kinds = 0x7f, .csr_lo = 0, .csr_hi = 0xfff, .worlds = 3,
                                 .harts = ~0ULL};
        trace_configure(&fuzz_machine, &f);
    }
    world_refresh(v);

    for (unsigned n = 0; n < MAX_EVENTS && rd_more(&r); n++) {
        struct step_ctx c;
        uint8_t tag = rd_u8(&r) % 10;
        switch (tag) {
        case 0: exec_insn(v, rd_u32(&r)); continue;
        case 1: exec_insn(v, rd_u16(&r)); continue;
        case 2: {
            unsigned num = rd_u16(&r);
            fuzz_step_begin(v, &c, 0, 0, 0);
            firmware_csr(v, num, rd_u64(&r));
            break;
        }
        case 3: {
            unsigned reg = rd_u8(&r) & 31;
            vcpu_set_reg(v, reg, rd_u64(&r));
            continue;
        }
        case 4: {
            uint8_t b = rd_u8(&r);
            uint64_t tval = fuzz_addr(rd_u64(&r)), cause = (b & 31) % 24;
            if (v->priv == PRV_M && fuzz_addr(v->pc) != v->pc)
                continue; /* H1: the monitor would fetch at the pc */
            if (v->priv != PRV_M) {
                /* The hardware's trap from the OS: MPP/MPV record where it came from. */
                unsigned from = (b >> 5) & 3;
                from = from == 0 ? PRV_U : from == 1 ? PRV_S : v->priv;
                uint64_t s = host_hw.csr[CSR_MSTATUS] & ~(MSTATUS_MPP | MSTATUS_MPV);
                s |= (uint64_t)from << MSTATUS_MPP_SHIFT;
                if (b & 0x80)
                    s |= MSTATUS_MPV;
                host_hw.csr[CSR_MSTATUS] = s;
            }
            fuzz_step_begin(v, &c, 0, 0, 0);
            trap(v, cause, tval);
            break;
        }
        case 5: {
            unsigned irq = rd_u8(&r) & 15;
            host_hw.csr[CSR_MIP] |= (1ULL << irq) & MIP_LINES;
            fuzz_step_begin(v, &c, 0, 0, 0);
            trap(v, CAUSE_INTERRUPT | irq, 0);
            break;
        }
        case 6:
            host_hw.csr[CSR_MIP] = rd_u16(&r) & MIP_LINES;
            continue;
        case 7: {
            uint32_t raw = rd_u32(&r);
            uint8_t kind = rd_u8(&r);
            uint64_t val = rd_u64(&r), addr;
            struct insn in;
            insn_decode(raw, &in);
            switch (kind & 3) {
            case 0: addr = FUZZ_CLINT_BASE + (val & 0xffff); break;
            case 1: addr = FUZZ_FINISHER + (val & 0xfff); break;
            case 2: addr = fuzz_addr(val); break;
            default: addr = fuzz_addr(vcpu_get_reg(v, in.rs1) + (in.op == OP_AMO ? 0 : (uint64_t)in.imm)); break;
            }
            int store = in.op == OP_STORE || in.op == OP_FSTORE || in.op == OP_AMO;
            guard_addresses(v, &in);
            if (!fuzz_place_insn(v, raw, &in))
                continue;
            fuzz_dirty(addr, 8);
            fuzz_step_begin(v, &c, 1, raw, &in);
            trap(v, store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS, addr);
            break;
        }
        case 8: {
            unsigned what = rd_u8(&r);
            os_native(v, what, rd_u64(&r));
            continue;
        }
        default:
            host_hw.mprv_fault = true;
            continue;
        }
        fuzz_check_invariants(v, &c);
    }
    if (flags & 4) {
        trace_flush(v);
        struct trace_filter off = {0};
        trace_configure(&fuzz_machine, &off);
    }
    return 0;
}
