/**
 * The OpenAPI document (`/api/docs/json`) is a contract other tools can build on (#15,
 * point 7): a valid OpenAPI 3.1 document by a well-kept validator (swagger-parser), every
 * schema in it valid JSON Schema 2020-12 (Ajv's 2020 dialect, strict: no OpenAPI 3.0
 * `nullable`), both ways to log in as security schemes, a unique operationId on every
 * operation, and every error answer in the shared Error schema.
 *
 * What the document says about logins is checked against the routes: each operation gets
 * an anonymous request with valid input, and answers 401 exactly when the document says it
 * needs a login (src/http/openapi.ts lists the public ones).
 */
import { isDeepStrictEqual as isEqual } from 'node:util';

import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import type { FastifySchemaCompiler } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openPostgres } from '../../src/db/postgres.js';
import { UnauthenticatedError } from '../../src/errors.js';
import type { App } from '../../src/http/app.js';
import { OPTIONAL_LOGIN_OPERATIONS, PUBLIC_OPERATIONS } from '../../src/http/openapi.js';
import { validatorCompiler } from '../../src/http/plugins/validation.js';
import { buildTestApp } from '../harness/app.js';
import { silentLogger, testPostgresConfig } from '../harness/config.js';
import type { ErrorBody } from '../harness/contract.js';
import { describeEachDatabase } from '../harness/databases.js';
import { shapedLike, type JsonSchema } from '../harness/hostile.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Schema = JsonSchema & { $ref?: string; [keyword: string]: unknown };
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}
interface Media {
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
interface Document {
  openapi: string;
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, Record<string, unknown>> };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = Uppercase<(typeof METHODS)[number]>;

function operations(doc: Document): { method: Method; path: string; route: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({
      method: m.toUpperCase() as Method,
      path,
      // Fastify's form, as src/http/openapi.ts lists routes: /api/audits/{id} → /api/audits/:id
      route: `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      operation: item[m]!,
    })),
  );
}

/** Every Schema Object of the document, with where it is. */
function schemas(doc: Document): [string, Schema][] {
  const found: [string, Schema][] = Object.entries(doc.components.schemas).map(([n, s]) => [`#/components/${n}`, s]);
  for (const { route, operation } of operations(doc)) {
    for (const p of operation.parameters ?? []) found.push([`${route} ${p.in}:${p.name}`, p.schema]);
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {}))
      if (media.schema) found.push([`${route} body ${type}`, media.schema]);
    for (const [status, response] of Object.entries(operation.responses))
      for (const media of Object.values(response.content ?? {}))
        if (media.schema) found.push([`${route} ${status}`, media.schema]);
  }
  return found;
}

/** The subschemas of a schema, by the keywords of JSON Schema 2020-12 that hold them. */
function subschemas(schema: Schema): Schema[] {
  const found: unknown[] = [];
  for (const key of ['items', 'not', 'additionalProperties', 'contains', 'if', 'then', 'else']) found.push(schema[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) found.push(...((schema[key] as unknown[]) ?? []));
  for (const key of ['properties', 'patternProperties', '$defs'])
    found.push(...Object.values((schema[key] as Record<string, unknown>) ?? {}));
  return found.filter((s): s is Schema => typeof s === 'object' && s !== null);
}

/** OpenAPI 3.0's keywords that 3.1 dropped (Ajv takes `nullable` in any dialect, so it is looked for here). */
function openapi30Keywords(schema: Schema, where: string): string[] {
  const own = 'nullable' in schema ? [`${where}: nullable`] : [];
  const boolean = ['exclusiveMinimum', 'exclusiveMaximum'].filter((k) => typeof schema[k] === 'boolean');
  return [
    ...own,
    ...boolean.map((k) => `${where}: ${k} as a boolean`),
    ...subschemas(schema).flatMap((s) => openapi30Keywords(s, where)),
  ];
}

const COMPONENTS = 'https://stackaudit.invalid/components/';
/** The schema with its `#/components/schemas/X` references made absolute, for Ajv. */
const absoluteRefs = (schema: Schema): Schema =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS}`)) as Schema;

async function documentOf(app: App): Promise<Document> {
  const response = await app.inject('/api/docs/json');
  expect(response.statusCode).toBe(200);
  return response.json<Document>();
}

describe('the OpenAPI document', () => {
  let doc: Document;
  beforeAll(async () => {
    // Building the app opens nothing: a database it never reaches is enough for the document.
    const database = openPostgres(testPostgresConfig('postgres://nobody@127.0.0.1:1/none'), silentLogger);
    const app = await buildTestApp(database);
    await app.ready();
    doc = await documentOf(app);
    await app.close();
    await database.close();
  });

  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  it('has only valid JSON Schema 2020-12 schemas: no OpenAPI 3.0 keywords (nullable), no unknown ones', () => {
    const ajv = addFormats(new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true }));
    for (const [name, schema] of Object.entries(doc.components.schemas))
      ajv.addSchema(absoluteRefs(schema), COMPONENTS + name);
    const problems: string[] = [];
    const compiled = new Set<string>();
    for (const [where, schema] of schemas(doc)) {
      const text = JSON.stringify(schema);
      if (compiled.has(text)) continue;
      compiled.add(text);
      try {
        ajv.compile(absoluteRefs(schema));
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect(schemas(doc).flatMap(([where, schema]) => openapi30Keywords(schema, where))).toEqual([]);
  });

  it('gives every operation an operationId, each a different one', () => {
    const ids = operations(doc).map(({ route, operation }) => [route, operation.operationId] as const);
    expect(ids.filter(([, id]) => !id || !/^[a-z][A-Za-z0-9]*$/.test(id))).toEqual([]);
    const seen = new Map<string, string>();
    for (const [route, id] of ids) {
      expect(seen.get(id!), `${route} and ${seen.get(id!)} share ${id}`).toBeUndefined();
      seen.set(id!, route);
    }
  });

  it('names both ways to log in, needs one by default, and marks the public operations', () => {
    expect(doc.components.securitySchemes).toEqual({
      sessionCookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sa_session' }) as unknown,
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
    });
    expect(doc.security).toEqual([{ sessionCookie: [] }, { bearerAuth: [] }]);
    const routes = new Set(operations(doc).map((o) => o.route));
    // A listed route that is not documented any more (renamed, removed) would hide a public one.
    expect([...PUBLIC_OPERATIONS, ...OPTIONAL_LOGIN_OPERATIONS].filter((r) => !routes.has(r))).toEqual([]);
    for (const { route, operation } of operations(doc)) {
      if (PUBLIC_OPERATIONS.has(route)) expect(operation.security, route).toEqual([]);
      else if (OPTIONAL_LOGIN_OPERATIONS.has(route)) expect(operation.security, route).toContainEqual({});
      else expect(operation.security, route).toBeUndefined();
    }
  });

  it('answers every error in the shared Error schema, with the statuses any operation can give', () => {
    const missing: string[] = [];
    for (const { route, method, operation } of operations(doc)) {
      const loginNeeded = !PUBLIC_OPERATIONS.has(route) && !OPTIONAL_LOGIN_OPERATIONS.has(route);
      const expected = ['400', '500', '503', ...(loginNeeded ? ['401'] : [])];
      if (method !== 'GET') expected.push('403', '413', '415');
      if (route.includes('/:')) expected.push('404');
      for (const status of expected) if (!operation.responses[status]) missing.push(`${route} ${status}`);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || /^GET \/(health|ready)$/.test(route)) continue; // those two answer 503 with their own body
        expect(response.content?.['application/json']?.schema, `${route} ${status}`).toEqual({
          $ref: '#/components/schemas/Error',
        });
        expect(response.description, `${route} ${status}`).not.toBe('Default Response');
      }
    }
    expect(missing).toEqual([]);
  });
});

const compile = validatorCompiler as FastifySchemaCompiler<Schema>;

/** The shortest of the values tried that the route's own validator accepts for `schema` (undefined: none). */
function validValue(schema: Schema, httpPart: 'body' | 'querystring' | 'params', seed: number): unknown {
  const valid = compile({ schema, httpPart, method: 'POST', url: '/' }) as (value: unknown) => boolean;
  const size = (value: unknown) => JSON.stringify(value)?.length ?? 0;
  return fc
    .sample(shapedLike(schema, 'extreme'), { seed, numRuns: 40 })
    .filter((value) => valid(value))
    .sort((a, b) => size(a) - size(b))[0];
}

/** The 401 of requireActor and requireAccount: what a route that needs a login answers nobody. */
const LOGIN_NEEDED = { code: 'unauthenticated', message: new UnauthenticatedError().message };

describeEachDatabase('what the document says about logins holds', (get) => {
  let app: App;
  let doc: Document;
  beforeAll(async () => {
    app = await buildTestApp(get().database);
    await app.ready();
    doc = await documentOf(app);
  });
  afterAll(() => app.close());

  it('an anonymous request with valid input is a 401 exactly where the document needs a login', async () => {
    const wrong: string[] = [];
    for (const [i, { method, path, route, operation }] of operations(doc).entries()) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const parameter = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
        const value = parameter && validValue(parameter.schema, 'params', i);
        return encodeURIComponent(typeof value === 'string' ? value : 'x');
      });
      const query = new URLSearchParams();
      for (const p of operation.parameters ?? [])
        if (p.in === 'query' && p.required) query.set(p.name, String(validValue(p.schema, 'querystring', i)));
      const json = operation.requestBody?.content['application/json']?.schema;
      const body = json && validValue(json, 'body', i);
      if (json && body === undefined) {
        wrong.push(`${route}: no valid body found to send`);
        continue;
      }
      const response = await app.inject({
        method,
        url: query.size ? `${url}?${query.toString()}` : url,
        ...(body === undefined
          ? {}
          : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const loginNeeded = operation.security === undefined;
      const refused = response.statusCode === 401 && isEqual(response.json<ErrorBody>().error, LOGIN_NEEDED);
      if (loginNeeded !== refused)
        wrong.push(
          `${route} (${loginNeeded ? 'needs a login' : 'public'}): ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
      // A GET's HEAD (Fastify answers it) is exactly as open as the GET.
      if (method.toUpperCase() === 'GET') {
        const head = await app.inject({ method: 'HEAD', url: query.size ? `${url}?${query.toString()}` : url });
        if ((head.statusCode === 401) !== loginNeeded) wrong.push(`HEAD of ${route}: ${head.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
