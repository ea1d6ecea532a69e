/* Virtual CSRs: table-driven access (privileged spec 2.1-2.3, Zicsr chapter of the
 * unprivileged spec). Most CSRs need no code: STORE ones are kept in the vcpu and legalised
 * by the hardware's own WARL rules (arch_csr_legalize), PASS ones live in the physical CSR. */
#include <miralis/arch.h>
#include <miralis/csr.h>
#include <miralis/vtimer.h>
#include <miralis/machine.h>
#include <miralis/vpmp.h>

const struct csr_desc csr_table[CSR_ID_COUNT] = {
#define CSR_DESC(n, number, k, f) [CSR_ID_##n] = {.name = #n, .num = number, .kind = K_##k, .flags = f},
    MIRALIS_CSR_LIST(CSR_DESC)
#undef CSR_DESC
};

/* Number -> id + 1 (0: unknown). One byte per CSR number keeps the lookup O(1). */
static const uint8_t csr_index[4096] = {
#define CSR_INDEX(n, number, k, f) [number] = CSR_ID_##n + 1,
    MIRALIS_CSR_LIST(CSR_INDEX)
#undef CSR_INDEX
};
_Static_assert(CSR_ID_COUNT < 255, "csr_index holds ids in a byte");

int csr_id_of(unsigned num)
{
    return num < 4096 ? (int)csr_index[num] - 1 : -1;
}

const char *csr_name(unsigned num)
{
    int id = csr_id_of(num);
    return id < 0 ? 0 : csr_table[id].name;
}

/* S-level interrupts that sie can show (QEMU: S_MODE_INTERRUPTS) and HS-level ones for hie. */
#define SIE_BITS  (BIT(IRQ_SSI) | BIT(IRQ_STI) | BIT(IRQ_SEI) | BIT(IRQ_LCOFI))
#define HIE_BITS  (MIP_VS_BITS | BIT(IRQ_SGEI))

static uint64_t status_with_sd(uint64_t s)
{
    if ((s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_VS) == MSTATUS_VS ||
        (s & MSTATUS_XS) == MSTATUS_XS)
        s |= MSTATUS_SD;
    else
        s &= ~MSTATUS_SD;
    return s;
}

uint64_t csr_read_mstatus(struct vcpu *v)
{
    uint64_t s = v->csr[CSR_ID_mstatus];
    /* While the firmware runs, the FP unit marks FS/VS dirty in the physical mstatus
     * (unless the emulation just changed them and the physical copy is not refreshed). */
    if (v->priv == PRV_M && !(v->dirty & DIRTY_MSTATUS)) {
        uint64_t phys = arch_read_mstatus();
        s = (s & ~(MSTATUS_FS | MSTATUS_VS)) | (phys & (MSTATUS_FS | MSTATUS_VS));
        v->csr[CSR_ID_mstatus] = s;
    }
    return status_with_sd(s);
}

void csr_write_mstatus(struct vcpu *v, uint64_t val)
{
    uint64_t old = v->csr[CSR_ID_mstatus];
    uint64_t s = arch_csr_legalize(CSR_MSTATUS, old, val) & ~MSTATUS_SD;
    v->csr[CSR_ID_mstatus] = s;
    uint64_t changed = old ^ s;
    if (changed & MSTATUS_MIE)
        v->dirty |= DIRTY_IRQ;
    if (changed & (MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_MPV))
        v->dirty |= DIRTY_PMP;
    v->dirty |= DIRTY_MSTATUS;
}

static void write_mie(struct vcpu *v, uint64_t val)
{
    v->csr[CSR_ID_mie] = arch_csr_legalize(CSR_MIE, v->csr[CSR_ID_mie], val);
    v->dirty |= DIRTY_IRQ;
}

/* Views of mie through a mask (sie, hie, vsie): returns the view and applies a write. */
static uint64_t mie_view(struct vcpu *v, uint64_t mask, uint64_t val, uint64_t wmask)
{
    uint64_t mie = v->csr[CSR_ID_mie];
    if (wmask & mask)
        write_mie(v, (mie & ~(wmask & mask)) | (val & wmask & mask));
    return mie & mask;
}

/* Debug triggers (Sdtrig, mcontrol type 2/6): the physical trigger never gets the M bit,
 * or it would fire inside the monitor; the bit is kept here and shown to the firmware.
 * (So M-mode triggers set by the firmware are accepted but do not fire.) */
#define TDATA1_TYPE(x) ((x) >> 60)
#define TDATA1_M BIT(6)
static unsigned trigger_index(void) { return arch_csr_read(0x7a0) & 63; }

static uint64_t read_tdata1(struct vcpu *v)
{
    uint64_t t = arch_csr_read(0x7a1);
    if ((TDATA1_TYPE(t) == 2 || TDATA1_TYPE(t) == 6) && (v->trigger_m & BIT(trigger_index())))
        t |= TDATA1_M;
    return t;
}

static void write_tdata1(struct vcpu *v, uint64_t val)
{
    unsigned idx = trigger_index();
    arch_csr_write(0x7a1, val & ~TDATA1_M);
    uint64_t t = arch_csr_read(0x7a1);
    v->trigger_m &= ~BIT(idx);
    if ((TDATA1_TYPE(t) == 2 || TDATA1_TYPE(t) == 6) && (val & TDATA1_M))
        v->trigger_m |= BIT(idx);
}

