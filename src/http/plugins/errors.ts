/**
 * The one place errors become HTTP answers, in the contract's format
 * `{"error": {code, message, details}}`. Anything unexpected is logged with its request
 * id and answered as a bare 500: no stack trace, no SQL.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

import {
  AppError,
  isClientDataException,
  isDatabaseUnavailable,
  sqlState,
  UnavailableError,
  ValidationError,
} from '../../errors.js';
import { fieldErrors } from './validation.js';

/** A URL of the API (`/api`, `/api/…`, `/api?…`): its answers carry Cache-Control: no-store. */
export const API_URL = /^\/api(?:[/?]|$)/;

function body(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

// Fastify's own errors for what the client sent wrong, by code.
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the request body as JSON, with Content-Type: application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is larger than the 1 MiB this server accepts.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'validation_failed',
    message: 'The body is empty but Content-Type says JSON: send a JSON document or no Content-Type.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'validation_failed',
    message: 'The Content-Length header does not match the body.',
  },
};

/**
 * After a body over the limit, how much more of it the server reads (and drops) before it
 * answers, and for how long: a client streaming a 2 MB body then reads the 413 instead of a
 * reset connection; one streaming without end is cut off within these bounds.
 */
export const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Calls `answer` once the request body has been read to its end, or once the drain bounds
 * are reached. Fastify answers a body over the limit at once and closes the connection;
 * closing a socket that still has unread data makes the kernel send a reset, and a client
 * still writing its body gets ECONNRESET or EPIPE instead of the 413. Read to the end, the
 * answer arrives and the connection then closes cleanly (Fastify has set Connection: close).
 */
function afterBody(request: FastifyRequest, answer: () => void): void {
  const raw = request.raw;
  const declared = Number(request.headers['content-length']);
  if (raw.readableEnded || raw.destroyed || declared > DRAIN_LIMIT_BYTES) {
    answer();
    return;
  }
  let read = 0;
  let answered = false;
  const finish = () => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    raw.off('data', count).off('end', finish).off('error', finish).off('close', finish);
    answer();
  };
  const count = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DRAIN_LIMIT_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_TIMEOUT_MS);
  raw.on('data', count).on('end', finish).on('error', finish).on('close', finish);
  raw.resume();
}

/** The contract's 404 for a path that names nothing. */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send(body('not_found', `There is nothing at ${request.method} ${request.url.split('?')[0]}.`));
}

/**
 * Fastify's answers from before a route is found (`frameworkErrors`), in the contract's
 * format: a path that is not valid percent-encoded UTF-8 (`/api/audits/%ED%A0%80`) or a
 * parameter past the router's length names nothing (404, as any other string in a path).
 * No hook runs for these requests, so the headers every answer carries (the security set for
 * the URL, plugins/security-headers.ts, and the request id) are set here.
 */
export function frameworkErrors(headersFor: (url: string) => Readonly<Record<string, string>>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    void reply.headers(headersFor(request.url)).header('x-request-id', request.id);
    if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      sendNotFound(request, reply);
      return;
    }
    void reply.code(400).send(body('validation_failed', 'The request is not valid.'));
  };
}

export const errorsPlugin = fp<{ fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean }>(
  async function errors(app: FastifyInstance, options) {
    app.setNotFoundHandler((request, reply) => {
      // The web app's pages (any GET outside /api) before the API's 404.
      if (options.fallback?.(request, reply)) return;
      sendNotFound(request, reply);
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        void reply
          .headers(error.headers)
          .code(error.status)
          .send(body(error.code, error.message, error.details));
        return;
      }
      if (error.validation && error.validationContext === 'params') {
        // An id or token that cannot exist (the contract: any other string in a path is a 404).
        sendNotFound(request, reply);
        return;
      }
      if (error.validation) {
        const validation = new ValidationError(
          'The request is not valid: see details for each field.',
          fieldErrors(error.validationContext ?? 'body', error.validation),
        );
        void reply.code(400).send(body(validation.code, validation.message, validation.details));
        return;
      }
      const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
      if (known && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        afterBody(request, () => void reply.code(known.status).send(body(known.code, known.message)));
        return;
      }
      if (known) {
        void reply.code(known.status).send(body(known.code, known.message));
        return;
      }
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        void reply.code(400).send(body('validation_failed', `The body is not valid JSON: ${error.message}`));
        return;
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: { message: error.message, code: error.code } }, 'database unavailable');
        const unavailable = new UnavailableError();
        void reply.headers(unavailable.headers).code(503).send(body(unavailable.code, unavailable.message));
        return;
      }
      if (isClientDataException(error)) {
        // The last line of defence: schemas bound what they can (lengths, ranges, dates), and
        // what still reaches the database and is refused there is the client's value, not a
        // fault of ours. The failed statement rolled its transaction back. Logged at warn:
        // a route's schema should have refused the value.
        request.log.warn(
          { err: { message: error.message, sqlState: sqlState(error) } },
          'the database refused a value',
        );
        void reply.code(400).send(
          body(
            'validation_failed',
            'The request holds a value that cannot be stored: too long, out of range, or invalid.',
            [
              {
                field: request.body === undefined ? 'querystring' : 'body',
                message: 'holds a value that cannot be stored',
              },
            ],
          ),
        );
        return;
      }
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        void reply.code(error.statusCode).send(body('bad_request', error.message));
        return;
      }
      request.log.error({ err: error }, 'unexpected error');
      void reply
        .code(500)
        .send(body('internal', `Something went wrong on our side. Quote request id ${request.id} if you report it.`));
    });
  },
);
