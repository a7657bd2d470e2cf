package syncclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// EvidenceOutbox holds the evidence files attached to captured
// applications. store.DB implements it; when Config.Outbox does too, each
// push sends the files before any application (protocol/blobs.go).
//
// Every attachment stays pending until the platform acknowledged the
// manifest naming it, or refused its file; whenever it was attached,
// before or after its application was queued or delivered, it is sent,
// and the platform's manifest is a set, so a resend duplicates nothing.
type EvidenceOutbox interface {
	// PendingEvidence returns up to limit attachments not yet sent nor
	// refused, oldest first.
	PendingEvidence(ctx context.Context, limit int) ([]credit.Evidence, error)
	// EvidenceContent returns the bytes stored under a SHA-256.
	EvidenceContent(ctx context.Context, sha string) ([]byte, error)
	// MarkEvidenceSent records that the platform holds these attachments.
	MarkEvidenceSent(ctx context.Context, applicationID string, shas []string) error
	// MarkEvidenceRefused records the platform's refusal of one.
	MarkEvidenceRefused(ctx context.Context, applicationID, sha, reason string) error
}

const (
	// evidenceBatch is how many pending attachments are read at a time.
	evidenceBatch = 100
	// maxResumes bounds the resumptions of one upload in one round; a
	// link that keeps cutting is left for the next round, which resumes
	// from the platform's offset again.
	maxResumes = 8
)

// pushEvidence sends pending evidence: missing blobs (resumed from the
// platform's offset), then each application's manifest. A file the
// platform refuses (type, size) marks it refused and its application
// rejected, if still queued, without stopping the others; a network or
// server fault stops the push for this round, before any application is
// sent, so an application never arrives ahead of its files.
func (c *Client) pushEvidence(ctx context.Context, res *Result) error {
	ev, ok := c.cfg.Outbox.(EvidenceOutbox)
	if !ok {
		return nil
	}
	for range 1000 { // each pass marks every item it read, or fails
		list, err := ev.PendingEvidence(ctx, evidenceBatch)
		if err != nil {
			return fmt.Errorf("syncclient: read evidence: %w", err)
		}
		if len(list) == 0 {
			return nil
		}
		if err := c.sendEvidence(ctx, ev, list, res); err != nil {
			return err
		}
		if len(list) < evidenceBatch {
			return nil
		}
	}
	return nil
}

// sendEvidence sends one batch of attachments.
func (c *Client) sendEvidence(ctx context.Context, ev EvidenceOutbox, list []credit.Evidence, res *Result) error {
	var apps []string
	byApp := map[string][]credit.Evidence{}
	var shas []string
	seen := map[string]bool{}
	for _, e := range list {
		if byApp[e.ApplicationID] == nil {
			apps = append(apps, e.ApplicationID)
		}
		byApp[e.ApplicationID] = append(byApp[e.ApplicationID], e)
		if !seen[e.SHA256] {
			seen[e.SHA256] = true
			shas = append(shas, e.SHA256)
		}
	}
	missing, err := c.missingBlobs(ctx, shas)
	if err != nil {
		return err
	}
	refusedBlob := map[string]string{}
	for _, m := range missing {
		data, err := ev.EvidenceContent(ctx, m.SHA256)
		if err != nil {
			return fmt.Errorf("syncclient: read evidence %s: %w", m.SHA256[:12], err)
		}
		reason, err := c.uploadBlob(ctx, m.SHA256, data, m.Offset, res)
		if err != nil {
			return err
		}
		if reason != "" {
			refusedBlob[m.SHA256] = reason
		}
	}
	for _, app := range apps {
		files := byApp[app]
		reason := ""
		for _, e := range files {
			if r, ok := refusedBlob[e.SHA256]; ok {
				reason = fmt.Sprintf("%s: %s", e.Name, r)
			}
		}
		if reason == "" {
			if reason, err = c.putManifest(ctx, app, files); err != nil {
				return err
			}
		}
		if reason != "" {
			if err := c.refuseEvidence(ctx, ev, app, files, reason, res); err != nil {
				return err
			}
			continue
		}
		var done []string
		for _, e := range files {
			done = append(done, e.SHA256)
		}
		if err := ev.MarkEvidenceSent(ctx, app, done); err != nil {
			return fmt.Errorf("syncclient: evidence of %s: %w", app, err)
		}
		c.log.Info("evidence delivered", "application", app, "files", len(files))
	}
	return nil
}

