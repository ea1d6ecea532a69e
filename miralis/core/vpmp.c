/* Virtual PMP (privileged spec 3.7). Physical layout, highest priority first:
 *   [0]            the monitor's memory, no access for anything below M;
 *   [1 .. d]       one no-access NAPOT entry per virtual device, so the firmware's
 *                  accesses trap (OFF while the OS runs: there the firmware's rules apply);
 *   [d+1]          an OFF entry with address 0: the base of the firmware's first TOR entry;
 *   [d+2 .. n-2]   the firmware's virtual entries 0..k-1, in order;
 *   [n-1]          a NAPOT entry over all memory: RWX while the firmware runs (M-mode has
 *                  access where no entry matches), OFF while the OS runs (S/U have none).
 * The firmware therefore sees k = n - d - 3 entries. Physical entries never get the L bit,
 * so the monitor can always reprogram them; virtual L is emulated here. */
#include <miralis/arch.h>
#include <miralis/machine.h>
#include <miralis/vpmp.h>
#include "gdb_target.h"

#define RWX (PMP_R | PMP_W | PMP_X)

static uint64_t napot_addr(uint64_t base, uint64_t size)
{
    return (base + size / 2 - 1) >> 2;
}

void vpmp_init_layout(struct machine *m)
{
    unsigned n = arch_pmp_count();
    unsigned debug = CONFIG_GDB ? 1 : 0;                 /* the GDB stub's watch entry */
    unsigned fixed = 1 + m->platform->num_devices + debug + 1; /* + monitor, zero entry */
    m->pmp_debug_index = debug ? 1 + m->platform->num_devices : 0;
    m->pmp_phys_count = n;
    m->pmp_first_virtual = fixed;
    m->pmp_virtual_count = n > fixed + 1 ? n - fixed - 1 : 0;
}

void vpmp_program_fixed_entries(struct vcpu *v)
{
    const struct machine *m = v->machine;
    unsigned idx = 0;
    arch_pmp_set_addr(idx++, napot_addr(m->monitor_base, m->monitor_size));
    for (unsigned i = 0; i < m->platform->num_devices; i++) {
        const struct vdevice *d = &m->platform->devices[i];
        arch_pmp_set_addr(idx++, napot_addr(d->base, d->size));
    }
    if (m->pmp_debug_index)
        arch_pmp_set_addr(idx++, 0);
    arch_pmp_set_addr(idx, 0); /* zero entry */
    for (unsigned i = 0; i < m->pmp_virtual_count; i++)
        arch_pmp_set_addr(m->pmp_first_virtual + i, v->csr[CSR_ID_pmpaddr0 + i]);
    arch_pmp_set_addr(m->pmp_phys_count - 1, ~0ULL); /* NAPOT over the whole address space */
    v->pmp_installed = -1;
    v->pmp_images_valid = false;
    v->dirty |= DIRTY_PMP;
}

/* rv64: pmpcfg0, 2, 4... each hold 8 entries; odd registers do not exist (3.7.1). */
static bool cfg_reg_exists(unsigned reg) { return (reg & 1) == 0; }

uint64_t vpmp_read_cfg(struct vcpu *v, unsigned reg)
{
    uint64_t val = 0;
    if (!cfg_reg_exists(reg))
        return 0;
    for (unsigned i = 0; i < 8; i++) {
        unsigned e = reg * 4 + i;
        if (e < v->machine->pmp_virtual_count)
            val |= (uint64_t)v->pmpcfg[e] << (8 * i);
    }
    return val;
}

static bool entry_locked(const struct vcpu *v, unsigned e)
{
    return v->pmpcfg[e] & PMP_L;
}

void vpmp_write_cfg(struct vcpu *v, unsigned reg, uint64_t val)
{
    const struct machine *m = v->machine;
    if (!cfg_reg_exists(reg))
        return;
    for (unsigned i = 0; i < 8; i++) {
        unsigned e = reg * 4 + i;
        if (e >= m->pmp_virtual_count || entry_locked(v, e))
            continue; /* a locked entry ignores writes until reset (3.7.1.3) */
        uint8_t byte = (val >> (8 * i)) & 0xff;
        /* Let the hardware legalise the bits it owns (A, R/W/X, reserved), never with L. */
        uint8_t legal = arch_pmp_legalize_cfg(m->pmp_first_virtual + e, byte & ~PMP_L);
        v->pmpcfg[e] = legal | (byte & PMP_L);
    }
    v->pmp_installed = -1; /* the images depend on the configuration bytes */
    v->pmp_images_valid = false;
    v->dirty |= DIRTY_PMP;
}

