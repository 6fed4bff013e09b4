package kernel_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/go-zeromq/zmq4"

	"github.com/plasticnb/plasticnb/kernel"
	"github.com/plasticnb/plasticnb/kernel/transport"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

// TestLoopback runs the kernel on real sockets (transport, loopback, free
// ports) with a zmq4 client whose shell and stdin sockets share one
// identity, as jupyter_client's do: the first busy status reaches a fresh
// subscriber, execute, input_request routed to the stdin socket, shutdown.
func TestLoopback(t *testing.T) {
	if testing.Short() {
		t.Skip("opens sockets")
	}
	s, err := transport.Bind(transport.ConnectionInfo{IP: "127.0.0.1", Key: testKey}, transport.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k, err := kernel.New(kernel.Config{Interpreter: newMock(), Key: []byte(testKey)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := k.Serve(context.Background(), s)
		done <- err
	}()

	info := s.Info()
	id := zmq4.WithID(zmq4.SocketIdentity("session-1"))
	dial := func(sock zmq4.Socket, port int) zmq4.Socket {
		if err := sock.Dial("tcp://127.0.0.1:" + strconv.Itoa(port)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sock.Close() })
		return sock
	}
	shell := dial(zmq4.NewDealer(context.Background(), id), info.ShellPort)
	stdin := dial(zmq4.NewDealer(context.Background(), id), info.StdinPort)
	control := dial(zmq4.NewDealer(context.Background(), id), info.ControlPort)
	iopub := dial(zmq4.NewSub(context.Background()), info.IOPubPort)
	if err := iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	codec, _ := wire.NewCodec(wire.Config{Key: []byte(testKey)})
	sess := wire.NewSession("user")
	send := func(sock zmq4.Socket, typ wire.MsgType, content any) {
		m, _ := sess.New(typ, nil, content)
		frames, _ := codec.Encode(m)
		if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	recv := func(sock zmq4.Socket) *wire.Message {
		msg, err := sock.Recv()
		if err != nil {
			t.Fatal(err)
		}
		m, err := codec.Decode(msg.Frames)
		if err != nil {
			t.Fatalf("kernel sent %q: %v", msg.Frames, err)
		}
		return m
	}

	send(shell, wire.ExecuteRequest, obj{"code": "input", "allow_stdin": true})
	// The kernel waited for the subscriber: the very first broadcast arrives.
	m := recv(iopub)
	if string(m.Content) == `{"execution_state":"starting"}` {
		m = recv(iopub)
	}
	if m.Header.MsgType != wire.Status || string(m.Content) != `{"execution_state":"busy"}` {
		t.Fatalf("first on iopub: %s %s; want status busy", m.Header.MsgType, m.Content)
	}
	if m := recv(stdin); m.Header.MsgType != wire.InputRequest {
		t.Fatalf("on stdin: %s; want input_request", m.Header.MsgType)
	}
	send(stdin, wire.InputReply, obj{"value": "Ada"})
	if m := recv(shell); m.Header.MsgType != wire.ExecuteReply || string(m.Content) != `{"status":"ok","execution_count":1,"user_expressions":{},"payload":[]}` {
		t.Fatalf("on shell: %s %s; want an ok execute_reply", m.Header.MsgType, m.Content)
	}
	send(control, wire.ShutdownRequest, obj{"restart": false})
	if m := recv(control); m.Header.MsgType != wire.ShutdownReply {
		t.Fatalf("on control: %s; want shutdown_reply", m.Header.MsgType)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve = %v; want nil after shutdown", err)
	}
}

// BenchmarkExecute measures the dispatcher's share of a trivial cell's
// round trip: decode, busy, execute_input, reply, idle, on the in-memory
// transport with a mock interpreter.
func BenchmarkExecute(b *testing.B) {
	c := start(b, newMock())
	b.ReportAllocs()
	for b.Loop() {
		req := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "x := 1"})
		for {
			g := c.next()
			if g.Header.MsgType == wire.Status && g.Parent != nil && g.Parent.MsgID == req.MsgID && g.String() == "iopub:status:idle" {
				break
			}
		}
	}
}

// BenchmarkLoopbackExecute measures a trivial cell's round trip on real
// sockets, from the execute_request to its idle status, with a mock
// interpreter: the kernel's and zmq4's share of what a frontend sees.
func BenchmarkLoopbackExecute(b *testing.B) {
	s, err := transport.Bind(transport.ConnectionInfo{IP: "127.0.0.1", Key: testKey}, transport.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	k, err := kernel.New(kernel.Config{Interpreter: newMock(), Key: []byte(testKey)})
	if err != nil {
		b.Fatal(err)
	}
	go k.Serve(context.Background(), s)
	info := s.Info()
	shell := zmq4.NewDealer(context.Background(), zmq4.WithID(zmq4.SocketIdentity("bench")))
	iopub := zmq4.NewSub(context.Background())
	defer shell.Close()
	defer iopub.Close()
	if err := shell.Dial("tcp://127.0.0.1:" + strconv.Itoa(info.ShellPort)); err != nil {
		b.Fatal(err)
	}
	if err := iopub.Dial("tcp://127.0.0.1:" + strconv.Itoa(info.IOPubPort)); err != nil {
		b.Fatal(err)
	}
	iopub.SetOption(zmq4.OptionSubscribe, "")
	codec, _ := wire.NewCodec(wire.Config{Key: []byte(testKey)})
	sess := wire.NewSession("user")
	roundTrip := func() {
		m, _ := sess.New(wire.ExecuteRequest, nil, obj{"code": "x := 1"})
		frames, _ := codec.Encode(m)
		if err := shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			b.Fatal(err)
		}
		if _, err := shell.Recv(); err != nil {
			b.Fatal(err)
		}
		for {
			msg, err := iopub.Recv()
			if err != nil {
				b.Fatal(err)
			}
			g, err := codec.Decode(msg.Frames)
			if err == nil && g.Parent != nil && g.Parent.MsgID == m.Header.MsgID && string(g.Content) == `{"execution_state":"idle"}` {
				return
			}
		}
	}
	roundTrip() // the kernel waits for the subscriber once
	b.ReportAllocs()
	for b.Loop() {
		roundTrip()
	}
}
