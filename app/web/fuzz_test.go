package web

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/parleyhq/parley/app/inbox"
)

func FuzzDecodeSendJSON(f *testing.F) {
	for _, s := range []string{
		`{"to":"+14155550100","text":"hi"}`,
		`{"to":"+14155550100","text":"pic","media_urls":["https://m.example/a.jpg"],"from":"+14155550199"}`,
		`{"to":1}`, `{"media_url":[]}`, `[]`, `null`, ``, `{"to":"a"} {"x":1}`, `{"text":"\ud800"}`,
		`{"to":"x","to":"y"}`, `{"text":"<script>alert(1)</script>' OR 1=1 --"}`, "{\"text\":\"\xff\"}",
	} {
		f.Add(s, true)
	}
	f.Add(`{"to":"+14155550100","text":"hi"}`, false)
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body string, isJSON bool) {
		c := app.AcquireCtx(&fasthttp.RequestCtx{})
		defer app.ReleaseCtx(c)
		if isJSON {
			c.Request().Header.SetContentType("application/json; charset=utf-8")
		} else {
			c.Request().Header.SetContentType("text/plain")
		}
		c.Request().SetBody([]byte(body))
		var req apiSendRequest
		err := decodeJSONBody(c, &req)
		if err != nil {
			var ie *inbox.Error
			if !errors.As(err, &ie) || ie.Code != inbox.EINVALID || ie.Message == "" {
				t.Fatalf("err=%#v, want an EINVALID with a message", err)
			}
			return
		}
		if !isJSON {
			t.Fatal("a body not sent as JSON was accepted")
		}
		// What was accepted is what encoding/json reads from the body.
		var want apiSendRequest
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatalf("accepted a body encoding/json refuses: %v", err)
		}
		if !reflect.DeepEqual(req, want) {
			t.Fatalf("decoded %+v, want %+v", req, want)
		}
	})
}
