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
	msgTabIntake
	msgTabSettings
	msgApplicantRole
	msgIntakeAuthRef
	msgIntakeAuthRefHint
	msgReadCard
	msgLookUp
	msgIntakeNote
	msgApplicant
	msgRecord
	msgAppKind
	msgObjType
	msgStatement
	msgContact
	msgPerformance
	msgShowLetter
	msgLetter
	msgCommitted
	msgSubmit
	msgFree
	msgReceiptTitle
	msgReceiptNo
	msgReceiptAt
	msgReceiptLabelDue
	msgReceiptDecisionDue
	msgReceiptAcceptDue
	msgReceiptFeedbackDue
	msgEvidence
	msgAttach
	msgNoEvidence
	msgEvidenceItem
	msgEvidenceLocal
	msgNewIntake
	msgReaderPort
	msgNoReader
	msgPrinter
	msgPrinterHint
	msgCounty
	msgCountyNote
	msgSave
	msgSaved
	msgAudit
	msgVerifyAudit
	msgAuditOK
	msgAuditBroken
	msgRegion
	msgRegionHint
	msgRegionBad
	msgNoPrinters
	msgPrintersFailed
	msgQueueEmptyFiltered
	msgSyncNeverHint
	msgSyncOffHint
	msgAuditHint
	msgAuditNoDetail
	msgCount // keep last
)

