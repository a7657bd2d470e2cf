package office

import (
	"fmt"

	"github.com/gansu-credit/credit/app/ui"
)

// msg identifies a text of the office app.
type msg int

// Message ids. Every text the office app shows comes from messages below.
const (
	msgTitle msg = iota
	msgLangToggle
	msgLoginTitle
	msgStaffID
	msgStaffIDHint
	msgPassword
	msgLogin
	msgLogout
	msgClerk
	msgIdleLocked
	msgTabInquiry
	msgTabQueue
	msgTabSync
	msgSubjectID
	msgSubjectIDHint
	msgPurpose
	msgChoosePurpose
	msgAuthRef
	msgAuthRefHint
	msgAuthRefNote
	msgInquire
	msgClear
	msgSubjectName
	msgSubjectCode
	msgLogged
	msgDataAsOf
	msgStale
	msgNeverSynced
	msgNoRecords
	msgSourceUnit
	msgDocumentNo
	msgLegalBasis
	msgDecisionDate
	msgPublicityUntil
	msgTier
	msgUnderObjection
	msgRefresh
	msgQueueEmpty
	msgColNo
	msgColKind
	msgColSubject
	msgColStatus
	msgColReceived
	msgColDue
	msgColLate
	msgOverdueDays
	msgOverdue
	msgOnTime
	msgKindObjection
	msgKindRestoration
	msgSyncPhase
	msgSyncLastSuccess
	msgSyncPending
	msgSyncIdle
	msgSyncRunning
	msgSyncOffline
	msgSyncFailed
	msgSyncOff
	msgSyncUnknown
	msgNever
	msgAllKinds
	msgAllStatuses
	msgCount // keep last
)

// messages holds every text in Chinese and English.
var messages = [msgCount][2]string{
	msgTitle:           {"甘肃省公共信用信息 · 县级服务窗口", "Gansu Public Credit Information · County office"},
	msgLangToggle:      {"English", "中文"},
	msgLoginTitle:      {"工作人员登录", "Staff login"},
	msgStaffID:         {"工号", "Staff number"},
	msgStaffIDHint:     {"例如 C001", "e.g. C001"},
	msgPassword:        {"密码", "Password"},
	msgLogin:           {"登录", "Log in"},
	msgLogout:          {"退出登录", "Log out"},
	msgClerk:           {"%s（%s）", "%s (%s)"},
	msgIdleLocked:      {"超过5分钟无操作，已自动锁定。请重新登录。", "Locked after 5 minutes without activity. Please log in again."},
	msgTabInquiry:      {"授权查询", "Authorised inquiry"},
	msgTabQueue:        {"待办", "Queue"},
	msgTabSync:         {"同步", "Sync"},
	msgSubjectID:       {"身份证号码或统一社会信用代码", "ID number or unified social credit code"},
	msgSubjectIDHint:   {"18位号码", "18 characters"},
	msgPurpose:         {"查询用途（《条例》第二十五条）", "Purpose (Art. 25)"},
	msgChoosePurpose:   {"请选择", "Choose"},
	msgAuthRef:         {"授权书编号", "Authorisation reference"},
	msgAuthRefHint:     {"查询自然人时必填", "Required for a natural person"},
	msgAuthRefNote:     {"查询自然人信用信息须经本人书面授权；每次查询均登记在案，本人可查看。", "A natural person's records need their written authorisation; every inquiry is logged and the person can see it."},
	msgInquire:         {"查询", "Inquire"},
	msgClear:           {"清除", "Clear"},
	msgSubjectName:     {"名称：%s", "Name: %s"},
	msgSubjectCode:     {"证件号码/代码：%s", "ID / code: %s"},
	msgLogged:          {"本次查询已登记：%s，工号 %s，用途：%s", "Inquiry logged: %s, staff %s, purpose: %s"},
	msgDataAsOf:        {"数据截至 %s", "Data as of %s"},
	msgStale:           {"无法确认为最新数据（最后同步于 %s）", "Not confirmed current since %s"},
	msgNeverSynced:     {"无法确认为最新数据（本机尚未同步）", "Not confirmed current: never synced"},
	msgNoRecords:       {"暂无记录", "No records"},
	msgSourceUnit:      {"信息提供单位：%s", "Source: %s"},
	msgDocumentNo:      {"文书号：%s", "Document no.: %s"},
	msgLegalBasis:      {"依据：%s", "Legal basis: %s"},
	msgDecisionDate:    {"决定日期：%s", "Decision date: %s"},
	msgPublicityUntil:  {"公示期至：%s", "Published until: %s"},
	msgTier:            {"失信程度：%s", "Severity: %s"},
	msgUnderObjection:  {"异议处理中", "Under objection"},
	msgRefresh:         {"刷新", "Refresh"},
	msgQueueEmpty:      {"暂无待办申请。", "No open applications."},
	msgColNo:           {"申请编号", "Application no."},
	msgColKind:         {"类型", "Kind"},
	msgColSubject:      {"申请人", "Applicant"},
	msgColStatus:       {"状态", "Status"},
	msgColReceived:     {"受理日期", "Received"},
	msgColDue:          {"办理期限", "Due"},
	msgColLate:         {"逾期", "Late"},
	msgOverdueDays:     {"逾期 %d 个工作日", "%d working days late"},
	msgOverdue:         {"已逾期", "Overdue"},
	msgOnTime:          {"—", "—"},
	msgKindObjection:   {"异议", "Objection"},
	msgKindRestoration: {"信用修复", "Restoration"},
	msgSyncPhase:       {"同步状态：%s", "Sync: %s"},
	msgSyncLastSuccess: {"最近一次成功同步：%s", "Last successful sync: %s"},
	msgSyncPending:     {"待上传申请：%d 件", "Applications waiting to upload: %d"},
	msgSyncIdle:        {"已同步", "synced"},
	msgSyncRunning:     {"正在同步……", "syncing…"},
	msgSyncOffline:     {"离线，稍后重试", "offline, will retry"},
	msgSyncFailed:      {"同步失败：%s", "failed: %s"},
	msgSyncOff:         {"本机未配置同步", "this computer does not sync"},
	msgSyncUnknown:     {"未知", "unknown"},
	msgNever:           {"从未", "never"},
	msgAllKinds:        {"全部类型", "All kinds"},
	msgAllStatuses:     {"全部状态", "All statuses"},
}

// t returns the text of m in lang.
func t(lang ui.Lang, m msg) string {
	if lang == ui.English {
		return messages[m][1]
	}
	return messages[m][0]
}

// tf formats the text of m in lang with args.
func tf(lang ui.Lang, m msg, args ...any) string {
	return fmt.Sprintf(t(lang, m), args...)
}

// pick returns zh or en by lang (for labels that come from credit).
func pick(lang ui.Lang, zh, en string) string {
	if lang == ui.English {
		return en
	}
	return zh
}
