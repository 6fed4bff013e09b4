package transport_test

import (
	"fmt"

	"github.com/plasticnb/plasticnb/kernel/transport"
)

func ExampleBind() {
	// Port 0 binds free ports; Info tells which.
	s, err := transport.Bind(transport.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1"}, transport.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	info := s.Info()
	fmt.Println(info.ShellPort > 0, info.IOPubPort > 0, info.HBPort > 0)
	// Output: true true true
}
