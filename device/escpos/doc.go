// Package escpos encodes receipts for ESC/POS thermal printers (Epson and
// the Chinese-market clones: Xprinter, 佳博, 芯烨, SPRT) over an io.Writer.
//
// A Printer appends commands to an in-memory buffer; Flush sends them to
// the transport in small chunks. Like bufio.Writer, the first error sticks:
// every later call is a no-op returning it, so a receipt is built with
// straight-line code and checked once.
//
// Text is sent as GB18030 (the printers' built-in GB font). QR codes are
// sent as a raster image (GS v 0) of the skip2/go-qrcode bitmap at 4 dots
// per module by default, so every printer prints the same symbol; the
// native GS ( k QR command is an option (Config.NativeQR).
//
// Transports: OpenDevice for /dev/usb/lp* or any device file, and
// OpenSerial (serial.go, the only tarm/serial user) for serial printers.
// Package escpossim parses a captured byte stream back into commands.
package escpos
