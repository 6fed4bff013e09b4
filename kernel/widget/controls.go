package widget

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The widgets. Each keeps its value in its model's state (the key "value")
// and its callbacks in a slice; no generics, so that interpreted cells can
// call everything (yaegi cannot instantiate compiled generic functions).

// IntSlider is a slider over the integers min..max by step.
type IntSlider struct {
	base
	min, max int
}

// IntSlider shows a slider labelled description over min..max by step,
// at value. It panics if min > max or step <= 0 (a caller's bug); value is
// clamped into the range.
func (ui *UI) IntSlider(description string, min, max, step, value int) *IntSlider {
	if min > max || step <= 0 {
		panic(fmt.Sprintf("widget.IntSlider %q: need min <= max and step > 0, got min %d, max %d, step %d", description, min, max, step))
	}
	s := &IntSlider{min: min, max: max}
	value = int(math.Min(math.Max(float64(value), float64(min)), float64(max)))
	s.accept = func(key string, raw json.RawMessage) error {
		if key != "value" {
			return fmt.Errorf("key %q cannot be set", key)
		}
		v, err := intValue(raw)
		if err != nil {
			return err
		}
		if v < s.min || v > s.max {
			return fmt.Errorf("value %d out of range [%d, %d]", v, s.min, s.max)
		}
		s.state["value"] = v
		return nil
	}
	s.text = func() string {
		return textForm("IntSlider", "description="+quote(description), "value="+strconv.Itoa(s.Value()),
			"min="+strconv.Itoa(min), "max="+strconv.Itoa(max), "step="+strconv.Itoa(step))
	}
	ui.open(&s.base, "IntSlider", map[string]any{
		"description": description, "min": min, "max": max, "step": step, "value": value,
		"orientation": "horizontal", "readout": true, "readout_format": "d", "continuous_update": false,
		"_range": false, "disabled": false,
	})
	return s
}

// Value returns the slider's value.
func (s *IntSlider) Value() int { v, _ := s.get("value").(int); return v }

// Set moves the slider to v and calls the callbacks; v out of range is an
// error and changes nothing.
func (s *IntSlider) Set(v int) error {
	if v < s.min || v > s.max {
		return fmt.Errorf("widget: IntSlider value %d out of range [%d, %d]", v, s.min, s.max)
	}
	s.set(map[string]any{"value": v})
	s.fire()
	return nil
}

// OnChange adds f to the functions called with the new value after each
// change.
func (s *IntSlider) OnChange(f func(v int)) { s.on(func() { f(s.Value()) }) }

// FloatSlider is a slider over the reals min..max by step.
type FloatSlider struct {
	base
	min, max float64
}

// FloatSlider shows a slider labelled description over min..max by step,
// at value. It panics if min > max, step <= 0 or a bound is not finite;
// value is clamped into the range.
func (ui *UI) FloatSlider(description string, min, max, step, value float64) *FloatSlider {
	if !(min <= max) || !(step > 0) || math.IsInf(min, 0) || math.IsInf(max, 0) || math.IsInf(step, 0) {
		panic(fmt.Sprintf("widget.FloatSlider %q: need finite min <= max and step > 0, got min %g, max %g, step %g", description, min, max, step))
	}
	s := &FloatSlider{min: min, max: max}
	if math.IsNaN(value) {
		value = min
	}
	value = math.Min(math.Max(value, min), max)
	s.accept = func(key string, raw json.RawMessage) error {
		if key != "value" {
			return fmt.Errorf("key %q cannot be set", key)
		}
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("value %s is not a number", raw)
		}
		// The slider's steps are computed in floating point: allow a
		// rounding error's worth beyond the bounds, and clamp.
		tol := 1e-9 * math.Max(1, math.Abs(s.max-s.min))
		if v < s.min-tol || v > s.max+tol {
			return fmt.Errorf("value %g out of range [%g, %g]", v, s.min, s.max)
		}
		s.state["value"] = math.Min(math.Max(v, s.min), s.max)
		return nil
	}
	s.text = func() string {
		return textForm("FloatSlider", "description="+quote(description), "value="+fmtFloat(s.Value()),
			"min="+fmtFloat(min), "max="+fmtFloat(max), "step="+fmtFloat(step))
	}
	ui.open(&s.base, "FloatSlider", map[string]any{
		"description": description, "min": min, "max": max, "step": step, "value": value,
		"orientation": "horizontal", "readout": true, "readout_format": readoutFormat(step), "continuous_update": false,
		"_range": false, "disabled": false, "slider_color": nil,
	})
	return s
}

