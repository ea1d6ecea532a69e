/* arch.h over arrays, for host builds of the core (unit tests, fuzzers). */
#include "host_hw.h"
#include <string.h>

struct host_hw host_hw;

/* CSR numbers of QEMU virt's default rv64 CPU that the model says exist. */
static const uint16_t absent[] = {0x747 /* mseccfg */};

void host_hw_reset(void)
{
    memset(&host_hw, 0, sizeof(host_hw));
    for (unsigned i = 0; i < 4096; i++)
        host_hw.csr_exists[i] = true;
    for (unsigned i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
        host_hw.csr_exists[absent[i]] = false;
    for (unsigned i = 19; i < 32; i++) /* 16 hpm counters: 3..18 */
        host_hw.csr_exists[0xb00 + i] = host_hw.csr_exists[0xc00 + i] = false;
    for (unsigned i = 1; i < 16; i += 2)
        host_hw.csr_exists[CSR_PMPCFG0 + i] = false; /* odd pmpcfg on rv64 */
    host_hw.csr[CSR_MISA] = 0x80000000001411adULL; /* rv64 imafdch + S + U */
    host_hw.csr[CSR_MSTATUS] = 0xa00000000ULL;     /* SXL = UXL = 64 */
    host_hw.pmp_count = 16;
}

uint64_t arch_csr_read(unsigned num)
{
    if (num == CSR_MIP || num == CSR_SIP)
        return (host_hw.csr[CSR_MIP] | host_hw.mip_lines) &
               (num == CSR_SIP ? host_hw.csr[CSR_MIDELEG] : ~0ULL);
    return num < 4096 ? host_hw.csr[num] : 0;
}

void arch_csr_write(unsigned num, uint64_t val)
{
    if (num == CSR_MIP)
        val = (host_hw.csr[CSR_MIP] & ~0x2666ULL) | (val & 0x2666ULL);
    if (num < 4096)
        host_hw.csr[num] = val;
}

/* The hardware's own read-modify-write: on the stored value, never on device lines. */
void arch_csr_set(unsigned num, uint64_t bits) { arch_csr_write(num, host_hw.csr[num] | bits); }
void arch_csr_clear(unsigned num, uint64_t bits) { arch_csr_write(num, host_hw.csr[num] & ~bits); }

bool arch_csr_exists(unsigned num)
{
    return num < 4096 && host_hw.csr_exists[num];
}

/* mstatus bits QEMU 7.2 lets M-mode write (the rest read-only or computed). */
#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MIE | MSTATUS_MPIE | \
    MSTATUS_SPP | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MPP | MSTATUS_MXR | MSTATUS_TVM | \
    MSTATUS_TSR | MSTATUS_TW | MSTATUS_VS | MSTATUS_FS | MSTATUS_MPV | MSTATUS_GVA)

uint64_t arch_csr_legalize(unsigned num, uint64_t old, uint64_t val)
{
    switch (num) {
    case CSR_MSTATUS: {
        uint64_t m = MSTATUS_WRITABLE | ((val & MSTATUS_UXL) ? MSTATUS_UXL : 0);
        return (old & ~m) | (val & m);
    }
    case CSR_MEDELEG: return val & 0xf0bfffULL;
    case CSR_MIE: return val & 0x3eeeULL;
    case CSR_MTVEC:
    case CSR_STVEC: return (val & 3) >= 2 ? old : val;
    case CSR_SATP: {
        uint64_t mode = val >> SATP_MODE_SHIFT;
        return (mode == 0 || mode == 8 || mode == 9 || mode == 10) ? val : old;
    }
    default: return val;
    }
}

bool arch_load(uint64_t addr, unsigned width, uint64_t *val, struct trap_info *fault)
{
    if (addr >= HOST_RAM_BASE && addr - HOST_RAM_BASE <= HOST_RAM_SIZE - width) {
        uint64_t v = 0;
        memcpy(&v, &host_hw.ram[addr - HOST_RAM_BASE], width);
        *val = v;
        return true;
    }
    if (addr >= 0x2000000 && addr - 0x2000000 <= 0x10000 - width && (addr & (width - 1)) == 0 &&
        (width == 4 || width == 8)) {
        uint64_t v = 0;
        memcpy(&v, (uint8_t *)host_hw.mmio + (addr - 0x2000000), width);
        *val = v;
        return true;
    }
    *fault = (struct trap_info){.cause = CAUSE_LOAD_ACCESS, .tval = addr};
    return false;
}

