/**
 * The chat request as the emulator reads it (emulator/chat.ts): its types, and the prompt it counts
 * (messages, image parts, names, earlier calls, tool and function definitions, On Your Data role information).
 */
import { countTokens } from './text.ts';

export interface ChatMessage {
  role?: unknown;
  content?: unknown;
  name?: unknown;
  tool_calls?: unknown;
  function_call?: unknown;
  tool_call_id?: unknown;
}

export interface FunctionSpec {
  name: string;
  description?: string;
  parameters?: unknown;
}

export interface DataSource {
  type?: string;
  parameters?: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  n?: number | null;
  max_tokens?: number;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  presence_penalty?: number;
  frequency_penalty?: number;
  logit_bias?: Record<string, number> | null;
  user?: string;
  seed?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  response_format?: { type?: string | null };
  tools?: Array<{ type?: string; function?: FunctionSpec }>;
  tool_choice?: unknown;
  functions?: FunctionSpec[];
  function_call?: unknown;
  data_sources?: DataSource[];
  [key: string]: unknown;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ─── prompt ──────────────────────────────────────────────────────────────────────────────────────

/** Image parts cost a fixed number of tokens: `low` detail 85, otherwise 765 (a 512×512 tile set). */
function imageTokens(part: Record<string, unknown>): number {
  const detail = isRecord(part.image_url) ? part.image_url.detail : undefined;
  return detail === 'low' ? 85 : 765;
}

export function messageText(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (Array.isArray(m.content)) return m.content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join(' ');
  return '';
}

function messageTokens(m: ChatMessage): number {
  let tokens = 4 + countTokens(messageText(m));
  if (Array.isArray(m.content)) for (const part of m.content) if (isRecord(part) && part.type === 'image_url') tokens += imageTokens(part);
  if (typeof m.name === 'string') tokens += countTokens(m.name);
  if (m.tool_calls !== undefined && m.tool_calls !== null) tokens += countTokens(JSON.stringify(m.tool_calls));
  if (m.function_call !== undefined && m.function_call !== null) tokens += countTokens(JSON.stringify(m.function_call));
  return tokens;
}

/** Messages, tool / function definitions and On Your Data role information, as chat formats count them. */
export function promptTokens(req: ChatRequest, messages: ChatMessage[], dataSources: DataSource[]): number {
  let tokens = messages.reduce((sum, m) => sum + messageTokens(isRecord(m) ? m : {}), 2);
  if (Array.isArray(req.tools)) tokens += countTokens(JSON.stringify(req.tools));
  if (Array.isArray(req.functions)) tokens += countTokens(JSON.stringify(req.functions));
  for (const ds of dataSources) if (typeof ds.parameters?.role_information === 'string') tokens += countTokens(ds.parameters.role_information);
  return tokens;
}
