#include "textflag.h"

// The float32 matrix-vector kernels: dot4FMA and dot4AVX512 of
// dot4_amd64.s on float32 lanes (8 per YMM, 16 per ZMM register).

// ARGS32 loads the arguments (a *float32, lda int, x *float32, n int,
// y *float32): rows 0-3 of a at SI, R9, R10, R11, x at DI, n in CX, y in R8.
#define ARGS32 \
	MOVQ a+0(FP), SI \
	MOVQ lda+8(FP), DX \
	SHLQ $2, DX \
	MOVQ x+16(FP), DI \
	MOVQ n+24(FP), CX \
	MOVQ y+32(FP), R8 \
	LEAQ (SI)(DX*1), R9 \
	LEAQ (R9)(DX*1), R10 \
	LEAQ (R10)(DX*1), R11

#define ROWS4S(off, X, A0, A1, A2, A3) \
	VFMADD231PS off(SI)(AX*4), X, A0 \
	VFMADD231PS off(R9)(AX*4), X, A1 \
	VFMADD231PS off(R10)(AX*4), X, A2 \
	VFMADD231PS off(R11)(AX*4), X, A3

// STORE4S sums each of Y0-Y3 (rows a-d) across its 8 lanes and stores the
// four sums at y: two rounds of hadd give [a0123 b0123 c0123 d0123] in
// each 128-bit half, which are added.
#define STORE4S \
	VHADDPS Y1, Y0, Y0 \
	VHADDPS Y3, Y2, Y2 \
	VHADDPS Y2, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS X1, X0, X0 \
	VMOVUPS X0, (R8) \
	VZEROUPPER \
	RET

// func dot4FMAS(a *float32, lda int, x *float32, n int, y *float32)
// y[0:4] = rows 0..3 of a dotted with x[0:n]; n % 8 == 0. Two
// accumulators per row (columns 16c..16c+7 and 16c+8..16c+15).
TEXT ·dot4FMAS(SB), NOSPLIT, $0-40
	ARGS32
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	XORQ AX, AX
	MOVQ CX, BX
	SUBQ $16, BX

loop16s:
	CMPQ AX, BX
	JG   tail8s
	VMOVUPS (DI)(AX*4), Y4
	VMOVUPS 32(DI)(AX*4), Y5
	ROWS4S(0, Y4, Y0, Y1, Y2, Y3)
	ROWS4S(32, Y5, Y8, Y9, Y10, Y11)
	ADDQ $16, AX
	JMP  loop16s

tail8s:
	CMPQ AX, CX
	JGE  reduces
	VMOVUPS (DI)(AX*4), Y4
	ROWS4S(0, Y4, Y0, Y1, Y2, Y3)

reduces:
	VADDPS Y8, Y0, Y0
	VADDPS Y9, Y1, Y1
	VADDPS Y10, Y2, Y2
	VADDPS Y11, Y3, Y3
	STORE4S

// func dot4AVX512S(a *float32, lda int, x *float32, n int, y *float32)
// As dot4FMAS on 16-wide registers; n % 8 == 0 (a last 8 columns in the
// low lanes of the first accumulators).
TEXT ·dot4AVX512S(SB), NOSPLIT, $0-40
	ARGS32
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	XORQ AX, AX
	MOVQ CX, BX
	SUBQ $32, BX

loop32s:
	CMPQ AX, BX
	JG   tail16s
	VMOVUPS (DI)(AX*4), Z4
	VMOVUPS 64(DI)(AX*4), Z5
	ROWS4S(0, Z4, Z0, Z1, Z2, Z3)
	ROWS4S(64, Z5, Z8, Z9, Z10, Z11)
	ADDQ $32, AX
	JMP  loop32s

tail16s:
	MOVQ CX, BX
	SUBQ $16, BX
	CMPQ AX, BX
	JG   tail8s512
	VMOVUPS (DI)(AX*4), Z4
	ROWS4S(0, Z4, Z0, Z1, Z2, Z3)
	ADDQ $16, AX

tail8s512: // 8 columns left (n % 16 == 8): masked to the low 8 lanes, so
	// that nothing past them is read
	CMPQ AX, CX
	JGE  reduce512s
	MOVL $0xff, R12
	KMOVW R12, K1
	VMOVUPS.Z (DI)(AX*4), K1, Z4
	VFMADD231PS (SI)(AX*4), Z4, K1, Z0
	VFMADD231PS (R9)(AX*4), Z4, K1, Z1
	VFMADD231PS (R10)(AX*4), Z4, K1, Z2
	VFMADD231PS (R11)(AX*4), Z4, K1, Z3

reduce512s:
	VADDPS Z8, Z0, Z0
	VADDPS Z9, Z1, Z1
	VADDPS Z10, Z2, Z2
	VADDPS Z11, Z3, Z3
	VEXTRACTF64X4 $1, Z0, Y12
	VEXTRACTF64X4 $1, Z1, Y13
	VEXTRACTF64X4 $1, Z2, Y14
	VEXTRACTF64X4 $1, Z3, Y15
	VADDPS Y12, Y0, Y0
	VADDPS Y13, Y1, Y1
	VADDPS Y14, Y2, Y2
	VADDPS Y15, Y3, Y3
	STORE4S
