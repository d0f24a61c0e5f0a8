/**
 * The API client: JSON over fetch with the session cookie (same origin), and the contract's
 * error format turned into an ApiError whose `fieldErrors` map a form field to its message.
 */
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
  if (!response.ok) {
    // Read defensively: an answer that is not the API's (a proxy's error page as JSON) may lack any part.
    const error = (json as { error?: Partial<ErrorJson['error']> } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'error',
      error?.message ?? `Request failed (${response.status}).`,
      Array.isArray(error?.details) ? error.details : [],
    );
  }
  return json as T;
}