uint64_t vpmp_read_addr(struct vcpu *v, unsigned idx)
{
    return idx < v->machine->pmp_virtual_count ? v->csr[CSR_ID_pmpaddr0 + idx] : 0;
}

void vpmp_write_addr(struct vcpu *v, unsigned idx, uint64_t val)
{
    const struct machine *m = v->machine;
    if (idx >= m->pmp_virtual_count || entry_locked(v, idx))
        return;
    /* A locked TOR entry also locks the address below it (3.7.1.3). */
    if (idx + 1 < m->pmp_virtual_count && entry_locked(v, idx + 1) &&
        (v->pmpcfg[idx + 1] & PMP_A) == PMP_A_TOR)
        return;
    v->csr[CSR_ID_pmpaddr0 + idx] = arch_pmp_set_addr(m->pmp_first_virtual + idx, val);
}

enum pmp_world vpmp_world_of(const struct vcpu *v)
{
    if (v->priv != PRV_M)
        return PMP_OS;
    uint64_t s = v->csr[CSR_ID_mstatus];
    /* Virtual MPRV with MPP below M: the firmware's data accesses must be replayed with
     * the translation and protection of MPP, so they must all trap (see mprv.c). */
    if ((s & MSTATUS_MPRV) && ((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) != PRV_M)
        return PMP_FIRMWARE_MPRV;
    return PMP_FIRMWARE;
}

/* The physical configuration bytes of one world's image. */
static void build_image(const struct vcpu *v, enum pmp_world w, uint8_t *cfg)
{
    const struct machine *m = v->machine;
    unsigned idx = 0;
    cfg[idx++] = PMP_A_NAPOT; /* monitor: no access */
    /* Devices trap only the firmware's accesses; for the OS the firmware's own PMP rules
     * decide, as they would natively. */
    for (unsigned i = 0; i < m->platform->num_devices; i++)
        cfg[idx++] = w == PMP_OS ? 0 : PMP_A_NAPOT;
    if (m->pmp_debug_index)
        cfg[idx++] = w == PMP_OS ? 0 : gdb_watch_cfg();
    cfg[idx] = 0;             /* zero entry */
    for (unsigned e = 0; e < m->pmp_virtual_count; e++) {
        uint8_t c = v->pmpcfg[e], a = c & PMP_A, out;
        if (a == PMP_A_OFF)
            out = 0;
        else if (w == PMP_OS)
            out = a | (c & RWX);                         /* S/U: the entry's permissions */
        else
            out = a | ((c & PMP_L) ? (c & RWX) : RWX);   /* M: only locked entries restrict */
        if (w == PMP_FIRMWARE_MPRV)
            out &= PMP_A | PMP_X;
        cfg[m->pmp_first_virtual + e] = out;
    }
    cfg[m->pmp_phys_count - 1] = w == PMP_OS ? 0
                               : w == PMP_FIRMWARE ? (PMP_A_NAPOT | RWX)
                               : (PMP_A_NAPOT | PMP_X);
}

void vpmp_install(struct vcpu *v, enum pmp_world w)
{
    if (v->pmp_installed == (int8_t)w)
        return; /* the physical image is already this one */
    unsigned n = v->machine->pmp_phys_count;
    if (!v->pmp_images_valid) {
        /* Rebuilt only when the firmware changes its configuration: a world switch then
         * costs one CSR write per 8 entries. */
        for (unsigned i = 0; i < PMP_WORLDS; i++) {
            uint8_t cfg[MAX_PMP] = {0};
            build_image(v, (enum pmp_world)i, cfg);
            for (unsigned r = 0; r < (n + 7) / 8; r++) {
                uint64_t val = 0;
                for (unsigned b = 0; b < 8; b++)
                    val |= (uint64_t)cfg[8 * r + b] << (8 * b);
                v->pmp_images[i][r] = val;
            }
        }
        v->pmp_images_valid = true;
    }
    v->pmp_installed = (int8_t)w;
    arch_pmp_write_cfg_regs(v->pmp_images[w], (n + 7) / 8);
}
