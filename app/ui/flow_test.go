package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
)

// TestKioskObjectionFlow drives the whole kiosk: read card, see records per
// category, object to one, get the receipt, see it under objection.
func TestKioskObjectionFlow(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	k.readCard(t)

	if !strings.Contains(u.records.holderName.Text, apptest.PersonName) {
		t.Errorf("holder name %q", u.records.holderName.Text)
	}
	if got, want := u.records.holderID.Text, credit.IDNumber(apptest.PersonID).Masked(); !strings.Contains(got, want) || strings.Contains(got, apptest.PersonID) {
		t.Errorf("holder ID %q, want masked %q", got, want)
	}
	if got := u.records.dataAsOf.Text; got != "数据截至 2026-11-27 09:00" {
		t.Errorf("data as of %q", got)
	}
	for _, c := range credit.Categories {
		head, n, empty := groupOf(u.records.rows, c)
		zh, _ := c.Label()
		if head != fmt.Sprintf("%s（%d 条）", zh, n) || n == 0 || empty != "" {
			t.Errorf("category %s not shown with records: %q, %d records, %q", c, head, n, empty)
		}
	}
	if got := liveTexts(u.records.list); !strings.Contains(got, "行政处罚：未按期申报纳税  2025-03-14") || !strings.Contains(got, "失信信息（") {
		t.Errorf("records list:\n%s", got)
	}
	untr := openRecord(t, u, apptest.RecUntr)
	details := labelTexts(untr.details)
	for _, want := range []string{"国家税务总局兰州市税务局", "兰税罚〔2025〕88号", "《税收征收管理法》第六十二条", "决定日期：2025-03-14", "公示期至：2026-03-14", "失信程度：轻微"} {
		if !strings.Contains(details, want) {
			t.Errorf("record details lack %q:\n%s", want, details)
		}
	}
	if untr.card.Title != "行政处罚：未按期申报纳税" || untr.underObjection.Visible() || untr.objectBtn == nil {
		t.Fatalf("record card before objecting: title %q, under objection %v", untr.card.Title, untr.underObjection.Visible())
	}
	test.Tap(u.page.backBtn)
	if !strings.Contains(liveTexts(u.records.inquiries), "本人查询") {
		t.Errorf("who looked: %q", liveTexts(u.records.inquiries))
	}
	if u.records.noApps == nil || !strings.Contains(u.records.noApps.Text, "请点开该记录") {
		t.Errorf("no hint under my applications before any was filed")
	}
	untr = openRecord(t, u, apptest.RecUntr)

	test.Tap(untr.objectBtn)
	if u.screen != screenObjection {
		t.Fatalf("screen %d, want the objection form", u.screen)
	}
	if want := len(credit.ObjectionTypes); len(u.form.typ.Options) != want {
		t.Errorf("%d objection types offered, want %d", len(u.form.typ.Options), want)
	}
	u.form.typ.SetSelected("超过公示期限")
	test.Type(u.form.statement, "公示期已满，仍在公示。")
	test.Type(u.form.contact, "13800000000")
	test.Tap(u.form.submitBtn)

	if u.screen != screenReceipt {
		t.Fatalf("screen %d after submit, want the receipt (form error %q)", u.screen, u.form.errLabel.Text)
	}
	saved := k.mem.SavedObjections()
	if len(saved) != 1 || saved[0].Type != credit.ObjBeyondPeriod || saved[0].RecordID != apptest.RecUntr || saved[0].Contact != "13800000000" {
		t.Fatalf("saved objections %+v", saved)
	}
	r := u.receiptView
	if r.number.Text != "申请编号："+saved[0].No {
		t.Errorf("receipt number %q, want %s", r.number.Text, saved[0].No)
	}
	if r.labelDue.Text != "异议标注期限：2026-11-30 23:59 前" {
		t.Errorf("label due %q", r.labelDue.Text)
	}
	if r.decisionDue.Text != "处理决定期限：2026-12-08 23:59 前" {
		t.Errorf("decision due %q", r.decisionDue.Text)
	}
	if !strings.Contains(r.free.Text, "免费") {
		t.Errorf("free-of-charge note %q", r.free.Text)
	}

	test.Tap(r.backBtn)
	if u.screen != screenRecords {
		t.Fatalf("screen %d after back", u.screen)
	}
	if got := liveTexts(u.records.list); !strings.Contains(got, "行政处罚：未按期申报纳税  异议处理中  2025-03-14") {
		t.Errorf("the row does not say under objection:\n%s", got)
	}
	untr = openRecord(t, u, apptest.RecUntr)
	if !untr.underObjection.Visible() || untr.underObjection.Text != "异议处理中" || untr.objectBtn != nil {
		t.Errorf("record not shown under objection (visible %v, button %v)", untr.underObjection.Visible(), untr.objectBtn != nil)
	}
	if other := openRecord(t, u, apptest.RecBasic); other.underObjection.Visible() || other.objectBtn == nil {
		t.Error("another record changed")
	}
	test.Tap(u.page.backBtn)
	if !strings.Contains(labelTexts(u.records.objections), saved[0].No) {
		t.Errorf("my objections list lacks %s: %q", saved[0].No, labelTexts(u.records.objections))
	}
	if u.records.noApps != nil || shows(k.w, "暂无申请") {
		t.Error("the no-applications hint is still shown beside a filed objection")
	}
}

