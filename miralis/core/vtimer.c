/* The monitor's tick over a virtual mtimecmp (vtimer.h). The SiFive CLINT layout (msip at
 * 0, mtimecmp at 0x4000 + 8 * hart, mtime at 0xbff8) is the one QEMU and the boards use. */
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/vtimer.h>

#define CLINT_MTIMECMP 0x4000
#define CLINT_MTIME    0xbff8

static uint64_t mtimecmp_addr(const struct vcpu *v)
{
    return v->tick_clint + CLINT_MTIMECMP + 8ULL * v->hartid;
}

static void write_mtimecmp(const struct vcpu *v, uint64_t val)
{
    struct trap_info fault;
    arch_store(mtimecmp_addr(v), 8, val, &fault);
}

/* Whether the guest takes a machine timer interrupt as soon as it is pending (3.1.6.1:
 * below M-mode, M-level interrupts are always globally enabled). */
static bool takes_mti(const struct vcpu *v, bool waking)
{
    if (!(v->csr[CSR_ID_mie] & MIP_MTIP))
        return false;
    return waking || v->priv != PRV_M || (v->csr[CSR_ID_mstatus] & MSTATUS_MIE);
}

void vtimer_program(struct vcpu *v, bool waking)
{
    uint64_t cmp = v->tick_next;
    if (takes_mti(v, waking) && v->tick_cmp < cmp)
        cmp = v->tick_cmp;
    write_mtimecmp(v, cmp);
}

uint64_t vtimer_mip(const struct vcpu *v, uint64_t mip)
{
    mip &= ~MIP_MTIP;
    return arch_read_time() >= v->tick_cmp ? mip | MIP_MTIP : mip;
}

static const struct vdevice *find_clint(const struct machine *m)
{
    for (unsigned i = 0; i < m->platform->num_devices; i++)
        if (m->platform->devices[i].access == vdevice_clint)
            return &m->platform->devices[i];
    return 0;
}

void vtimer_start(struct vcpu *v, uint64_t period)
{
    const struct vdevice *clint = find_clint(v->machine);
    struct trap_info fault;
    if (!clint || !period)
        return; /* no CLINT to take a tick from: no tick */
    v->tick_clint = clint->base;
    if (!arch_load(mtimecmp_addr(v), 8, &v->tick_cmp, &fault))
        return;
    v->tick_period = period;
    v->tick_next = arch_read_time() + period;
    v->dirty |= DIRTY_IRQ; /* physical mie gains MTIE, mtimecmp is programmed */
}

void vtimer_stop(struct vcpu *v)
{
    if (!v->tick_period)
        return;
    v->tick_period = 0;
    write_mtimecmp(v, v->tick_cmp);
    v->dirty |= DIRTY_IRQ;
}

static void rearm(struct vcpu *v, uint64_t now)
{
    v->tick_next = now + v->tick_period;
    vtimer_program(v, false);
}

bool vtimer_tick(struct vcpu *v)
{
    uint64_t now = arch_read_time();
    if (now < v->tick_next)
        return false;
    rearm(v, now);
    return true;
}

/* mtimecmp of a ticking hart: its virtual value, 4- or 8-byte aligned accesses (what the
 * CLINT accepts); anything else goes to the device. */
enum mmio_result vdevice_clint(struct vcpu *v, const struct vdevice *dev, uint64_t offset,
                               unsigned width, bool store, uint64_t *val,
                               struct trap_info *fault)
{
    uint64_t rel = offset - CLINT_MTIMECMP;
    unsigned hart = (unsigned)(rel / 8), shift = (unsigned)(rel % 8) * 8;
    struct vcpu *t = offset >= CLINT_MTIMECMP && hart < CONFIG_MAX_HARTS ?
                     v->machine->vcpus[hart] : 0;
    if (!CONFIG_VTIMER || !t || !vtimer_on(t) || (width != 4 && width != 8) || rel % width) {
        enum mmio_result r = vdevice_passthrough(v, dev, offset, width, store, val, fault);
        if (CONFIG_VTIMER && store && r == MMIO_DONE && offset - CLINT_MTIME < 8) {
            /* mtime written (backwards, perhaps): every tick counts from the new time. */
            uint64_t now = arch_read_time();
            for (unsigned h = 0; h < CONFIG_MAX_HARTS; h++)
                if (v->machine->vcpus[h] && vtimer_on(v->machine->vcpus[h]))
                    rearm(v->machine->vcpus[h], now);
        }
        return r;
    }
    uint64_t mask = width == 8 ? ~0ULL : 0xffffffffULL << shift;
    if (!store) {
        *val = (t->tick_cmp & mask) >> shift;
        return MMIO_DONE;
    }
    t->tick_cmp = (t->tick_cmp & ~mask) | ((*val << shift) & mask);
    vtimer_program(t, t->tick_waiting);
    if (!vtimer_on(t)) /* t stopped ticking meanwhile (detach): the value is the hardware's */
        write_mtimecmp(t, t->tick_cmp);
    return MMIO_DONE;
}
