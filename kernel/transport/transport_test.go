package transport_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/plasticnb/plasticnb/kernel/transport"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

func bind(t *testing.T) *transport.Sockets {
	t.Helper()
	s, err := transport.Bind(transport.ConnectionInfo{IP: "127.0.0.1"}, transport.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dial(t *testing.T, sock zmq4.Socket, port int) zmq4.Socket {
	t.Helper()
	if err := sock.Dial("tcp://127.0.0.1:" + itoa(port)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sock.Close() })
	return sock
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestRouterRoundTrip(t *testing.T) {
	s := bind(t)
	info := s.Info()
	for _, tc := range []struct {
		ch   wire.Channel
		port int
	}{{wire.Shell, info.ShellPort}, {wire.Control, info.ControlPort}, {wire.Stdin, info.StdinPort}} {
		id := "client-" + tc.ch.String()
		c := dial(t, zmq4.NewDealer(context.Background(), zmq4.WithID(zmq4.SocketIdentity(id))), tc.port)
		if err := c.SendMulti(zmq4.NewMsgFrom([]byte("<IDS|MSG>"), []byte("ping"))); err != nil {
			t.Fatal(err)
		}
		frames, err := s.Recv(tc.ch)
		if err != nil {
			t.Fatalf("%v: Recv: %v", tc.ch, err)
		}
		if len(frames) != 3 || string(frames[0]) != id || string(frames[2]) != "ping" {
			t.Fatalf("%v: Recv = %q; want [%s <IDS|MSG> ping]", tc.ch, frames, id)
		}
		if err := s.Send(tc.ch, [][]byte{frames[0], []byte("pong")}); err != nil {
			t.Fatalf("%v: Send: %v", tc.ch, err)
		}
		msg, err := c.Recv()
		if err != nil || len(msg.Frames) != 1 || string(msg.Frames[0]) != "pong" {
			t.Fatalf("%v: client got %q, %v; want [pong]", tc.ch, msg.Frames, err)
		}
	}
}

func TestHeartbeat(t *testing.T) {
	s := bind(t)
	c := dial(t, zmq4.NewReq(context.Background()), s.Info().HBPort)
	for _, ping := range []string{"a", "bb", "ccc"} {
		if err := c.Send(zmq4.NewMsgString(ping)); err != nil {
			t.Fatal(err)
		}
		msg, err := c.Recv()
		if err != nil || !bytes.Equal(msg.Bytes(), []byte(ping)) {
			t.Fatalf("heartbeat(%q) = %q, %v; want the echo", ping, msg.Bytes(), err)
		}
	}
}

func TestIOPub(t *testing.T) {
	s := bind(t)
	c := dial(t, zmq4.NewSub(context.Background()), s.Info().IOPubPort)
	if err := c.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	if !s.WaitSubscriber(10 * time.Second) {
		t.Fatal("WaitSubscriber = false; want true once the SUB has subscribed")
	}
	// PUB may still drop messages until the subscription has arrived on
	// the connection: publish until one gets through.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			s.Send(wire.IOPub, [][]byte{[]byte("kernel.status"), []byte("<IDS|MSG>")})
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	msg, err := c.Recv()
	close(stop)
	<-done
	if err != nil || len(msg.Frames) != 2 || string(msg.Frames[0]) != "kernel.status" {
		t.Fatalf("subscriber got %q, %v; want [kernel.status <IDS|MSG>]", msg.Frames, err)
	}
}

func TestWaitSubscriberTimesOut(t *testing.T) {
	s := bind(t)
	if s.WaitSubscriber(0) {
		t.Error("WaitSubscriber with no subscriber = true; want false")
	}
}

func TestCloseUnblocksRecv(t *testing.T) {
	s, err := transport.Bind(transport.ConnectionInfo{}, transport.Config{})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error)
	go func() {
		_, err := s.Recv(wire.Shell)
		errc <- err
	}()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != transport.ErrClosed {
		t.Fatalf("Recv after Close = %v; want ErrClosed", err)
	}
	if err := s.Send(wire.IOPub, [][]byte{[]byte("x")}); err != transport.ErrClosed {
		t.Fatalf("Send after Close = %v; want ErrClosed", err)
	}
}

func TestBindErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	busy := l.Addr().(*net.TCPAddr).Port
	for _, tc := range []struct {
		info transport.ConnectionInfo
		want string
	}{
		{transport.ConnectionInfo{ControlPort: busy}, "control_port " + itoa(busy) + " on 127.0.0.1 is busy"},
		{transport.ConnectionInfo{Transport: "udp"}, `transport "udp"`},
		{transport.ConnectionInfo{HBPort: 70000}, "hb_port 70000 is out of range"},
		{transport.ConnectionInfo{SignatureScheme: "hmac-md5"}, `signature_scheme "hmac-md5"`},
	} {
		s, err := transport.Bind(tc.info, transport.Config{})
		if err == nil {
			s.Close()
			t.Errorf("Bind(%+v) = nil error; want %q", tc.info, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Bind(%+v) = %v; want it to say %q", tc.info, err, tc.want)
		}
	}
	// After a failed Bind the ports bound before the failure are free again.
	s, err := transport.Bind(transport.ConnectionInfo{}, transport.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestReadConnectionFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,
		"ip":"127.0.0.1","key":"k","transport":"tcp","signature_scheme":"hmac-sha256","kernel_name":"plasticnb"}`)
	info, err := transport.ReadConnectionFile(good)
	want := transport.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: 1, IOPubPort: 2, StdinPort: 3,
		ControlPort: 4, HBPort: 5, Key: "k", SignatureScheme: "hmac-sha256", KernelName: "plasticnb"}
	if err != nil || info != want {
		t.Fatalf("ReadConnectionFile(good) = %+v, %v; want %+v", info, err, want)
	}
	for _, tc := range []struct {
		path, want string
	}{
		{filepath.Join(dir, "missing.json"), "does not exist"},
		{dir, "is unreadable"},
		{write("bad.json", `{"shell_port":`), "is not valid JSON"},
		{write("type.json", `{"shell_port":"x"}`), "is not valid JSON"},
		{write("port.json", `{"stdin_port":-1}`), "stdin_port -1 is out of range"},
	} {
		_, err := transport.ReadConnectionFile(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("ReadConnectionFile(%s) = %v; want an error naming the file and saying %q", tc.path, err, tc.want)
		}
	}
}