func TestInvalidObjectionShowsMessageInPlace(t *testing.T) {
	tests := []struct {
		name      string
		typ       string
		statement string
		want      string
	}{
		{"empty statement", "信息错误", "", "请填写异议理由。"},
		{"blank statement", "信息错误", "   ", "请填写异议理由。"},
		{"no type", "", "不是我的记录。", "请选择异议类型。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, true)
			u := k.ui
			k.readCard(t)
			test.Tap(openRecord(t, u, apptest.RecBasic).objectBtn)
			if tt.typ != "" {
				u.form.typ.SetSelected(tt.typ)
			}
			test.Type(u.form.statement, tt.statement)
			test.Tap(u.form.submitBtn)
			if u.screen != screenObjection {
				t.Fatalf("left the form (screen %d)", u.screen)
			}
			if !u.form.errLabel.Visible() || u.form.errLabel.Text != tt.want {
				t.Errorf("form error %q (visible %v), want %q", u.form.errLabel.Text, u.form.errLabel.Visible(), tt.want)
			}
			if n := len(k.mem.SavedObjections()); n != 0 {
				t.Errorf("%d objections saved", n)
			}
			// What was typed survives a language switch, and the
			// form speaks English afterwards.
			test.Tap(u.langBtn)
			if u.form.statement.Text != tt.statement || u.form.submitBtn.Text != "Submit" {
				t.Errorf("after switching: statement %q, submit %q", u.form.statement.Text, u.form.submitBtn.Text)
			}
		})
	}
}

func TestCardErrorsShowPlainMessages(t *testing.T) {
	tests := []struct {
		name   string
		reader bool
		err    error
		zh, en string
	}{
		{"no card on the reader", true, credit.Errorf(credit.ENOTFOUND, "x", "x"), "未检测到身份证，请将身份证平放在阅读区。", "No card found. Please place your ID card flat on the reader."},
		{"no reader attached", false, nil, "本机未连接身份证阅读器，请联系工作人员。", "No ID card reader is attached to this terminal. Please ask a member of staff."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, tt.reader)
			k.card.Set(credit.IDCard{}, tt.err)
			test.Tap(k.ui.home.readCardBtn)
			if k.ui.screen != screenHome {
				t.Fatalf("screen %d, want home", k.ui.screen)
			}
			if got := k.ui.message.Text; got != tt.zh || !k.ui.message.Visible() {
				t.Errorf("message %q, want %q", got, tt.zh)
			}
			test.Tap(k.ui.langBtn)
			if got := k.ui.message.Text; got != tt.en {
				t.Errorf("English message %q, want %q", got, tt.en)
			}
		})
	}
}

