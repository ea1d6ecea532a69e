/* Hypervisor-extension CSRs read back after all-ones / zero / pattern writes
 * (priv spec 8.2, 8.3). Each probe restores the old value. */
#include "fw.h"

#define PATS(csr) do { PROBE(csr, ~0UL); PROBE(csr, 0); PROBE(csr, 0x5555555555555555UL); } while (0)

int main(void)
{
	PATS(hstatus);
	PATS(hedeleg);
	PATS(hideleg);
	PATS(hvip);
	PATS(hip);
	PATS(hie);
	PATS(hcounteren);
	PATS(hgeie);
	PATS(htval);
	PATS(htinst);
	PATS(hgatp);
	PATS(htimedelta);
	PATS(vsstatus);
	PATS(vsie);
	PATS(vsip);
	PATS(vstvec);
	PATS(vsscratch);
	PATS(vsepc);
	PATS(vscause);
	PATS(vstval);
	PATS(vsatp);
	kvw("hgatp sv39x4", 8UL << 60, csr_probe(hgatp, 8UL << 60));
	kvw("hgatp sv48x4", 9UL << 60, csr_probe(hgatp, 9UL << 60));
	kvw("vsatp sv39", 8UL << 60, csr_probe(vsatp, 8UL << 60));
	kv("hgeip", csr_read(hgeip));
	TRY("csrw hgeip", "csrw hgeip, t1", 0);
	/* vsie/vsip depend on hideleg */
	csr_write(hideleg, ~0UL);
	csr_write(hvip, ~0UL);
	csr_write(hie, ~0UL);
	kv("hideleg=all vsip", csr_read(vsip));
	kv("hideleg=all vsie", csr_read(vsie));
	kv("hideleg=all mip", csr_read(mip));
	csr_write(hvip, 0);
	csr_write(hie, 0);
	csr_write(hideleg, 0);
	kv("hvip final", csr_read(hvip));
	kv("mip final", csr_read(mip));
	done("csr_hyp");
}
