package views

import "github.com/parleyhq/parley/app/inbox"

// SectionExport is the export screen's place in the navigation.
const SectionExport = "export"

// ExportURL is the export screen; a POST to it downloads the file.
const ExportURL = "/settings/export"

// ExportForm is the export form as an admin filled it in.
type ExportForm struct {
	From, To string // YYYY-MM-DD, in the team's time zone; either may be empty
	Number   string // one of our numbers, or "" for all
	Label    string // a label id, or "" for any
	Format   string // "csv" or "ndjson"
}

// ExportProps is the export screen.
type ExportProps struct {
	Form     ExportForm
	Numbers  []inbox.Number
	Labels   []inbox.Label
	TimeZone string
	Error    string
}
