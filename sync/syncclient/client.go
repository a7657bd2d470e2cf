// Package syncclient is the terminal's side of the sync protocol: it pushes
// the outbox of captured applications to the platform and pulls the change
// feed into the local cache, through the Outbox and Applier ports.
//
// Pages travel zstd- or gzip-compressed; the client decodes them itself
// with a bounded decoder and a cap on the decoded size. Every "your cursor
// is no good" answer (410) funnels into one resync: the outbox is pushed,
// a snapshot is written page by page (resumable), the rows it lacks are
// swept, and the feed continues from the snapshot's seq.
//
// The device authenticates with its own Ed25519 key (Config.Key), enrolled
// once with a one-time code (Enroll; the key file from
// LoadOrCreateDeviceKey). Every attempt, retries included, is signed afresh
// with a new nonce and the client's estimate of the server clock, taken
// from the Date of each answer and corrected on a clock_skew refusal
// (protocol.Sign documents the scheme).
//
// Per-request retries (idempotent requests only, full-jitter backoff,
// clamped Retry-After) are go-retryablehttp's job; Run adds the outer loop
// that keeps trying, with a capped full-jitter backoff, through long
// offline periods.
//
// Robustness against the faults of sync.md §3: a page that would move the
// cursor back (a stale or replayed answer) is refused (stale.go, F20); the
// page size adapts to the link (pagesize.go, F8); applications the
// platform acknowledged and then lost in a restore from a backup are sent
// again (redeliver.go, F10); and times of day come from a server-anchored
// clock that device clock jumps do not move (clock.go, F15).
package syncclient

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/hashicorp/go-retryablehttp"
)

// Config configures a Client. BaseURL, Key (or Token), DeviceID, Outbox
// and Applier are required.
type Config struct {
	BaseURL string // e.g. https://platform.example:8700 (no path)
	// Key is the device's enrolled Ed25519 key (LoadOrCreateDeviceKey,
	// Enroll): every request is signed with it, DeviceID as the key id.
	Key ed25519.PrivateKey
	// Token is a legacy bearer token, sent only when Key is nil (a
	// fallback for tests and migration; the commands enrol a Key).
	Token    string
	DeviceID string // the key id of signed requests; in logs
	Outbox   Outbox
	Applier  Applier
	Logger   *slog.Logger     // discarded when nil
	Now      func() time.Time // time.Now when nil

	PageLimit    int           // most ops per page asked for (adapted to the link: pagesize.go); server default when 0
	MaxPageBytes int64         // decoded size cap of one page (protocol.MaxPageBytes when 0)
	RetryMax     int           // retries per request: 3 when 0, none when negative
	RetryWaitMin time.Duration // per-request backoff base (2 s)
	RetryWaitMax time.Duration // per-request backoff cap (60 s); also Run's first failure backoff
	Interval     time.Duration // Run's pause between successful rounds (5 min)
	BackoffMax   time.Duration // cap of Run's backoff after failures (30 min)
	// RequestTimeout bounds one request with its retries and the reading
	// of its body, so a link that stalls mid-page cannot hang a round
	// (5 min).
	RequestTimeout time.Duration

	// OnProgress, when set, is called synchronously at each step.
	OnProgress func(Progress)
	// Sleep waits for d or until ctx is done (Run's pauses); a timer when
	// nil. Tests inject it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Monotonic reads a monotonic clock (elapsed time since a fixed
	// origin, whatever the wall clock does); the server-anchored clock
	// advances by it (clock.go). A real one when nil; tests inject it.
	Monotonic func() time.Duration
	// HTTPClient carries the requests; one with dial, TLS and
	// response-header timeouts when nil.
	HTTPClient *http.Client
	// TrustLists, when set, receives the trust lists of the change feed
	// (trustlist.go); nil ignores them.
	TrustLists TrustListSink
	// Reports, when set, holds issued reports SyncOnce registers with
	// the platform after the push (reports.go); nil sends none.
	Reports ReportQueue
	// Calendars, when set, receives the signed calendar updates of the
	// change feed (calendar.go); nil ignores them.
	Calendars CalendarSink
	// ReceiptKeys are the platform's receipt keys: when set, a receipt
	// whose signature verifies with none of them is not stored and its
	// application stays pending (receipt_sig.go, sync.md I6).
	ReceiptKeys []ed25519.PublicKey
}

// Phase is the step a sync round is in.
type Phase string

// Phases.
const (
	PhasePush   Phase = "push"
	PhasePull   Phase = "pull"
	PhaseResync Phase = "resync" // rebuilding the cache from a snapshot
	PhaseDone   Phase = "done"
	PhaseFailed Phase = "failed"
)