// messages holds every text in Chinese and English.
var messages = [msgCount][2]string{
	msgTitle:              {"甘肃省公共信用信息 · 县级服务窗口", "Gansu Public Credit Information · County office"},
	msgLangToggle:         {"English", "中文"},
	msgLoginTitle:         {"工作人员登录", "Staff login"},
	msgStaffID:            {"工号", "Staff number"},
	msgStaffIDHint:        {"例如 C001", "e.g. C001"},
	msgPassword:           {"密码", "Password"},
	msgLogin:              {"登录", "Log in"},
	msgLogout:             {"退出登录", "Log out"},
	msgClerk:              {"%s（%s）", "%s (%s)"},
	msgIdleLocked:         {"超过5分钟无操作，已自动锁定。请重新登录。", "Locked after 5 minutes without activity. Please log in again."},
	msgTabInquiry:         {"授权查询", "Authorised inquiry"},
	msgTabQueue:           {"待办", "Queue"},
	msgTabSync:            {"同步", "Sync"},
	msgSubjectID:          {"身份证号码或统一社会信用代码", "ID number or unified social credit code"},
	msgSubjectIDHint:      {"18位号码", "18 characters"},
	msgPurpose:            {"查询用途（《条例》第二十五条）", "Purpose (Art. 25)"},
	msgChoosePurpose:      {"请选择", "Choose"},
	msgAuthRef:            {"授权书编号", "Authorisation reference"},
	msgAuthRefHint:        {"查询自然人时必填", "Required for a natural person"},
	msgAuthRefNote:        {"查询自然人信用信息须经本人书面授权；每次查询均登记在案，本人可查看。", "A natural person's records need their written authorisation; every inquiry is logged and the person can see it."},
	msgInquire:            {"查询", "Inquire"},
	msgClear:              {"清除", "Clear"},
	msgSubjectName:        {"名称：%s", "Name: %s"},
	msgSubjectCode:        {"证件号码/代码：%s", "ID / code: %s"},
	msgLogged:             {"本次查询已登记：%s，工号 %s，用途：%s", "Inquiry logged: %s, staff %s, purpose: %s"},
	msgDataAsOf:           {"数据截至 %s", "Data as of %s"},
	msgStale:              {"无法确认为最新数据（最后同步于 %s）", "Not confirmed current since %s"},
	msgNeverSynced:        {"无法确认为最新数据（本机尚未同步）：请到“同步”页点击“立即同步”。", "Not confirmed current: never synced. Open “Sync” and press “Sync now”."},
	msgNoRecords:          {"暂无记录", "No records"},
	msgSourceUnit:         {"信息提供单位：%s", "Source: %s"},
	msgDocumentNo:         {"文书号：%s", "Document no.: %s"},
	msgLegalBasis:         {"依据：%s", "Legal basis: %s"},
	msgDecisionDate:       {"决定日期：%s", "Decision date: %s"},
	msgPublicityUntil:     {"公示期至：%s", "Published until: %s"},
	msgTier:               {"失信程度：%s", "Severity: %s"},
	msgUnderObjection:     {"异议处理中", "Under objection"},
	msgRefresh:            {"刷新", "Refresh"},
	msgQueueEmpty:         {"暂无待办申请。在“受理申请”页受理的申请和同步取得的自助终端申请会显示在这里；点击“刷新”可重新读取。", "No open applications. Applications taken on “Take an application” and those the sync brings from the kiosks appear here; press “Refresh” to read them again."},
	msgColNo:              {"申请编号", "Application no."},
	msgColKind:            {"类型", "Kind"},
	msgColSubject:         {"申请人", "Applicant"},
	msgColStatus:          {"状态", "Status"},
	msgColReceived:        {"受理日期", "Received"},
	msgColDue:             {"办理期限", "Due"},
	msgColLate:            {"逾期", "Late"},
	msgOverdueDays:        {"逾期 %d 个工作日", "%d working days late"},
	msgOverdue:            {"已逾期", "Overdue"},
	msgOnTime:             {"—", "—"},
	msgKindObjection:      {"异议", "Objection"},
	msgKindRestoration:    {"信用修复", "Restoration"},
	msgSyncPhase:          {"同步状态：%s", "Sync: %s"},
	msgSyncLastSuccess:    {"最近一次成功同步：%s", "Last successful sync: %s"},
	msgSyncPending:        {"待上传申请：%d 件", "Applications waiting to upload: %d"},
	msgSyncIdle:           {"已同步", "synced"},
	msgSyncRunning:        {"正在同步……", "syncing…"},
	msgSyncOffline:        {"离线，稍后重试", "offline, will retry"},
	msgSyncFailed:         {"同步失败：%s", "failed: %s"},
	msgSyncOff:            {"本机未配置同步", "this computer does not sync"},
	msgSyncUnknown:        {"未知", "unknown"},
	msgNever:              {"从未", "never"},
	msgAllKinds:           {"全部类型", "All kinds"},
	msgAllStatuses:        {"全部状态", "All statuses"},
	msgTabIntake:          {"受理申请", "Take an application"},
	msgTabSettings:        {"设置", "Settings"},
	msgApplicantRole:      {"申请人身份", "Applicant"},
	msgIntakeAuthRef:      {"授权委托书/身份证明书编号", "Authorisation letter no."},
	msgIntakeAuthRefHint:  {"本人办理无需填写", "Not needed when the subject applies in person"},
	msgReadCard:           {"读取身份证", "Read ID card"},
	msgLookUp:             {"查询记录", "Look up records"},
	msgIntakeNote:         {"为受理异议或信用修复申请查看记录；本次查看登记在案（用途：异议/信用修复受理），本人可查看。", "The records are opened to take an objection or restoration application; the look is logged (purpose: objection/restoration intake) and the person can see it."},
	msgApplicant:          {"申请主体：%s（%s）", "Subject: %s (%s)"},
	msgRecord:             {"申请针对的记录", "Record"},
	msgAppKind:            {"申请类型", "Application"},
	msgObjType:            {"异议类型", "Kind of objection"},
	msgStatement:          {"异议理由及请求", "Grounds and request"},
	msgContact:            {"联系电话或地址", "Phone or address for the reply"},
	msgPerformance:        {"履行法定义务、纠正失信行为的情况", "How the obligations were performed and the conduct corrected"},
	msgShowLetter:         {"出示信用承诺书", "Show the commitment letter"},
	msgLetter:             {"信用承诺书：本人（本单位）承诺，所提交的材料真实、合法、有效；已履行行政处罚决定规定的义务，纠正了失信行为；今后将严格遵守法律法规，守信践诺。如有虚假，愿承担相应法律责任，并同意将承诺履行情况记入信用记录。", "Credit commitment letter: I (we) undertake that the materials submitted are true, lawful and valid; that the obligations of the penalty decision have been performed and the conduct corrected; and that I (we) will abide by the law from now on. If anything is false, I (we) accept the legal consequences and agree that the keeping of this commitment is recorded in the credit file."},
	msgCommitted:          {"申请人已阅读并签署信用承诺书", "The applicant has read and signed the commitment letter"},
	msgSubmit:             {"提交申请", "Submit"},
	msgFree:               {"信用修复免费办理，不收取任何费用。", "Credit restoration is free of charge."},
	msgReceiptTitle:       {"申请已受理", "Application taken"},
	msgReceiptNo:          {"申请编号：%s", "Application no.: %s"},
	msgReceiptAt:          {"受理时间：%s", "Received: %s"},
	msgReceiptLabelDue:    {"异议标注期限：%s（1个工作日）", "Labelled as under objection by: %s (1 working day)"},
	msgReceiptDecisionDue: {"核查处理期限：%s（7个工作日）", "Decided by: %s (7 working days)"},
	msgReceiptAcceptDue:   {"受理审核期限：%s（3个工作日）", "Accepted or refused by: %s (3 working days)"},
	msgReceiptFeedbackDue: {"修复结果反馈期限：%s（10个工作日）", "Outcome by: %s (10 working days)"},
	msgEvidence:           {"证明材料（PDF、JPEG、PNG，每个不超过10MB，最多5个）", "Evidence (PDF, JPEG or PNG; up to 10 MB each, at most 5 files)"},
	msgAttach:             {"添加材料", "Attach a file"},
	msgNoEvidence:         {"尚未添加材料。申请人提供证明材料的，点击“添加材料”逐个选择文件。", "No files attached. If the applicant brought evidence, press “Attach a file” for each file."},
	msgEvidenceItem:       {"%s（%s，%d KB）", "%s (%s, %d KB)"},
	msgEvidenceLocal:      {"材料暂存本机；向平台上传材料的功能尚未开通。", "Files are kept on this computer; sending them to the platform is not available yet."},
	msgNewIntake:          {"办理下一件", "Next application"},
	msgReaderPort:         {"读卡器串口", "Card reader port"},
	msgNoReader:           {"不使用读卡器", "No reader"},
	msgPrinter:            {"打印机", "Printer"},
	msgPrinterHint:        {"留空则使用系统默认打印机", "Empty: the system default"},
	msgCounty:             {"县区代码", "County code"},
	msgCountyNote:         {"县区代码决定适用的地方节假日，仅负责人可修改；串口和县区代码在程序重启后生效。", "The county code selects the local holidays and only a supervisor may change it; the port and the county take effect after a restart."},
	msgSave:               {"保存", "Save"},
	msgSaved:              {"设置已保存。", "Settings saved."},
	msgAudit:              {"查询日志核验（仅限负责人）", "Inquiry log check (supervisors only)"},
	msgVerifyAudit:        {"核验", "Verify"},
	msgAuditOK:            {"查询日志完整：%s，%s。", "The inquiry log is intact: %s, %s."}, // counts: auditIntact
	msgAuditBroken:        {"查询日志被改动：%s", "The inquiry log was tampered with: %s"},
	msgRegion:             {"地区", "Area"},
	msgRegionHint:         {"行政区划代码前缀，如 6201", "Division code prefix, e.g. 6201"},
	msgRegionBad:          {"地区代码须为1至6位数字。", "The area code is 1 to 6 digits."},
	msgNoPrinters:         {"未检测到打印机。可直接输入打印机名称，或留空使用系统默认打印机。", "No printers were found on this computer. Type the printer's name, or leave it empty for the system default."},
	msgPrintersFailed:     {"无法列出打印机：%s 可直接输入打印机名称。", "The printers cannot be listed: %s Type the printer's name."},
	// Empty states say what to do.
	msgQueueEmptyFiltered: {"暂无待办申请符合当前筛选条件。可改选“全部类型”“全部状态”或清空地区，再点击“刷新”。",
		"No open applications match the filters. Choose “All kinds” and “All statuses” or empty the area, then press “Refresh”."},
	msgSyncNeverHint: {"本机尚未从平台取得数据，查询结果无法确认为最新。请确认网络连接后点击“立即同步”。",
		"This computer has no data from the platform yet, so inquiries are not confirmed current. Check the network connection, then press “Sync now”."},
	msgSyncOffHint: {"本机未设置平台地址（启动参数 -server），不会同步，查询结果无法确认为最新。请联系技术支持设置。",
		"No platform address is set (the -server option), so this computer does not sync and inquiries are not confirmed current. Ask technical support to set it."},
	msgAuditHint:     {"点击“核验”，重新计算本机每台设备查询日志的哈希链，检查是否有记录被删改。", "Press “Verify” to recompute the hash chain of every device's inquiry log on this computer and find any entry removed or altered."},
	msgAuditNoDetail: {"未给出位置", "no position given"},
}

// t returns the text of m in lang.
func t(lang ui.Lang, m msg) string { return pick(lang, messages[m][0], messages[m][1]) }

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
