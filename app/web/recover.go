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
		s.answerPanic(c, r)
		s.logRequest(c, start)
		err = nil
	}()
	return c.Next()
}

// answerPanic writes the 500 for a recovered panic. Whatever the handler
// had written is half a response, so it goes; and should rendering the
// error panic too (a broken template), a plain-text 500 goes out instead.
func (s *server) answerPanic(c *fiber.Ctx, r any) {
	defer func() {
		if r2 := recover(); r2 != nil {
			s.log.Error("panic while answering a panic", "id", c.Locals(requestIDHeader), "panic", fmt.Sprint(r2))
			c.Response().ResetBody()
			c.Status(fiber.StatusInternalServerError).Type("txt")
			_ = c.SendString("internal error\n")
		}
	}()
	c.Response().ResetBody()
	if herr := s.handleError(c, recoveredPanic{r}); herr != nil {
		s.log.Error("write error response", "err", herr)
	}
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
