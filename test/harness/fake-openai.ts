/**
 * A local OpenAI-compatible chat-completions server (POST /v1/chat/completions), as OpenAI,
 * Ollama, llama.cpp or vLLM answer it: JSON, or server-sent events when `stream` is true
 * (content in pieces, then usage when `stream_options.include_usage`, then `[DONE]`). Tests
 * queue what it answers (good, malformed, number-inventing, a failure) and read what it was
 * sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  /** The assistant's content. */
  content?: string;
  /** Answer this HTTP status with an error body instead. */
  status?: number;
  /** Leave usage out (some local servers do not count tokens). */
  noUsage?: boolean;
  promptTokens?: number;
  completionTokens?: number;
  /** Wait this long before answering (a call under way while others start). */
  delayMs?: number;
  /** Stream: wait this long between pieces (a reader may leave mid-answer). */
  pieceDelayMs?: number;
}

export interface FakeRequest {
  headers: http.IncomingHttpHeaders;
  body: {
    model: string;
    stream?: boolean;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
    stream_options?: { include_usage?: boolean };
    max_tokens?: number;
    max_completion_tokens?: number;
  };
}

export interface FakeOpenAi {
  url: string;
  /** AI_* variables pointing a server at this fake. */
  env: Record<string, string>;
  requests: FakeRequest[];
  /** Streamed answers whose reader hung up before their end. */
  abandoned: number;
  /** Answers to give, in order; when none is queued, `fallback` answers. */
  queue(...answers: FakeAnswer[]): void;
  fallback: (request: FakeRequest) => FakeAnswer;
  reset(): void;
  close(): Promise<void>;
}

export const FAKE_MODEL = 'fake-model-1';
export const FAKE_KEY = 'sk-fake-openai-key';

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queued: FakeAnswer[] = [];
  const fake: FakeOpenAi = {
    url: '',
    env: {},
    requests: [],
    abandoned: 0,
    queue: (...answers) => void queued.push(...answers),
    fallback: () => ({ content: '{"summary":"Nothing to say.","plan":[]}' }),
    reset() {
      queued.length = 0;
      fake.requests.length = 0;
      fake.abandoned = 0;
      fake.fallback = () => ({ content: '{"summary":"Nothing to say.","plan":[]}' });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const request: FakeRequest = { headers: req.headers, body: JSON.parse(raw) as FakeRequest['body'] };
      fake.requests.push(request);
      const answer = queued.shift() ?? fake.fallback(request);
      setTimeout(() => respond(request, answer, res, raw), answer.delayMs ?? 0);
    });
  });
  const respond = (request: FakeRequest, answer: FakeAnswer, res: http.ServerResponse, raw: string) => {
    if (answer.status) {
      res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'the fake was told to fail', type: 'server_error' } }));
      return;
    }
    const content = answer.content ?? '';
    const usage = {
      prompt_tokens: answer.promptTokens ?? Math.ceil(raw.length / 4),
      completion_tokens: answer.completionTokens ?? Math.ceil(content.length / 4),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const base = { id: 'chatcmpl-fake', created: Math.floor(Date.now() / 1000), model: request.body.model };
    if (!request.body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          ...(answer.noUsage ? {} : { usage }),
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.on('close', () => {
      if (!res.writableEnded) fake.abandoned += 1;
    });
    const chunk = (body: unknown) => res.write(`data: ${JSON.stringify(body)}\n\n`);
    // Pieces of a few characters, as models stream tokens: references and names get cut.
    const pieces: Record<string, string>[] = [{ role: 'assistant' }];
    for (let i = 0; i < content.length; i += 5) pieces.push({ content: content.slice(i, i + 5) });
    const next = (i: number) => {
      if (res.destroyed) return;
      if (i < pieces.length) {
        chunk({
          ...base,
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta: pieces[i], finish_reason: null }],
        });
        if (answer.pieceDelayMs) setTimeout(() => next(i + 1), answer.pieceDelayMs);
        else next(i + 1);
        return;
      }
      chunk({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      if (request.body.stream_options?.include_usage && !answer.noUsage) {
        chunk({ ...base, object: 'chat.completion.chunk', choices: [], usage });
      }
      res.end('data: [DONE]\n\n');
    };
    next(0);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.env = { AI_BASE_URL: fake.url, AI_API_KEY: FAKE_KEY, AI_MODEL: FAKE_MODEL };
  return fake;
}
