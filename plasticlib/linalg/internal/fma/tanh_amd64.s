#include "textflag.h"

// The tanh kernels compute, lane by lane, what math.Tanh computes on an
// amd64 CPU with AVX and FMA3, operation for operation, so that their
// results equal it bit for bit:
//   |x| > 0.5*MAXLOG:   ±1
//   |x| >= 0.625:       s = exp(2|x|) by the FMA path of math.Exp
//                       (runtime/math exp_amd64.s), then ±(1 - 2/(s+1))
//   otherwise:          s = x*x; x + x*s*P(s)/Q(s) (math/tanh.go, no FMA),
//                       and x itself where x == 0 (keeping -0)
// All three are computed for every lane and the right one kept, with one
// division for the two branches that divide (the operands picked per lane
// before it); the exponent 2|x| <= 88.03 needs none of math.Exp's
// overflow or denormal paths.

DATA tanhdata<>+0(SB)/8, $0x7fffffffffffffff // abs mask
DATA tanhdata<>+8(SB)/8, $0x8000000000000000 // sign mask
DATA tanhdata<>+16(SB)/8, $1.4426950408889634073599246810018920 // LOG2E
DATA tanhdata<>+24(SB)/8, $0.69314718055966295651160180568695068359375 // LN2U
DATA tanhdata<>+32(SB)/8, $0.28235290563031577122588448175013436025525412068e-12 // LN2L
DATA tanhdata<>+40(SB)/8, $0.0625
DATA tanhdata<>+48(SB)/8, $2.4801587301587301587e-5
DATA tanhdata<>+56(SB)/8, $1.9841269841269841270e-4
DATA tanhdata<>+64(SB)/8, $1.3888888888888888889e-3
DATA tanhdata<>+72(SB)/8, $8.3333333333333333333e-3
DATA tanhdata<>+80(SB)/8, $4.1666666666666666667e-2
DATA tanhdata<>+88(SB)/8, $1.6666666666666666667e-1
DATA tanhdata<>+96(SB)/8, $0.5
DATA tanhdata<>+104(SB)/8, $1.0
DATA tanhdata<>+112(SB)/8, $2.0
DATA tanhdata<>+120(SB)/8, $1023 // exponent bias (int64)
DATA tanhdata<>+128(SB)/8, $0.625
DATA tanhdata<>+136(SB)/8, $44.014845965556527147994 // 0.5*MAXLOG
DATA tanhdata<>+144(SB)/8, $-9.64399179425052238628e-1 // tanhP
DATA tanhdata<>+152(SB)/8, $-9.92877231001918586564e1
DATA tanhdata<>+160(SB)/8, $-1.61468768441708447952e3
DATA tanhdata<>+168(SB)/8, $1.12811678491632931402e2 // tanhQ
DATA tanhdata<>+176(SB)/8, $2.23548839060100448583e3
DATA tanhdata<>+184(SB)/8, $4.84406305325125486048e3
GLOBL tanhdata<>+0(SB), RODATA, $192

#define C(off) tanhdata<>+off(SB)

// func tanhAVX512(dst, src *float64, n int)
// dst[0:n] = tanh(src[0:n]); n % 8 == 0. The constants stay in Z8-Z31.
TEXT ·tanhAVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD C(0), Z8
	VBROADCASTSD C(8), Z9
	VBROADCASTSD C(16), Z10
	VBROADCASTSD C(24), Z11
	VBROADCASTSD C(32), Z12
	VBROADCASTSD C(40), Z13
	VBROADCASTSD C(48), Z14
	VBROADCASTSD C(56), Z15
	VBROADCASTSD C(64), Z16
	VBROADCASTSD C(72), Z17
	VBROADCASTSD C(80), Z18
	VBROADCASTSD C(88), Z19
	VBROADCASTSD C(96), Z20
	VBROADCASTSD C(104), Z21
	VBROADCASTSD C(112), Z22
	VBROADCASTSD C(120), Z23
	VBROADCASTSD C(128), Z24
	VBROADCASTSD C(136), Z25
	VBROADCASTSD C(144), Z26
	VBROADCASTSD C(152), Z27
	VBROADCASTSD C(160), Z28
	VBROADCASTSD C(168), Z29
	VBROADCASTSD C(176), Z30
	VBROADCASTSD C(184), Z31
	XORQ AX, AX

