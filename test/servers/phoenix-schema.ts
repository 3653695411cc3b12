import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

/**
 * Validators built from Phoenix 20.3's own REST schema
 * (test/fixtures/phoenix/openapi.json, copied from ../shared/phoenix), so the
 * test server accepts exactly the bodies the contract describes.
 */
const OPENAPI_PATH = fileURLToPath(new URL("../fixtures/phoenix/openapi.json", import.meta.url));
const openapi = JSON.parse(readFileSync(OPENAPI_PATH, "utf8")) as {
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
};

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: "phoenix", components: openapi.components, paths: openapi.paths });

const cache = new Map<string, ValidateFunction>();

/** The validator of `components.schemas[name]`. */
export function schemaValidator(name: string): ValidateFunction {
  let validate = cache.get(name);
  if (!validate) {
    if (!(name in openapi.components.schemas)) throw new Error(`no schema ${name} in openapi.json`);
    validate = ajv.compile({ $ref: `phoenix#/components/schemas/${name}` });
    cache.set(name, validate);
  }
  return validate;
}

/** The validator of a request body schema written inline in a path (e.g. POST /v1/datasets/upload's JSON body). */
export function requestBodyValidator(path: string, method: string, contentType = "application/json"): ValidateFunction {
  const key = `${method} ${path} ${contentType}`;
  let validate = cache.get(key);
  if (!validate) {
    if (!openapi.paths[path]?.[method]?.requestBody?.content[contentType]) throw new Error(`no ${contentType} body for ${method} ${path} in openapi.json`);
    const pointer = ["paths", path, method, "requestBody", "content", contentType, "schema"].map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
    validate = ajv.compile({ $ref: `phoenix#/${pointer}` });
    cache.set(key, validate);
  }
  return validate;
}

/** FastAPI's 422 body for schema errors: `{"detail": [{type, loc, msg, input}]}`. */
export function validationDetail(errors: ErrorObject[] | null | undefined, body: unknown): { detail: unknown[] } {
  return {
    detail: (errors ?? []).map((e) => {
      const loc = ["body", ...e.instancePath.split("/").filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p))];
      if (e.keyword === "required") loc.push((e.params as { missingProperty: string }).missingProperty);
      return {
        type: e.keyword === "required" ? "missing" : `${e.keyword}_type`,
        loc,
        msg: e.keyword === "required" ? "Field required" : (e.message ?? "invalid"),
        input: pick(body, e.instancePath),
      };
    }),
  };
}

function pick(value: unknown, pointer: string): unknown {
  let current = value;
  for (const part of pointer.split("/").filter(Boolean)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** The OpenAPI document itself, for tests that check response shapes. */
export const PHOENIX_OPENAPI = openapi;