// Progress is reported as a round goes on.
type Progress struct {
	Phase       Phase
	Pushed      int       // applications delivered this round
	Rejected    int       // applications the platform refused this round
	Pending     int       // applications still waiting (at least this many)
	Applied     int       // changes applied this round
	Deleted     int       // of which deletions
	Bytes       int64     // page bytes received this round
	AsOf        time.Time // server time of the last applied page
	LastSuccess time.Time // end of the last round without error (by ServerNow)
	Err         error     // set in PhaseFailed
	// Done and Total measure the running pull or resync: changes applied
	// of those the platform announced (Sync-Remaining); Total is 0 when
	// unknown (Percent).
	Done, Total int64
	// DeletionLag is the platform's last word on this device's deletion
	// lag (progress.go).
	DeletionLag DeletionLag
}

// Result sums up one SyncOnce.
type Result struct {
	Pushed, Rejected, Pending int
	Pages, Applied, Deleted   int
	Skipped                   int // ops of unknown types the pages held
	Quarantined               int // puts kept aside because they could not be read
	Registered                int // issued reports registered with the platform
	Resyncs                   int // resyncs from a snapshot begun (after 410 Gone)
	Swept                     int // cached rows a resync removed (missed deletions)
	// Redelivered counts delivered applications requeued because the
	// platform was restored from a backup that lacks them (redeliver.go).
	Redelivered int
	// AppliedThroughSeq is the highest change seq applied this round (the
	// snapshot seq after a resync); Acked says the platform recorded it.
	AppliedThroughSeq int64
	Acked             bool
	Bytes             int64
	AsOf              time.Time // server time of the last applied page; zero if none
	Cursor            string    // cursor after the last applied page
}

// Client syncs one terminal with the platform. Its methods may be called
// from one goroutine at a time.
type Client struct {
	cfg  Config
	log  *slog.Logger
	http *retryablehttp.Client
	rand func() float64
	// signer signs each attempt when cfg.Key is set.
	signer *signer
	// clock estimates the platform's time (clock.go).
	clock *serverClock
	// size is the page size asked for, adapted to the link (pagesize.go).
	size pageSize

	// count0 counts the running pull or resync (progress.go).
	count0 phaseCount

	mu          sync.Mutex
	lastSuccess time.Time
	lag         DeletionLag // from the last ack answer (progress.go)
}

