//go:build !unix

package main

import "os"

// notifyToggle does nothing where there is no SIGUSR1.
func notifyToggle(chan<- os.Signal) {}
