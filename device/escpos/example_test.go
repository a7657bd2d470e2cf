package escpos_test

import (
	"context"
	"fmt"

	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

// A receipt on 58 mm paper, captured by the simulator and read back.
func ExamplePrinter_Receipt() {
	sim := escpossim.New() // or escpos.OpenDevice("/dev/credit-printer")
	p := escpos.New(sim, escpos.Config{Width: escpos.Paper58})
	p.Receipt(escpos.Receipt{
		Title: "信用信息异议申请回执",
		Lines: []escpos.Line{
			{Label: "申请编号", Value: "YY-620102-20260115-0042"},
			{Label: "异议记录", Value: "行政处罚：未按规定申报纳税（兰城税罚〔2025〕318号）"},
		},
		QR: "CR1:EXAMPLE",
	})
	if err := p.Flush(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	cmds, _ := sim.Commands()
	for _, l := range escpossim.Lines(cmds) {
		fmt.Println(l)
	}
	fmt.Println(len(escpossim.Rasters(cmds)), "QR image")
	// Output:
	// 信用信息异议申请回执
	// --------------------------------
	// 申请编号：
	// YY-620102-20260115-0042
	// 异议记录：行政处罚：未按规定申报
	//           纳税（兰城税罚〔2025〕
	//           318号）
	// --------------------------------
	// 1 QR image
}
