#include "textflag.h"

// func dot4FMA(a *float64, lda int, x *float64, n int, y *float64)
// y[0:4] = rows 0..3 of a (row stride lda) dotted with x[0:n]; n % 4 == 0.
// Two accumulators per row (columns 8c..8c+3 and 8c+4..8c+7), summed at the
// end: a fixed order, so the result does not depend on anything but a, x.
TEXT ·dot4FMA(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), SI
	MOVQ lda+8(FP), DX
	SHLQ $3, DX
	MOVQ x+16(FP), DI
	MOVQ n+24(FP), CX
	MOVQ y+32(FP), R8
	LEAQ (SI)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
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
	VFMADD231PD (SI)(AX*8), Y4, Y0
	VFMADD231PD (R9)(AX*8), Y4, Y1
	VFMADD231PD (R10)(AX*8), Y4, Y2
	VFMADD231PD (R11)(AX*8), Y4, Y3
	VFMADD231PD 32(SI)(AX*8), Y5, Y8
	VFMADD231PD 32(R9)(AX*8), Y5, Y9
	VFMADD231PD 32(R10)(AX*8), Y5, Y10
	VFMADD231PD 32(R11)(AX*8), Y5, Y11
	ADDQ $8, AX
	JMP  loop8

tail4:
	CMPQ AX, CX
	JGE  reduce
	VMOVUPD (DI)(AX*8), Y4
	VFMADD231PD (SI)(AX*8), Y4, Y0
	VFMADD231PD (R9)(AX*8), Y4, Y1
	VFMADD231PD (R10)(AX*8), Y4, Y2
	VFMADD231PD (R11)(AX*8), Y4, Y3

reduce:
	VADDPD Y8, Y0, Y0
	VADDPD Y9, Y1, Y1
	VADDPD Y10, Y2, Y2
	VADDPD Y11, Y3, Y3
	VHADDPD Y1, Y0, Y0          // [a01 b01 a23 b23]
	VHADDPD Y3, Y2, Y2          // [c01 d01 c23 d23]
	VPERM2F128 $0x21, Y2, Y0, Y5 // [a23 b23 c01 d01]
	VBLENDPD $0x0C, Y2, Y0, Y6  // [a01 b01 c23 d23]
	VADDPD Y5, Y6, Y6
	VMOVUPD Y6, (R8)
	VZEROUPPER
	RET

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
