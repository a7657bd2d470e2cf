package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// profiles are the profiles of the measured run (--cpuprofile,
// --blockprofile, --mutexprofile): client and server share the process,
// so they show both sides.
type profiles struct {
	cpu, block, mutex string
	cpuFile           *os.File
}

// start begins the CPU profile and turns on block and mutex sampling.
func (p *profiles) start() error {
	if p.block != "" {
		runtime.SetBlockProfileRate(int(time.Millisecond / 10)) // a sample per 100 µs blocked
	}
	if p.mutex != "" {
		runtime.SetMutexProfileFraction(10)
	}
	if p.cpu == "" {
		return nil
	}
	f, err := os.Create(p.cpu)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("cpu profile: %w", err)
	}
	p.cpuFile = f
	return nil
}

// stop ends the CPU profile and writes the block and mutex profiles.
func (p *profiles) stop() error {
	var errs []error
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		errs = append(errs, p.cpuFile.Close())
		p.cpuFile = nil
	}
	for name, path := range map[string]string{"block": p.block, "mutex": p.mutex} {
		if path == "" {
			continue
		}
		f, err := os.Create(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s profile: %w", name, err))
			continue
		}
		errs = append(errs, pprof.Lookup(name).WriteTo(f, 0), f.Close())
	}
	runtime.SetBlockProfileRate(0)
	runtime.SetMutexProfileFraction(0)
	return errors.Join(errs...)
}