loop8:
	CMPQ AX, CX
	JGE  done8
	VMOVUPD (SI)(AX*8), Z0   // x
	VPANDQ  Z8, Z0, Z1       // z = |x|
	// exp(2z), as math.Exp's FMA path
	VADDPD       Z1, Z1, Z2  // y = 2z
	VMULPD       Z10, Z2, Z3 // LOG2E y
	VCVTPD2DQ    Z3, Y4      // n, rounded to nearest
	VCVTDQ2PD    Y4, Z3
	VFNMADD231PD Z11, Z3, Z2 // y -= n LN2U
	VFNMADD231PD Z12, Z3, Z2 // y -= n LN2L
	VMULPD       Z13, Z2, Z2 // r = y/16
	VMOVAPD      Z14, Z5
	VFMADD213PD  Z15, Z2, Z5
	VFMADD213PD  Z16, Z2, Z5
	VFMADD213PD  Z17, Z2, Z5
	VFMADD213PD  Z18, Z2, Z5
	VFMADD213PD  Z19, Z2, Z5
	VFMADD213PD  Z20, Z2, Z5
	VFMADD213PD  Z21, Z2, Z5
	VMULPD       Z5, Z2, Z2
	VADDPD       Z22, Z2, Z5
	VMULPD       Z5, Z2, Z2
	VADDPD       Z22, Z2, Z5
	VMULPD       Z5, Z2, Z2
	VADDPD       Z22, Z2, Z5
	VMULPD       Z5, Z2, Z2
	VADDPD       Z22, Z2, Z5
	VFMADD213PD  Z21, Z5, Z2 // e^r
	VPMOVSXDQ    Y4, Z6
	VPADDQ       Z23, Z6, Z6
	VPSLLQ       $52, Z6, Z6 // 2^n
	VMULPD       Z6, Z2, Z2  // s = exp(2z)
	VADDPD Z21, Z2, Z2       // s+1
	// x s P(s) and Q(s), s = x x
	VMULPD Z0, Z0, Z3
	VMULPD Z26, Z3, Z4
	VADDPD Z27, Z4, Z4
	VMULPD Z3, Z4, Z4
	VADDPD Z28, Z4, Z4       // P(s)
	VADDPD Z29, Z3, Z5
	VMULPD Z3, Z5, Z5
	VADDPD Z30, Z5, Z5
	VMULPD Z3, Z5, Z5
	VADDPD Z31, Z5, Z5       // Q(s)
	VMULPD Z3, Z0, Z6
	VMULPD Z4, Z6, Z6        // x s P(s)
	// one division for both branches: 2/(s+1) where z >= 0.625 (false
	// for NaN), x s P(s)/Q(s) elsewhere
	VCMPPD  $0x1d, Z24, Z1, K1
	VMOVAPD Z22, K1, Z6
	VMOVAPD Z2, K1, Z5
	VDIVPD  Z5, Z6, Z6
	VADDPD  Z6, Z0, Z4       // x + x s P(s)/Q(s)
	VSUBPD  Z6, Z21, Z2      // 1 - 2/(s+1)
	VPANDQ  Z9, Z0, Z7       // sign of x
	VPORQ   Z7, Z2, Z2       // ±(1 - 2/(s+1))
	VMOVAPD Z2, K1, Z4
	VMOVAPD Z4, Z6
	VPORQ   Z21, Z7, Z7        // ±1
	VCMPPD  $0x1e, Z25, Z1, K2 // z > 0.5*MAXLOG
	VMOVAPD Z7, K2, Z6
	VPXORQ  Z3, Z3, Z3
	VCMPPD  $0x00, Z3, Z0, K3  // x == 0
	VMOVAPD Z0, K3, Z6
	VMOVUPD Z6, (DI)(AX*8)
	ADDQ    $8, AX
	JMP     loop8

done8:
	VZEROUPPER
	RET

