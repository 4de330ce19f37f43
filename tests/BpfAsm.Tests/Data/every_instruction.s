# One of every instruction form of RFC 9669 and the kernel's uapi, in llvm's BPF syntax.
# llvm-mc-19 -triple bpfel -mcpu=v4 assembles it; the tests compare our listing with llvm-objdump-19's.
	.text
	.globl every
every:
	r0 = 1
	r0 = -1
	w0 = 5
	r1 = r2
	w1 = w2
	r1 += r2
	r1 += 5
	w1 += w2
	w1 += 5
	r1 -= r2
	w1 -= 7
	r1 *= r2
	w1 *= 3
	r1 /= r2
	w1 /= 3
	r1 %= r2
	w1 %= 3
	r1 s/= r2
	r1 s/= -3
	r1 s%= r2
	w1 s/= w2
	w1 s%= 3
	r1 |= r2
	w1 |= 1
	r1 &= r2
	w1 &= 0xff
	r1 <<= r2
	w1 <<= 3
	r1 >>= r2
	w1 >>= 3
	r1 s>>= r2
	w1 s>>= 3
	r1 ^= r2
	w1 ^= -1
	r1 = -r1
	w1 = -w1
	r1 = (s8)r2
	r1 = (s16)r2
	r1 = (s32)r2
	w1 = (s8)w2
	w1 = (s16)w2
	r1 = be16 r1
	r1 = be32 r1
	r1 = be64 r1
	r1 = le16 r1
	r1 = le32 r1
	r1 = le64 r1
	r1 = bswap16 r1
	r1 = bswap32 r1
	r1 = bswap64 r1
	r1 = addr_space_cast(r2, 1, 0)
	r1 = 0x123456789 ll
	r9 = -2 ll
	r1 = 0 ll
back:
	goto +1
	gotol +1
	goto back
	if r1 == r2 goto -1
	if r1 != 3 goto +2
	if r1 > r2 goto +0
	if r1 >= r2 goto +0
	if r1 < r2 goto +0
	if r1 <= r2 goto +0
	if r1 s> r2 goto +0
	if r1 s>= r2 goto +0
	if r1 s< r2 goto +0
	if r1 s<= r2 goto +0
	if r1 & r2 goto +0
	if r1 s> -3 goto back
	if w1 == w2 goto +0
	if w1 != 5 goto +0
	if w1 > w2 goto +0
	if w1 >= 5 goto +0
	if w1 < w2 goto +0
	if w1 <= 5 goto +0
	if w1 s> w2 goto +0
	if w1 s>= 5 goto +0
	if w1 s< -5 goto +0
	if w1 s<= w2 goto +0
	if w1 & 5 goto +0
	may_goto +1
	call 1
	call 51
	exit
	r0 = *(u8 *)(r1 + 2)
	r0 = *(u16 *)(r1 - 2)
	r0 = *(u32 *)(r1 + 0)
	r0 = *(u64 *)(r1 + 8)
	w0 = *(u8 *)(r1 + 2)
	w0 = *(u16 *)(r1 + 2)
	w0 = *(u32 *)(r1 + 2)
	r0 = *(s8 *)(r1 + 2)
	r0 = *(s16 *)(r1 + 2)
	r0 = *(s32 *)(r1 + 32767)
	*(u8 *)(r10 - 1) = r1
	*(u16 *)(r10 - 2) = r1
	*(u32 *)(r10 - 4) = w1
	*(u64 *)(r10 - 8) = r1
	*(u8 *)(r10 - 1) = 5
	*(u16 *)(r10 - 2) = 5
	*(u32 *)(r10 - 4) = 5
	*(u64 *)(r10 - 32768) = -5
	lock *(u32 *)(r1 + 0) += w2
	lock *(u64 *)(r1 + 0) += r2
	lock *(u64 *)(r1 + 0) |= r2
	lock *(u64 *)(r1 + 0) &= r2
	lock *(u64 *)(r1 + 0) ^= r2
	r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)
	r2 = atomic_fetch_or((u64 *)(r1 + 0), r2)
	r2 = atomic_fetch_and((u64 *)(r1 + 0), r2)
	r2 = atomic_fetch_xor((u64 *)(r1 + 0), r2)
	r2 = xchg_64(r1 + 0, r2)
	r0 = cmpxchg_64(r1 + 0, r0, r2)
	r0 = *(u8 *)skb[3]
	r0 = *(u16 *)skb[3]
	r0 = *(u32 *)skb[3]
	r0 = *(u8 *)skb[r3]
	r0 = *(u16 *)skb[r3]
	r0 = *(u32 *)skb[r3]
	exit