func TestFinishClearsEverything(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	k.readCard(t)
	test.Tap(openRecord(t, u, apptest.RecOther).objectBtn)
	u.form.typ.SetSelectedIndex(0)
	test.Type(u.form.statement, "不是我参加的活动。")
	test.Tap(u.form.submitBtn)
	test.Tap(u.receiptView.backBtn)
	sess := u.session
	holderName := u.records.holderName
	if !shows(k.w, apptest.PersonName) {
		t.Fatal("the name is not on screen before Finish; the check below would prove nothing")
	}

	test.Tap(u.records.finishBtn)
	if u.screen != screenHome || u.session != nil {
		t.Fatalf("after Finish: screen %d, session %v", u.screen, u.session != nil)
	}
	for _, secret := range []string{apptest.PersonName, apptest.PersonID, credit.IDNumber(apptest.PersonID).Masked(), "兰文明〔2023〕5号"} {
		if shows(k.w, secret) {
			t.Errorf("%q still on screen after Finish", secret)
		}
	}
	if holderName.Text != "" {
		t.Errorf("the dropped name label still holds %q", holderName.Text)
	}
	if sess.Card.Name != "" || sess.Subject.ID != "" || sess.Records != nil {
		t.Error("the service session was not ended")
	}
}

func TestNoRecordsState(t *testing.T) {
	k := newKiosk(t, true)
	stranger := apptest.PersonCard()
	stranger.Name = "李四"
	stranger.Number = "62010219850101001" + string(credit.IDCheckChar("62010219850101001"))
	k.card.Set(stranger, nil)
	k.mem.SetDataAsOf(friday.AddDate(0, 0, -5))
	k.readCard(t)
	u := k.ui
	if u.records.noRecords == nil || u.records.noRecords.Text != "本机未查到您的信用记录。" {
		t.Fatalf("no-records state missing")
	}
	for _, c := range credit.Categories {
		if _, _, empty := groupOf(u.records.rows, c); empty != "暂无记录" {
			t.Errorf("empty category %s not labelled", c)
		}
	}
	if got := u.records.dataAsOf.Text; got != "无法确认为最新数据（最后同步于 2026-11-22 10:00）" {
		t.Errorf("stale wording %q", got)
	}
	test.Tap(u.langBtn)
	if got := u.records.dataAsOf.Text; got != "Not confirmed current since 2026-11-22 10:00" {
		t.Errorf("English stale wording %q", got)
	}
	if u.records.noApps == nil || !strings.HasPrefix(u.records.noApps.Text, "No applications yet.") {
		t.Error("no English hint under my applications")
	}
}

// TestFinishWhileSubmitting: taps are ignored while a call runs, and a
// session finished while its objection is in flight stays finished (the
// late result neither shows a receipt nor brings the holder's data back).
func TestFinishWhileSubmitting(t *testing.T) {
	k := newKiosk(t, true)
	var pending []func()
	k.ui.goFn = func(f func()) { pending = append(pending, f) }
	u := k.ui
	test.Tap(u.home.readCardBtn)
	if len(pending) != 1 {
		t.Fatalf("%d calls pending", len(pending))
	}
	test.Tap(u.home.readCardBtn) // ignored while the read runs
	if len(pending) != 1 {
		t.Fatalf("a second read started while the first ran")
	}
	pending[0]()
	k.pump()
	test.Tap(openRecord(t, u, apptest.RecBasic).objectBtn)
	u.form.typ.SetSelectedIndex(0)
	test.Type(u.form.statement, "错了。")
	test.Tap(u.form.submitBtn)
	test.Tap(u.records.finishBtn) // still reachable in a field; the holder left
	pending[1]()
	k.pump()
	if u.screen != screenHome || u.receipt != nil || shows(k.w, apptest.PersonName) {
		t.Errorf("late result showed data after Finish: screen %d", u.screen)
	}
}

// TestCardPlacedOpensRecords: with the card watch running, placing the
// card opens the holder's records without a tap; after Finish the card
// left on the reader does not reopen them.
func TestCardPlacedOpensRecords(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	k.watchEmptyReader(t)

	test.Tap(u.home.searchBtn) // the holder was looking at businesses
	k.card.Set(apptest.PersonCard(), nil)
	k.waitFor(t, func() bool { return u.screen == screenRecords })
	if !strings.Contains(u.records.holderName.Text, apptest.PersonName) {
		t.Fatalf("holder %q", u.records.holderName.Text)
	}
	test.Tap(u.records.finishBtn)
	reads := k.card.Reads()
	k.waitFor(t, func() bool { return k.card.Reads() >= reads+5 })
	if u.screen != screenHome || u.session != nil || shows(k.w, apptest.PersonName) {
		t.Errorf("the card left on the reader reopened the records (screen %d)", u.screen)
	}
	if n := len(k.mem.LoggedInquiries()); n != 1 {
		t.Errorf("%d inquiries, want 1", n)
	}
}
