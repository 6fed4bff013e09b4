package display

import "github.com/plasticnb/plasticnb/kernel/cell"

// The display contract lives in package cell, a leaf that imports only the
// standard library; these aliases keep the names cells and compiled code
// use (display.Bundle, display.MIMEPNG, display.Sink).

// MIME is a media type used as a key of a Bundle's data.
type MIME = cell.MIME

// The media types the kernel publishes.
const (
	MIMEPlain    = cell.MIMEPlain
	MIMEHTML     = cell.MIMEHTML
	MIMEMarkdown = cell.MIMEMarkdown
	MIMELaTeX    = cell.MIMELaTeX
	MIMESVG      = cell.MIMESVG
	MIMEPNG      = cell.MIMEPNG
	MIMEJPEG     = cell.MIMEJPEG
	MIMEJSON     = cell.MIMEJSON
)

// Bundle is a MIME bundle (see cell.Bundle).
type Bundle = cell.Bundle

// Sink receives what a running cell publishes (see cell.Sink).
type Sink = cell.Sink

// BundleRenderer is a value that renders itself to a complete Bundle (see
// cell.BundleRenderer).
type BundleRenderer = cell.BundleRenderer