bool arch_store(uint64_t addr, unsigned width, uint64_t val, struct trap_info *fault)
{
    if (addr >= HOST_RAM_BASE && addr - HOST_RAM_BASE <= HOST_RAM_SIZE - width) {
        memcpy(&host_hw.ram[addr - HOST_RAM_BASE], &val, width);
        return true;
    }
    if (addr >= 0x2000000 && addr - 0x2000000 <= 0x10000 - width && (addr & (width - 1)) == 0 &&
        (width == 4 || width == 8)) {
        memcpy((uint8_t *)host_hw.mmio + (addr - 0x2000000), &val, width);
        return true;
    }
    *fault = (struct trap_info){.cause = CAUSE_STORE_ACCESS, .tval = addr};
    return false;
}

/* The page fault a test asked for (host_hw.mprv_fault), once. */
static bool mprv_page_fault(uint64_t addr, bool store, struct trap_info *fault)
{
    if (!host_hw.mprv_fault)
        return false;
    host_hw.mprv_fault = false;
    *fault = (struct trap_info){.cause = store ? CAUSE_STORE_PAGE : CAUSE_LOAD_PAGE, .tval = addr};
    return true;
}

bool arch_mprv_access(uint64_t mstatus, uint64_t addr, unsigned width, bool store,
                      uint64_t *val, struct trap_info *fault)
{
    (void)mstatus;
    if (mprv_page_fault(addr, store, fault))
        return false;
    return store ? arch_store(addr, width, *val, fault) : arch_load(addr, width, val, fault);
}

/* The hardware's AMO on RAM, one step (the host is one thread): rd gets the old value
 * sign-extended, as rv64 writes it. LR is a load. SC fails (rd = 1) without an access, as
 * on QEMU 7.2: the trap that brought the monitor here dropped any reservation. A modelled
 * fault is the store/AMO page fault (the load one for LR). */
bool arch_mprv_amo(uint64_t mstatus, unsigned op, unsigned width, uint64_t addr,
                   uint64_t *val, struct trap_info *fault)
{
    (void)mstatus;
    if (mprv_page_fault(addr, op != 0x02, fault))
        return false;
    uint64_t mask = width == 8 ? ~0ULL : 0xffffffffULL, src = *val & mask, old = 0, res;
    if (op == 0x03) { /* sc */
        *val = 1;
        return true;
    }
    if (!arch_load(addr, width, &old, fault))
        return false;
    int64_t so = width == 8 ? (int64_t)old : (int32_t)old;
    int64_t ss = width == 8 ? (int64_t)src : (int32_t)src;
    switch (op) {
    case 0x02: res = old; break; /* lr */
    case 0x00: res = old + src; break;
    case 0x01: res = src; break;
    case 0x04: res = old ^ src; break;
    case 0x08: res = old | src; break;
    case 0x0c: res = old & src; break;
    case 0x10: res = so < ss ? old : src; break;
    case 0x14: res = so > ss ? old : src; break;
    case 0x18: res = old < src ? old : src; break;
    default: res = old > src ? old : src; break;
    }
    if (op != 0x02 && !arch_store(addr, width, res & mask, fault))
        return false;
    *val = (uint64_t)so;
    return true;
}

uint64_t arch_fp_read(unsigned reg) { return host_hw.fp[reg & 31]; }
void arch_fp_write(unsigned reg, uint64_t val) { host_hw.fp[reg & 31] = val; }

bool arch_hyp_access(uint32_t raw, uint64_t addr, uint64_t *val, struct trap_info *fault)
{
    /* Two-stage translation is not modelled: bare guest addresses, loads zero-extended. */
    unsigned f7 = raw >> 25, width = 1u << ((f7 >> 1) & 3);
    return (f7 & 1) ? arch_store(addr, width, *val, fault) : arch_load(addr, width, val, fault);
}

