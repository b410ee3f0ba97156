package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// requireHost answers 400 to an HTTP/1.1 request that names no host, as
// RFC 9112 §3.2 requires of a server; HTTP/1.0 did not have to send one.
// fasthttp accepts such requests. A request whose target is in absolute
// form (POST https://host/path) names its host there, which §3.2.2 says
// wins over the header, so it is served: Go's httputil.DumpRequest, and
// with it Fiber's app.Test, writes no Host header for one.
func (s *server) requireHost(c *fiber.Ctx) error {
	if c.Context().Request.Header.IsHTTP11() && len(c.Context().URI().Host()) == 0 {
		return fiber.NewError(fiber.StatusBadRequest, "an HTTP/1.1 request needs a Host header")
	}
	return c.Next()
}

// notImplemented wraps the app's fasthttp handler so that a method Fiber
// does not know (BREW, PROPFIND) is answered 501 Not Implemented, as RFC
// 9110 §9.1 asks, instead of the 400 Fiber's router answers before any
// middleware runs (router.go, App.handler: "Invalid http method"). Known
// methods go on to the app, which answers 404 or 405 as usual.
func (s *server) notImplemented(app *fiber.App, next fasthttp.RequestHandler) fasthttp.RequestHandler {
	known := make(map[string]bool, len(app.Config().RequestMethods))
	for _, m := range app.Config().RequestMethods {
		known[m] = true
	}
	return func(ctx *fasthttp.RequestCtx) {
		if known[string(ctx.Method())] {
			next(ctx)
			return
		}
		ctx.Error("this server does not implement that method\n", fasthttp.StatusNotImplemented)
		ctx.Response.Header.Set("X-Content-Type-Options", "nosniff")
		ctx.Response.Header.Set("Content-Security-Policy", contentSecurityPolicy)
		s.log.Info("request", "method", string(ctx.Method()), "path", string(ctx.Path()), "status", fasthttp.StatusNotImplemented, "ip", ctx.RemoteIP().String())
	}
}
