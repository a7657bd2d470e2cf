package app

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// Setting keys in the settings store.
const (
	SettingReaderPort = "reader_port"
	SettingPrinter    = "printer"
	SettingCounty     = "county"
)

// maxPrinterRunes bounds a printer name.
const maxPrinterRunes = 100

// OfficeSettings are the device settings of the office app.
type OfficeSettings struct {
	ReaderPort string // serial port of the ID-card reader; "" none
	Printer    string // printer name; "" the system default
	County     string // 6-digit county code (calendar overrides); "" none
}

// Settings returns the stored settings. Every logged-in clerk may see them.
func (o *Office) Settings(ctx context.Context, cs *ClerkSession) (OfficeSettings, error) {
	if err := o.active(cs); err != nil {
		return OfficeSettings{}, err
	}
	if o.settings == nil {
		return OfficeSettings{}, errNotConfigured()
	}
	m, err := o.settings.Settings(ctx)
	if err != nil {
		return OfficeSettings{}, o.unavailable(ctx, "settings", err)
	}
	return OfficeSettings{ReaderPort: m[SettingReaderPort], Printer: m[SettingPrinter], County: m[SettingCounty]}, nil
}

// ReaderPorts lists the serial ports a reader may be on (empty when the
// office was built without discovery).
func (o *Office) ReaderPorts() []string {
	if o.readerPorts == nil {
		return nil
	}
	return o.readerPorts()
}

// IsSupervisor reports whether the session's clerk is a supervisor.
func (cs *ClerkSession) IsSupervisor() bool {
	return cs != nil && cs.Clerk.Role == credit.RoleSupervisor
}

func errSupervisorOnly() error {
	return credit.Errorf(credit.EUNAUTHORIZED, "此操作仅限负责人。", "Only a supervisor may do this.")
}

// SaveSettings stores the settings that changed. Any clerk may set the
// reader port (one of ReaderPorts, or none) and the printer; changing the
// county (which selects the calendar's county overrides) is a supervisor's
// key operation. Each change is logged with the clerk's staff number. The
// reader port and the county take effect when the office app restarts.
func (o *Office) SaveSettings(ctx context.Context, cs *ClerkSession, s OfficeSettings) error {
	if err := o.active(cs); err != nil {
		return err
	}
	cur, err := o.Settings(ctx, cs)
	if err != nil {
		return err
	}
	s.ReaderPort, s.Printer, s.County = strings.TrimSpace(s.ReaderPort), strings.TrimSpace(s.Printer), strings.TrimSpace(s.County)
	if s.ReaderPort != cur.ReaderPort && s.ReaderPort != "" && !slices.Contains(o.ReaderPorts(), s.ReaderPort) {
		return credit.Errorf(credit.EINVALID, "请从检测到的串口中选择读卡器端口。", "Choose the reader port from the detected ports.")
	}
	if utf8.RuneCountInString(s.Printer) > maxPrinterRunes || strings.ContainsFunc(s.Printer, func(r rune) bool { return r < ' ' }) {
		return credit.Errorf(credit.EINVALID, "打印机名称无效。", "The printer name is invalid.")
	}
	if s.County != cur.County {
		if !cs.IsSupervisor() {
			o.log.WarnContext(ctx, "county change refused: not a supervisor", logKeyClerk, cs.Clerk.ID)
			return errSupervisorOnly()
		}
		if s.County != "" {
			if err := credit.ValidCountyCode(s.County); err != nil {
				return err
			}
		}
	}
	for _, kv := range [][3]string{
		{SettingReaderPort, cur.ReaderPort, s.ReaderPort},
		{SettingPrinter, cur.Printer, s.Printer},
		{SettingCounty, cur.County, s.County},
	} {
		if kv[1] == kv[2] {
			continue
		}
		if err := o.settings.SetSetting(ctx, kv[0], kv[2], cs.Clerk.ID); err != nil {
			return o.unavailable(ctx, "save settings", err)
		}
		o.log.InfoContext(ctx, "setting changed", logKeyClerk, cs.Clerk.ID, logKeySetting, kv[0])
	}
	return nil
}

// VerifyAudit re-checks the inquiry log's hash chains for a supervisor.
func (o *Office) VerifyAudit(ctx context.Context, cs *ClerkSession) (AuditResult, error) {
	if err := o.active(cs); err != nil {
		return AuditResult{}, err
	}
	if !cs.IsSupervisor() {
		o.log.WarnContext(ctx, "audit view refused: not a supervisor", logKeyClerk, cs.Clerk.ID)
		return AuditResult{}, errSupervisorOnly()
	}
	if o.verifyAudit == nil {
		return AuditResult{}, credit.Errorf(credit.EUNAVAILABLE, "本机无法核验查询日志。", "The inquiry log cannot be checked on this computer.")
	}
	res, err := o.verifyAudit(ctx)
	if err != nil {
		return AuditResult{}, o.unavailable(ctx, "verify audit", err)
	}
	o.log.InfoContext(ctx, "audit chain verified", logKeyClerk, cs.Clerk.ID, logKeyOK, res.OK, logKeyEntries, res.Entries)
	return res, nil
}
