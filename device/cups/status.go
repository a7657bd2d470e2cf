package cups

import (
	"context"
	"errors"
	"fmt"
	"strings"

	credit "github.com/gansu-credit/credit"
)

// JobStatus is what lpstat says about a submitted job.
type JobStatus struct {
	ID string
	// Done is true once the job has left CUPS's not-completed list:
	// printed, or cancelled or aborted by staff at the print server.
	Done bool
	Size int64 // bytes, while not done
}

// Status asks `lpstat -W not-completed -o DEST` (DEST taken from the job
// id) whether jobID is still waiting or printing. A malformed job id is
// EINVALID; lpstat failing is EUNAVAILABLE.
func (p *Printer) Status(ctx context.Context, jobID string) (JobStatus, error) {
	if !ValidJobID(jobID) {
		return JobStatus{}, fmt.Errorf("cups: status %q: %w", jobID, credit.Errorf(credit.EINVALID,
			"打印任务编号无效。", "That is not a print job id."))
	}
	out, err := p.lpstat(ctx, "-W", "not-completed", "-o", dest(jobID))
	if err != nil {
		return JobStatus{}, fmt.Errorf("cups: status %s: %w", jobID, err)
	}
	for _, e := range ParseLPStat(out) {
		if e.ID == jobID {
			return JobStatus{ID: jobID, Size: e.Size}, nil
		}
	}
	return JobStatus{ID: jobID, Done: true}, nil
}

// Printers lists the CUPS destinations (`lpstat -e`), for the printer
// choice in settings. No destinations is an empty list, not an error.
func (p *Printer) Printers(ctx context.Context) ([]string, error) {
	out, err := p.lpstat(ctx, "-e")
	if err != nil {
		if errors.Is(err, errNoDestinations) {
			return nil, nil
		}
		return nil, fmt.Errorf("cups: list printers: %w", err)
	}
	return parsePrinters(out), nil
}

// Default returns the system default destination (`lpstat -d`), "" if
// there is none.
func (p *Printer) Default(ctx context.Context) (string, error) {
	out, err := p.lpstat(ctx, "-d")
	if err != nil {
		if errors.Is(err, errNoDestinations) {
			return "", nil
		}
		return "", fmt.Errorf("cups: default printer: %w", err)
	}
	return parseDefault(out), nil
}

// lpstat runs lpstat with args; a failure is an EUNAVAILABLE
// *credit.Error classified from its standard error.
func (p *Printer) lpstat(ctx context.Context, args ...string) (string, error) {
	out, stderr, err := p.run(ctx, p.cfg.LPStat, args...)
	switch {
	case err == nil:
		return out, nil
	case lpMissing(err):
		return "", fmt.Errorf("%w: %w", errNoLPStat(p.cfg.LPStat), err)
	}
	if strings.Contains(strings.ToLower(stderr), "no destinations added") {
		err = fmt.Errorf("%w: %w", errNoDestinations, err)
	}
	return "", fmt.Errorf("%w: %s: %w", errLPStat(stderr), summary(stderr, ""), err)
}

// errNoDestinations marks an lpstat failure that only says no printer is
// set up.
var errNoDestinations = errors.New("no destinations added")

// errLPStat is errLP without the "report kept" sentence: no document is
// involved.
func errLPStat(stderr string) *credit.Error {
	e := errLP(stderr)
	e.Message = strings.TrimSuffix(e.Message, "报告已保存，可稍后重新打印。")
	e.MessageEN = strings.TrimSuffix(e.MessageEN, " The report is kept and can be printed again later.")
	return e
}

func errNoLPStat(prog string) *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "未安装打印程序 %s（cups-client），请联系工作人员。",
		"The print program %s (package cups-client) is not installed. Please ask a member of staff.", prog)
}