// func tanhFMA(dst, src *float64, n int)
// As tanhAVX512 on 4-wide registers (AVX, FMA3); n % 4 == 0. The
// constants are broadcast from memory as they are needed.
TEXT ·tanhFMA(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD C(0), Y8    // abs mask
	VBROADCASTSD C(8), Y9    // sign mask
	VBROADCASTSD C(104), Y10 // 1
	VBROADCASTSD C(112), Y11 // 2
	XORQ AX, AX

loop4:
	CMPQ AX, CX
	JGE  done4
	VMOVUPD (SI)(AX*8), Y0
	VANDPD  Y8, Y0, Y1
	VADDPD       Y1, Y1, Y2
	VBROADCASTSD C(16), Y15
	VMULPD       Y15, Y2, Y3
	VCVTPD2DQY   Y3, X4
	VCVTDQ2PD    X4, Y3
	VBROADCASTSD C(24), Y15
	VFNMADD231PD Y15, Y3, Y2
	VBROADCASTSD C(32), Y15
	VFNMADD231PD Y15, Y3, Y2
	VBROADCASTSD C(40), Y15
	VMULPD       Y15, Y2, Y2
	VBROADCASTSD C(48), Y5
	VBROADCASTSD C(56), Y15
	VFMADD213PD  Y15, Y2, Y5
	VBROADCASTSD C(64), Y15
	VFMADD213PD  Y15, Y2, Y5
	VBROADCASTSD C(72), Y15
	VFMADD213PD  Y15, Y2, Y5
	VBROADCASTSD C(80), Y15
	VFMADD213PD  Y15, Y2, Y5
	VBROADCASTSD C(88), Y15
	VFMADD213PD  Y15, Y2, Y5
	VBROADCASTSD C(96), Y15
	VFMADD213PD  Y15, Y2, Y5
	VFMADD213PD  Y10, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       Y11, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       Y11, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       Y11, Y2, Y5
	VMULPD       Y5, Y2, Y2
	VADDPD       Y11, Y2, Y5
	VFMADD213PD  Y10, Y5, Y2
	VPMOVSXDQ    X4, Y6
	VBROADCASTSD C(120), Y15
	VPADDQ       Y15, Y6, Y6
	VPSLLQ       $52, Y6, Y6
	VMULPD       Y6, Y2, Y2
	VADDPD Y10, Y2, Y2
	VMULPD Y0, Y0, Y3
	VBROADCASTSD C(144), Y15
	VMULPD Y15, Y3, Y4
	VBROADCASTSD C(152), Y15
	VADDPD Y15, Y4, Y4
	VMULPD Y3, Y4, Y4
	VBROADCASTSD C(160), Y15
	VADDPD Y15, Y4, Y4
	VBROADCASTSD C(168), Y15
	VADDPD Y15, Y3, Y5
	VMULPD Y3, Y5, Y5
	VBROADCASTSD C(176), Y15
	VADDPD Y15, Y5, Y5
	VMULPD Y3, Y5, Y5
	VBROADCASTSD C(184), Y15
	VADDPD Y15, Y5, Y5
	VMULPD Y3, Y0, Y6
	VMULPD Y4, Y6, Y6
	VBROADCASTSD C(128), Y15
	VCMPPD    $0x1d, Y15, Y1, Y12 // z >= 0.625
	VBLENDVPD Y12, Y11, Y6, Y6
	VBLENDVPD Y12, Y2, Y5, Y5
	VDIVPD    Y5, Y6, Y6
	VADDPD    Y6, Y0, Y4
	VSUBPD    Y6, Y10, Y2
	VANDPD    Y9, Y0, Y7
	VORPD     Y7, Y2, Y2
	VBLENDVPD Y12, Y2, Y4, Y6
	VORPD     Y10, Y7, Y7
	VBROADCASTSD C(136), Y15
	VCMPPD    $0x1e, Y15, Y1, Y12 // z > 0.5*MAXLOG
	VBLENDVPD Y12, Y7, Y6, Y6
	VXORPD    Y3, Y3, Y3
	VCMPPD    $0x00, Y3, Y0, Y12  // x == 0
	VBLENDVPD Y12, Y0, Y6, Y6
	VMOVUPD   Y6, (DI)(AX*8)
	ADDQ      $4, AX
	JMP       loop4

done4:
	VZEROUPPER
	RET
