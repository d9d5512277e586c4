/** Writes every report file of a run. Each writer is independent: one failing never stops the others. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResults } from '../src/results/model.ts';
import { REPORT_FILES } from './files.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';

export async function writeReports(results: RunResults, dir: string): Promise<string[]> {
  const problems: string[] = [];
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    return [`${dir}: ${(err as Error).message}`];
  }
  const outputs: Array<[string, () => string]> = [
    [REPORT_FILES.json, () => `${JSON.stringify(results, null, 2)}\n`],
    [REPORT_FILES.junit, () => renderJunit(results)],
    [REPORT_FILES.html, () => renderHtml(results)],
  ];
  for (const [name, render] of outputs) {
    try {
      await writeFile(join(dir, name), render());
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  return problems;
}
