// Package e2e holds the end-to-end tests of the walking skeleton: a
// simulated card reader on a real pseudo-terminal, the idcard driver over
// tarm/serial, the app service, the SQLite store, and the sync client
// talking HTTP to the reference syncserver on 127.0.0.1. Nothing is mocked.
package e2e
