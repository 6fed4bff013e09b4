#include "textflag.h"

// ARGS loads the arguments (a *float64, lda int, x *float64, n int,
// y *float64): rows 0-3 of a at SI, R9, R10, R11, x at DI, n in CX, y in R8.
#define ARGS \
	MOVQ a+0(FP), SI \
	MOVQ lda+8(FP), DX \
	SHLQ $3, DX \
	MOVQ x+16(FP), DI \
	MOVQ n+24(FP), CX \
	MOVQ y+32(FP), R8 \
	LEAQ (SI)(DX*1), R9 \
	LEAQ (R9)(DX*1), R10 \
	LEAQ (R10)(DX*1), R11

// ROWS4 adds the columns at byte offset off from AX*8 of rows 0-3, times
// the x chunk in X, to the accumulators A0-A3.
#define ROWS4(off, X, A0, A1, A2, A3) \
	VFMADD231PD off(SI)(AX*8), X, A0 \
	VFMADD231PD off(R9)(AX*8), X, A1 \
	VFMADD231PD off(R10)(AX*8), X, A2 \
	VFMADD231PD off(R11)(AX*8), X, A3

// STORE4 sums each of Y0-Y3 (rows a-d) across its 4 lanes, stores the
// four sums at y and returns:
// hadd gives [a01 b01 a23 b23] and [c01 d01 c23 d23]; a permute and a
// blend line up [a23 b23 c01 d01] against [a01 b01 c23 d23].
#define STORE4 \
	VHADDPD Y1, Y0, Y0 \
	VHADDPD Y3, Y2, Y2 \
	VPERM2F128 $0x21, Y2, Y0, Y5 \
	VBLENDPD $0x0C, Y2, Y0, Y6 \
	VADDPD Y5, Y6, Y6 \
	VMOVUPD Y6, (R8) \
	VZEROUPPER \
	RET

// func dot4FMA(a *float64, lda int, x *float64, n int, y *float64)
// y[0:4] = rows 0..3 of a (row stride lda) dotted with x[0:n]; n % 4 == 0.
// Two accumulators per row (columns 8c..8c+3 and 8c+4..8c+7), summed at the
// end: a fixed order, so the result does not depend on anything but a, x.
TEXT ·dot4FMA(SB), NOSPLIT, $0-40
	ARGS
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11
	XORQ AX, AX
	MOVQ CX, BX
	SUBQ $8, BX

loop8:
	CMPQ AX, BX
	JG   tail4
	VMOVUPD (DI)(AX*8), Y4
	VMOVUPD 32(DI)(AX*8), Y5
	ROWS4(0, Y4, Y0, Y1, Y2, Y3)
	ROWS4(32, Y5, Y8, Y9, Y10, Y11)
	ADDQ $8, AX
	JMP  loop8

tail4:
	CMPQ AX, CX
	JGE  reduce
	VMOVUPD (DI)(AX*8), Y4
	ROWS4(0, Y4, Y0, Y1, Y2, Y3)

reduce:
	VADDPD Y8, Y0, Y0
	VADDPD Y9, Y1, Y1
	VADDPD Y10, Y2, Y2
	VADDPD Y11, Y3, Y3
	STORE4

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func dot4AVX512(a *float64, lda int, x *float64, n int, y *float64)
// As dot4FMA on 8-wide registers; n % 8 == 0. Two accumulators per row
// (columns 16c..16c+7 and 16c+8..16c+15), summed, then reduced 8 -> 4 and
// as in dot4FMA.
TEXT ·dot4AVX512(SB), NOSPLIT, $0-40
	ARGS
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	VXORPD Z2, Z2, Z2
	VXORPD Z3, Z3, Z3
	VXORPD Z8, Z8, Z8
	VXORPD Z9, Z9, Z9
	VXORPD Z10, Z10, Z10
	VXORPD Z11, Z11, Z11
	XORQ AX, AX
	MOVQ CX, BX
	SUBQ $16, BX

loop16:
	CMPQ AX, BX
	JG   tail8
	VMOVUPD (DI)(AX*8), Z4
	VMOVUPD 64(DI)(AX*8), Z5
	ROWS4(0, Z4, Z0, Z1, Z2, Z3)
	ROWS4(64, Z5, Z8, Z9, Z10, Z11)
	ADDQ $16, AX
	JMP  loop16

tail8:
	CMPQ AX, CX
	JGE  reduce512
	VMOVUPD (DI)(AX*8), Z4
	ROWS4(0, Z4, Z0, Z1, Z2, Z3)

reduce512:
	VADDPD Z8, Z0, Z0
	VADDPD Z9, Z1, Z1
	VADDPD Z10, Z2, Z2
	VADDPD Z11, Z3, Z3
	VEXTRACTF64X4 $1, Z0, Y12
	VEXTRACTF64X4 $1, Z1, Y13
	VEXTRACTF64X4 $1, Z2, Y14
	VEXTRACTF64X4 $1, Z3, Y15
	VADDPD Y12, Y0, Y0
	VADDPD Y13, Y1, Y1
	VADDPD Y14, Y2, Y2
	VADDPD Y15, Y3, Y3
	STORE4