// refuseEvidence marks an application's files refused and the
// application rejected with reason (when it is still queued: one already
// delivered keeps its state, and the refusal stays with its files).
func (c *Client) refuseEvidence(ctx context.Context, ev EvidenceOutbox, app string, files []credit.Evidence, reason string, res *Result) error {
	for _, e := range files {
		if err := ev.MarkEvidenceRefused(ctx, app, e.SHA256, reason); err != nil {
			return fmt.Errorf("syncclient: evidence of %s: %w", app, err)
		}
	}
	c.log.Warn("evidence refused", "application", app, "reason", reason)
	if err := c.cfg.Outbox.MarkRejected(ctx, app, "evidence refused: "+reason); err != nil {
		c.log.Info("application not rejected for its evidence (not queued)", "application", app, "err", err)
		return nil
	}
	res.Rejected++
	return nil
}

// missingBlobs asks which blobs the platform lacks, with their offsets.
func (c *Client) missingBlobs(ctx context.Context, shas []string) ([]protocol.MissingBlobV1, error) {
	body, err := json.Marshal(protocol.BlobsMissingV1{SHA256: shas})
	if err != nil {
		return nil, fmt.Errorf("syncclient: blobs missing: %w", err)
	}
	var out protocol.BlobsMissingV1
	status, err := c.doJSON(idempotent(ctx), http.MethodPost, protocol.PathBlobsMissing, body, &out)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("syncclient: blobs missing: %w", errUnavailable())
	}
	for _, m := range out.Missing {
		if !seenIn(shas, m.SHA256) || m.Offset < 0 {
			return nil, fmt.Errorf("syncclient: blobs missing: %w: unexpected answer", errUnavailable())
		}
	}
	return out.Missing, nil
}

func seenIn(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// putManifest sends an application's evidence manifest. It returns the
// platform's reason when it refuses the manifest for good.
func (c *Client) putManifest(ctx context.Context, app string, files []credit.Evidence) (string, error) {
	m := protocol.EvidenceManifestV1{ApplicationID: app}
	for _, e := range files {
		m.Evidence = append(m.Evidence, protocol.EvidenceV1{SHA256: e.SHA256, Name: e.Name, Type: string(e.Type), Size: e.Size})
	}
	body, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("syncclient: evidence of %s: %w", app, err)
	}
	var p protocol.Problem
	status, err := c.doJSON(idempotent(ctx), http.MethodPut, protocol.PathApplications+url.PathEscape(app)+"/evidence", body, &p)
	switch {
	case err != nil:
		return "", err
	case status == http.StatusOK:
		return "", nil
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity,
		status == http.StatusConflict && p.Code == protocol.CodeConflict: // another terminal's application
		return p.Message(), nil
	}
	// 409 missing_blobs: a blob vanished between upload and manifest;
	// the next round uploads it again.
	return "", fmt.Errorf("syncclient: evidence of %s: %w: HTTP %d %s", app, errUnavailable(), status, p.Code)
}

// doJSON sends body and decodes a JSON answer (or problem) into out. A
// transport failure or a status the caller cannot act on (401, 403 — a
// revoked terminal —, 5xx) is an error.
func (c *Client) doJSON(ctx context.Context, method, path string, body []byte, out any) (int, error) {
	op := method + " " + path
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := c.newRequest(rctx, method, path, body)
	if err != nil {
		return 0, fmt.Errorf("syncclient: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, unavailable(op, err)
	}
	defer drain(resp)
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden || resp.StatusCode >= 500 {
		return resp.StatusCode, statusError(op, resp)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, unavailable(op, err)
	}
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, out); err != nil && resp.StatusCode < 300 {
			return 0, fmt.Errorf("syncclient: %s: %w: bad answer: %w", op, errUnavailable(), err)
		}
	}
	return resp.StatusCode, nil
}

// parseOffset reads Upload-Offset, which must lie in [0, total].
func parseOffset(h http.Header, total int64) (int64, error) {
	off, err := strconv.ParseInt(h.Get(protocol.HeaderUploadOffset), 10, 64)
	if err != nil || off < 0 || off > total {
		return 0, fmt.Errorf("bad %s %q", protocol.HeaderUploadOffset, h.Get(protocol.HeaderUploadOffset))
	}
	return off, nil
}
