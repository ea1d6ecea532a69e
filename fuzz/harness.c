/* Shared harness code: boot once, restore per input, invariants. See harness.h. */
#include "harness.h"
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/stats.h>
#include <miralis/vpmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct machine fuzz_machine;
int fuzz_strict;
unsigned long long fuzz_work;

__attribute__((destructor)) static void report_work(void)
{
    const char *e = getenv("FUZZ_WORK");
    if (e && e[0] == '1')
        fprintf(stderr, "fuzz_work: %llu\n", fuzz_work);
}
static struct vcpu vcpu;

static const struct vdevice devices[] = {
    {.name = "clint", .base = FUZZ_CLINT_BASE, .size = 0x10000, .access = vdevice_passthrough},
    {.name = "finisher", .base = FUZZ_FINISHER, .size = 0x1000, .access = vdevice_finisher},
};

static void no_exit(unsigned code) { (void)code; }

static const struct platform platform = {
    .name = "fuzz",
    .firmware_entry = HOST_RAM_BASE,
    .devices = devices,
    .num_devices = 2,
    .exit = no_exit,
    .timebase_hz = 10000000,
    .quirks = QUIRK_QEMU_MRET,
};

const uint64_t fuzz_interesting[16] = {
    0, 1, ~0ULL, HOST_RAM_BASE, HOST_RAM_BASE + 0x800, HOST_RAM_BASE + 0xfff8,
    FUZZ_CLINT_BASE, FUZZ_CLINT_BASE + 0x4000, FUZZ_CLINT_BASE + 0xbff8, FUZZ_FINISHER,
    FUZZ_MONITOR_BASE, 0x5555555555555555ULL, 0x8000000000000000ULL, 0x7fffffffffffffffULL,
    0x800, 0xfffffffffffff800ULL,
};

/* Host CSR numbers the core may write: every number of the CSR table plus the physical
 * ones of the world switch. Only these are restored per input. */
static uint16_t restore_list[4096];
static unsigned restore_count;

/* Dirty memory ranges since the last restore. */
#define MAX_DIRTY 256
static struct { uint64_t addr; unsigned len; } dirty[MAX_DIRTY];
static unsigned dirty_count;
static int dirty_overflow;

/* A saved state: the vcpu, the machine, the host CSRs the core can write, and the memory
 * written since the booted state (a few ranges of at most 8 bytes). */
#define SNAP_MEM 16
static struct snapshot {
    struct vcpu vcpu;
    struct machine machine;
    uint64_t csr[4096];
    uint8_t pmpcfg[MAX_PMP];
    uint64_t fp[32];
    struct world_image installed;
    unsigned wfi_count, sfence_count, hfence_count, install_count;
    unsigned nmem;
    struct { uint64_t addr; unsigned len; uint8_t bytes[8]; } mem[SNAP_MEM];
} snaps[FUZZ_SNAPSHOTS];
static int saved[FUZZ_SNAPSHOTS];

static uint8_t *mem_at(uint64_t a)
{
    if (a - HOST_RAM_BASE < HOST_RAM_SIZE)
        return &host_hw.ram[a - HOST_RAM_BASE];
    return (uint8_t *)host_hw.mmio + (a - FUZZ_CLINT_BASE);
}

static void add_restore(unsigned num)
{
    for (unsigned i = 0; i < restore_count; i++)
        if (restore_list[i] == num)
            return;
    restore_list[restore_count++] = (uint16_t)num;
}

