package cell

// MIME is a media type used as a key of a Bundle's data.
type MIME string

// The media types the kernel publishes.
const (
	MIMEPlain    MIME = "text/plain"
	MIMEHTML     MIME = "text/html"
	MIMEMarkdown MIME = "text/markdown"
	MIMELaTeX    MIME = "text/latex"
	MIMESVG      MIME = "image/svg+xml"
	MIMEPNG      MIME = "image/png"
	MIMEJPEG     MIME = "image/jpeg"
	MIMEJSON     MIME = "application/json"
)

// Bundle is a MIME bundle as the Jupyter protocol carries it in
// display_data, update_display_data and execute_result: the same value in
// one or more representations, keyed by media type, plus per-type metadata.
// Binary data (PNG, JPEG) is stored base64-encoded, as the protocol wants it.
type Bundle struct {
	Data     map[MIME]any
	Metadata map[MIME]any
}

// Sink receives what a running cell publishes. The kernel implements it for
// each execution, attaching the request's parent header; tests implement it
// to record outputs. Implementations must be safe for concurrent use: cells
// may publish from goroutines they start.
type Sink interface {
	// Stream appends text to the named stream, "stdout" or "stderr".
	Stream(name, text string)
	// Publish shows b. If displayID is not empty it names the output so a
	// later Publish with update set replaces it in place
	// (update_display_data) instead of adding a new one.
	Publish(b Bundle, displayID string, update bool)
	// Clear clears the cell's output; with wait set, the clearing happens
	// when the next output arrives (clear_output's wait flag).
	Clear(wait bool)
}

// BundleRenderer is implemented by values that render themselves to a
// complete Bundle, used as it is (package display adds no text/plain to
// it): widgets, whose bundle depends on what the frontend can show.
type BundleRenderer interface {
	RenderBundle() Bundle
}
