/* Virtual CSR file: the table generated from csr_list.h and the access path. */
#ifndef MIRALIS_CSR_H
#define MIRALIS_CSR_H

#include <stdbool.h>
#include <stdint.h>
#include "vcpu.h"

enum csr_kind { K_STORE, K_PASS, K_CONST, K_MSTATUS, K_SSTATUS, K_MIE, K_SIE, K_HIE, K_VSIE,
                K_PMPCFG, K_PMPADDR, K_TDATA1 };
#define F_IRQ 0x1
#define F_PMP 0x2

struct csr_desc {
    const char *name;
    uint16_t num;
    uint8_t kind;
    uint8_t flags;
};

extern const struct csr_desc csr_table[CSR_ID_COUNT];

/* Table lookup: the id of CSR number num, or -1 if the monitor does not know it. */
int csr_id_of(unsigned num);
const char *csr_name(unsigned num);

/* One read-modify-write as the six CSR instructions perform it (Zicsr): old receives the
 * previous value; the CSR is written only if wmask != 0, with (old & ~wmask) | (val & wmask).
 * Returns false if the access is illegal (the caller injects an illegal-instruction trap). */
bool csr_rmw(struct vcpu *v, unsigned num, uint64_t val, uint64_t wmask, uint64_t *old);

/* The virtual mstatus as the firmware reads it (FS from the hardware, SD computed). */
uint64_t csr_read_mstatus(struct vcpu *v);
/* Legalise and store a new virtual mstatus. */
void csr_write_mstatus(struct vcpu *v, uint64_t val);

/* Fill the vcpu's virtual CSRs with the values read at reset (boot). */
void csr_reset(struct vcpu *v);

#endif
