/**
 * The API client: JSON over fetch with the session cookie (same origin), and the contract's
 * error format turned into an ApiError whose `fieldErrors` map a form field to its message.
 */
export interface FieldProblem {
  field: string;
  message: string;
  row?: number;
}

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
    const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'error',
      error?.message ?? `Request failed (${response.status}).`,
      Array.isArray(error?.details) ? (error.details as FieldProblem[]) : [],
    );
  }
  return json as T;
}
