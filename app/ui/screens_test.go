package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestBusinessSearch(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	test.Tap(u.home.searchBtn)
	if u.screen != screenSearch {
		t.Fatalf("screen %d, want search", u.screen)
	}
	test.Type(u.search.entry, "物流")
	test.Tap(u.search.searchBtn)
	if len(u.search.results) != 1 || !strings.HasPrefix(u.search.results[0].Text, apptest.Org2Name) {
		t.Fatalf("results %v", u.search.results)
	}
	test.Tap(u.search.results[0])
	if u.screen != screenOrg || u.orgView.name.Text != apptest.Org2Name || u.orgView.code.Text != apptest.Org2ID {
		t.Fatalf("org screen: %d %q", u.screen, u.message.Text)
	}
	if _, _, empty := groupOf(u.orgView.rows, credit.CategoryUntrustworthy); empty != "暂无记录" {
		t.Error("the empty category is not labelled")
	}
	rv := openRecord(t, u, apptest.RecOrg2)
	if rv.card.Title != "营业执照登记" || !strings.Contains(labelTexts(rv.details), "兰州市市场监督管理局") {
		t.Fatalf("org record not shown: %+v", rv)
	}
	if rv.objectBtn != nil || rv.restoreBtn != nil {
		t.Error("an Object or Restore button on a business's record in the public view")
	}
	if !u.homeBtn.Visible() {
		t.Error("no home button on a business's record")
	}
	test.Tap(u.page.backBtn)
	if u.screen != screenOrg {
		t.Fatalf("back from the record: screen %d", u.screen)
	}
	if inq := k.mem.LoggedInquiries(); len(inq) != 1 || inq[0].InquirerKind != credit.InquirerPublic {
		t.Errorf("inquiries %+v", inq)
	}
	test.Tap(u.orgView.backBtn)
	if u.screen != screenSearch || len(u.search.results) != 1 || u.search.entry.Text != "物流" {
		t.Errorf("back to the results: screen %d, %d results, entry %q", u.screen, len(u.search.results), u.search.entry.Text)
	}
	test.Tap(u.homeBtn)
	if u.screen != screenHome {
		t.Errorf("home button: screen %d", u.screen)
	}
}

func TestSearchNeverShowsAPerson(t *testing.T) {
	tests := []struct {
		name, query string
		leak        bool
		results     int
		message     string
	}{
		{"person's name", "张三", false, 0, ""},
		{"person's name, leaking port", "张", true, 0, ""},
		{"two-character business name", "兰州", true, 2, ""},
		{"empty query", "  ", false, 0, "请输入企业名称或统一社会信用代码。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKiosk(t, true)
			k.mem.LeakPersons = tt.leak
			u := k.ui
			test.Tap(u.home.searchBtn)
			test.Type(u.search.entry, tt.query)
			test.Tap(u.search.searchBtn)
			if len(u.search.results) != tt.results {
				t.Errorf("%d results, want %d", len(u.search.results), tt.results)
			}
			if shows(k.w, apptest.PersonName) || shows(k.w, apptest.PersonID) {
				t.Error("a natural person is on screen")
			}
			if tt.message != "" && u.message.Text != tt.message {
				t.Errorf("message %q, want %q", u.message.Text, tt.message)
			}
			if tt.message == "" && tt.results == 0 && (u.search.noResults == nil || u.search.noResults.Text != "未找到符合条件的企业。") {
				t.Error("no-results state missing")
			}
		})
	}
}

func TestLanguageToggle(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	if u.Lang() != Chinese || u.home.readCardBtn.Text != "读取身份证" || u.home.searchBtn.Text != "查询企业" || u.langBtn.Text != "English" {
		t.Fatalf("default texts: %q %q %q", u.home.readCardBtn.Text, u.home.searchBtn.Text, u.langBtn.Text)
	}
	test.Tap(u.langBtn)
	if u.Lang() != English || u.home.readCardBtn.Text != "Read my ID card" || u.home.searchBtn.Text != "Search a business" || u.langBtn.Text != "中文" || u.title.Text != "Gansu Public Credit Information" {
		t.Fatalf("English texts: %q %q %q %q", u.home.readCardBtn.Text, u.home.searchBtn.Text, u.langBtn.Text, u.title.Text)
	}
	k.readCard(t)
	if got, _, _ := groupOf(u.records.rows, credit.CategoryUntrustworthy); got != "Untrustworthiness information (2)" {
		t.Errorf("category heading %q", got)
	}
	if got := u.records.finishBtn.Text; got != "Finish" {
		t.Errorf("finish %q", got)
	}
	if got := labelTexts(openRecord(t, u, apptest.RecUntr).details); !strings.Contains(got, "Severity: minor") || !strings.Contains(got, "Published until: 2026-03-14") {
		t.Errorf("English details:\n%s", got)
	}
	if shows(k.w, "信息提供单位") || shows(k.w, "基本信息") {
		t.Error("Chinese labels remain after switching to English")
	}
	test.Tap(u.langBtn)
	if got := u.page.view.card.Title; got != "行政处罚：未按期申报纳税" {
		t.Errorf("back in Chinese, the record %q", got)
	}
	test.Tap(u.page.backBtn)
	if got, _, _ := groupOf(u.records.rows, credit.CategoryUntrustworthy); got != "失信信息（2 条）" {
		t.Errorf("back in Chinese, heading %q", got)
	}
}

func TestMessagesComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	for m := msg(0); m < msgCount; m++ {
		zh, en := messages[m][0], messages[m][1]
		if zh == "" || en == "" {
			t.Errorf("message %d lacks a translation: %q / %q", m, zh, en)
		}
		if a, b := verbs.FindAllString(zh, -1), verbs.FindAllString(en, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("message %d: verbs %v in Chinese, %v in English", m, a, b)
		}
	}
	if ParseLang("en") != English || ParseLang("zh") != Chinese || ParseLang("fr") != Chinese {
		t.Error("ParseLang")
	}
}

