/* Entry at the image base (0x80000000 natively). All addresses are pc-relative so
 * the image also runs when a monitor loads it elsewhere. a0 = hartid on entry. */
#define STACK_SHIFT 14   /* 16 KiB per hart */
#define MAX_HARTS 4
#define HART_SIZE_SHIFT 8  /* sizeof(struct hart) <= 256 */

	.section .text.init, "ax"
	.globl _start
_start:
	csrw mie, zero
	la t0, trap_entry
	csrw mtvec, t0
	li t0, MAX_HARTS
	bgeu a0, t0, park
	/* per-hart stack */
	la sp, _stack_top
	slli t0, a0, STACK_SHIFT
	sub sp, sp, t0
	/* tp = &harts[hartid] */
	la tp, harts
	slli t0, a0, HART_SIZE_SHIFT
	add tp, tp, t0
	mv s0, a0
	bnez a0, wait_bss
	la t0, _bss_start
	la t1, _bss_end
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:	fence rw, rw
	la t0, bss_ready
	li t1, 1
	sw t1, 0(t0)
	j go
wait_bss:
	la t0, bss_ready
3:	lw t1, 0(t0)
	beqz t1, 3b
	fence rw, rw
go:
	sd s0, 8(tp)
	mv a0, s0
	call hart_init
	mv a0, s0
	bnez s0, 4f
	call main
	li a0, 0
	call done_noname
4:	call hart_main
park:
	wfi
	j park

	.section .data
	.balign 4
bss_ready:
	.word 0
