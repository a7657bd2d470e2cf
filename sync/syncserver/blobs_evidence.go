package syncserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// Evidence manifests (protocol/blobs.go): a device names the files of an
// application by SHA-256; the officer lists and fetches them.

// maxEvidenceName caps a file name in a manifest (runes).
const maxEvidenceName = 120

var (
	errMissingBlobs = errors.New("manifest references missing blobs")
	errOtherDevice  = errors.New("application belongs to another device")
	errTooMany      = errors.New("too many evidence files")
)

// putEvidence serves PUT /applications/{uuid}/evidence: the files named
// are added to the application's evidence (a set: a repeat changes
// nothing), all or none. 409 missing_blobs when a blob is absent; 409
// conflict when another device sent the application; 422 over
// credit.MaxEvidencePerApp files. It answers the whole set.
func (s *Server) putEvidence(w http.ResponseWriter, r *http.Request) {
	device, id := deviceOf(r), r.PathValue("uuid")
	body, err := readBody(w, r)
	var m protocol.EvidenceManifestV1
	if err == nil {
		err = json.Unmarshal(body, &m)
	}
	if err == nil {
		err = checkManifest(id, m)
	}
	if err != nil {
		s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "材料清单格式错误。", "The evidence manifest is not valid: %v", err)
		return
	}
	if err := s.ensureBlobSchema(r.Context()); err != nil {
		s.internal(w, r, "put evidence", err)
		return
	}
	missing, err := s.addEvidence(r.Context(), device, id, m.Evidence)
	switch {
	case errors.Is(err, errMissingBlobs):
		s.blobProblem(w, r, http.StatusConflict, protocol.CodeMissingBlobs, "平台缺少 %d 个文件，请先上传。", "The platform lacks %d of the files; upload them first (%s).", len(missing), strings.Join(missing, ", "))
	case errors.Is(err, errOtherDevice):
		s.blobProblem(w, r, http.StatusConflict, protocol.CodeConflict, "该申请不是本终端提交的。", "This application was sent by another terminal.")
	case errors.Is(err, errTooMany):
		s.blobProblem(w, r, http.StatusUnprocessableEntity, protocol.CodeTooLarge, "每件申请最多附加 %d 个文件。", "At most %d files can be attached to an application.", credit.MaxEvidencePerApp)
	case err != nil:
		s.internal(w, r, "put evidence", err)
	default:
		list, err := s.Evidence(r.Context(), id)
		if err != nil {
			s.internal(w, r, "put evidence", err)
			return
		}
		writeJSON(w, http.StatusOK, protocol.EvidenceManifestV1{ApplicationID: id, Evidence: list})
	}
}

func checkManifest(id string, m protocol.EvidenceManifestV1) error {
	if id == "" || (m.ApplicationID != "" && m.ApplicationID != id) {
		return fmt.Errorf("application_id %q differs from the path", m.ApplicationID)
	}
	if len(m.Evidence) == 0 || len(m.Evidence) > credit.MaxEvidencePerApp {
		return fmt.Errorf("1 to %d files", credit.MaxEvidencePerApp)
	}
	for _, e := range m.Evidence {
		if !protocol.ValidSHA256(e.SHA256) {
			return fmt.Errorf("%q is not a lower-case hex SHA-256", e.SHA256)
		}
		if strings.TrimSpace(e.Name) == "" || !utf8.ValidString(e.Name) || utf8.RuneCountInString(e.Name) > maxEvidenceName {
			return fmt.Errorf("file name missing, invalid or over %d characters", maxEvidenceName)
		}
	}
	return nil
}

// addEvidence adds the files in one transaction, returning the missing
// blobs with errMissingBlobs.
func (s *Server) addEvidence(ctx context.Context, device, id string, files []protocol.EvidenceV1) ([]string, error) {
	var missing []string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		missing = nil
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT device FROM applications WHERE id = ?`, id).Scan(&owner)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && owner != device {
			return errOtherDevice
		}
		for _, e := range files {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM blobs WHERE sha256 = ?`, e.SHA256).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				missing = append(missing, e.SHA256)
			}
		}
		if len(missing) > 0 {
			return errMissingBlobs
		}
		at := formatTime(s.now())
		for _, e := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO app_evidence(application_id, sha256, device, name, received_at) VALUES(?, ?, ?, ?, ?)
				ON CONFLICT (application_id, sha256) DO NOTHING`, id, e.SHA256, device, e.Name, at); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM app_evidence WHERE application_id = ? AND device = ?`, id, device).Scan(&n); err != nil {
			return err
		}
		if n > credit.MaxEvidencePerApp {
			return errTooMany
		}
		return nil
	})
	if err == nil {
		s.log.Info("evidence received", "device", device, "application", id, "files", len(files))
	}
	return missing, err
}

