package office

import (
	"fmt"

	"github.com/gansu-credit/credit/app/ui"
)

// printMsg identifies a text of printing and of the check screen (kept
// apart from msg so they live next to the screens).
type printMsg int

const (
	printMsgReceipt printMsg = iota
	printMsgReport
	printMsgAgain
	printMsgSent
	printMsgSentJob
	printMsgFailed
	printMsgReprint
	printMsgReprintChoose
	printMsgReportNote
	printMsgTabCheck
	printMsgCheckTitle
	printMsgCodeHint
	printMsgCheck
	printMsgOpenFile
	printMsgCheckNote
	printMsgStatus
	printMsgOffice
	printMsgNo
	printMsgIssued
	printMsgExpires
	printMsgSubject
	printMsgVerifyCode
	printMsgKindReport
	printMsgKindReceipt
	printMsgCannotReceipt
	printMsgCannotReport
	printMsgCount // keep last
)

// printMessages are the texts: {Chinese, English}.
var printMessages = [printMsgCount][2]string{
	printMsgReceipt:       {"打印回执", "Print receipt"},
	printMsgReport:        {"打印信用报告", "Print credit report"},
	printMsgAgain:         {"重新打印", "Print again"},
	printMsgSent:          {"%s 已送往打印机。", "%s was sent to the printer."},
	printMsgSentJob:       {"%s 已送往打印机（打印作业 %s）。", "%s was sent to the printer (print job %s)."},
	printMsgFailed:        {"%s 未打印，文件已保留，请检查打印机后点击“重新打印”。", "%s did not print; the document is kept. Check the printer, then press “Print again”."},
	printMsgReprint:       {"补打回执", "Reprint receipt"},
	printMsgReprintChoose: {"选择申请编号", "Choose an application number"},
	printMsgReportNote:    {"打印的报告按本次查询的用途和授权书编号另行登记为一次查询。", "The printed report is logged as another inquiry under this inquiry's purpose and authorisation reference."},
	printMsgTabCheck:      {"核验报告", "Check a report"},
	printMsgCheckTitle:    {"核验纸质报告或回执上的二维码", "Check the QR code on a printed report or receipt"},
	printMsgCodeHint:      {"输入或粘贴以 CR1: 开头的核验码", "Type or paste the code starting with CR1:"},
	printMsgCheck:         {"核验", "Check"},
	printMsgOpenFile:      {"打开扫描件或 PDF…", "Open a scan or PDF…"},
	printMsgCheckNote:     {"核验在本机离线完成，使用同步得到的信任列表。", "The check runs offline on this computer, against the synced trust list."},
	printMsgStatus:        {"核验结果：%s（%s）", "Result: %s (%s)"},
	printMsgOffice:        {"签发机构：%s", "Issued by: %s"},
	printMsgNo:            {"编号：%s", "Number: %s"},
	printMsgIssued:        {"签发时间：%s", "Issued: %s"},
	printMsgExpires:       {"有效期至：%s", "Valid until: %s"},
	printMsgSubject:       {"信息主体：%s %s", "Subject: %s %s"},
	printMsgVerifyCode:    {"核验码：%s", "Verification code: %s"},
	printMsgKindReport:    {"信用报告", "The credit report"},
	printMsgKindReceipt:   {"回执", "The receipt"},
	// No printer: what to do instead.
	printMsgCannotReceipt: {"本机不能打印回执（未配置打印机，或签名密钥无法读取）。请把申请编号告知申请人；需要打印时请联系技术支持。",
		"This computer cannot print receipts (no printer, or the signing key cannot be read). Tell the applicant the application number; to print, call technical support."},
	printMsgCannotReport: {"本机不能打印信用报告（未配置A4打印机，或签名密钥无法读取）。需要打印时请联系技术支持。",
		"This computer cannot print credit reports (no A4 printer, or the signing key cannot be read). To print, call technical support."},
}

// tp returns the printing text m in lang.
func tp(lang ui.Lang, m printMsg) string { return pick(lang, printMessages[m][0], printMessages[m][1]) }

// tpf formats the printing text m in lang with args.
func tpf(lang ui.Lang, m printMsg, args ...any) string {
	return fmt.Sprintf(tp(lang, m), args...)
}
