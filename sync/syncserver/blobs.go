package syncserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// Evidence blobs (protocol/blobs.go): resumable content-addressed
// uploads from devices, and the manifests that attach them to
// applications. Only PDF, JPEG and PNG are kept, recognised by content
// (Art. 18: no biometric content, document types only), at most
// Options.MaxBlobBytes each.

// blobSchema: blob_parts holds the chunks of an upload in progress (the
// offset is the sum of their lengths); blobs the verified files;
// app_evidence the manifests, by the device that sent them.
const blobSchema = `
CREATE TABLE IF NOT EXISTS blobs(
	sha256 TEXT PRIMARY KEY,
	type TEXT NOT NULL,
	size INTEGER NOT NULL,
	content BLOB NOT NULL,
	received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blob_uploads(
	sha256 TEXT PRIMARY KEY,
	total INTEGER NOT NULL,
	device TEXT NOT NULL,
	started_at TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS blob_parts(
	sha256 TEXT NOT NULL,
	off INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (sha256, off));
CREATE TABLE IF NOT EXISTS app_evidence(
	application_id TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	device TEXT NOT NULL,
	name TEXT NOT NULL,
	received_at TEXT NOT NULL,
	PRIMARY KEY (application_id, sha256));
`

// maxMissingQuery caps the hashes of one POST /blobs:missing.
const maxMissingQuery = 256

// blobRoutes registers the device side of the blob protocol on mux.
func (s *Server) blobRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+protocol.PathBlobsMissing, s.blobsMissing)
	mux.HandleFunc("HEAD "+protocol.PathBlobs+"{sha256}", s.headBlob)
	mux.HandleFunc("PUT "+protocol.PathBlobs+"{sha256}", s.putBlob)
	mux.HandleFunc("PUT "+protocol.PathEvidenceOf, s.putEvidence) // blobs_evidence.go
}

func (s *Server) ensureBlobSchema(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, blobSchema); err != nil {
		return fmt.Errorf("blob schema: %w", err)
	}
	return nil
}

func (s *Server) maxBlob() int64 {
	if s.opts.MaxBlobBytes > 0 {
		return s.opts.MaxBlobBytes
	}
	return credit.MaxEvidenceBytes
}

func (s *Server) blobProblem(w http.ResponseWriter, r *http.Request, status int, code, zh, en string, args ...any) {
	s.log.Info("blob refused", "device", deviceOf(r), "path", r.URL.Path, "code", code)
	s.problem(w, r, protocol.NewProblem(status, code, code, credit.Errorf(credit.EINVALID, zh, en, args...)))
}

