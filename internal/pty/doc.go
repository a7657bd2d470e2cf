// Package pty creates pseudo-terminal pairs for hardware-free tests and
// for the card-reader simulator: the slave path stands in for a serial
// port, and the master carries the simulated device's side.
package pty
