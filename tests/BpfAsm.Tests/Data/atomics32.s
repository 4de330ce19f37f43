# 32-bit atomics: plain llvm-objdump cannot print most of them, so they are compared with --mattr=+alu32.
	.text
	.globl atomics
atomics:
	lock *(u32 *)(r1 + 4) |= w2
	lock *(u32 *)(r1 + 4) &= w2
	lock *(u32 *)(r1 + 4) ^= w2
	w2 = atomic_fetch_add((u32 *)(r1 - 4), w2)
	w2 = atomic_fetch_or((u32 *)(r1 + 0), w2)
	w2 = atomic_fetch_and((u32 *)(r1 + 0), w2)
	w2 = atomic_fetch_xor((u32 *)(r1 + 0), w2)
	w2 = xchg32_32(r1 + 0, w2)
	w0 = cmpxchg32_32(r1 + 0, w0, w2)
	exit
