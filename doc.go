// Package credit holds the domain of the public-credit-information terminal:
// subjects (natural and legal persons), their credit records, inquiries,
// objections and restoration applications, the identifiers that name them
// (resident ID numbers, Unified Social Credit Codes) and the pure rules that
// apply to them (check characters, working-day deadlines, masking).
//
// The package imports the standard library only. Everything that touches a
// database, a device, the network or a screen lives in a sub-package and
// points its imports toward this one.
package credit