// Value returns the slider's value.
func (s *FloatSlider) Value() float64 { v, _ := s.get("value").(float64); return v }

// Set moves the slider to v and calls the callbacks; v out of range (or
// NaN) is an error and changes nothing.
func (s *FloatSlider) Set(v float64) error {
	if !(v >= s.min && v <= s.max) {
		return fmt.Errorf("widget: FloatSlider value %g out of range [%g, %g]", v, s.min, s.max)
	}
	s.set(map[string]any{"value": v})
	s.fire()
	return nil
}

// OnChange adds f to the functions called with the new value after each
// change.
func (s *FloatSlider) OnChange(f func(v float64)) { s.on(func() { f(s.Value()) }) }

// Dropdown picks one of a list of labels.
type Dropdown struct {
	base
	options []string
}

// Dropdown shows a dropdown labelled description over options, at value.
// It panics if options is empty or value is not one of them.
func (ui *UI) Dropdown(description string, options []string, value string) *Dropdown {
	if indexOf(options, value) < 0 {
		panic(fmt.Sprintf("widget.Dropdown %q: value %q is not one of the options %q", description, value, options))
	}
	d := &Dropdown{options: append([]string{}, options...)}
	d.accept = func(key string, raw json.RawMessage) error {
		if key != "value" {
			return fmt.Errorf("key %q cannot be set", key)
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("value %s is not a string", raw)
		}
		if indexOf(d.options, v) < 0 {
			return fmt.Errorf("value %q is not one of the options %q", v, d.options)
		}
		d.state["value"] = v
		return nil
	}
	d.text = func() string {
		return textForm("Dropdown", "description="+quote(description), "value="+quote(d.Value()), "options=["+quoteAll(d.options)+"]")
	}
	ui.open(&d.base, "Dropdown", map[string]any{
		"description": description, "_options_labels": d.options, "value": value,
		"disabled": false, "button_style": "",
	})
	return d
}

// Value returns the selected label.
func (d *Dropdown) Value() string { v, _ := d.get("value").(string); return v }

// Index returns the position of the selected label among the options.
func (d *Dropdown) Index() int { return indexOf(d.options, d.Value()) }

// Set selects the label v and calls the callbacks; a v that is not an
// option is an error and changes nothing.
func (d *Dropdown) Set(v string) error {
	if indexOf(d.options, v) < 0 {
		return fmt.Errorf("widget: Dropdown value %q is not one of the options %q", v, d.options)
	}
	d.set(map[string]any{"value": v})
	d.fire()
	return nil
}

// OnChange adds f to the functions called with the new label after each
// change.
func (d *Dropdown) OnChange(f func(v string)) { d.on(func() { f(d.Value()) }) }

// Checkbox is a labelled boolean.
type Checkbox struct {
	base
}

// Checkbox shows a checkbox labelled description, checked if value.
func (ui *UI) Checkbox(description string, value bool) *Checkbox {
	c := &Checkbox{}
	c.accept = func(key string, raw json.RawMessage) error {
		if key != "value" {
			return fmt.Errorf("key %q cannot be set", key)
		}
		var v bool
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("value %s is not a boolean", raw)
		}
		c.state["value"] = v
		return nil
	}
	c.text = func() string {
		return textForm("Checkbox", "description="+quote(description), "value="+strconv.FormatBool(c.Value()))
	}
	ui.open(&c.base, "Checkbox", map[string]any{"description": description, "value": value, "disabled": false})
	return c
}

// Value reports whether the box is checked.
func (c *Checkbox) Value() bool { v, _ := c.get("value").(bool); return v }

// Set checks or unchecks the box and calls the callbacks.
func (c *Checkbox) Set(v bool) {
	c.set(map[string]any{"value": v})
	c.fire()
}

