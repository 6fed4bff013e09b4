package transport

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"
)

// ConnectionInfo is the content of a Jupyter connection file.
type ConnectionInfo struct {
	Transport       string `json:"transport"` // "tcp" (default) or "ipc"
	IP              string `json:"ip"`        // default 127.0.0.1
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"` // "hmac-sha256" or empty
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile reads and validates the connection file at path. Its
// errors say what is wrong: the file is missing or unreadable, is not
// JSON, or has an unusable field (named).
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	var info ConnectionInfo
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return info, fmt.Errorf("connection file %s does not exist", path)
	case err != nil:
		return info, fmt.Errorf("connection file %s is unreadable: %w", path, err)
	}
	if err := json.Unmarshal(data, &info); err != nil {
		return info, fmt.Errorf("connection file %s is not valid JSON: %w", path, err)
	}
	if err := info.normalize(); err != nil {
		return info, fmt.Errorf("connection file %s: %w", path, err)
	}
	return info, nil
}

// normalize fills the defaults and checks the fields.
func (c *ConnectionInfo) normalize() error {
	if c.Transport == "" {
		c.Transport = "tcp"
	}
	if c.Transport != "tcp" && c.Transport != "ipc" {
		return fmt.Errorf("transport %q is not tcp or ipc", c.Transport)
	}
	if c.IP == "" {
		c.IP = "127.0.0.1"
	}
	if c.SignatureScheme != "" && c.SignatureScheme != "hmac-sha256" {
		return fmt.Errorf("signature_scheme %q is not supported (only hmac-sha256)", c.SignatureScheme)
	}
	for _, p := range c.ports() {
		if *p.port < 0 || *p.port > 65535 {
			return fmt.Errorf("%s %d is out of range", p.field, *p.port)
		}
	}
	return nil
}

type portField struct {
	field string
	port  *int
}

// ports lists the port fields in socket order.
func (c *ConnectionInfo) ports() []portField {
	return []portField{
		{"shell_port", &c.ShellPort},
		{"control_port", &c.ControlPort},
		{"stdin_port", &c.StdinPort},
		{"iopub_port", &c.IOPubPort},
		{"hb_port", &c.HBPort},
	}
}

// endpoint returns the zmq endpoint of a port.
func (c *ConnectionInfo) endpoint(port int) string {
	if c.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", c.IP, port)
	}
	return "tcp://" + net.JoinHostPort(c.IP, strconv.Itoa(port))
}
