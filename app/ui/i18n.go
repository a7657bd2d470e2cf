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
	msgInquirySelf:         {"%s  本人查询  %s", "%s  you  %s"},
	msgInquiryClerk:        {"%s  工作人员授权查询  %s", "%s  staff, authorised  %s"},
	msgInquiryPublic:       {"%s  公开查询  %s", "%s  public search  %s"},
	msgMyObjections:        {"我的异议申请", "My objections"},
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
