package idcard

import (
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// SW3 status codes of GA 467 (§1.4 of the design note).
const (
	SW3OK        byte = 0x90 // 操作成功
	SW3NoItem    byte = 0x91 // 居民身份证中无此项内容
	SW3Found     byte = 0x9F // 寻找居民身份证成功
	SW3NoCard    byte = 0x80 // 寻找居民身份证失败
	SW3SelectErr byte = 0x81 // 选取居民身份证失败
	SW3ReadErr   byte = 0x41 // 读居民身份证操作失败
	SW3SelfTest  byte = 0x60 // SAM_A 自检失败
)

// ErrNoCard is returned when the reader finds no card (SW3 80).
var ErrNoCard = &credit.Error{Code: credit.ENOTFOUND,
	Message:   "请将身份证放在读卡区",
	MessageEN: "Place your ID card on the reader"}

// statusMessages maps a failure SW3 to its zh/en texts and code.
var statusMessages = map[byte]struct{ code, zh, en string }{
	0x10: {credit.EDEVICE, "读卡器收到的数据校验和错误，请重试。", "The reader received a bad checksum from the terminal. Please try again."},
	0x11: {credit.EDEVICE, "读卡器收到的数据长度错误，请重试。", "The reader received a bad length from the terminal. Please try again."},
	0x21: {credit.EDEVICE, "读卡器不支持该命令。", "The reader rejected the command."},
	0x23: {credit.EDEVICE, "读卡器拒绝越权操作。", "The reader refused an unauthorised operation."},
	0x24: {credit.EDEVICE, "读卡器发生无法识别的错误，请重试。", "The reader reported an unrecognised error. Please try again."},
	0x31: {credit.EDEVICE, "身份证认证安全模块失败，请重新放置身份证。", "The card failed to authenticate the reader's security module. Please place the card again."},
	0x32: {credit.EDEVICE, "安全模块认证身份证失败，请重新放置身份证。", "The security module could not authenticate the card. Please place the card again."},
	0x33: {credit.EDEVICE, "身份证信息验证失败，请重新放置身份证。", "The card's data failed verification. Please place the card again."},
	0x37: {credit.EDEVICE, "指纹信息验证错误。", "The fingerprint data failed verification."},
	0x3F: {credit.EDEVICE, "身份证信息长度错误，请重新放置身份证。", "The card's data has a wrong length. Please place the card again."},
	0x40: {credit.EDEVICE, "无法识别的证件类型。", "The reader does not recognise this type of card."},
	0x41: {credit.EDEVICE, "读取身份证失败，读卡时请勿移动身份证。", "Reading the card failed. Keep the card still on the reader."},
	0x47: {credit.EDEVICE, "读卡器取随机数失败，请重试。", "The reader could not get a random number. Please try again."},
	0x60: {credit.EDEVICE, "读卡器安全模块自检失败，请联系工作人员。", "The reader's security module failed its self-test. Please ask a member of staff."},
	0x66: {credit.EDEVICE, "读卡器安全模块未经授权，请联系工作人员。", "The reader's security module is not authorised. Please ask a member of staff."},
	0x81: {credit.ENOTFOUND, "选取身份证失败，请将身份证平放在读卡区。", "Selecting the card failed. Lay the card flat on the reader."},
	0x91: {credit.ENOTFOUND, "身份证中无此项内容。", "The card holds no such item."},
}

// StatusError maps an SW3 status to nil (90 success, 9F card found) or a
// *credit.Error: ErrNoCard for 80, ENOTFOUND for 81 and 91, EDEVICE for
// the other codes of the GA 467 table and for unknown codes.
func StatusError(sw3 byte) error {
	switch sw3 {
	case SW3OK, SW3Found:
		return nil
	case SW3NoCard:
		return ErrNoCard
	}
	if m, ok := statusMessages[sw3]; ok {
		return credit.Errorf(m.code, m.zh+"（状态码 %02X）", m.en+" (status %02X)", sw3)
	}
	return credit.Errorf(credit.EDEVICE, "读卡器返回未知状态（状态码 %02X），请联系工作人员。",
		"The card reader returned an unknown status (%02X). Please ask a member of staff.", sw3)
}

// statusErr wraps StatusError with the command for the log chain.
func statusErr(c Command, sw3 byte) error {
	if err := StatusError(sw3); err != nil {
		return &sw3Error{sw3: sw3, err: fmt.Errorf("idcard: %s: SW3 %02X: %w", c, sw3, err)}
	}
	return nil
}
