/** Writes every report file of a run. Each writer is independent: one failing never stops the others. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResults } from '../src/results/model.ts';
import { writeAllureResults } from './allure.ts';
import { REPORT_FILES } from './files.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';

export interface ReportOptions {
  /** Also write allure-results/ (a run does unless --no-allure; re-rendering and merging leave it alone). */
  allure?: boolean;
}

export async function writeReports(results: RunResults, dir: string, opts: ReportOptions = {}): Promise<string[]> {
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
  if (opts.allure) {
    try {
      writeAllureResults(results, join(dir, REPORT_FILES.allureResults));
    } catch (err) {
      problems.push(`${REPORT_FILES.allureResults}/: ${(err as Error).message}`);
    }
  }
  return problems;
}
