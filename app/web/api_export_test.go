package web

// APIRoute is an operation of the route table, as the contract test sees
// it.
type APIRoute struct {
	Method, Path string
	Query        []string
	// BodyFields are the JSON fields the operation's body decodes, nil
	// when it takes none.
	BodyFields []string
}

// APIRoutes returns the route table behind /api/v1.
func APIRoutes() []APIRoute {
	out := make([]APIRoute, len(apiRoutes))
	for i, r := range apiRoutes {
		out[i] = APIRoute{Method: r.Method, Path: r.Path, Query: r.Query}
		if r.Body != nil {
			out[i].BodyFields = jsonFields(r.Body())
		}
	}
	return out
}
