//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// notifyToggle delivers SIGUSR1 (kill -USR1 PID) on c.
func notifyToggle(c chan<- os.Signal) { signal.Notify(c, syscall.SIGUSR1) }
