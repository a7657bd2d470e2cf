// Package report builds printable public credit information reports and
// their offline-verifiable QR codes, and verifies scanned QR texts.
//
// The QR carries a small claim set (reports.md §7.1) encoded as
// deterministic CBOR, signed as COSE_Sign1 with Ed25519 (alg -8, 8-byte
// kid), and written as "CR1:" + Base45 so the symbol stays in QR
// alphanumeric mode at ECC level Q. Verify evaluates a text in the §7.4
// order and returns a Status with its exit code; the trust list (key
// status, revocation) will extend KeySet and add statuses without changing
// the format.
package report
