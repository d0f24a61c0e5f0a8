/**
 * Two Ajv instances behind one validator compiler: query strings, params and headers are
 * text, so their values are coerced to the schema's types (`?limit=20`); JSON bodies are
 * not, so `"password": 12345678` is the 400 a wrong type should be (Fastify's single
 * default instance coerces bodies too). Neither removes unknown properties: schemas say
 * additionalProperties: false and such input is refused.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };
const bodies = addFormats(new Ajv({ ...common, coerceTypes: false }));
const texts = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart !== 'body') return texts.compile(schema);
  const validate = bodies.compile(schema);
  // No body at all is judged as an empty object: routes whose fields are all optional
  // accept it, and the others name each missing field.
  // (Fastify hands an absent body over as null.)
  const judge = (data: unknown) => validate(data === undefined || data === null ? {} : data);
  // Fastify reads the errors from the function it was given.
  Object.defineProperty(judge, 'errors', { get: () => validate.errors });
  return judge;
};
