package ui

import "fmt"

// Lang is a display language.
type Lang string

// Languages. Chinese is the default.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// ParseLang accepts "zh" or "en" (anything else is Chinese).
func ParseLang(s string) Lang {
	if s == string(English) {
		return English
	}
	return Chinese
}

// msg identifies a text of the kiosk.
type msg int

// Message ids. Every text the kiosk shows comes from messages below.
const (
	msgTitle msg = iota
	msgReadCard
	msgSearchBusiness
	msgLangToggle
	msgReading
	msgHomeHint
	msgHolder
	msgIDNumber
	msgCardExpired
	msgDataAsOf
	msgStale
	msgNeverSynced
	msgNoRecordsAtAll
	msgNoRecordsInCategory
	msgSourceUnit
	msgDocumentNo
	msgLegalBasis
	msgDecisionDate
	msgPublicityUntil
	msgNoPublicityEnd
	msgTier
	msgUnderObjection
	msgObject
	msgWhoLooked
	msgNobodyLooked
	msgNoApplications
	msgInquirySelf
	msgInquiryClerk
	msgInquiryPublic
	msgMyObjections
	msgFinish
	msgObjectionTitle
	msgObjectionType
	msgChooseType
	msgStatement
	msgStatementHint
	msgContact
	msgContactHint
	msgSubmit
	msgCancel
	msgReceiptTitle
	msgApplicationNo
	msgReceivedAt
	msgLabelDue
	msgDecisionDue
	msgFree
	msgBackToRecords
	msgSearchHint
	msgSearch
	msgNoResults
	msgBack
	msgHome
	msgSyncIdle
	msgSyncRunning
	msgSyncRunningN
	msgSyncOffline
	msgSyncFailed
	msgSyncOff
	msgSyncUnknown
	msgSyncPending
	msgStatus
	msgIdleEnded
	msgPrintReceipt
	msgPrintAgain
	msgPrinting
	msgPrintedSlip
	msgPrintedA4
	msgPrintReport
	msgReportPrinted
	msgAllowanceNote
	msgRestore
	msgRestoring
	msgRestTitle
	msgStep
	msgPerformance
	msgPerformanceHint
	msgPerformanceNeeded
	msgLetter
	msgSign
	msgReview
	msgNext
	msgSigned
	msgRestReceiptTitle
	msgAcceptDue
	msgFeedbackDue
	msgCountdown
	msgContinue
	msgVerifyReport
	msgAppStatus
	msgVerifyHint
	msgVerify
	msgNoTrust
	msgVerifiedNo
	msgVerifiedType
	msgVerifiedSubject
	msgVerifiedIssued
	msgVerifiedExpires
	msgVerifiedOffice
	msgVerifiedPages
	msgStatusHint
	msgProgressStatus
	msgKindObjection
	msgKindRestoration
	msgCardRemoved
	msgReprint
	msgContrast
	msgProvisional
	msgProvisionalNote
	msgGroupCount
	msgCount // keep last
)

