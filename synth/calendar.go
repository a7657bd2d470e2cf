package synth

import (
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// Notice2027 is a made-up State Council holiday notice for 2027, whose
// real notice is not out (holiday-cn ships an empty stub), for tests of
// calendar updates: Monday 4 January off, 1–7 October off, Saturday 9
// October an adjusted working day.
func Notice2027() credit.HolidayYear {
	y := credit.HolidayYear{Year: 2027, Papers: []string{"https://www.gov.cn/example-2027"}}
	y.Days = append(y.Days, credit.HolidayDay{Name: "元旦", Date: "2027-01-04", Off: true})
	for d := 1; d <= 7; d++ {
		y.Days = append(y.Days, credit.HolidayDay{Name: "国庆节", Date: fmt.Sprintf("2027-10-%02d", d), Off: true})
	}
	y.Days = append(y.Days, credit.HolidayDay{Name: "国庆节", Date: "2027-10-09", Off: false})
	return y
}
