package bench

import (
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
)

// ingestReport is everything bench ingest measured in one run.
type ingestReport struct {
	Database string        `json:"database"`
	Ceilings []ceiling     `json:"ceilings,omitempty"`
	Max      *ingestResult `json:"ingest"`
	Half     *ingestResult `json:"ingest_at_half_rate,omitempty"`
	// Reports is the delivery-report run of --reports.
	Reports *ingestResult `json:"delivery_reports,omitempty"`
}

func (r ingestReport) verified() bool {
	for _, x := range []*ingestResult{r.Max, r.Half, r.Reports} {
		if x != nil && x.Verify != nil && !x.Verify.OK() {
			return false
		}
	}
	return true
}

func (r ingestReport) print(w io.Writer) {
	fmt.Fprintf(w, "\ndatabase: %s\n", r.Database)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\trate asked\tachieved 2xx/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tstatus\tacked\tmissing\tduplicated")
	for _, x := range []*ingestResult{r.Max, r.Half, r.Reports} {
		if x == nil {
			continue
		}
		v := Verification{}
		if x.Verify != nil {
			v = *x.Verify
		}
		name := "Parley ingest"
		if x == r.Reports {
			name = "delivery reports"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%d\t%d\t%d\n",
			name, x.Rate, x.AchievedRate, x.P50Ms, x.P90Ms, x.P99Ms, x.MaxMs, statusLine(x.Status), v.Acked, v.Missing, v.Duplicated)
	}
	tw.Flush()
	for _, x := range []*ingestResult{r.Max, r.Half, r.Reports} {
		if x != nil && len(x.Errors) > 0 {
			fmt.Fprintf(w, "errors (%s): %v\n", x.Rate, x.Errors)
		}
		if x != nil && x.Verify != nil && !x.Verify.OK() {
			fmt.Fprintf(w, "VERIFICATION FAILED (%s): e.g. %v\n", x.Rate, x.Verify.Examples)
		}
	}
	if r.Reports != nil && r.Max != nil && r.Max.AchievedRate > 0 {
		fmt.Fprintf(w, "delivery reports as share of inbound texts: %.0f%%\n", 100*r.Reports.AchievedRate/r.Max.AchievedRate)
	}
	if len(r.Ceilings) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ceiling\trate/s\tp99 ms\tParley ingest as share\tcommand")
	for _, c := range r.Ceilings {
		if c.Skipped != "" {
			fmt.Fprintf(tw, "%s\tskipped\t\t\t%s\n", c.Name, c.Skipped)
			continue
		}
		p99 := "-"
		if c.P99Ms > 0 {
			p99 = fmt.Sprintf("%.2f", c.P99Ms)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%.0f%%\t%s\n", c.Name, c.Rate, p99, 100*r.Max.AchievedRate/c.Rate, c.Command)
	}
	tw.Flush()
}

// statusLine is "200:1234 503:2", codes in order.
func statusLine(m map[string]int) string {
	codes := make([]string, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	s := ""
	for i, c := range codes {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%s:%d", c, m[c])
	}
	return s
}
