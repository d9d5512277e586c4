import { renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';

/** The names of the files and folders a run writes into its report directory (docs/reports.md). */
export const REPORT_FILES = {
  json: 'results.json',
  junit: 'junit.xml',
  html: 'report.html',
  allureResults: 'allure-results',
  allureReport: 'allure-report.html',
} as const;

/**
 * Removes an earlier run's directory at `path` without making this thread delete its files one by one: it is
 * renamed aside at once (so that a new one can be written in its place straight away), then deleted by libuv's
 * threads while this one goes on. Resolves once it is gone. A directory that cannot be renamed is deleted in place.
 */
export async function discardDirectory(path: string): Promise<void> {
  const aside = `${path}.discarded-${process.pid}-${Date.now()}`;
  // Synchronous, before the first await: the name is free when the call returns.
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(path, { recursive: true, force: true });
    return;
  }
  await rm(aside, { recursive: true, force: true });
}
