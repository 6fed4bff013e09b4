// Package widget gives Go cells interactive controls: int and float
// sliders, a dropdown, a checkbox, a button, a text label, an output area,
// and horizontal and vertical boxes, with Go callbacks on their changes.
//
// It speaks the model protocol of the widget JavaScript that Debian ships
// for Jupyter Notebook (jupyter-nbextension-jupyter-js-widgets, ipywidgets
// 6: module "jupyter-js-widgets", version ~2.1.4) over Jupyter comms
// (package kernel/comm). It imports only the kernel's contract packages
// (cell, comm) and the standard library.
//
// # Use in a cell
//
//	ui := widget.New(display.CellContext())
//	eta := ui.FloatSlider("eta", 0, 1, 0.01, 0.1)
//	fig := display.Show(curve(eta.Value()))
//	eta.OnChange(func(v float64) { fig.Update(curve(v)) })
//	ui.VBox(eta)
//
// New takes the cell's context, which carries the kernel's comm manager;
// keep the *UI in a variable and make later widgets with it, also from
// callbacks. A widget shows where it is displayed: display.Show(w) or a
// cell's trailing expression. Each widget has its own value type (int,
// float64, string, bool); callbacks receive it.
//
// # Callbacks
//
// The frontend's changes arrive as comm messages, which the kernel handles
// between cells, one at a time: a callback never runs behind a cell's
// back, and the widget's value is updated before its callbacks are called.
// A running cell lets the changes sent meanwhile in between its statements
// by calling UI.Poll (their callbacks then run inside Poll). A
// callback that panics is reported in the notebook and the kernel keeps its
// state. What a callback prints or shows goes to the cell of the widget
// that changed; Handle.Update of a display handle replaces a figure in
// place. Setting a value from Go (Set) updates the frontend and calls the
// callbacks too. In a callback, display.CellContext() is no cell's: pass
// UI.Context() to long calls instead, which the notebook's interrupt
// cancels.
//
// Values from the frontend are checked: a slider value out of its range, a
// dropdown label that is not an option, or a value of the wrong JSON type
// is refused (the frontend is sent the widget's value again) and reported
// on stderr.
//
// # Without a widget frontend
//
// The frontend announces its widget JavaScript by opening the comm
// "jupyter.widget.version" when it connects (Targets registers the kernel's
// side). Until one has, widgets render their static text/plain form, e.g.
// `IntSlider(description="n", value=3, min=0, max=10, step=1)`: that is what
// nbconvert and the tests see. In compiled Go (no comm manager in the
// context) widgets work offline: Set calls the callbacks, nothing is sent.
package widget
