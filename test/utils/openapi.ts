import type { INestApplication } from '@nestjs/common';
import Ajv from 'ajv';
import request from 'supertest';

type Schema = Record<string, unknown>;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, string[]>[];
  requestBody?: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
}

export async function fetchOpenApi(url: string): Promise<OpenApiDocument> {
  const response = await request(url).get('/api/docs-json');
  if (response.status !== 200) throw new Error(`/api/docs-json answered ${response.status}`);
  return response.body as OpenApiDocument;
}

export interface RegisteredRoute {
  readonly method: string;
  /** In OpenAPI form: `/api/v1/leads/{leadId}/score`. */
  readonly path: string;
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every route registered on the Express app (the OpenAPI document's own routes left out). */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  return express.router.stack.flatMap((layer) => {
    if (!layer.route) return [];
    const paths = [layer.route.path].flat();
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m]);
    return paths.flatMap((path) =>
      methods.map((method) => ({ method, path: path.replace(/:(\w+)/g, '{$1}') })),
    );
  });
}

/**
 * OpenAPI 3.0 schemas as JSON Schema for Ajv: `nullable` becomes a union with null, and objects
 * that list their properties are closed, so a field the document does not describe fails.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const converted: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue;
    // `properties` maps names to schemas: a property called "nullable" is not the keyword.
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]))
        : toJsonSchema(value);
  }
  if (typeof converted.$ref === 'string')
    converted.$ref = converted.$ref.replace('#/components/', 'openapi#/components/');
  if (converted.properties && converted.additionalProperties === undefined)
    converted.additionalProperties = false;
  if (converted.nullable === true) {
    delete converted.nullable;
    return { anyOf: [{ type: 'null' }, converted] };
  }
  delete converted.nullable;
  return converted;
}

/** Validates answers against the document's response schemas. */
export class ResponseValidator {
  private readonly ajv = new Ajv({ allErrors: true });

  constructor(private readonly document: OpenApiDocument) {
    this.ajv.addSchema({ components: toJsonSchema(document.components) as Schema }, 'openapi');
  }

  /** The documented schema of an answer, or undefined when there is none. */
  schemaOf(method: string, path: string, status: number, mediaType = 'application/json') {
    const response = this.document.paths[path]?.[method]?.responses[String(status)];
    return response?.content?.[mediaType]?.schema;
  }

  /** The problems of `body` against the schema documented for it (none: an empty list). */
  problems(
    { method, path, status }: { method: string; path: string; status: number },
    body: unknown,
    mediaType?: string,
  ): string[] {
    const schema = this.schemaOf(method, path, status, mediaType);
    if (!schema)
      return [`no ${status} ${mediaType ?? 'application/json'} schema for ${method} ${path}`];
    const validate = this.ajv.compile(toJsonSchema(schema) as Schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.dataPath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}
