package engine

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks Linux to back x with transparent huge pages where it can
// (madvise(2) MADV_HUGEPAGE; honoured when THP is "madvise" or "always").
// Kept arrays are written once, page by page, and on virtual machines each
// 4 KiB first-touch fault is costly: one 2 MiB page takes 512 of them at
// once. Only advice: if the kernel declines, nothing changes.
func adviseHuge[F float32 | float64](x []F) {
	const huge = 2 << 20
	size := uintptr(unsafe.Sizeof(F(0)))
	if uintptr(len(x))*size < 2*huge {
		return
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	lo := (p + huge - 1) &^ (huge - 1)
	hi := (p + uintptr(len(x))*size) &^ (huge - 1)
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Pointer(&x[(lo-p)/size])), hi-lo), syscall.MADV_HUGEPAGE)
}
