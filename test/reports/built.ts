/**
 * Results built in memory for the renderer tests (no CLI, no emulator): cases with checks and
 * recorded responses, finished by the same finishResults a run uses.
 */
import { finishResults, type FinishOptions } from '../../src/results/build.ts';
import type { Level, OperationId, RecordedResponse, Status } from '../../src/model.ts';
import type { ReportedCase, ReportedCheck, RunResults } from '../../src/results/model.ts';

export interface CheckInput {
  check: string;
  requirement: string;
  status: Status;
  level?: Level;
  message?: string;
  expected?: unknown;
  actual?: unknown;
}

export interface CaseInput {
  id: string;
  operation?: OperationId;
  requirement?: string;
  status?: Status;
  checks?: CheckInput[];
  skipReason?: string;
  runError?: string;
  /** The recorded response: status, and a JSON body. */
  response?: { status: number; json?: unknown; headers?: Record<string, string> };
  totalMs?: number;
}

export const ENDPOINT = 'http://127.0.0.1:40123/';

export function builtCase(input: CaseInput): ReportedCase {
  const seen = new Map<string, number>();
  const checks: ReportedCheck[] = (input.checks ?? []).map((k) => {
    const n = (seen.get(k.check) ?? 0) + 1;
    seen.set(k.check, n);
    return {
      id: `${input.id}/${k.check}${n > 1 ? `#${n}` : ''}`,
      check: k.check,
      requirement: k.requirement,
      level: k.level ?? (k.status === 'warning' ? 'SHOULD' : 'MUST'),
      status: k.status,
      expected: k.expected ?? null,
      actual: k.actual ?? null,
      message: k.message ?? (k.status === 'pass' ? 'as expected' : `${k.check} broke`),
      category: 'semantics',
    };
  });
  const status = input.status ?? (input.skipReason ? 'skipped' : input.runError ? 'error' : checks.some((k) => k.status === 'fail') ? 'fail' : checks.some((k) => k.status === 'error') ? 'error' : checks.some((k) => k.status === 'warning') ? 'warning' : 'pass');
  const url = `${ENDPOINT}openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-06-01`;
  const response: RecordedResponse | undefined = input.response && {
    status: input.response.status,
    headers: input.response.headers ?? { 'content-type': 'application/json' },
    bodyText: JSON.stringify(input.response.json ?? {}),
    bodyBytes: 2,
    truncated: false,
    json: input.response.json ?? {},
  };
  const sent = status !== 'skipped';
  return {
    id: input.id,
    title: `the ${input.id} case`,
    file: 'cases/x.yaml',
    operation: input.operation ?? 'chat.completions',
    profile: 'azure-openai',
    requirement: input.requirement ?? checks.find((k) => k.status !== 'pass')?.requirement ?? 'CHAT-200',
    requirements: [...new Set(checks.map((k) => k.requirement))],
    level: 'MUST',
    seed: '003',
    status,
    ...(input.skipReason ? { skipReason: input.skipReason } : {}),
    ...(input.runError ? { runError: input.runError } : {}),
    checks,
    ...(sent
      ? {
          exchange: {
            request: { method: 'POST', url, headers: { 'content-type': 'application/json', 'api-key': '[REDACTED]' }, body: { messages: [{ role: 'user', content: input.id }] } },
            ...(response ? { response } : {}),
            timings: { startedAt: 0, headersMs: (input.totalMs ?? 20) / 2, totalMs: input.totalMs ?? 20 },
          },
          reproduce: { curl: `curl -sS -X POST '${url}' \\\n  -H "api-key: $AZURE_OPENAI_API_KEY" \\\n  --data-raw '{"case":"${input.id}"}'` },
        }
      : {}),
    durationMs: input.totalMs ?? 20,
  };
}

export function builtRun(cases: CaseInput[], opts: FinishOptions & { emulator?: boolean; faults?: string[]; deployments?: Record<string, string> } = {}): RunResults {
  const reported = cases.map(builtCase);
  return finishResults(
    {
      tool: { name: 'aoai-conformance', version: 'test' },
      startedAt: '2026-06-15T10:00:00.000Z',
      finishedAt: '2026-06-15T10:00:05.000Z',
      durationMs: 5000,
      target: {
        profile: 'azure-openai',
        endpoint: ENDPOINT,
        apiKeyEnv: 'AZURE_OPENAI_API_KEY',
        deployments: opts.deployments ?? { chat: 'gpt-4o-mini', completions: 'gpt-35-turbo-instruct', embeddings: 'text-embedding-3-small' },
        emulator: opts.emulator ?? false,
        faults: opts.faults ?? [],
        disabledFeatures: [],
      },
      selection: { filters: {}, planned: reported.map((c) => c.id).sort() },
      runErrors: [],
      requirements: Object.fromEntries(
        [...new Set(reported.flatMap((c) => c.checks.map((k) => k.requirement)))].map((id) => [id, { level: 'MUST' as const, statement: `the ${id} statement`, source: '003', section: 'x' }]),
      ),
      cases: reported,
    },
    { today: '2026-06-15', ...opts },
  );
}
