package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
)

// progressInterval is the least time between two published updates of a
// progress bar, except the first and the last.
const progressInterval = 100 * time.Millisecond

// ProgressBar is a live progress bar: shown when made, updated in place as
// work is added, at most once per whole percent and once per 100 ms. It is
// safe for concurrent use.
type ProgressBar struct {
	h     *Handle
	total int
	label string

	mu      sync.Mutex
	n       int
	done    bool
	lastPct int
	last    time.Time
}

// Progress shows a progress bar at 0 of total (total <= 0 shows a bar with
// no known end) labelled label, and returns it.
func (d *Display) Progress(total int, label string) *ProgressBar {
	p := &ProgressBar{total: total, label: label, lastPct: -1, last: time.Now()}
	p.h = d.Show(p.bundle(0, false))
	p.lastPct = 0
	return p
}

// Add counts n more units of work done.
func (p *ProgressBar) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.n += n
	pct := p.percent()
	now := time.Now()
	if pct == p.lastPct || now.Sub(p.last) < progressInterval {
		return
	}
	p.lastPct, p.last = pct, now
	p.h.Update(p.bundle(p.n, false))
}

// Done shows the bar's final state; later calls to Add and Done do nothing.
func (p *ProgressBar) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	p.done = true
	p.h.Update(p.bundle(p.n, true))
}

// Count returns the units of work counted so far.
func (p *ProgressBar) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

func (p *ProgressBar) percent() int {
	if p.total <= 0 {
		return 0
	}
	pct := 100 * p.n / p.total
	return min(max(pct, 0), 100)
}

// MIMEBundle renders the bar's current state.
func (p *ProgressBar) MIMEBundle() map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.bundle(p.n, p.done)
	m := make(map[string]any, len(b.Data))
	for k, v := range b.Data {
		m[string(k)] = v
	}
	return m
}

func (p *ProgressBar) bundle(n int, done bool) Bundle {
	count := fmt.Sprintf("%d", n)
	if p.total > 0 {
		count = fmt.Sprintf("%d/%d (%d%%)", n, p.total, p.percent())
	}
	if done {
		count += " done"
	}
	const width = 30
	fill := 0
	if p.total > 0 {
		fill = min(width*max(n, 0)/p.total, width)
	}
	text := fmt.Sprintf("%s [%s%s] %s", p.label, strings.Repeat("#", fill), strings.Repeat(" ", width-fill), count)
	value := ""
	if p.total > 0 {
		value = fmt.Sprintf(` value="%d" max="%d"`, min(max(n, 0), p.total), p.total)
	}
	h := fmt.Sprintf(`<div class="plasticnb-progress"><span>%s</span> <progress%s style="width:20em"></progress> <span>%s</span></div>`,
		html.EscapeString(p.label), value, html.EscapeString(count))
	return Bundle{Data: map[MIME]any{MIMEHTML: h, MIMEPlain: text}}
}
