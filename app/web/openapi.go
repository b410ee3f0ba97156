package web

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPI is the OpenAPI 3.1 description of /api/v1, written by hand and
// kept true by the contract test (api_contract_test.go) and CI's
// validator.
//
//go:embed openapi.json
var openAPI []byte

// OpenAPI returns the API's description.
func OpenAPI() []byte { return openAPI }

// handleOpenAPI serves the description; anyone may read it.
func (s *server) handleOpenAPI(c *fiber.Ctx) error {
	return apiJSON(c, fiber.StatusOK, jsonRaw(openAPI))
}

// jsonRaw is JSON already encoded.
type jsonRaw []byte

func (j jsonRaw) MarshalJSON() ([]byte, error) { return j, nil }