static uint64_t read_csr(struct vcpu *v, int id)
{
    const struct csr_desc *d = &csr_table[id];
    if (vtimer_on(v) && id == CSR_ID_mip)
        return vtimer_mip(v, arch_csr_read(CSR_MIP)); /* MTIP from the firmware's mtimecmp */
    switch (d->kind) {
    case K_PASS:    return arch_csr_read(d->num);
    case K_MSTATUS: return csr_read_mstatus(v);
    case K_SSTATUS: return csr_read_mstatus(v) & SSTATUS_VIEW;
    case K_PMPCFG:  return vpmp_read_cfg(v, d->num - CSR_PMPCFG0);
    case K_PMPADDR: return vpmp_read_addr(v, d->num - CSR_PMPADDR0);
    case K_TDATA1:  return read_tdata1(v);
    default:        return v->csr[id];
    }
}

static bool csr_rmw_other(struct vcpu *v, int id, unsigned num, uint64_t val, uint64_t wmask,
                          uint64_t *old);

bool csr_rmw(struct vcpu *v, unsigned num, uint64_t val, uint64_t wmask, uint64_t *old)
{
    int id = csr_id_of(num);
    if (id < 0 || !vcpu_has_csr(v, id))
        return false;
    /* CSR numbers with bits 11:10 = 3 are read-only; a write attempt is illegal (2.1).
     * QEMU only counts it as a write when the write mask is non-zero. */
    if (wmask && (num >> 10) == 3)
        return false;
    /* The common case, a CSR the monitor stores (mscratch, mepc, mtvec...) and whose write
     * has no other effect, without the frame the other kinds need. */
    const struct csr_desc *d = &csr_table[id];
    if (d->kind == K_STORE && !d->flags) {
        uint64_t cur = v->csr[id];
        *old = cur;
        if (wmask)
            v->csr[id] = arch_csr_legalize(num, cur, (cur & ~wmask) | (val & wmask));
        return true;
    }
    return csr_rmw_other(v, id, num, val, wmask, old);
}

static __attribute__((noinline)) bool csr_rmw_other(struct vcpu *v, int id, unsigned num,
                                                    uint64_t val, uint64_t wmask, uint64_t *old)
{
    const struct csr_desc *d = &csr_table[id];
    uint64_t cur;
    if (d->kind == K_SIE || d->kind == K_HIE || d->kind == K_VSIE) {
        uint64_t mask = d->kind == K_SIE ? v->csr[CSR_ID_mideleg] & SIE_BITS
                      : d->kind == K_HIE ? HIE_BITS
                      : arch_csr_read(CSR_HIDELEG) & MIP_VS_BITS;
        if (d->kind == K_VSIE) /* vsie shows VS bits at their S positions (8.2.12) */
            *old = mie_view(v, mask, val << 1, wmask << 1) >> 1;
        else
            *old = mie_view(v, mask, val, wmask);
        return true;
    }
    cur = read_csr(v, id);
    *old = cur;
    if (!wmask)
        return true;

    uint64_t nv = (cur & ~wmask) | (val & wmask);
    switch (d->kind) {
    case K_STORE:
        v->csr[id] = arch_csr_legalize(num, v->csr[id], nv);
        break;
    case K_PASS:
        /* A partial write (csrrs/csrrc) must stay partial on the real CSR: read-modify-
         * write of the whole register would write back bits the hardware drives (QEMU's
         * mip.SEIP has a software latch: a stale 1 written there never goes away). */
        if (wmask == ~0ULL) {
            arch_csr_write(num, nv);
        } else {
            if (wmask & val)
                arch_csr_set(num, wmask & val);
            if (wmask & ~val)
                arch_csr_clear(num, wmask & ~val);
        }
        /* Routing needs mideleg: keep a copy, read back so it holds the legal value. */
        if (d->flags & F_IRQ)
            v->csr[id] = arch_csr_read(num);
        break;
    case K_CONST:
        break; /* misa: this CPU ignores writes (WARL, may be read-only) */
    case K_MSTATUS:
        csr_write_mstatus(v, nv);
        break;
    case K_SSTATUS: {
        uint64_t smask = SSTATUS_VIEW & ~MSTATUS_SD;
        csr_write_mstatus(v, (v->csr[CSR_ID_mstatus] & ~smask) | (nv & smask));
        break;
    }
    case K_MIE:
        write_mie(v, nv);
        break;
    case K_PMPCFG:
        vpmp_write_cfg(v, num - CSR_PMPCFG0, nv);
        break;
    case K_PMPADDR:
        vpmp_write_addr(v, num - CSR_PMPADDR0, nv);
        break;
    case K_TDATA1:
        write_tdata1(v, nv);
        break;
    default:
        return false;
    }
    if (d->flags & F_IRQ)
        v->dirty |= DIRTY_IRQ;
    if (d->flags & F_PMP)
        v->dirty |= DIRTY_PMP;
    return true;
}

void csr_reset(struct vcpu *v)
{
    /* The firmware must find the CPU as reset left it: take every stored CSR's value from
     * the hardware before the monitor changes anything (boot.c calls this first). */
    for (int id = 0; id < CSR_ID_COUNT; id++) {
        const struct csr_desc *d = &csr_table[id];
        if (!vcpu_has_csr(v, id))
            continue;
        if (d->kind == K_STORE || d->kind == K_CONST || d->kind == K_MSTATUS || d->kind == K_MIE)
            v->csr[id] = arch_csr_read(d->num);
    }
    v->csr[CSR_ID_mstatus] &= ~MSTATUS_SD;
}