static void boot(void)
{
    host_hw_reset();
    memset(&fuzz_machine, 0, sizeof(fuzz_machine));
    memset(&vcpu, 0, sizeof(vcpu));
    fuzz_machine.platform = &platform;
    fuzz_machine.monitor_base = FUZZ_MONITOR_BASE;
    fuzz_machine.monitor_size = FUZZ_MONITOR_SIZE;
    miralis_machine_init(&fuzz_machine);
    struct reset_trap_csrs reset = {.mstatus = host_hw.csr[CSR_MSTATUS]};
    miralis_hart_init(&fuzz_machine, &vcpu, 0, 0x8fe00000, 0x1028, &reset);
    fuzz_machine.vcpus[0] = &vcpu;
    /* mtvec in RAM, so that injected traps keep the stream of instructions going. */
    vcpu.csr[CSR_ID_mtvec] = HOST_RAM_BASE + 0x100;

    for (int id = 0; id < CSR_ID_COUNT; id++)
        add_restore(csr_table[id].num);
    static const uint16_t extra[] = {CSR_MSTATUS, CSR_MEDELEG, CSR_MIE, CSR_SATP, CSR_MCOUNTEREN,
        CSR_SCOUNTEREN, CSR_MIP, CSR_MIDELEG, CSR_HSTATUS, CSR_HIDELEG, CSR_TIME, CSR_MTVAL2,
        CSR_MTINST, CSR_SEPC, 0x7a0, 0x7a1, 0x7a2, 0x7a3, 0x7a4};
    for (unsigned i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        add_restore(extra[i]);
    for (unsigned i = 0; i < 64; i++)
        add_restore(CSR_PMPADDR0 + i);
    for (unsigned i = 0; i < 16; i++)
        add_restore(CSR_PMPCFG0 + i);
    fuzz_snapshot_save(0);
}

void fuzz_snapshot_save(unsigned k)
{
    if (k >= FUZZ_SNAPSHOTS || dirty_overflow || (k == 0 && dirty_count) || dirty_count > SNAP_MEM)
        fuzz_fail(&vcpu, "snapshot %u: bad index or too much memory written", k);
    struct snapshot *sn = &snaps[k];
    sn->vcpu = vcpu;
    sn->machine = fuzz_machine;
    memcpy(sn->csr, host_hw.csr, sizeof(sn->csr));
    memcpy(sn->pmpcfg, host_hw.pmpcfg, sizeof(sn->pmpcfg));
    memcpy(sn->fp, host_hw.fp, sizeof(sn->fp));
    sn->installed = host_hw.installed;
    sn->wfi_count = host_hw.wfi_count;
    sn->sfence_count = host_hw.sfence_count;
    sn->hfence_count = host_hw.hfence_count;
    sn->install_count = host_hw.install_count;
    sn->nmem = dirty_count;
    for (unsigned i = 0; i < dirty_count; i++) {
        sn->mem[i].addr = dirty[i].addr;
        if (dirty[i].len > sizeof(sn->mem[i].bytes))
            fuzz_fail(&vcpu, "snapshot %u: a write of %u bytes", k, dirty[i].len);
        sn->mem[i].len = dirty[i].len;
        memcpy(sn->mem[i].bytes, mem_at(dirty[i].addr), sn->mem[i].len);
    }
    saved[k] = 1;
}

struct vcpu *fuzz_vcpu(void)
{
    static int booted;
    if (!booted) {
        const char *e = getenv("FUZZ_STRICT");
        fuzz_strict = e && e[0] == '1';
        boot();
        booted = 1;
        return &vcpu;
    }
    return fuzz_snapshot_restore(0);
}

struct vcpu *fuzz_snapshot_restore(unsigned k)
{
    if (k >= FUZZ_SNAPSHOTS || !saved[k])
        fuzz_fail(0, "snapshot %u was not saved", k);
    const struct snapshot *sn = &snaps[k];
    for (unsigned i = 0; i < restore_count; i++)
        host_hw.csr[restore_list[i]] = sn->csr[restore_list[i]];
    memcpy(host_hw.pmpcfg, sn->pmpcfg, sizeof(sn->pmpcfg));
    memcpy(host_hw.fp, sn->fp, sizeof(sn->fp));
    host_hw.installed = sn->installed;
    host_hw.mprv_fault = false;
    host_hw.wfi_count = sn->wfi_count;
    host_hw.sfence_count = sn->sfence_count;
    host_hw.hfence_count = sn->hfence_count;
    host_hw.install_count = sn->install_count;
    if (dirty_overflow) {
        memset(host_hw.ram, 0, sizeof(host_hw.ram));
        memset(host_hw.mmio, 0, sizeof(host_hw.mmio));
    } else {
        for (unsigned i = 0; i < dirty_count; i++) {
            uint64_t a = dirty[i].addr;
            if (a - HOST_RAM_BASE < HOST_RAM_SIZE)
                memset(&host_hw.ram[a - HOST_RAM_BASE], 0, dirty[i].len);
            else if (a - FUZZ_CLINT_BASE < 0x10000)
                memset((uint8_t *)host_hw.mmio + (a - FUZZ_CLINT_BASE), 0, dirty[i].len);
        }
    }
    dirty_count = 0;
    dirty_overflow = 0;
    for (unsigned i = 0; i < sn->nmem; i++) {
        memcpy(mem_at(sn->mem[i].addr), sn->mem[i].bytes, sn->mem[i].len);
        fuzz_dirty(sn->mem[i].addr, sn->mem[i].len);
    }
    vcpu = sn->vcpu;
    fuzz_machine = sn->machine;
    return &vcpu;
}

void fuzz_dirty(uint64_t addr, unsigned len)
{
    if (dirty_count == MAX_DIRTY) {
        dirty_overflow = 1;
        return;
    }
    /* Clamp to whichever region holds addr (an access may straddle the end). */
    if (addr - HOST_RAM_BASE < HOST_RAM_SIZE) {
        if (len > HOST_RAM_BASE + HOST_RAM_SIZE - addr)
            len = (unsigned)(HOST_RAM_BASE + HOST_RAM_SIZE - addr);
    } else if (addr - FUZZ_CLINT_BASE < 0x10000) {
        if (len > FUZZ_CLINT_BASE + 0x10000 - addr)
            len = (unsigned)(FUZZ_CLINT_BASE + 0x10000 - addr);
    } else {
        return;
    }
    dirty[dirty_count].addr = addr;
    dirty[dirty_count].len = len;
    dirty_count++;
}

void fuzz_dirty_insn(const struct vcpu *v, const struct insn *in)
{
    if (in->op == OP_STORE || in->op == OP_FSTORE || in->op == OP_AMO || in->op == OP_HSV)
        fuzz_dirty(vcpu_get_reg(v, in->rs1) + (uint64_t)(in->op == OP_AMO ? 0 : in->imm), 8);
}

int fuzz_place_insn(struct vcpu *v, uint32_t raw, const struct insn *in)
{
    uint64_t pc = v->pc;
    if (pc - HOST_RAM_BASE > HOST_RAM_SIZE - 4)
        return 0;
    memcpy(&host_hw.ram[pc - HOST_RAM_BASE], &raw, 4);
    fuzz_dirty(pc, 4);
    fuzz_dirty_insn(v, in);
    return 1;
}

void fuzz_fail(const struct vcpu *v, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "fuzz invariant failed (pc 0x%llx priv %u virt %d): ",
            v ? (unsigned long long)v->pc : 0ULL, v ? v->priv : 0, v ? v->virt : 0);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void fuzz_step_begin(const struct vcpu *v, struct step_ctx *c, int is_insn, uint32_t raw,
                     const struct insn *in)
{
    if (is_insn)
        c->in = *in;
    c->pc = v->pc;
    c->mepc = v->csr[CSR_ID_mepc];
    c->sepc = host_hw.csr[CSR_SEPC];
    c->mtvec = v->csr[CSR_ID_mtvec];
    c->mstatus = v->csr[CSR_ID_mstatus];
    c->priv = v->priv;
    c->is_insn = is_insn;
    c->raw = raw;
}

/* The model's writable mstatus bits (arch_host.c), SXL and UXL aside. */
#define MSTATUS_LEGAL (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_SPP | \
    MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MPP | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TSR | \
    MSTATUS_TW | MSTATUS_VS | MSTATUS_FS | MSTATUS_MPV | MSTATUS_GVA)
