package display_test

import (
	"fmt"
	"os"

	"github.com/plasticnb/plasticnb/kernel/display"
)

// In compiled Go the package-level functions print the text/plain
// rendering; in a notebook cell the same call shows rich output.
func ExampleShow() {
	display.Show(display.Markdown("# Results"))
	display.Show(struct{ Loss float64 }{0.25})
	// Output:
	// # Results
	// {Loss:0.25}
}

func ExampleDisplay_Show() {
	d := display.New(&display.TextSink{W: os.Stdout})
	h := d.Show("training")
	h.Update("done")
	// Output:
	// training
	// done
}

func ExampleRender() {
	b := display.Render(display.HTML("<b>bold</b>"))
	fmt.Println(b.Data[display.MIMEHTML])
	fmt.Println(b.Data[display.MIMEPlain])
	// Output:
	// <b>bold</b>
	// <b>bold</b>
}

func ExampleProgress() {
	bar := display.Progress(4, "epochs")
	for range 4 {
		bar.Add(1) // throttled: at most one update per 100 ms
	}
	bar.Done()
	// Output:
	// epochs [                              ] 0/4 (0%)
	// epochs [##############################] 4/4 (100%) done
}

func ExampleClear() {
	display.Clear(false) // in compiled Go: nothing to clear
	fmt.Println("ok")
	// Output: ok
}

func ExampleCellContext() {
	ctx := display.CellContext() // in a cell: cancelled by an interrupt
	fmt.Println(ctx.Err())
	// Output: <nil>
}
