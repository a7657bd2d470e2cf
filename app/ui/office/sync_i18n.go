package office

import (
	"fmt"

	"github.com/gansu-credit/credit/app/ui"
)

// syncMsg identifies a text of the sync panel (kept apart from msg so the
// panel's texts live next to it).
type syncMsg int

const (
	syncMsgNow syncMsg = iota
	syncMsgRequested
	syncMsgApplied
	syncMsgHistory
	syncMsgNoRounds
	syncMsgRoundOK
	syncMsgRoundOffline
	syncMsgRoundFailed
	syncMsgErrUnknown
	syncMsgErrInternal
	syncMsgHintOffline
	syncMsgHintRefused
	syncMsgHintOther
	syncMsgLagUnknown
	syncMsgLagNone
	syncMsgLagWaiting
	syncMsgLagWaitingOne
	syncMsgLagOverdue
	syncMsgCount
)

// syncMessages are the sync panel's texts: {Chinese, English}.
var syncMessages = [syncMsgCount][2]string{
	syncMsgNow:          {"立即同步", "Sync now"},
	syncMsgRequested:    {"已请求同步，马上开始。", "Sync requested; it starts in a moment."},
	syncMsgApplied:      {"本轮已接收 %d 条更新……", "%d updates received so far…"},
	syncMsgHistory:      {"最近的同步", "Recent sync rounds"},
	syncMsgNoRounds:     {"本次启动以来尚未完成同步。", "No sync round has finished since the program started."},
	syncMsgRoundOK:      {"%s　成功：更新 %d 条，待上传 %d 件", "%s  OK: %d updates received, %d applications waiting"},
	syncMsgRoundOffline: {"%s　未连上平台：%s", "%s  Could not reach the platform: %s"},
	syncMsgRoundFailed:  {"%s　失败：%s", "%s  Failed: %s"},
	syncMsgErrUnknown:   {"原因不明。", "The reason is unknown."},
	syncMsgErrInternal:  {"本机出错，详情已记入日志。请联系技术支持，本机会自动重试。", "Something went wrong on this computer; the details are in the log. Ask technical support; it will retry by itself."},
	syncMsgHintOffline:  {"请检查网络连接；本机会自动重试，已受理的申请不会丢失。", "Check the network connection; it will retry by itself and no application taken in is lost."},
	syncMsgHintRefused:  {"平台不接受本机，请联系系统管理员重新登记本机。", "The platform does not accept this computer; ask the system administrator to enrol it again."},
	syncMsgHintOther:    {"本机会自动重试；如一直失败，请联系技术支持。", "It will retry by itself; if it keeps failing, ask technical support."},
	// Deletion lag as the platform reported it at the last ack (Art. 48).
	syncMsgLagUnknown:    {"删除延迟：平台尚未报告", "Deletion lag: not reported by the platform yet"},
	syncMsgLagNone:       {"删除延迟：无", "Deletion lag: none"},
	syncMsgLagWaiting:    {"删除延迟：%d 条删除待确认，最早已等 %d 小时", "Deletion lag: %d deletions waiting, oldest %d h"},
	syncMsgLagWaitingOne: {"删除延迟：1 条删除待确认，已等 %d 小时", "Deletion lag: 1 deletion waiting, for %d h"},
	syncMsgLagOverdue:    {"（超过第四十八条规定的一日期限）", " (past the one-day limit of Art. 48)"},
}

// ts returns the sync panel text m in lang.
func ts(lang ui.Lang, m syncMsg) string { return pick(lang, syncMessages[m][0], syncMessages[m][1]) }

// tsf formats the sync panel text m in lang with args.
func tsf(lang ui.Lang, m syncMsg, args ...any) string {
	return fmt.Sprintf(ts(lang, m), args...)
}
