package kernel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/plasticnb/plasticnb/kernel"
	"github.com/plasticnb/plasticnb/kernel/cell"
)

func TestLazy(t *testing.T) {
	lang := cell.LanguageInfo{Name: "go"}
	gate := make(chan struct{})
	ip := kernel.Lazy(lang, func() (cell.Interpreter, error) {
		<-gate
		return newMock(), nil
	})
	// Language answers before the interpreter exists.
	if got := ip.Language(); got != lang {
		t.Errorf("Language() = %+v; want %+v", got, lang)
	}
	// An interrupt while waiting for the interpreter ends the cell.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res := ip.Execute(ctx, cell.Request{Code: "1+1"}, nil); res.Err == nil || res.Err.Name != "Interrupted" {
		t.Errorf("Execute(cancelled) = %+v; want Interrupted", res)
	}
	close(gate)
	if res := ip.Execute(context.Background(), cell.Request{Code: "1+1"}, nil); res.Err != nil || res.Value == nil {
		t.Errorf("Execute(1+1) = %+v; want a value", res)
	}
	if got := ip.Language(); got.Banner != "mock" {
		t.Errorf("Language() once the interpreter exists = %+v; want the interpreter's", got)
	}
	if st, _ := ip.IsComplete("}"); st != cell.Invalid {
		t.Errorf("IsComplete(}) = %v; want invalid", st)
	}

	failed := kernel.Lazy(lang, func() (cell.Interpreter, error) { return nil, errors.New("no symbols") })
	res := failed.Execute(context.Background(), cell.Request{Code: "1"}, nil)
	if res.Err == nil || res.Err.Name != "KernelError" {
		t.Errorf("Execute on a failed interpreter = %+v; want KernelError", res)
	}
	if st, _ := failed.IsComplete("x"); st != cell.Unknown {
		t.Errorf("IsComplete on a failed interpreter = %v; want unknown", st)
	}
	if c := failed.Complete("abc", 3); len(c.Matches) != 0 || c.Start != 3 || c.End != 3 {
		t.Errorf("Complete on a failed interpreter = %+v; want no matches at 3", c)
	}
}

func ExampleLazy() {
	ip := kernel.Lazy(kernel.DefaultLanguage(), func() (cell.Interpreter, error) {
		return nil, errors.New("symbols missing")
	})
	fmt.Println(ip.Language().Name)
	res := ip.Execute(context.Background(), cell.Request{Code: "1"}, nil)
	fmt.Println(res.Err)
	// Output:
	// go
	// KernelError: the Go interpreter failed to start: symbols missing
}
