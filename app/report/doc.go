// Package report builds printable public credit information reports and
// their offline-verifiable QR codes, and verifies scanned QR texts.
//
// The QR carries a small claim set (reports.md §7.1) encoded as
// deterministic CBOR, signed as COSE_Sign1 with Ed25519 (alg -8, 8-byte
// kid), and written as "CR1:" + Base45 so the symbol stays in QR
// alphanumeric mode at ECC level Q. Verify evaluates a text in the §7.4
// order and returns a Status with its exit code.
//
// Verifiers trust device keys through a trust list (trustlist.go): a root
// key kept offline signs a versioned list of keys with their status
// (active, retired, compromised) and signing windows, revoked report
// numbers, and the next root for rotation. LoadTrustList checks it and
// TrustList.KeySet feeds Verify; a plain key file (ParseKeySet) still
// works as a trust source without statuses. The signed list's bytes are
// self-contained, so they can travel through sync as they are.
//
// Receipts for objections and restoration applications (receipt.go) use
// the same claim set with report_type 4: the application number in
// report_id, the masked subject, and [kind, received, due, due] in the
// summary.
package report
