/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 API, Ollama,
 * llama.cpp, vLLM…) through the official `openai` package, pointed at AI_BASE_URL. Version 6:
 * version 7 requires Node 22 and StackAudit still runs on Node 20. Whatever is sent here is
 * decided by the caller (services/ai.service.ts); nothing here logs a message's content.
 */
import OpenAI from 'openai';

import type { AiConfig } from '../config.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface Completion {
  content: string;
  /** Null where the server reports none (some local servers). */
  usage: TokenUsage | null;
}

/** Why a call did not answer: `retry` when trying again later may help (the endpoint down, a rate limit). */
export class AiCallError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'AiCallError';
  }
}

export class AiCancelled extends Error {}

function callError(error: unknown): Error {
  if (error instanceof OpenAI.APIUserAbortError) return new AiCancelled('cancelled');
  if (error instanceof OpenAI.APIConnectionError) {
    return new AiCallError(`the AI endpoint did not answer (${error.message})`, true, null);
  }
  if (error instanceof OpenAI.APIError) {
    const status: number | null = typeof error.status === 'number' ? error.status : null;
    const retry = status === null || status === 408 || status === 409 || status === 429 || status >= 500;
    return new AiCallError(`the AI endpoint answered ${status ?? 'an error'}`, retry, status);
  }
  return error as Error;
}

const usageOf = (usage: { prompt_tokens: number; completion_tokens: number } | null | undefined) =>
  usage ? { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } : null;

export class AiClient {
  private readonly client: OpenAI;

  constructor(readonly config: AiConfig) {
    this.client = new OpenAI({
      baseURL: config.baseUrl,
      // Local servers want none; the package wants one.
      apiKey: config.apiKey ?? 'no-key',
      timeout: config.timeoutMs,
      // One quick retry of a failed connection or a 5xx; longer waits are the caller's (a job's backoff).
      maxRetries: 1,
    });
  }

  get model(): string {
    return this.config.model;
  }

  /** One answer, as JSON following `schema` (structured outputs). */
  async completeJson(
    messages: ChatMessage[],
    schema: { name: string; schema: Record<string, unknown> },
    maxTokens: number,
  ): Promise<Completion> {
    try {
      const answer = await this.client.chat.completions.create({
        model: this.config.model,
        messages,
        max_tokens: maxTokens,
        temperature: 0.2,
        response_format: {
          type: 'json_schema',
          json_schema: { name: schema.name, schema: schema.schema, strict: true },
        },
      });
      return { content: answer.choices[0]?.message.content ?? '', usage: usageOf(answer.usage) };
    } catch (error) {
      throw callError(error);
    }
  }

  /** An answer streamed as it is written: text pieces, then the usage where the server reports it. */
  async *stream(
    messages: ChatMessage[],
    maxTokens: number,
    signal: AbortSignal,
  ): AsyncGenerator<{ text: string } | { usage: TokenUsage }> {
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.config.model,
          messages,
          max_tokens: maxTokens,
          temperature: 0.2,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal },
      );
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield { text };
        const usage = usageOf(chunk.usage);
        if (usage) yield { usage };
      }
    } catch (error) {
      throw callError(error);
    }
  }
}