func TestSyncStatusLine(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	if got := u.status.Text; got != "同步：同步状态未知" {
		t.Errorf("initial status %q", got)
	}
	last := time.Date(2026, 11, 27, 9, 30, 0, 0, credit.China)
	steps := []struct {
		info app.SyncInfo
		want string
	}{
		{app.SyncInfo{Phase: app.SyncRunning}, "同步：正在同步……"},
		{app.SyncInfo{Phase: app.SyncRunning, Applied: 1200}, "同步：正在同步……已接收 1200 条"},
		{app.SyncInfo{Phase: app.SyncRunning, Applied: 300, Done: 300, Total: 1200}, "同步：正在同步……已接收 300 条 25%"},
		{app.SyncInfo{Phase: app.SyncIdle, Applied: 4, Pending: 2, LastSuccess: last}, "同步：已同步 2026-11-27 09:30，2 件申请待上传"},
		{app.SyncInfo{Phase: app.SyncOffline, LastSuccess: last}, "同步：离线，稍后重试"},
		{app.SyncInfo{Phase: app.SyncOff}, "同步：本机未配置同步"},
		{app.SyncInfo{Phase: app.SyncFailed, Err: credit.Errorf(credit.EUNAUTHORIZED, "终端未授权。", "Terminal not authorised.")}, "同步：同步失败：终端未授权。"},
	}
	for i, st := range steps {
		k.svc.PublishSync(st.info)
		k.waitFor(t, func() bool { return u.appliedSeq() >= int64(i+1) })
		if got := u.status.Text; got != st.want {
			t.Errorf("step %d: status %q, want %q", i, got, st.want)
		}
	}
}

func TestTheme(t *testing.T) {
	th := NewTheme()
	test.AssertAllColorNamesDefined(t, th, "kiosk")
	whole := kioskTheme{Theme: theme.DefaultTheme(), font: fullFontResource}
	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Monospace: true}, {Symbol: true}} {
		if f := th.Font(style); f.Name() != "wqy-microhei-common.ttf" || len(f.Content()) < 1<<20 {
			t.Errorf("font for %+v is %s, want the everyday subset", style, f.Name())
		}
		if f := whole.Font(style); f.Name() != "wqy-microhei.ttf" || len(f.Content()) <= len(th.Font(style).Content()) {
			t.Errorf("whole-font theme: font for %+v is %s", style, f.Name())
		}
	}
	if d := theme.DefaultTheme(); th.Size(theme.SizeNameText) <= d.Size(theme.SizeNameText) || th.Size(theme.SizeNamePadding) <= d.Size(theme.SizeNamePadding) {
		t.Error("kiosk text and padding are not larger than the default")
	}
}

func TestGoldens(t *testing.T) {
	k := newKiosk(t, true)
	k.w.Resize(fyne.NewSize(1024, 1400))
	test.AssertRendersToMarkup(t, "home.xml", k.w.Canvas())
	k.readCard(t)
	test.AssertRendersToMarkup(t, "records.xml", k.w.Canvas())
	test.Tap(openRecord(t, k.ui, apptest.RecUntr).objectBtn)
	test.Tap(k.ui.form.submitBtn) // nothing chosen: the messages show in place
	test.AssertRendersToMarkup(t, "objection.xml", k.w.Canvas())
	test.Tap(k.ui.form.cancelBtn)
	test.Tap(k.ui.records.finishBtn)
	test.Tap(k.ui.langBtn)
	test.AssertRendersToMarkup(t, "home_en.xml", k.w.Canvas())
}

func TestExpiredCardNoted(t *testing.T) {
	k := newKiosk(t, true)
	card := apptest.PersonCard()
	card.ValidTo = "20251231"
	k.card.Set(card, nil)
	k.readCard(t)
	u := k.ui
	if u.records.expired == nil || u.records.expired.Text != "您的身份证已过有效期，请及时换领。本次查询不受影响。" {
		t.Fatal("expired card not noted")
	}
	if n := recordRowCount(u.records.rows); n != 4 {
		t.Errorf("an expired card is still served: %d records shown", n)
	}
}

// BenchmarkRecordsScreen builds the records screen for a holder with 300
// records (the UI rebuilds it on every language switch).
func BenchmarkRecordsScreen(b *testing.B) {
	test.NewTempApp(b)
	mem := apptest.Fixture(friday)
	subjects, _ := apptest.FixtureData()
	var many []credit.Record
	for i := range 300 {
		many = append(many, credit.Record{ID: fmt.Sprintf("bulk-%d", i), SubjectID: apptest.PersonID, Category: credit.Categories[i%3],
			Title: "行政处罚", SourceUnit: "兰州市市场监督管理局", DocumentNo: fmt.Sprintf("兰市监罚〔2025〕%d号", i), DecisionDate: friday})
	}
	mem.Put(subjects[0], many...)
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Card: apptest.NewCard(apptest.PersonCard(), nil), Now: func() time.Time { return friday }})
	k := &kiosk{q: make(chan func(), 4096)}
	o := k.opts()
	o.IdleTimeout = -1
	u := New(svc, o)
	w := test.NewTempWindow(b, nil)
	u.Show(w)
	b.Cleanup(u.Close)
	test.Tap(u.home.readCardBtn)
	if n := recordRowCount(u.records.rows); u.screen != screenRecords || n != 304 {
		b.Fatalf("screen %d with %d records", u.screen, n)
	}
	b.ResetTimer()
	for b.Loop() {
		u.render()
	}
}
