#include "textflag.h"

// func widen8(dst *float64, src *float32, n int)
// dst[0:n] = float64(src[0:n]); n % 8 == 0 (AVX-512F).
TEXT ·widen8(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX

wloop8:
	CMPQ AX, CX
	JGE  wdone8
	VCVTPS2PD (SI)(AX*4), Z0
	VMOVUPD   Z0, (DI)(AX*8)
	ADDQ      $8, AX
	JMP       wloop8

wdone8:
	VZEROUPPER
	RET

// func widen4(dst *float64, src *float32, n int)
// As widen8, 4 at a time (AVX); n % 4 == 0.
TEXT ·widen4(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX

wloop4:
	CMPQ AX, CX
	JGE  wdone4
	VCVTPS2PD (SI)(AX*4), Y0
	VMOVUPD   Y0, (DI)(AX*8)
	ADDQ      $4, AX
	JMP       wloop4

wdone4:
	VZEROUPPER
	RET

// func narrow8(dst *float32, src *float64, n int)
// dst[0:n] = float32(src[0:n]) (rounded to nearest, as Go's conversion);
// n % 8 == 0 (AVX-512F).
TEXT ·narrow8(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX

nloop8:
	CMPQ AX, CX
	JGE  ndone8
	VCVTPD2PS (SI)(AX*8), Y0
	VMOVUPS   Y0, (DI)(AX*4)
	ADDQ      $8, AX
	JMP       nloop8

ndone8:
	VZEROUPPER
	RET

// func narrow4(dst *float32, src *float64, n int)
// As narrow8, 4 at a time (AVX); n % 4 == 0.
TEXT ·narrow4(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX

nloop4:
	CMPQ AX, CX
	JGE  ndone4
	VCVTPD2PSY (SI)(AX*8), X0
	VMOVUPS    X0, (DI)(AX*4)
	ADDQ       $4, AX
	JMP        nloop4

ndone4:
	VZEROUPPER
	RET
