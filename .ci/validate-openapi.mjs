// Validates the API's OpenAPI document with @apidevtools/swagger-parser:
// against the OpenAPI 3.1 schema, with every $ref resolved. Run from the
// repository root: node .ci/validate-openapi.mjs [file]
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2] ?? "app/web/openapi.json";
try {
  const api = await SwaggerParser.validate(file);
  const ops = Object.values(api.paths).reduce((n, p) => n + Object.keys(p).length, 0);
  console.log(`${file}: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths, ${ops} operations`);
} catch (err) {
  console.error(`${file}: ${err.message}`);
  process.exit(1);
}
