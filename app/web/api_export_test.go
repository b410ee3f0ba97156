package web

// APIRoute is an operation of the route table, as the contract test sees
// it.
type APIRoute struct {
	Method, Path string
	Query        []string
	HasBody      bool
}

// APIRoutes returns the route table behind /api/v1.
func APIRoutes() []APIRoute {
	out := make([]APIRoute, len(apiRoutes))
	for i, r := range apiRoutes {
		out[i] = APIRoute{Method: r.Method, Path: r.Path, Query: r.Query, HasBody: r.Body != nil}
	}
	return out
}
