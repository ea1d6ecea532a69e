/* Emulation of what the firmware's instructions do in virtual M-mode. */
#ifndef MIRALIS_EMULATE_H
#define MIRALIS_EMULATE_H

#include <stdbool.h>
#include <stdint.h>
#include "decode.h"
#include "vcpu.h"

/* What an emulation step asks the dispatcher to do: only the dispatcher moves the pc,
 * injects a trap or switches worlds. */
enum emu_outcome {
    EMU_NEXT,       /* done: continue after the instruction */
    EMU_JUMP,       /* done: v->pc already set (mret/sret), v->priv may have changed */
    EMU_TRAP,       /* deliver the trap in *trap to the virtual firmware */
    EMU_RETRY,      /* not done: the instruction runs again (a wfi the monitor's tick ended) */
};

/* An instruction that trapped as illegal in physical U-mode, run as virtual M-mode would. */
enum emu_outcome emulate_privileged(struct vcpu *v, const struct insn *in, uint32_t raw,
                                    struct trap_info *trap);

/* A load/store that faulted on a PMP entry: a virtual device, or virtual MPRV. */
enum emu_outcome emulate_mmio(struct vcpu *v, const struct insn *in, uint64_t addr,
                              struct trap_info *trap);
/* Perform the access for the guest on the real memory/device (watched regions). */
enum emu_outcome emulate_passthrough(struct vcpu *v, const struct insn *in, uint64_t addr,
                                     struct trap_info *trap);
enum emu_outcome emulate_mprv(struct vcpu *v, const struct insn *in, uint64_t addr,
                              struct trap_info *trap);

/* The value a plain store (integer or FP) of the guest writes, cut to its width. */
uint64_t store_value(struct vcpu *v, const struct insn *in);

/* Fetch the instruction at the guest pc (physical, as the firmware's own fetch). */
bool fetch_insn(struct vcpu *v, uint64_t pc, uint32_t *raw, struct trap_info *fault);

#endif
