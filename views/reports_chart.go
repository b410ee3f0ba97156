package views

import (
	"fmt"
	"strconv"
	"time"

	"github.com/parleyhq/parley/app/inbox"
)

// Chart geometry, in SVG user units: the charts scale to their box, so
// these fix proportions, not pixels.
const (
	chartWidth  = 600
	chartHeight = 150
	chartTop    = 20 // room for the largest value's label
	heatCell    = 22
	heatLeft    = 36
	heatTop     = 16
)

// bar is one bar of a bar chart.
type bar struct {
	X, Y, W, H float64
	Label      string
	Value      int
}

// series is one chart's values with the label of each bucket.
type series struct {
	Name   string
	Labels []string
	Values []int
}

func newSeries(r inbox.Report, name string, values []int) series {
	s := series{Name: name, Values: values}
	for _, b := range r.Buckets {
		s.Labels = append(s.Labels, bucketLabel(r, b))
	}
	return s
}

func (s series) max() int {
	m := 0
	for _, v := range s.Values {
		m = max(m, v)
	}
	return m
}

// bars lays the values out side by side, scaled to the largest.
func (s series) bars() []bar {
	n := len(s.Values)
	if n == 0 {
		return nil
	}
	slot := float64(chartWidth) / float64(n)
	top := max(s.max(), 1)
	out := make([]bar, n)
	for i, v := range s.Values {
		h := float64(chartHeight-chartTop) * float64(v) / float64(top)
		out[i] = bar{X: float64(i)*slot + slot*0.15, W: slot * 0.7, Y: chartHeight - h, H: h, Label: s.Labels[i], Value: v}
	}
	return out
}

// ticks are the bucket labels written under the bars: every one when they
// fit, else every few.
func (s series) ticks() []bar {
	bs := s.bars()
	step := max(1, (len(bs)+5)/6)
	var out []bar
	for i := 0; i < len(bs); i += step {
		out = append(out, bs[i])
	}
	return out
}

func (s series) summary() string {
	total := 0
	for _, v := range s.Values {
		total += v
	}
	return fmt.Sprintf("%s: %d in all, at most %d in one bar", s.Name, total, s.max())
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// heatDays orders the heat map's rows Monday first, as a work week reads.
var heatDays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// heatOpacity shades a cell by its share of the busiest hour.
func heatOpacity(n, top int) string {
	if n == 0 || top == 0 {
		return "0"
	}
	return strconv.FormatFloat(0.15+0.85*float64(n)/float64(top), 'f', 2, 64)
}

func heatMax(r inbox.Report) int {
	m := 0
	for _, row := range r.Heat {
		for _, n := range row {
			m = max(m, n)
		}
	}
	return m
}

func heatX(hour int) string { return strconv.Itoa(heatLeft + hour*heatCell) }
func heatY(row int) string  { return strconv.Itoa(heatTop + row*heatCell) }

const heatWidth = heatLeft + 24*heatCell
const heatHeight = heatTop + 7*heatCell

// deliveryPart is one segment of the delivery bar.
type deliveryPart struct {
	Name, Color string
	N           int
	X, W        float64
}

func deliveryParts(d inbox.DeliveryCounts) []deliveryPart {
	parts := []deliveryPart{
		{Name: "Delivered", Color: "#10b981", N: d.Delivered},
		{Name: "Undelivered", Color: "#f59e0b", N: d.Undelivered},
		{Name: "Failed", Color: "#ef4444", N: d.Failed},
		{Name: "Unconfirmed", Color: "#9ca3af", N: d.Unconfirmed},
	}
	total, x := d.Total(), 0.0
	for i := range parts {
		if total > 0 {
			parts[i].W = chartWidth * float64(parts[i].N) / float64(total)
		}
		parts[i].X = x
		x += parts[i].W
	}
	return parts
}

// change says how a figure moved from the previous period.
func change(cur, prev int) string {
	switch {
	case cur == prev:
		return "same as before"
	case cur > prev:
		return fmt.Sprintf("+%d on before", cur-prev)
	}
	return fmt.Sprintf("−%d on before", prev-cur)
}

// count writes n things in words: "1 wait", "3 waits".
func count(n int, thing string) string {
	return strconv.Itoa(n) + " " + plural(n, thing, thing+"s")
}