// messages holds every text in Chinese and English. Entries with %
// verbs are formatted by tf.
var messages = [msgCount][2]string{
	msgTitle:               {"甘肃省公共信用信息查询", "Gansu Public Credit Information"},
	msgReadCard:            {"读取身份证", "Read my ID card"},
	msgSearchBusiness:      {"查询企业", "Search a business"},
	msgLangToggle:          {"English", "中文"},
	msgReading:             {"正在读取身份证，请稍候……", "Reading your card, please wait…"},
	msgHomeHint:            {"请将身份证放在阅读区，然后点击“读取身份证”。", "Place your ID card on the reader, then tap “Read my ID card”."},
	msgHolder:              {"姓名：%s", "Name: %s"},
	msgIDNumber:            {"证件号码：%s", "ID number: %s"},
	msgCardExpired:         {"您的身份证已过有效期，请及时换领。本次查询不受影响。", "Your ID card has expired; please renew it. You can still see your records."},
	msgDataAsOf:            {"数据截至 %s", "Data as of %s"},
	msgStale:               {"无法确认为最新数据（最后同步于 %s）", "Not confirmed current since %s"},
	msgNeverSynced:         {"无法确认为最新数据（本机尚未同步）", "Not confirmed current: this terminal has never synced"},
	msgNoRecordsAtAll:      {"本机未查到您的信用记录。", "No credit records about you were found on this terminal."},
	msgNoRecordsInCategory: {"暂无记录", "No records"},
	msgSourceUnit:          {"信息提供单位：%s", "Source: %s"},
	msgDocumentNo:          {"文书号：%s", "Document no.: %s"},
	msgLegalBasis:          {"依据：%s", "Legal basis: %s"},
	msgDecisionDate:        {"决定日期：%s", "Decision date: %s"},
	msgPublicityUntil:      {"公示期至：%s", "Published until: %s"},
	msgNoPublicityEnd:      {"公示期至：—", "Published until: —"},
	msgTier:                {"失信程度：%s", "Severity: %s"},
	msgUnderObjection:      {"异议处理中", "Under objection"},
	msgObject:              {"提出异议", "Object"},
	msgWhoLooked:           {"谁查询了我的信息", "Who looked at my data"},
	msgNobodyLooked:        {"暂无查询记录", "Nobody has looked yet"},
	msgNoApplications:      {"暂无申请。对某条记录有异议或想申请信用修复，请点开该记录。", "No applications yet. To object to a record or apply for credit restoration, open that record."},
	msgInquirySelf:         {"%s  本人查询  %s", "%s  you  %s"},
	msgInquiryClerk:        {"%s  工作人员授权查询  %s", "%s  staff, authorised  %s"},
	msgInquiryPublic:       {"%s  公开查询  %s", "%s  public search  %s"},
	msgMyObjections:        {"我的申请", "My applications"},
	msgFinish:              {"结束", "Finish"},
	msgObjectionTitle:      {"对“%s”提出异议", "Object to “%s”"},
	msgObjectionType:       {"异议类型", "Kind of objection"},
	msgChooseType:          {"请选择", "Choose"},
	msgStatement:           {"异议理由", "Why is it wrong?"},
	msgStatementHint:       {"请说明记录哪里有误", "Say what is wrong with the record"},
	msgContact:             {"联系方式（选填）", "Contact (optional)"},
	msgContactHint:         {"手机号码或地址", "Phone number or address"},
	msgSubmit:              {"提交", "Submit"},
	msgCancel:              {"取消", "Cancel"},
	msgReceiptTitle:        {"异议申请已受理", "Your objection has been received"},
	msgApplicationNo:       {"申请编号：%s", "Application no.: %s"},
	msgReceivedAt:          {"受理时间：%s", "Received: %s"},
	msgLabelDue:            {"异议标注期限：%s 前", "Labelled as under objection by: %s"},
	msgDecisionDue:         {"处理决定期限：%s 前", "Decision due by: %s"},
	msgFree:                {"免费办理，不收取任何费用。", "Free of charge."},
	msgBackToRecords:       {"返回我的记录", "Back to my records"},
	msgSearchHint:          {"企业名称或统一社会信用代码", "Business name or credit code"},
	msgSearch:              {"查询", "Search"},
	msgNoResults:           {"未找到符合条件的企业。", "No business matches."},
	msgBack:                {"返回", "Back"},
	msgHome:                {"首页", "Home"},
	msgSyncIdle:            {"已同步 %s", "Synced %s"},
	msgSyncRunning:         {"正在同步……", "Syncing…"},
	msgSyncRunningN:        {"正在同步……已接收 %d 条", "Syncing… %d changes received"},
	msgSyncOffline:         {"离线，稍后重试", "Offline, will retry"},
	msgSyncFailed:          {"同步失败：%s", "Sync failed: %s"},
	msgSyncUnknown:         {"同步状态未知", "Sync status unknown"},
	msgSyncOff:             {"本机未配置同步", "this terminal does not sync"},
	msgSyncPending:         {"，%d 件申请待上传", ", %d applications waiting to upload"},
	msgStatus:              {"同步：%s", "Sync: %s"},
	msgIdleEnded:           {"长时间无操作，已自动结束查询以保护您的信息。", "The session ended after a period without use, to protect your information."},
	msgPrintReceipt:        {"打印回执", "Print receipt"},
	msgPrintAgain:          {"重新打印", "Print again"},
	msgPrinting:            {"正在打印……", "Printing…"},
	msgPrintedSlip:         {"回执已打印，请在出纸口取走。", "Your receipt has been printed. Please take it from the slot."},
	msgPrintedA4:           {"已送至打印机（任务 %s），请取走。", "Sent to the printer (job %s). Please collect it."},
	msgPrintReport:         {"打印信用报告", "Print my report"},
	msgReportPrinted:       {"信用报告已送至打印机（报告编号 %s），请取走。", "Your report was sent to the printer (report no. %s). Please collect it."},
	msgAllowanceNote:       {"%s（仅作提示，不影响打印）", "%s (for information; printing is never refused)"},
	msgRestore:             {"申请信用修复", "Apply for restoration"},
	msgRestoring:           {"修复申请中", "Restoration applied"},
	msgRestTitle:           {"信用修复申请：%s", "Credit restoration: %s"},
	msgStep:                {"第 %d 步，共 %d 步", "Step %d of %d"},
	msgPerformance:         {"请说明您履行法定义务的情况", "How did you perform the obligations?"},
	msgPerformanceHint:     {"例如：已于某年某月缴清罚款，并已整改。", "For example: I paid the fine in full on … and corrected the problem."},
	msgPerformanceNeeded:   {"请先填写履行情况。", "Please describe how you performed the obligations first."},
	msgLetter:              {"请完整阅读信用承诺书", "Please read the whole commitment letter"},
	msgSign:                {"我已阅读并承诺遵守上述信用承诺书（勾选即为签署）", "I have read the letter and sign it by ticking this box"},
	msgReview:              {"请核对后提交", "Check, then submit"},
	msgNext:                {"下一步", "Next"},
	msgSigned:              {"信用承诺书：已签署", "Commitment letter: signed"},
	msgRestReceiptTitle:    {"信用修复申请已受理", "Your restoration application has been received"},
	msgAcceptDue:           {"受理决定期限：%s 前", "Acceptance decided by: %s"},
	msgFeedbackDue:         {"办理反馈期限：%s 前", "Feedback by: %s"},
	msgGroupCount:          {"%s（%d 条）", "%s (%d)"},
	msgCountdown:           {"%d 秒后自动退出，触摸屏幕继续", "Leaving in %d s. Touch the screen to continue"},
	msgReprint:             {"补打回执", "Reprint receipt"},
	msgContrast:            {"高对比度", "High contrast"},
	msgContinue:            {"继续", "Continue"},
	msgVerifyReport:        {"核验报告", "Check a printed report"},
	msgAppStatus:           {"查询申请进度", "Application status"},
	msgVerifyHint:          {"请输入或粘贴二维码下方的 CR1: 代码", "Type or paste the CR1: code from the report"},
	msgVerify:              {"核验", "Check"},
	msgNoTrust:             {"本机未配置核验密钥，暂不能核验，请到服务窗口核验。", "This terminal has no verification keys. Please ask at the service counter."},
	msgVerifiedNo:          {"编号：%s", "Number: %s"},
	msgVerifiedType:        {"类型：%s", "Type: %s"},
	msgVerifiedSubject:     {"主体：%s  %s", "Subject: %s  %s"},
	msgVerifiedIssued:      {"出具时间：%s", "Issued: %s"},
	msgVerifiedExpires:     {"有效期至：%s", "Valid until: %s"},
	msgVerifiedOffice:      {"出具机构：%s", "Issued by: %s"},
	msgVerifiedPages:       {"页数：%d", "Pages: %d"},
	msgStatusHint:          {"申请编号，例如 YY-20261127-3F2A9C01", "Application number, e.g. YY-20261127-3F2A9C01"},
	msgProgressStatus:      {"办理状态：%s", "Status: %s"},
	msgKindObjection:       {"异议申请", "Objection"},
	msgKindRestoration:     {"信用修复申请", "Credit restoration application"},
	msgCardRemoved:         {"身份证已取走，查询已结束。", "Your card was taken off, so the session has ended."},
	msgProvisional:         {"（暂定）", " (provisional)"},
	msgProvisionalNote:     {"标“暂定”的期限跨入节假日安排尚未公布的年份，公布后将重新计算。", "Dates marked provisional reach into a year whose public holidays are not yet announced; they are recounted when they are."},
}

// t returns the text of m in lang.
func t(lang Lang, m msg) string {
	if lang == English {
		return messages[m][1]
	}
	return messages[m][0]
}

// tf formats the text of m in lang with args.
func tf(lang Lang, m msg, args ...any) string {
	return fmt.Sprintf(t(lang, m), args...)
}
