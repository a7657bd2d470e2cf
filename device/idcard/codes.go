package idcard

// Code tables for the text block's sex and ethnic-group fields.

// sexNames is GB/T 2261.1-2003.
var sexNames = map[string][2]string{
	"0": {"未知的性别", "unknown"},
	"1": {"男", "male"},
	"2": {"女", "female"},
	"9": {"未说明的性别", "unstated"},
}

// SexName returns the Chinese and English names of a GB/T 2261.1 sex code
// ("0", "1", "2", "9"); ok is false for other codes.
func SexName(code string) (zh, en string, ok bool) {
	n, ok := sexNames[code]
	return n[0], n[1], ok
}

// ethnicNames is GB 3304-1991 (the current names: 毛南 for 36, 德昂 for 46).
var ethnicNames = map[string]string{
	"01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
	"09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
	"17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
	"25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
	"32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯",
	"39": "阿昌", "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
	"46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
	"53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}

// EthnicName returns the name of a GB 3304 ethnic-group code ("01" 汉 …
// "56" 基诺, "97" 其他, "98" 外国血统中国籍人士) as printed on the card:
// "族" is appended for the 56 groups ("汉族"), not for 97 and 98. ok is
// false for other codes (including the blank field of 'J' cards).
func EthnicName(code string) (name string, ok bool) {
	n, ok := ethnicNames[code]
	if !ok {
		return "", false
	}
	if code == "97" || code == "98" {
		return n, true
	}
	return n + "族", true
}