bool arch_fetch(uint64_t pc, uint32_t *raw, struct trap_info *fault)
{
    uint64_t lo, hi = 0;
    if (!arch_load(pc, 2, &lo, fault))
        return false;
    if (!arch_load(pc + 2, 2, &hi, fault))
        hi = 0;
    *raw = (uint32_t)lo | ((uint32_t)hi << 16);
    return true;
}

bool arch_fp_csr(unsigned csr, uint64_t *val, bool write)
{
    if (csr < 1 || csr > 3)
        return false;
    if (write)
        host_hw.csr[csr] = *val;
    else
        *val = host_hw.csr[csr];
    return true;
}

unsigned arch_pmp_count(void) { return host_hw.pmp_count; }

uint64_t arch_pmp_set_addr(unsigned idx, uint64_t addr)
{
    host_hw.csr[CSR_PMPADDR0 + idx] = addr;
    return addr;
}

uint8_t arch_pmp_legalize_cfg(unsigned idx, uint8_t cfg)
{
    (void)idx;
    return cfg; /* QEMU 7.2 keeps every bit, reserved ones included */
}

void arch_pmp_write_cfg_regs(const uint64_t *regs, unsigned count)
{
    for (unsigned r = 0; r < count; r++) {
        host_hw.csr[CSR_PMPCFG0 + 2 * r] = regs[r];
        for (unsigned b = 0; b < 8; b++)
            host_hw.pmpcfg[8 * r + b] = regs[r] >> (8 * b);
    }
}

uint64_t arch_read_mip(void) { return host_hw.csr[CSR_MIP] | host_hw.mip_lines; }
uint64_t arch_read_mstatus(void) { return host_hw.csr[CSR_MSTATUS]; }
uint64_t arch_read_time(void) { return host_hw.csr[CSR_TIME]++; }
void arch_write_mstatus(uint64_t val) { host_hw.csr[CSR_MSTATUS] = val; }

void arch_read_trap_extra(struct trap_info *t)
{
    t->tval2 = host_hw.csr[CSR_MTVAL2];
    t->tinst = host_hw.csr[CSR_MTINST];
}
void arch_set_mie(uint64_t mie) { host_hw.csr[CSR_MIE] = mie; }
void arch_wait_for_interrupt(uint64_t wake_mask) { (void)wake_mask; host_hw.wfi_count++; }

void arch_sfence_vma(uint64_t vaddr, uint64_t asid, bool use_vaddr, bool use_asid)
{
    (void)vaddr; (void)asid; (void)use_vaddr; (void)use_asid;
    host_hw.sfence_count++;
}

void arch_fence_i(void) {}
void arch_hfence_vvma(uint64_t vaddr, uint64_t asid) { (void)vaddr; (void)asid; host_hw.hfence_count++; }
void arch_hfence_gvma(uint64_t gaddr, uint64_t vmid) { (void)gaddr; (void)vmid; host_hw.hfence_count++; }

void arch_install_world(const struct world_image *w)
{
    host_hw.installed = *w;
    host_hw.install_count++;
    host_hw.csr[CSR_MSTATUS] = w->mstatus;
    host_hw.csr[CSR_MEDELEG] = w->medeleg;
    host_hw.csr[CSR_MIE] = w->mie;
    host_hw.csr[CSR_SATP] = w->satp;
    host_hw.csr[CSR_MCOUNTEREN] = w->mcounteren;
    host_hw.csr[CSR_SCOUNTEREN] = w->scounteren;
}

void arch_save_os_state(struct world_image *w)
{
    w->mstatus = host_hw.csr[CSR_MSTATUS];
    w->mie = host_hw.csr[CSR_MIE];
    w->satp = host_hw.csr[CSR_SATP];
    w->scounteren = host_hw.csr[CSR_SCOUNTEREN];
}

uint64_t arch_mmio_read(uint64_t addr, unsigned width)
{
    uint64_t v = 0;
    struct trap_info f;
    arch_load(addr, width, &v, &f);
    return v;
}

void arch_mmio_write(uint64_t addr, unsigned width, uint64_t val)
{
    struct trap_info f;
    arch_store(addr, width, val, &f);
}

/* The core's one way to stop: on the host, a test failure with a message. */
#include <miralis/log.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void monitor_panic(const struct vcpu *v, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "monitor_panic (pc 0x%llx): ", v ? (unsigned long long)v->pc : 0ULL);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