// Evidence lists the files of an application as the platform holds them,
// oldest first: those sent by the device that sent the application (or,
// before it arrives, by any device).
func (s *Server) Evidence(ctx context.Context, applicationID string) ([]protocol.EvidenceV1, error) {
	if err := s.ensureBlobSchema(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.sha256, e.name, b.type, b.size, e.received_at
FROM app_evidence e JOIN blobs b ON b.sha256 = e.sha256 LEFT JOIN applications a ON a.id = e.application_id
WHERE e.application_id = ? AND (a.device IS NULL OR a.device = e.device) ORDER BY e.received_at, e.rowid`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("syncserver: evidence: %w", err)
	}
	defer rows.Close()
	out := []protocol.EvidenceV1{}
	for rows.Next() {
		var e protocol.EvidenceV1
		var at string
		if err := rows.Scan(&e.SHA256, &e.Name, &e.Type, &e.Size, &at); err != nil {
			return nil, fmt.Errorf("syncserver: evidence: %w", err)
		}
		if err := parseTime(at, &e.ReceivedAt); err != nil {
			return nil, fmt.Errorf("syncserver: evidence: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: evidence: %w", err)
	}
	return out, nil
}

// EvidenceFile returns one file of an application (its bytes and
// description); ENOTFOUND when the application has no such file.
func (s *Server) EvidenceFile(ctx context.Context, applicationID, sha string) ([]byte, protocol.EvidenceV1, error) {
	list, err := s.Evidence(ctx, applicationID)
	if err != nil {
		return nil, protocol.EvidenceV1{}, err
	}
	for _, e := range list {
		if e.SHA256 != sha {
			continue
		}
		var b []byte
		if err := s.db.QueryRowContext(ctx, `SELECT content FROM blobs WHERE sha256 = ?`, sha).Scan(&b); err != nil {
			return nil, e, fmt.Errorf("syncserver: evidence file: %w", err)
		}
		return b, e, nil
	}
	return nil, protocol.EvidenceV1{}, credit.Errorf(credit.ENOTFOUND, "该申请没有这个文件。", "The application has no such file.")
}

// evidenceRoutes registers the officer's evidence routes on the
// /platform/v1 mux.
func (s *Server) evidenceRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+protocol.PathPlatformEvidence, func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		list, err := s.Evidence(r.Context(), id)
		if err != nil {
			s.opsError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, protocol.EvidenceManifestV1{ApplicationID: id, Evidence: list})
	})
	mux.HandleFunc("GET "+protocol.PathPlatformEvidenceFile, func(w http.ResponseWriter, r *http.Request) {
		b, e, err := s.EvidenceFile(r.Context(), r.PathValue("id"), r.PathValue("sha256"))
		if err != nil {
			s.opsError(w, r, err)
			return
		}
		s.log.Info("evidence fetched", "officer", officerOf(r), "application", r.PathValue("id"), "sha256", e.SHA256[:12])
		w.Header().Set("Content-Type", e.Type)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Disposition", `attachment; filename="`+e.SHA256[:12]+protocol.EvidenceExtension(e.Type)+`"`)
		w.Header().Set("Last-Modified", e.ReceivedAt.UTC().Format(time.RFC1123))
		_, _ = w.Write(b)
	})
}

// CompactBlobs drops what no officer can ever see, once older than
// olderThan: unfinished uploads, and files no manifest names (uploaded
// for an application whose other file was refused, say). Data
// minimisation: evidence is kept only as part of an application. It
// returns how many uploads and files it dropped.
func (s *Server) CompactBlobs(ctx context.Context, olderThan time.Duration) (uploads, files int, err error) {
	if err := s.ensureBlobSchema(ctx); err != nil {
		return 0, 0, err
	}
	before := formatTime(s.now().Add(-olderThan))
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM blob_parts WHERE sha256 IN (SELECT sha256 FROM blob_uploads WHERE started_at < ?)`, before)
		if err != nil {
			return err
		}
		if res, err = tx.ExecContext(ctx, `DELETE FROM blob_uploads WHERE started_at < ?`, before); err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		uploads = int(n)
		if res, err = tx.ExecContext(ctx, `DELETE FROM blobs WHERE received_at < ? AND sha256 NOT IN (SELECT sha256 FROM app_evidence)`, before); err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		files = int(n)
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("syncserver: compact blobs: %w", err)
	}
	if uploads+files > 0 {
		s.log.Info("evidence compacted", "uploads", uploads, "files", files)
	}
	return uploads, files, nil
}
