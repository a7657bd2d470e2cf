package cups

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Spooled is a document waiting in the spool directory: not yet accepted
// by lp.
type Spooled struct {
	ID        string    `json:"id"`    // spool id, e.g. 20261127T040805Z-1a2b3c4d; sorts by time
	Title     string    `json:"title"` // the job title, control characters removed
	Created   time.Time `json:"created"`
	Attempts  int       `json:"attempts"`             // submissions tried
	LastTry   time.Time `json:"last_try,omitzero"`    // when the last attempt failed
	LastError string    `json:"last_error,omitempty"` // why, in English, for staff
}

// spoolID is the shape of a spool id; anything else is refused before it
// reaches a path.
var spoolID = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$`)

func (p *Printer) pdfPath(id string) string  { return filepath.Join(p.cfg.SpoolDir, id+".pdf") }
func (p *Printer) metaPath(id string) string { return filepath.Join(p.cfg.SpoolDir, id+".json") }

// spool writes the job's description and then its PDF (each atomically,
// mode 0600) and returns the job.
func (p *Printer) spool(title string, pdf []byte) (Spooled, error) {
	if err := os.MkdirAll(p.cfg.SpoolDir, 0o700); err != nil {
		return Spooled{}, fmt.Errorf("cups: spool: %w: %w", errSpool(), err)
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	now := p.cfg.Now()
	job := Spooled{
		ID:      now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(rnd[:]),
		Title:   CleanTitle(title),
		Created: now,
	}
	if err := p.writeMeta(job); err != nil {
		return Spooled{}, err
	}
	if err := writeFileAtomic(p.pdfPath(job.ID), pdf); err != nil {
		_ = os.Remove(p.metaPath(job.ID))
		return Spooled{}, fmt.Errorf("cups: spool: %w: %w", errSpool(), err)
	}
	return job, nil
}

func (p *Printer) writeMeta(job Spooled) error {
	b, err := json.Marshal(job)
	if err != nil {
		return fmt.Errorf("cups: spool: %w", err)
	}
	if err := writeFileAtomic(p.metaPath(job.ID), b); err != nil {
		return fmt.Errorf("cups: spool: %w: %w", errSpool(), err)
	}
	return nil
}

// writeFileAtomic writes b to path through a temporary file in the same
// directory, mode 0600.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// load reads the spooled job id; its PDF must exist.
func (p *Printer) load(id string) (Spooled, error) {
	if !spoolID.MatchString(id) {
		return Spooled{}, fmt.Errorf("cups: spool id %q: %w", id, errNoSuchJob())
	}
	if _, err := os.Stat(p.pdfPath(id)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Spooled{}, fmt.Errorf("cups: spool id %s: %w: %w", id, errNoSuchJob(), err)
		}
		return Spooled{}, fmt.Errorf("cups: spool id %s: %w: %w", id, errSpool(), err)
	}
	job := Spooled{ID: id}
	b, err := os.ReadFile(p.metaPath(id))
	if err == nil {
		err = json.Unmarshal(b, &job)
		job.ID = id
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// A lost description does not lose the document: print it untitled.
		job = Spooled{ID: id}
	}
	return job, nil
}

// remove deletes a job's PDF, then its description.
func (p *Printer) remove(id string) error {
	err := os.Remove(p.pdfPath(id))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Remove(p.metaPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Pending lists the documents in the spool not yet accepted by lp, oldest
// first. A spool directory that does not exist yet holds nothing.
func (p *Printer) Pending(ctx context.Context) ([]Spooled, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ents, err := os.ReadDir(p.cfg.SpoolDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("cups: spool: %w: %w", errSpool(), err)
	}
	var out []Spooled
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".pdf")
		if !ok || !spoolID.MatchString(id) || !e.Type().IsRegular() {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cups: spool: %w", err)
		}
		job, err := p.load(id)
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, job)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Discard deletes a spooled document without printing it (a spooled
// report holds personal data; staff discard what will not be printed).
// An unknown id is ENOTFOUND.
func (p *Printer) Discard(id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.load(id); err != nil {
		return err
	}
	if err := p.remove(id); err != nil {
		return fmt.Errorf("cups: discard %s: %w: %w", id, errSpool(), err)
	}
	return nil
}

func errSpool() *credit.Error {
	return credit.Errorf(credit.EUNAVAILABLE, "无法保存待打印的报告，请联系工作人员。",
		"The report could not be saved for printing. Please ask a member of staff.")
}

func errNoSuchJob() *credit.Error {
	return credit.Errorf(credit.ENOTFOUND, "没有这份待打印的报告。", "No such document is waiting to be printed.")
}