// New returns a client; it does no I/O.
func New(cfg Config) *Client {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch {
	case cfg.RetryMax == 0:
		cfg.RetryMax = 3
	case cfg.RetryMax < 0:
		cfg.RetryMax = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = 2 * time.Second
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = 60 * time.Second
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 5 * time.Minute
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = 30 * time.Minute
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 5 * time.Minute
	}
	if cfg.MaxPageBytes <= 0 {
		cfg.MaxPageBytes = protocol.MaxPageBytes
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.Monotonic == nil {
		cfg.Monotonic = monotonic()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	c := &Client{cfg: cfg, log: cfg.Logger.With("device", cfg.DeviceID), rand: defaultRand, clock: &serverClock{mono: cfg.Monotonic},
		size: pageSize{cur: max(cfg.PageLimit, 0), config: max(cfg.PageLimit, 0)}}
	c.http = c.newHTTPClient()
	return c
}

// LastSuccess returns when the last round without error ended, by the
// platform's clock when an answer anchored it (ServerNow).
func (c *Client) LastSuccess() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastSuccess
}

// User-facing errors.
var (
	errUnavailable = func() error {
		return credit.Errorf(credit.EUNAVAILABLE, "无法连接信用信息平台，数据将在恢复连接后同步。",
			"The credit information platform cannot be reached; data will sync when the connection is back.")
	}
	errUnauthorized = func() error {
		return credit.Errorf(credit.EUNAUTHORIZED, "本终端未获授权，请联系管理员。",
			"This terminal is not authorised by the platform; please contact the administrator.")
	}
	errResyncLoop = func() error {
		return credit.Errorf(credit.EUNAVAILABLE, "平台反复要求重新同步，稍后再试。",
			"The platform keeps asking for a resync; will try again later.")
	}
	errBadPage = func() error {
		return credit.Errorf(credit.EINVALID, "平台数据不完整或已损坏，未予采用。",
			"The platform's data page was incomplete or corrupt and was not applied.")
	}
)

// SyncOnce pushes the outbox, then pulls pages until the feed is caught
// up, then acks what it applied (POST /ack; a failed ack is only logged).
// When the platform answers 410 resync_required, the pull becomes a
// resync from a snapshot (see pull). A push stopped by a network or
// server fault does not prevent the pull (deletions must still arrive);
// its error is returned with any pull error. 401/403 stop the round at
// once.
func (c *Client) SyncOnce(ctx context.Context) (Result, error) {
	var res Result
	pushErr := c.push(ctx, &res)
	if ctx.Err() != nil {
		return res, fmt.Errorf("syncclient: sync: %w", ctx.Err())
	}
	if credit.ErrorCode(pushErr) == credit.EUNAUTHORIZED {
		c.progress(PhaseFailed, &res, pushErr)
		return res, pushErr
	}
	if err := c.registerReports(ctx, &res); err != nil {
		c.log.Warn("report registration stopped; the next round goes on", "err", err)
	}
	c.uploadInquiries(ctx) // inquiries.go: never fails the round
	pullErr := c.pull(ctx, &res)
	if pullErr == nil {
		if err := c.ack(ctx, &res); err != nil {
			c.log.Warn("ack failed; the next round acks again", "err", err)
		}
	}
	if err := errors.Join(pushErr, pullErr); err != nil {
		c.progress(PhaseFailed, &res, err)
		return res, err
	}
	c.purgeDelivered(ctx) // purge.go: never fails the round
	c.mu.Lock()
	c.lastSuccess, _ = c.ServerNow()
	c.mu.Unlock()
	c.progress(PhaseDone, &res, nil)
	c.log.Info("sync done", "pushed", res.Pushed, "rejected", res.Rejected, "applied", res.Applied, "deleted", res.Deleted, "pages", res.Pages)
	return res, nil
}

func (c *Client) progress(ph Phase, r *Result, err error) {
	if c.cfg.OnProgress == nil {
		return
	}
	c.cfg.OnProgress(Progress{Phase: ph, Pushed: r.Pushed, Rejected: r.Rejected, Pending: r.Pending,
		Applied: r.Applied, Deleted: r.Deleted, Bytes: r.Bytes, AsOf: r.AsOf, LastSuccess: c.LastSuccess(), Err: err,
		Done: c.count0.done, Total: c.count0.total, DeletionLag: c.DeletionLag()})
}

// newRequest builds a request with the auth and protocol headers.
func (c *Client) newRequest(ctx context.Context, method, path string, body []byte) (*retryablehttp.Request, error) {
	var raw any
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.cfg.BaseURL+path, raw)
	if err != nil {
		return nil, err
	}
	if c.cfg.Key == nil {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	req.Header.Set(protocol.HeaderProtocol, strconv.Itoa(protocol.Version))
	return req, nil
}

// Hello asks the platform for its time, protocol version and limits. The
// kiosk uses the server time to anchor its staleness clock.
func (c *Client) Hello(ctx context.Context) (protocol.Hello, error) {
	var h protocol.Hello
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := c.newRequest(idempotent(ctx), http.MethodGet, protocol.PathHello, nil)
	if err != nil {
		return h, fmt.Errorf("syncclient: hello: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return h, unavailable("hello", err)
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return h, statusError("hello", resp)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&h); err != nil {
		return h, fmt.Errorf("syncclient: hello: %w: %w", errUnavailable(), err)
	}
	if h.Protocol != protocol.Version {
		return h, fmt.Errorf("syncclient: hello: %w", credit.Errorf(credit.EINVALID, "平台协议版本不兼容。", "The platform speaks sync protocol %d, this terminal %d.", h.Protocol, protocol.Version))
	}
	c.size.setServer(h.PageLimit)
	return h, nil
}

// drain reads a little of a body so the connection can be reused, and
// closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
}

// unavailable wraps a network-level failure; a certificate refused
// because of the device's clock says so (clock.go).
func unavailable(op string, err error) error {
	if certClockError(err) {
		return fmt.Errorf("syncclient: %s: %w: %w", op, errClockWrong(), err)
	}
	return fmt.Errorf("syncclient: %s: %w: %w", op, errUnavailable(), err)
}

// statusError classifies a non-2xx response other than the ones a caller
// handles itself.
func statusError(op string, resp *http.Response) error {
	p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		switch p.Code {
		case protocol.CodeEnrollmentRefused:
			return fmt.Errorf("syncclient: %s: %w: %w", op, credit.Errorf(credit.EUNAUTHORIZED, "登记码无效、已过期或已使用。",
				"The enrolment code is wrong, expired or already used."), p)
		case protocol.CodeDeviceRevoked:
			return fmt.Errorf("syncclient: %s: %w: %w", op, credit.Errorf(credit.EUNAUTHORIZED, "本终端已被平台吊销，请联系管理员。",
				"This terminal has been revoked by the platform; please contact the administrator."), p)
		case protocol.CodeClockSkew:
			return fmt.Errorf("syncclient: %s: %w: %w", op, credit.Errorf(credit.EUNAUTHORIZED, "本终端时钟与平台相差过大，请校准时钟。",
				"This terminal's clock is too far from the platform's; please set it."), p)
		}
		return fmt.Errorf("syncclient: %s: %w: %w", op, errUnauthorized(), p)
	}
	return fmt.Errorf("syncclient: %s: %w: %w", op, errUnavailable(), p)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