/* Physical mstatus fields the monitor may leave set while a guest runs (world.c's guest
 * fields, plus MPP/MPV of the OS world). */
#define MSTATUS_PHYS_OK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | \
    MSTATUS_FS | MSTATUS_VS | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPP | MSTATUS_MPV)

static uint64_t napot(uint64_t base, uint64_t size) { return (base + size / 2 - 1) >> 2; }

static uint64_t trap_target(uint64_t tvec, int any_interrupt)
{
    (void)any_interrupt;
    return tvec & ~3ULL;
}

void fuzz_check_invariants(const struct vcpu *v, const struct step_ctx *c)
{
    fuzz_work++;
    const struct machine *m = v->machine;
    /* 1. The guest never gets physical M-mode: the monitor's mret goes to U (firmware) or
     *    to the OS world's own mode, never M; MPRV is never left on for the monitor. */
    uint64_t phys = host_hw.csr[CSR_MSTATUS];
    unsigned mpp = (phys & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    if (mpp == PRV_M)
        fuzz_fail(v, "physical mstatus.MPP = M (0x%llx)", (unsigned long long)phys);
    if (v->priv != PRV_M && v->priv != PRV_S && v->priv != PRV_U)
        fuzz_fail(v, "virtual privilege %u", v->priv);
    if (v->virt && v->priv == PRV_M)
        fuzz_fail(v, "V set in M-mode");
    unsigned want = v->priv == PRV_M ? PRV_U : v->priv;
    if (mpp != want)
        fuzz_fail(v, "physical MPP %u, world needs %u", mpp, want);
    if (!!(phys & MSTATUS_MPV) != (v->priv != PRV_M && v->virt))
        fuzz_fail(v, "physical MPV does not match the world");
    if (phys & ~MSTATUS_PHYS_OK)
        fuzz_fail(v, "physical mstatus has monitor-owned bits 0x%llx",
                  (unsigned long long)(phys & ~MSTATUS_PHYS_OK));
    if ((host_hw.installed.mstatus & MSTATUS_MPP) == MSTATUS_MPP)
        fuzz_fail(v, "installed world image with MPP = M");
    if (v->priv == PRV_M) {
        if (host_hw.csr[CSR_MEDELEG] != 0)
            fuzz_fail(v, "firmware world with physical medeleg 0x%llx",
                      (unsigned long long)host_hw.csr[CSR_MEDELEG]);
        if (host_hw.csr[CSR_SATP] != 0)
            fuzz_fail(v, "firmware world with physical satp");
        uint64_t allowed = (v->csr[CSR_ID_mstatus] & MSTATUS_MIE)
                         ? v->csr[CSR_ID_mie] & ~v->csr[CSR_ID_mideleg] : 0;
        if (host_hw.csr[CSR_MIE] & ~allowed)
            fuzz_fail(v, "firmware world: physical mie 0x%llx beyond what virtual M takes 0x%llx",
                      (unsigned long long)host_hw.csr[CSR_MIE], (unsigned long long)allowed);
    }

    /* 2. The monitor's PMP entries: untouched, highest priority, never locked. */
    if (host_hw.csr[CSR_PMPADDR0] != napot(m->monitor_base, m->monitor_size))
        fuzz_fail(v, "pmpaddr0 (monitor) changed to 0x%llx",
                  (unsigned long long)host_hw.csr[CSR_PMPADDR0]);
    if (host_hw.pmpcfg[0] != PMP_A_NAPOT)
        fuzz_fail(v, "pmpcfg0 byte 0 (monitor) is 0x%x", host_hw.pmpcfg[0]);
    for (unsigned i = 0; i < m->platform->num_devices; i++) {
        const struct vdevice *d = &m->platform->devices[i];
        if (host_hw.csr[CSR_PMPADDR0 + 1 + i] != napot(d->base, d->size))
            fuzz_fail(v, "device %s pmpaddr changed", d->name);
        uint8_t want_cfg = v->priv == PRV_M ? PMP_A_NAPOT : 0;
        if (host_hw.pmpcfg[1 + i] != want_cfg)
            fuzz_fail(v, "device %s pmpcfg 0x%x in this world", d->name, host_hw.pmpcfg[1 + i]);
    }
    uint8_t cfg_or = 0;
    for (unsigned i = 0; i < m->pmp_phys_count; i++)
        cfg_or |= host_hw.pmpcfg[i];
    for (unsigned i = 0; (cfg_or & PMP_L) && i < m->pmp_phys_count; i++)
        if (host_hw.pmpcfg[i] & PMP_L)
            fuzz_fail(v, "physical pmpcfg %u has the L bit", i);
    if (v->priv != PRV_M && host_hw.pmpcfg[m->pmp_phys_count - 1] != 0)
        fuzz_fail(v, "OS world with the all-memory entry on");

    /* 3. Virtual CSRs hold WARL-legal values (QEMU 7.2 rules, docs/qemu-7.2-behaviour.md). */
    uint64_t s = v->csr[CSR_ID_mstatus];
    if (s & ~(MSTATUS_LEGAL | MSTATUS_UXL | MSTATUS_SXL))
        fuzz_fail(v, "virtual mstatus 0x%llx has read-only bits", (unsigned long long)s);
    if ((s & MSTATUS_SXL) != (2ULL << 34) || !(s & MSTATUS_UXL))
        fuzz_fail(v, "virtual mstatus SXL/UXL illegal: 0x%llx", (unsigned long long)s);
    if (v->csr[CSR_ID_medeleg] & ~0xf0bfffULL)
        fuzz_fail(v, "virtual medeleg 0x%llx", (unsigned long long)v->csr[CSR_ID_medeleg]);
    if (v->csr[CSR_ID_mie] & ~0x3eeeULL)
        fuzz_fail(v, "virtual mie 0x%llx", (unsigned long long)v->csr[CSR_ID_mie]);
    if ((v->csr[CSR_ID_mtvec] & 3) >= 2)
        fuzz_fail(v, "virtual mtvec mode %llu", (unsigned long long)(v->csr[CSR_ID_mtvec] & 3));
    uint64_t satp_mode = v->csr[CSR_ID_satp] >> SATP_MODE_SHIFT;
    if (!(satp_mode == 0 || satp_mode == 8 || satp_mode == 9 || satp_mode == 10))
        fuzz_fail(v, "virtual satp mode %llu", (unsigned long long)satp_mode);
    if (v->csr[CSR_ID_misa] != host_hw.csr[CSR_MISA])
        fuzz_fail(v, "virtual misa changed");
    if (v->csr[CSR_ID_mideleg] != host_hw.csr[CSR_MIDELEG])
        fuzz_fail(v, "mideleg copy 0x%llx != physical 0x%llx",
                  (unsigned long long)v->csr[CSR_ID_mideleg],
                  (unsigned long long)host_hw.csr[CSR_MIDELEG]);
    /* (OR-reduced first: a loop the compiler vectorises; the failing entry is looked for
     *  only on failure.) */
    uint64_t beyond = 0;
    uint8_t beyond_cfg = 0;
    for (unsigned e = m->pmp_virtual_count; e < MAX_PMP; e++)
        beyond |= v->csr[CSR_ID_pmpaddr0 + e];
    for (unsigned e = m->pmp_virtual_count; e < MAX_PMP; e++)
        beyond_cfg |= v->pmpcfg[e];
    beyond |= beyond_cfg;
    for (unsigned e = m->pmp_virtual_count; beyond && e < MAX_PMP; e++)
        if (v->pmpcfg[e] || v->csr[CSR_ID_pmpaddr0 + e])
            fuzz_fail(v, "virtual PMP entry %u beyond the %u the firmware has", e,
                      m->pmp_virtual_count);

    /* 4. mepc written by a trap: the pc of the trapping instruction, aligned as misa.C says
     *    (2 bytes with C, 4 without) whenever that pc was. */
    int has_c = (host_hw.csr[CSR_MISA] >> 2) & 1;
    uint64_t align = has_c ? 1 : 3;
    int trapped = v->priv == PRV_M && v->pc == trap_target(v->csr[CSR_ID_mtvec], 0) &&
                  v->csr[CSR_ID_mepc] == c->pc && v->csr[CSR_ID_mepc] != c->mepc;
    if (trapped && !(c->pc & align) && (v->csr[CSR_ID_mepc] & align))
        fuzz_fail(v, "mepc 0x%llx misaligned", (unsigned long long)v->csr[CSR_ID_mepc]);

    /* 5. An emulated instruction that completed moved the pc by its decoded length; any
     *    other pc is a trap vector or an xRET target. */
    if (c->is_insn && c->priv == PRV_M) {
        unsigned len = insn_length((uint16_t)c->raw);
        uint64_t tv = v->csr[CSR_ID_mtvec] & ~3ULL;
        const struct insn in = c->in;
        int xret = in.op == OP_MRET || in.op == OP_SRET;
        uint64_t xret_pc = in.op == OP_MRET ? c->mepc : c->sepc;
        int ok = (v->pc == c->pc + len && v->priv == PRV_M) || v->pc == tv ||
                 (xret && v->pc == xret_pc);
        if (!ok)
            fuzz_fail(v, "insn 0x%08x at 0x%llx: pc 0x%llx is neither pc+%u, the trap vector "
                      "0x%llx nor an xRET target", c->raw, (unsigned long long)c->pc,
                      (unsigned long long)v->pc, len, (unsigned long long)tv);
        if (v->pc == c->pc + len && v->pc != tv && in.op != OP_INVALID && in.len != len)
            fuzz_fail(v, "decoded length %u, instruction length %u", in.len, len);
    }
}