// OnChange adds f to the functions called with the new value after each
// change.
func (c *Checkbox) OnChange(f func(v bool)) { c.on(func() { f(c.Value()) }) }

// Button is a push button.
type Button struct {
	base
}

// Button shows a button labelled description.
func (ui *UI) Button(description string) *Button {
	b := &Button{}
	b.custom = func(content json.RawMessage) error {
		var c struct {
			Event string `json:"event"`
		}
		if err := json.Unmarshal(content, &c); err != nil || c.Event != "click" {
			return fmt.Errorf("button message %s is not a click", content)
		}
		b.Click()
		return nil
	}
	b.text = func() string { return textForm("Button", "description="+quote(description)) }
	ui.open(&b.base, "Button", map[string]any{
		"description": description, "tooltip": "", "disabled": false, "icon": "", "button_style": "",
	})
	return b
}

// OnClick adds f to the functions called on each click.
func (b *Button) OnClick(f func()) { b.on(f) }

// Click calls the click callbacks, as a click in the frontend does.
func (b *Button) Click() { b.fire() }

// Label is a line of text the frontend cannot edit.
type Label struct{ base }

// Label shows text.
func (ui *UI) Label(text string) *Label {
	l := &Label{}
	l.text = func() string { return textForm("Label", "value="+quote(l.Value())) }
	ui.open(&l.base, "Label", map[string]any{"value": text, "description": "", "disabled": false, "placeholder": "\u200b"})
	return l
}

// Value returns the label's text.
func (l *Label) Value() string { v, _ := l.get("value").(string); return v }

// Set replaces the label's text.
func (l *Label) Set(text string) { l.set(map[string]any{"value": text}) }

// Output is an area that collects what a cell or a callback publishes
// while Capture runs (a frontend with the widget JavaScript shows it
// there; headless, the output stays where it was published).
type Output struct{ base }

// Output returns an empty output area.
func (ui *UI) Output() *Output {
	o := &Output{}
	o.text = func() string { return "Output()" }
	ui.open(&o.base, "Output", map[string]any{"msg_id": ""})
	return o
}

// Capture runs f with what the running cell or callback publishes sent to
// the output area.
func (o *Output) Capture(f func()) {
	if o.ui.m != nil {
		o.set(map[string]any{"msg_id": o.ui.m.ParentID()})
		defer o.set(map[string]any{"msg_id": ""})
	}
	f()
}

// Box lays out widgets in a row (HBox) or a column (VBox).
type Box struct {
	base
	children []Widget
}

// HBox lays children out in a row.
func (ui *UI) HBox(children ...Widget) *Box { return ui.box("HBox", children) }

// VBox lays children out in a column.
func (ui *UI) VBox(children ...Widget) *Box { return ui.box("VBox", children) }

func (ui *UI) box(name string, children []Widget) *Box {
	b := &Box{children: append([]Widget{}, children...)}
	refs := make([]string, len(children))
	for i, c := range children {
		refs[i] = "IPY_MODEL_" + c.ModelID()
	}
	b.text = func() string {
		s := make([]string, len(b.children))
		for i, c := range b.children {
			s[i] = c.String()
		}
		return textForm(name, s...)
	}
	ui.open(&b.base, name, map[string]any{"children": refs, "box_style": ""})
	return b
}

// Children returns the widgets in the box.
func (b *Box) Children() []Widget { return append([]Widget{}, b.children...) }

// intValue decodes an integral JSON number.
func intValue(raw json.RawMessage) (int, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, fmt.Errorf("value %s is not a number", raw)
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("value %s is not an integer", raw)
	}
	return int(f), nil
}

// quoteAll quotes each string and joins them with commas.
func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}

func indexOf(options []string, v string) int {
	for i, o := range options {
		if o == v {
			return i
		}
	}
	return -1
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// readoutFormat returns a d3 format with enough decimals for step.
func readoutFormat(step float64) string {
	d := 0
	for d < 6 && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-9 {
		d++
	}
	return fmt.Sprintf(".%df", max(d, 1))
}
