/* Boot: what the monitor decides once, and the reset state each hart's firmware finds. */
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/dispatch.h>
#include <miralis/log.h>
#include <miralis/vpmp.h>
#include <miralis/world.h>

void miralis_machine_init(struct machine *m)
{
    vpmp_init_layout(m);
}

void miralis_hart_init(struct machine *m, struct vcpu *v, unsigned hartid, uint64_t fdt,
                       uint64_t fw_info, const struct reset_trap_csrs *reset)
{
    v->machine = m;
    v->hartid = hartid;
    /* Only the CSRs this hart has are virtualised; the others stay illegal, as natively.
     * Harts may differ (sifive_u: hart 0 has no S-mode). */
    for (int id = 0; id < CSR_ID_COUNT; id++)
        if (arch_csr_exists(csr_table[id].num))
            v->csr_present[id / 64] |= BIT(id % 64);
    csr_reset(v);
    v->csr[CSR_ID_mstatus] = reset->mstatus & ~MSTATUS_SD;
    v->csr[CSR_ID_mepc] = reset->mepc;
    v->csr[CSR_ID_mcause] = reset->mcause;
    v->csr[CSR_ID_mtval] = reset->mtval;
    v->csr[CSR_ID_mtvec] = reset->mtvec;
    /* The boot protocol of the platform: a0 = hart id, a1 = FDT, a2 = fw_dynamic info. */
    v->x[10] = hartid;
    v->x[11] = fdt;
    v->x[12] = fw_info;
    v->pc = m->platform->firmware_entry;
    v->priv = PRV_M;
    v->virt = false;
    vpmp_program_fixed_entries(v);
    world_enter(v);
}
