// Package kernel is the dispatch layer of the plasticnb Jupyter kernel: it
// decodes the messages the transport receives (package kernel/wire), routes
// each msg_type to a cell.Interpreter, and publishes on iopub what a cell
// produces, with the request's header as parent. It speaks messaging
// protocol 5.3.
//
// The layers import one way: kernel/wire (framing, signatures) <- kernel
// (this package) <- kernel/cmd/plasticnb (main), which binds the sockets
// (kernel/transport) and creates the interpreter (kernel/goeval). This
// package opens no socket: it talks to a Transport, an interface a test
// implements in memory, and to a cell.Interpreter, which never sees a wire
// message.
//
// # Choreography
//
// Every request, on whichever channel, is framed by status busy and status
// idle on iopub, and its reply goes back on the socket the request came in
// on. Shell requests are handled one at a time, in order; control requests
// (interrupt, shutdown, kernel_info) are handled as they arrive, also while
// a cell runs. An execute_request publishes execute_input, the cell's
// outputs and execute_result or error, then replies; when it fails with
// stop_on_error set, the execute requests already queued behind it are
// answered with status "aborted" without running.
//
// # Comms
//
// comm_open, comm_msg and comm_close go to a comm.Manager (package
// kernel/comm) in both directions; comm_info_request lists its open comms.
// Comm messages from the frontend are shell messages, handled in order with
// the cells, as ipykernel does, unless a running cell calls Poll between
// its statements to have them handled there (comms.go); their parent is
// the parent of what their handlers publish. Each cell's context carries
// the Manager (comm.FromContext), which is how widgets reach it. Bad input
// is logged and answered, never fatal: an unknown comm id or target by a
// comm_close, a handler's error by a line on stderr, a handler's panic by an
// error output; the kernel keeps its state.
//
// # Offsets
//
// The protocol counts cursor positions in Unicode code points, JupyterLab in
// UTF-16 code units; the interpreter in bytes. The two frontend conventions
// differ only for characters outside the Basic Multilingual Plane; when a
// cell has such characters the dispatcher picks the reading under which the
// cursor sits at the end of a word (see cursor.go).
package kernel
