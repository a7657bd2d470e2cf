package syncserver

import (
	"errors"
	"net/http"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// batchApplications serves POST /applications:batch (protocol/batch.go):
// each item is accepted exactly as its PUT would be, in its own
// transaction, in order; the answer is 200 with one result per item
// whatever the items' fates. Only a request that is not a batch at all
// (not JSON, no items, more than protocol.MaxBatchItems, too large) is
// refused whole, with 400 or 413.
func (s *Server) batchApplications(w http.ResponseWriter, r *http.Request) {
	device := deviceOf(r)
	req, err := protocol.DecodeBatchRequest(http.MaxBytesReader(w, r.Body, protocol.MaxBatchRequestBytes))
	if err != nil {
		s.log.Info("batch refused", "device", device, "err", err)
		if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
			s.problem(w, r, protocol.NewProblem(http.StatusRequestEntityTooLarge, protocol.CodeTooLarge, "batch too large",
				credit.Errorf(credit.EINVALID, "批量申请超过 %d 字节。", "The batch exceeds %d bytes.", protocol.MaxBatchRequestBytes)))
			return
		}
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad batch",
			credit.Errorf(credit.EINVALID, "批量申请格式错误（每批 1–%d 件）。", "The batch is not valid JSON with 1 to %d items.", protocol.MaxBatchItems)))
		return
	}
	out := protocol.BatchResponseV1{Results: make([]protocol.BatchResultV1, len(req.Items))}
	created := 0
	for i, it := range req.Items {
		res := protocol.BatchResultV1{ID: it.ID}
		if it.Digest == "" {
			res.Status = http.StatusBadRequest
			res.Problem = protocol.NewProblem(http.StatusBadRequest, protocol.CodeDigestMismatch, "digest required",
				credit.Errorf(credit.EINVALID, "申请缺少内容摘要。", "A batch item needs the digest of its body."))
		} else {
			rc, status, p := s.accept(r.Context(), device, it.ID, credit.ApplicationKind(it.Kind), it.Body, it.Digest)
			res.Status, res.Problem = status, p
			if p == nil {
				res.Receipt = &rc
			}
		}
		if res.Status == http.StatusCreated {
			created++
		}
		out.Results[i] = res
	}
	s.log.Info("batch served", "device", device, "items", len(req.Items), "created", created)
	writeJSON(w, http.StatusOK, out)
}
