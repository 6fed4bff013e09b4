// Package transport binds the kernel's ZeroMQ sockets (github.com/go-zeromq/
// zmq4, pure Go) to the addresses of a Jupyter connection file: shell,
// control and stdin ROUTER sockets, the iopub PUB socket and the heartbeat
// REP socket, which it answers itself by echoing.
//
// It moves raw multipart frames and knows nothing of their meaning: it
// imports kernel/wire only for the channel names. Framing and signatures
// are package wire's, dispatch is package kernel's.
//
// Quirks of zmq4 v0.17.0 this package works around or documents:
//   - Sockets are not safe for concurrent writes: Sockets.Send serialises
//     the writes to each socket with a lock.
//   - A ROUTER silently drops a message addressed to an unknown identity
//     (input requests go to the identity of the execute request's sender,
//     which jupyter_client gives its shell and stdin sockets alike).
//   - A PUB drops what is sent before a subscriber has joined; zmq4 has no
//     event for a subscription, so Sockets.WaitSubscriber polls Topics, once,
//     at start-up (jupyter_client would otherwise wait 0.2 s and repeat
//     kernel_info_request until iopub speaks).
//   - A PUB socket's queue has no high-water mark by default and a SUB
//     that sends more than ten messages other than subscriptions blocks that
//     connection's reader.
//   - The accept loop does the ZMTP handshake inline: a peer that connects
//     and never greets delays the next connection.
//   - zmq4 logs to os.Stderr by default, which a kernel that captures its
//     standard error would send to a notebook; Config.Log replaces it.
//   - A ROUTER's Send blocks until a first peer has connected, for at most
//     Config.SendTimeout.
//   - zmq4 reads every frame whole, whatever its announced size: the frame
//     limits of package wire apply after the read.
package transport
