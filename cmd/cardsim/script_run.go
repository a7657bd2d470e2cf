package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// runScript performs acts on p until the script ends (it returns nil) or
// ctx ends (ctx.Err()). A loop action starts again from the top.
func runScript(ctx context.Context, acts []action, p *port, log *slog.Logger) error {
	for i := 0; i < len(acts); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		a := acts[i]
		switch a.kind {
		case actCard:
			c := a.card
			if err := p.setCard(&c); err != nil {
				return fmt.Errorf("script line %d: %w", a.line, err)
			}
			log.Info("script: card on the reader", "line", a.line, "card", c)
		case actRemove:
			_ = p.setCard(nil)
			log.Info("script: card removed", "line", a.line)
		case actWait:
			if !sleep(ctx, a.dur) {
				return ctx.Err()
			}
		case actFault:
			p.setFaults(a.faults)
			log.Info("script: faults", "line", a.line, "faults", fmt.Sprintf("%+v", a.faults))
		case actUnplug:
			if p.link == "" {
				return fmt.Errorf("script line %d: unplug needs --link (the driver finds the new pty through it)", a.line)
			}
			log.Info("script: unplugged", "line", a.line, "for", a.dur)
			p.unplug()
			if !sleep(ctx, a.dur) {
				return ctx.Err()
			}
			if err := p.plug(); err != nil {
				return fmt.Errorf("script line %d: plug back: %w", a.line, err)
			}
			log.Info("script: plugged back", "line", a.line, "port", p.path)
		case actLoop:
			i = -1
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