// blobsMissing serves POST /blobs:missing.
func (s *Server) blobsMissing(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	var q protocol.BlobsMissingV1
	if err == nil {
		err = json.Unmarshal(body, &q)
	}
	if err != nil || len(q.SHA256) > maxMissingQuery {
		s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "请求格式错误。", "The body must be {\"sha256\": [...]} with at most %d hashes.", maxMissingQuery)
		return
	}
	for _, h := range q.SHA256 {
		if !protocol.ValidSHA256(h) {
			s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "文件摘要格式错误。", "%q is not a lower-case hex SHA-256.", h)
			return
		}
	}
	if err := s.ensureBlobSchema(r.Context()); err != nil {
		s.internal(w, r, "blobs missing", err)
		return
	}
	out := protocol.BlobsMissingV1{Missing: []protocol.MissingBlobV1{}}
	for _, h := range q.SHA256 {
		complete, off, err := s.blobOffset(r.Context(), s.db, h)
		if err != nil {
			s.internal(w, r, "blobs missing", err)
			return
		}
		if !complete {
			out.Missing = append(out.Missing, protocol.MissingBlobV1{SHA256: h, Offset: off})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// blobOffset says whether the blob is complete, and how many bytes of it
// are held (its size when complete).
func (s *Server) blobOffset(ctx context.Context, q querier, sha string) (bool, int64, error) {
	var size int64
	err := q.QueryRowContext(ctx, `SELECT size FROM blobs WHERE sha256 = ?`, sha).Scan(&size)
	if err == nil {
		return true, size, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, 0, err
	}
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(length(data)), 0) FROM blob_parts WHERE sha256 = ?`, sha).Scan(&size)
	return false, size, err
}

// headBlob serves HEAD /blobs/{sha256}: the offset to resume from.
func (s *Server) headBlob(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha256")
	if !protocol.ValidSHA256(sha) {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if err := s.ensureBlobSchema(r.Context()); err != nil {
		s.internal(w, r, "head blob", err)
		return
	}
	_, off, err := s.blobOffset(r.Context(), s.db, sha)
	if err != nil {
		s.internal(w, r, "head blob", err)
		return
	}
	w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(off, 10))
	w.WriteHeader(http.StatusNoContent)
}

// putBlob serves PUT /blobs/{sha256}: one chunk. 204 with Upload-Offset
// while incomplete, 201 BlobV1 on the last chunk (200 when it was already
// complete); 413 over the cap, 415 not a document type, 409 a chunk past
// the offset, 400 a malformed range or content not matching its hash.
func (s *Server) putBlob(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha256")
	if !protocol.ValidSHA256(sha) {
		s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "文件摘要格式错误。", "The path must end in the file's lower-case hex SHA-256.")
		return
	}
	rng, err := protocol.ParseContentRange(r.Header.Get("Content-Range"), math.MaxInt64)
	if err != nil {
		s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "Content-Range 格式错误。", "Content-Range must be \"bytes first-last/total\".")
		return
	}
	if rng.Total > s.maxBlob() {
		s.blobProblem(w, r, http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "文件过大（不超过 %d KB）。", "The file is too large (%d bytes; at most %d KB).", s.maxBlob()>>10, rng.Total, s.maxBlob()>>10)
		return
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxSignedBody)); err != nil || int64(buf.Len()) != rng.Len() {
		s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "上传内容与范围不符。", "The chunk is not the %d bytes its Content-Range says.", rng.Len())
		return
	}
	chunk := buf.Bytes()
	if rng.First == 0 {
		if _, err := credit.SniffEvidence(chunk); err != nil {
			s.refuseType(w, r)
			return
		}
	}
	if err := s.ensureBlobSchema(r.Context()); err != nil {
		s.internal(w, r, "put blob", err)
		return
	}
	res, err := s.storeChunk(r.Context(), deviceOf(r), sha, rng, chunk)
	switch {
	case errors.Is(err, errBlobType):
		s.refuseType(w, r)
	case errors.Is(err, errBlobDigest):
		// Not digest_mismatch: that one says a chunk was damaged in
		// transit and is sent again; this file can never be accepted.
		s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "文件内容与摘要不符。", "The file does not match its SHA-256.")
	case errors.Is(err, errBlobTotal):
		s.blobProblem(w, r, http.StatusBadRequest, protocol.CodeBadRequest, "文件长度与先前不一致。", "The total length differs from the upload in progress.")
	case err != nil:
		s.internal(w, r, "put blob", err)
	case res.mismatch:
		w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(res.offset, 10))
		s.blobProblem(w, r, http.StatusConflict, protocol.CodeOffsetMismatch, "上传位置不一致。", "The platform holds %d bytes; resume from there.", res.offset)
	case res.blob != nil:
		w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(res.blob.Size, 10))
		status := http.StatusOK
		if res.created {
			status = http.StatusCreated
			s.log.Info("blob received", "device", deviceOf(r), "sha256", sha[:12], "type", res.blob.Type, "bytes", res.blob.Size)
		}
		writeJSON(w, status, res.blob)
	default:
		w.Header().Set(protocol.HeaderUploadOffset, strconv.FormatInt(res.offset, 10))
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) refuseType(w http.ResponseWriter, r *http.Request) {
	s.blobProblem(w, r, http.StatusUnsupportedMediaType, protocol.CodeUnsupportedType,
		"只接受 PDF、JPEG 或 PNG 文件。", "Only PDF, JPEG or PNG files are accepted as evidence.")
}

var (
	errBlobType   = errors.New("blob is not a document type")
	errBlobDigest = errors.New("blob does not match its sha256")
	errBlobTotal  = errors.New("blob total differs from the upload in progress")
)

type chunkResult struct {
	offset   int64
	mismatch bool
	blob     *protocol.BlobV1
	created  bool
}

// storeChunk appends the part of chunk past the held offset, and when
// the last byte is in, verifies and keeps the blob, all in one
// transaction.
func (s *Server) storeChunk(ctx context.Context, device, sha string, rng protocol.ContentRange, chunk []byte) (chunkResult, error) {
	var res chunkResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = chunkResult{}
		complete, off, err := s.blobOffset(ctx, tx, sha)
		if err != nil {
			return err
		}
		if complete {
			res.blob = &protocol.BlobV1{SHA256: sha, Size: off}
			return tx.QueryRowContext(ctx, `SELECT type FROM blobs WHERE sha256 = ?`, sha).Scan(&res.blob.Type)
		}
		var total int64
		err = tx.QueryRowContext(ctx, `SELECT total FROM blob_uploads WHERE sha256 = ?`, sha).Scan(&total)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_uploads(sha256, total, device, started_at) VALUES(?, ?, ?, ?)`, sha, rng.Total, device, formatTime(s.now())); err != nil {
				return err
			}
		case err != nil:
			return err
		case total != rng.Total:
			return errBlobTotal
		}
		res.offset = off
		if rng.First > off {
			res.mismatch = true
			return nil
		}
		if rng.Last >= off {
			if _, err := tx.ExecContext(ctx, `INSERT INTO blob_parts(sha256, off, data) VALUES(?, ?, ?)`, sha, off, chunk[off-rng.First:]); err != nil {
				return err
			}
			res.offset = rng.Last + 1
		}
		if res.offset < rng.Total {
			return nil
		}
		return s.completeBlob(ctx, tx, sha, &res)
	})
	if errors.Is(err, errBlobType) || errors.Is(err, errBlobDigest) {
		// The upload is dropped whole: it can never become acceptable.
		if derr := s.dropUpload(ctx, sha); derr != nil {
			return res, derr
		}
	}
	return res, err
}

