// Package idcard drives a resident-ID-card reader that speaks the SAM
// protocol of GA 467 ("居民身份证验证安全控制模块接口技术规范") over a serial
// line: the frame codec (pure, fuzzed), the 256-byte text-block parser and
// code tables, a Reader over any io.ReadWriter (status, reset, SAM ID,
// find/select/read with 30 01 or 30 10, appended address 30 03, baud
// switch 60 nn), a Watcher that turns polling into card and reader events
// and reconnects after an unplug, and port discovery (Ports, Probe,
// Discover).
//
// A frame is
//
//	AA AA AA 96 69 | Len (u16 BE) | CMD Para data… (request) or SW1 SW2 SW3 data… (response) | CHK
//
// where Len counts the bytes after the length field, CHK included, and CHK
// is the XOR of every byte from the length field through the last data byte.
//
// Privacy: the photo and fingerprint blocks are discarded (the buffer is
// zeroed) as soon as the frame checksum has been verified. Frames are never
// logged; card holders appear in logs only through credit.IDCard.LogValue.
//
// serial.go is the only file that knows about github.com/tarm/serial.
package idcard
