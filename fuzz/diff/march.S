/* Only its ELF attributes matter: Tag_RISCV_arch = rv64imafdch tells libopcodes which
 * extensions to disassemble (H is not in its default rv64gc). */
	.text
	nop