// completeBlob assembles the parts, checks hash, type and size, and keeps
// the blob.
func (s *Server) completeBlob(ctx context.Context, tx *sql.Tx, sha string, res *chunkResult) error {
	rows, err := tx.QueryContext(ctx, `SELECT data FROM blob_parts WHERE sha256 = ? ORDER BY off`, sha)
	if err != nil {
		return err
	}
	var content []byte
	for rows.Next() {
		var part []byte
		if err := rows.Scan(&part); err != nil {
			rows.Close()
			return err
		}
		content = append(content, part...)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if sum := sha256.Sum256(content); hex.EncodeToString(sum[:]) != sha {
		return errBlobDigest
	}
	typ, err := credit.SniffEvidence(content)
	if err != nil {
		return errBlobType
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO blobs(sha256, type, size, content, received_at) VALUES(?, ?, ?, ?, ?)`,
		sha, string(typ), len(content), content, formatTime(s.now())); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_parts WHERE sha256 = ?`, sha); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM blob_uploads WHERE sha256 = ?`, sha); err != nil {
		return err
	}
	res.blob, res.created, res.offset = &protocol.BlobV1{SHA256: sha, Type: string(typ), Size: int64(len(content))}, true, int64(len(content))
	return nil
}

func (s *Server) dropUpload(ctx context.Context, sha string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM blob_parts WHERE sha256 = ?`, sha); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM blob_uploads WHERE sha256 = ?`, sha)
		return err
	})
}
