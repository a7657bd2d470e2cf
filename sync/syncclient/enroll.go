package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// LoadOrCreateDeviceKey reads the device's Ed25519 private key from path
// (PEM, PKCS #8), creating it with mode 0600 when the file does not exist.
// A key file others may read is refused (except on Windows, where modes
// mean nothing).
func LoadOrCreateDeviceKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createDeviceKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			return nil, credit.Errorf(credit.EINVALID, "终端密钥文件 %s 的权限过宽（应为 0600）。",
				"The device key file %s may be read by others (mode %v); it must be 0600.", path, fi.Mode().Perm())
		}
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("syncclient: device key %s: not a PEM private key", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("syncclient: device key %s: %w", path, err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("syncclient: device key %s: not an Ed25519 key", path)
	}
	return key, nil
}

func createDeviceKey(path string) (ed25519.PrivateKey, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	// Write a temporary file and link it into place, so two processes
	// starting at once cannot both create a key: the loser reads the
	// winner's.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".device-key-*")
	if err != nil {
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_ = tmp.Chmod(0o600)
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreateDeviceKey(path)
		}
		return nil, fmt.Errorf("syncclient: device key: %w", err)
	}
	return key, nil
}

// EnrollConfig says where and as whom to enrol.
type EnrollConfig struct {
	BaseURL    string
	DeviceID   string
	Code       string // the one-time code from `syncserver device add`
	Key        ed25519.PrivateKey
	HTTPClient *http.Client // a client with a 60 s timeout when nil
}

// Enroll registers the device's public key with the platform using the
// one-time code. Repeating it with the same code and key after a lost
// answer succeeds; a wrong, expired or used code is EUNAUTHORIZED.
func Enroll(ctx context.Context, cfg EnrollConfig) (protocol.EnrollmentResult, error) {
	var res protocol.EnrollmentResult
	pub, ok := cfg.Key.Public().(ed25519.PublicKey)
	if !ok || !protocol.ValidKeyID(cfg.DeviceID) || strings.TrimSpace(cfg.Code) == "" {
		return res, credit.Errorf(credit.EINVALID, "登记需要终端编号、登记码和密钥。", "Enrolment needs a valid device id, a code and a key.")
	}
	body, err := json.Marshal(protocol.Enrollment{DeviceID: cfg.DeviceID, Code: strings.TrimSpace(cfg.Code), PublicKey: base64.StdEncoding.EncodeToString(pub)})
	if err != nil {
		return res, fmt.Errorf("syncclient: enroll: %w", err)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		// Its own transport, closed on return: a one-off request leaves no
		// keep-alive connection behind (invariant I9 of sync.md).
		hc = &http.Client{Timeout: 60 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections() // after drain(resp), deferred below
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(cfg.BaseURL, "/")+protocol.PathEnroll, bytes.NewReader(body))
	if err != nil {
		return res, fmt.Errorf("syncclient: enroll: %w", err)
	}
	req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	resp, err := hc.Do(req)
	if err != nil {
		return res, unavailable("enroll", err)
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusBadRequest {
			p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
			return res, fmt.Errorf("syncclient: enroll: %w: %w", credit.Errorf(credit.EINVALID, "登记请求无效。", "The platform refused the enrolment request as invalid."), p)
		}
		return res, statusError("enroll", resp)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&res); err != nil {
		return res, unavailable("enroll", err)
	}
	return res, nil
}
