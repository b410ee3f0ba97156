package inbox

import (
	"time"
)

// ReportStatusLine is one line of a conversation's status history as a
// report reads it: a close, a reopen or an unblock from the activity
// lines, with the conversation's creation beside it.
type ReportStatusLine struct {
	ConversationID int64
	// CreatedAt is when the conversation was created.
	CreatedAt time.Time
	Kind      ActivityKind
	ActorID   int64
	At        time.Time
	// NextText is, for a close, the contact's first text after it (which
	// reopens the conversation without an activity line); zero when the
	// contact has not texted since, or for other lines.
	NextText time.Time
}

// resolution is one close and the stretch of openness it ended.
type resolution struct {
	start, closed time.Time
	by            int64
}

// resolutions reads, from one conversation's status lines in the order
// they happened, every close and when the stretch it ended began: the
// conversation's creation for its first close; after that, its reopening
// by an agent (reopened, or unblocked) or by the contact's next text,
// whichever came first. A close with neither between it and the close
// before it (possible only through blocking) ends no stretch and is left
// out.
func resolutions(lines []ReportStatusLine) []resolution {
	if len(lines) == 0 {
		return nil
	}
	var out []resolution
	start, closed := lines[0].CreatedAt, false
	var text time.Time // the contact's first text after the latest close
	for _, l := range lines {
		if l.Kind != ActivityClosed {
			if closed {
				start, closed = l.At, false
				if !text.IsZero() && text.Before(start) {
					start = text
				}
			}
			continue
		}
		if closed {
			if text.IsZero() || !text.Before(l.At) {
				continue
			}
			start = text
		}
		out = append(out, resolution{start: start, closed: l.At, by: l.ActorID})
		closed, text = true, l.NextText
	}
	return out
}

// countResolutions measures the closes of both periods: each belongs to
// the period of its close, and its agent is credited in the current one.
func countResolutions(lines []ReportStatusLine, r *Report) {
	var cur, prev []time.Duration
	resolved := map[int64]int{}
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && lines[j].ConversationID == lines[i].ConversationID {
			j++
		}
		for _, res := range resolutions(lines[i:j]) {
			d := res.closed.Sub(res.start)
			if k, ok := r.Current.bucket(res.closed); ok {
				r.Current.ResolvedSeries[k]++
				cur = append(cur, d)
				if res.by != 0 {
					resolved[res.by]++
				}
			} else if k, ok := r.Previous.bucket(res.closed); ok {
				r.Previous.ResolvedSeries[k]++
				prev = append(prev, d)
			}
		}
		i = j
	}
	r.Current.Resolution, r.Previous.Resolution = summarise(cur), summarise(prev)
	for id, n := range resolved {
		r.Agents = addResolved(r.Agents, id, n)
	}
}

func addResolved(as []AgentFigures, id int64, n int) []AgentFigures {
	for i := range as {
		if as[i].User.ID == id {
			as[i].Resolved = n
			return as
		}
	}
	return append(as, AgentFigures{User: User{ID: id}, Resolved: n})
}
