/**
 * The API client: JSON over fetch with the session cookie (same origin), and the contract's
 * error format turned into an ApiError whose `fieldErrors` map a form field to its message.
 * An answer that streams (server-sent events) is read with `postForEvents` and `serverSentEvents`.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ErrorJson, FieldErrorJson } from '../../../src/http/schemas';

/** One problem of a refused request: the field, what is wrong, and the CSV row of an import. */
export type FieldProblem = FieldErrorJson;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** `body.stackData.tools.0.seats` → `stackData.tools.0.seats`: what forms name their fields. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      const key = d.field.replace(/^(body|querystring|params)\.?/, '');
      out[key] ??= d.message;
    }
    return out;
  }
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  return send<T>(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A CSV file's text posted as text/csv (tool lists, statements). */
export function postCsv<T>(path: string, csv: string): Promise<T> {
  return send<T>(path, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, 'bad_response', `The server answered ${response.status} without JSON.`);
  }
  if (!response.ok) throw failure(response.status, json);
  return json as T;
}

/** The ApiError of a refused request's JSON body. */
function failure(status: number, json: unknown): ApiError {
  // Read defensively: an answer that is not the API's (a proxy's error page as JSON) may lack any part.
  const error = (json as { error?: Partial<ErrorJson['error']> } | null)?.error;
  return new ApiError(
    status,
    error?.code ?? 'error',
    error?.message ?? `Request failed (${status}).`,
    Array.isArray(error?.details) ? error.details : [],
  );
}

/**
 * POSTs JSON whose answer is a stream of server-sent events: the response, to read with
 * `serverSentEvents`. A request refused before the stream starts (an ordinary JSON error) is
 * thrown as an ApiError. `signal` cancels the request and the stream's reading.
 */
export async function postForEvents(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    signal,
  });
  if (response.ok && response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return response;
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not the API's error: said below with the status
  }
  throw response.ok
    ? new ApiError(response.status, 'bad_response', 'The server answered without a stream.')
    : failure(response.status, json);
}

/** One server-sent event: its name (`message` when it has none) and its data lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * The events of a stream as they arrive (parsed by eventsource-parser: lines and events may be
 * cut anywhere between chunks; comments, `id` and `retry` are skipped).
 */
export async function* serverSentEvents(response: Response): AsyncGenerator<ServerSentEvent> {
  if (!response.body) return;
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield { event: value.event ?? 'message', data: value.data };
  }
}
