package views

import (
	"strings"

	"github.com/parleyhq/parley/app/inbox"
)

// LabelsProps is the labels settings screen.
type LabelsProps struct {
	Labels []inbox.Label
	// Draft is the add form (ID 0) or the label being edited, shown again
	// with its Error after a refused save.
	Draft LabelDraft
}

// LabelDraft is what an admin typed into a label form.
type LabelDraft struct {
	ID    int64
	Name  string
	Color string
	Error string
}

// ThreadLabelsProps is the thread header's labels: the ones on the
// conversation, and a menu of all to put on or take off.
type ThreadLabelsProps struct {
	ConversationID int64
	On             []inbox.Label
	All            []inbox.Label
}

func (p ThreadLabelsProps) has(id int64) bool {
	for _, l := range p.On {
		if l.ID == id {
			return true
		}
	}
	return false
}

// LabelsOf resolves a conversation's label IDs against all labels.
func LabelsOf(ids []int64, all []inbox.Label) []inbox.Label {
	var out []inbox.Label
	for _, id := range ids {
		for _, l := range all {
			if l.ID == id {
				out = append(out, l)
			}
		}
	}
	return out
}

// labelChipClass is a label's chip colours. The classes are spelled out
// whole so Tailwind finds them.
func labelChipClass(color string) string {
	switch color {
	case "red":
		return "bg-red-50 text-red-700 ring-red-200"
	case "orange":
		return "bg-orange-50 text-orange-700 ring-orange-200"
	case "amber":
		return "bg-amber-50 text-amber-800 ring-amber-200"
	case "green":
		return "bg-green-50 text-green-700 ring-green-200"
	case "teal":
		return "bg-teal-50 text-teal-700 ring-teal-200"
	case "blue":
		return "bg-blue-50 text-blue-700 ring-blue-200"
	case "indigo":
		return "bg-indigo-50 text-indigo-700 ring-indigo-200"
	case "purple":
		return "bg-purple-50 text-purple-700 ring-purple-200"
	case "pink":
		return "bg-pink-50 text-pink-700 ring-pink-200"
	}
	return "bg-gray-50 text-gray-700 ring-gray-200"
}

// labelDotClass is a label's colour as a dot.
func labelDotClass(color string) string {
	switch color {
	case "red":
		return "bg-red-500"
	case "orange":
		return "bg-orange-500"
	case "amber":
		return "bg-amber-500"
	case "green":
		return "bg-green-500"
	case "teal":
		return "bg-teal-500"
	case "blue":
		return "bg-blue-500"
	case "indigo":
		return "bg-indigo-500"
	case "purple":
		return "bg-purple-500"
	case "pink":
		return "bg-pink-500"
	}
	return "bg-gray-400"
}

// colorName is a colour as the settings screen offers it.
func colorName(c string) string {
	if c == "" {
		return ""
	}
	return strings.ToUpper(c[:1]) + c[1:]
}

// labelIDList is a row's labels for static/js/app.js: " 3 7 ".
func labelIDList(ids []int64) string {
	var b strings.Builder
	b.WriteByte(' ')
	for _, l := range ids {
		b.WriteString(id(l))
		b.WriteByte(' ')
	}
	return b.String()
}

func labelValue(label int64) string {
	if label == 0 {
		return ""
	}
	return id(label)
}

// rowLabelLimit is how many label chips a list row shows before folding
// the rest into "+k": a row has one line for its number and markers.
const rowLabelLimit = 2

// phoneLabelLimit is how many of a thread's labels a phone's header shows
// before folding the rest into "+k".
const phoneLabelLimit = 2

// rowLabels splits a row's labels into the chips it shows and the ones
// it folds into "+k".
func rowLabels(labels []inbox.Label) (shown, folded []inbox.Label) {
	if len(labels) <= rowLabelLimit {
		return labels, nil
	}
	return labels[:rowLabelLimit], labels[rowLabelLimit:]
}

// labelNames lists labels' names for a tooltip.
func labelNames(labels []inbox.Label) string {
	names := make([]string, len(labels))
	for i, l := range labels {
		names[i] = l.Name
	}
	return strings.Join(names, ", ")
}
