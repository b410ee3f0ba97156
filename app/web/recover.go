package web

import (
	"fmt"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
)

// recoverPanics comes first in the chain: a panic anywhere after it (a
// handler, a template, a middleware) becomes one 500 answered in the
// request's own form (page, toast or JSON), with the stack logged beside
// the request id and the panic counted, instead of ending the process
// with every other request and stream it holds.
func (s *server) recoverPanics(c *fiber.Ctx) (err error) {
	start := time.Now()
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		s.panicked("request", c.Locals(requestIDHeader), r, debug.Stack(),
			"method", c.Method(), "path", c.Path())
		// Whatever the handler had written is half a response.
		c.Response().ResetBody()
		if herr := s.handleError(c, recoveredPanic{r}); herr != nil {
			s.log.Error("write error response", "err", herr)
		}
		s.logRequest(c, start)
		err = nil
	}()
	return c.Next()
}

// panicked logs a recovered panic at error, with its stack, and counts it
// for unit ("request" or "stream").
func (s *server) panicked(unit string, requestID any, r any, stack []byte, attrs ...any) {
	s.log.Error("panic recovered", append([]any{"unit", unit, "id", requestID, "panic", fmt.Sprint(r), "stack", string(stack)}, attrs...)...)
	if s.opts.OnPanic != nil {
		s.opts.OnPanic(unit)
	}
}

// recoveredPanic is the error a recovered panic answers as: a 500 whose
// log line panicked already wrote, stack and all.
type recoveredPanic struct{ value any }

func (p recoveredPanic) Error() string { return fmt.Sprintf("web: panic: %v", p.value) }
