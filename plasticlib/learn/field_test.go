package learn_test

import (
	"errors"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Configuration errors are *field.Error naming the field.
func TestFieldErrors(t *testing.T) {
	nc := network.DefaultConfig()
	nc.N = 20
	net, err := network.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	dnms, _ := task.NewDNMS(task.DefaultDNMS())
	ctx, _ := task.NewContext(task.DefaultContext()) // 4 inputs; the network has 2
	coarse := task.DefaultDNMS()
	coarse.Dt = 5
	dnms5, _ := task.NewDNMS(coarse)
	tests := []struct {
		name  string
		err   func() error
		field string
	}{
		{"episodes", func() error { c := learn.DefaultConfig(); c.Episodes = -1; return c.Validate() }, "learn.Config.Episodes"},
		{"inputs", func() error { _, err := learn.New(net, ctx, rule.MiconiCubic(), learn.DefaultConfig()); return err }, "network.Config.NumInputs"},
		{"dt", func() error { _, err := learn.New(net, dnms5, rule.MiconiCubic(), learn.DefaultConfig()); return err }, "task Dt"},
		{"synapses", func() error {
			c := learn.DefaultConfig()
			c.Record.Synapses = [][2]int{{0, 20}}
			_, err := learn.New(net, dnms, rule.MiconiCubic(), c)
			return err
		}, "learn.Config.Record.Synapses"},
	}
	for _, tt := range tests {
		err := tt.err()
		var fe *field.Error
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s: error %v; want a *field.Error for %s", tt.name, err, tt.field)
		}
	}
}
