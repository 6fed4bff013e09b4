// Package wire is the Jupyter messaging protocol (version 5.3) on the wire:
// message types, HMAC-SHA256 signing and verification with the connection
// key, and the framing of a message into the ZeroMQ multipart frames a
// socket carries (routing identities, the "<IDS|MSG>" delimiter, the
// signature, header, parent header, metadata, content and binary buffers).
//
// It is the lowest layer of the kernel: it opens no socket and imports
// nothing of the kernel. The transport (package kernel/transport) moves the
// frames; the dispatcher (package kernel) gives them meaning.
//
// Decoding is defensive: the frame sizes are checked, then the signature,
// and only then is any JSON parsed, so a message with a bad or missing
// signature is never acted on.
package wire
