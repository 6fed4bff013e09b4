// Package display is what notebook cells import to show rich output:
// MIME bundles, the string types Markdown, HTML, LaTeX and SVG, PNG images,
// gonum plots rendered to PNG, live updates of a shown value, and progress
// bars.
//
// It is the display layer of the kernel: it renders values into MIME
// bundles and publishes them through a Sink. The contract itself (MIME,
// Bundle, Sink) lives in package kernel/cell, a leaf that imports only the
// standard library, so that the dispatcher shares it without reaching
// gonum/plot; display re-exports those names as aliases, and is the only
// kernel package that imports gonum/plot. It never sees a socket or a wire
// message.
//
// # Rendering
//
// Render turns a value into a Bundle; the kernel uses it both for
// Display.Show and for a cell's trailing expression, so a value looks the
// same either way:
//
//   - Markdown, HTML, LaTeX, SVG: their media type, with a text/plain copy;
//   - PNG ([]byte of an encoded PNG) and image.Image: image/png;
//   - *plot.Plot (gonum.org/v1/plot): image/png at Config.PlotWidth x
//     Config.PlotHeight (default 800x600 pixels at 96 dpi);
//   - a value with a method MIMEBundle() map[string]any (MIMEBundler): its
//     bundle ([]byte values of image types are base64-encoded);
//   - a Bundle or *Bundle: itself;
//   - a value with a method RenderBundle() Bundle (BundleRenderer, e.g. a
//     widget): that bundle, as it is;
//   - anything else: text/plain, formatted as Text describes.
//
// # Display, the package-level functions, and the interpreter
//
// A Display publishes to one Sink; the kernel creates one per interpreter,
// bound to a sink that forwards to the running cell's output. The package
// holds no mutable state. In cells the package-level functions Show, Clear
// and Progress are bound by the interpreter to its own Display, so a cell's
//
//	display.Show(display.Markdown("# Hello"))
//
// publishes display_data in the notebook. In compiled Go (a program or a
// test, where no interpreter rebinds them) the package-level functions use a
// Display on TextSink{W: os.Stdout}: they print the text/plain rendering to
// standard output, which the kernel, when it runs compiled code, captures as
// stream output. They never fail.
package display
