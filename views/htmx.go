package views

// HTMXConfig is htmx's configuration, set by <meta name="htmx-config"> so
// no inline script is needed. It suits a strict Content-Security-Policy
// (no eval, no inline style or script) and keeps message text out of
// localStorage (no history cache: back and forward reload the page).
//
// responseHandling swaps 422 answers into the request's target (inline
// validation errors) and swaps other 4xx/5xx answers with error set; the
// server sends those as a Toast with "HX-Retarget: #toasts" and
// "HX-Reswap: beforeend". static/js/app.js turns empty or whole-page error
// answers into a plain toast.
const HTMXConfig = `{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,` +
	`"selfRequestsOnly":true,"historyCacheSize":0,"refreshOnHistoryMiss":true,` +
	`"historyRestoreAsHxRequest":false,"scrollIntoViewOnBoost":false,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},` +
	`{"code":"422","swap":true,"error":false},{"code":"[45]..","swap":true,"error":true},` +
	`{"code":"...","swap":false}]}`
