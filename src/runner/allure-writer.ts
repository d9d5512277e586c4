/**
 * allure-vitest's reporter, writing allure-results/ without its fsync per file: that fsync (two per case)
 * took more of a run's wall time than all the cases against the emulator. The directory is rewritten by every
 * run and read only after it, so a crash costs the run's Allure results, which the run is then re-done for anyway.
 * Each case is written as soon as its result arrives rather than all at the run's end, where that work (a few
 * hundred results and their attachments) delayed the reports by a fifth of a second with the worker already idle;
 * and the files are written asynchronously (opening a thousand files took the main thread, which also serves the
 * embedded emulator, about 0.1 s), all of them before the run's end is reported.
 */
import { mkdirSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Globals, TestResult, TestResultContainer } from 'allure-js-commons';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter from 'allure-vitest/reporter';
import type { TestCase } from 'vitest/node';

class PlainFileWriter implements Writer {
  private made = false;
  private pending: Array<Promise<void>> = [];
  private failure: unknown;
  constructor(private readonly dir: string) {}

  private path(name: string): string {
    if (!this.made) mkdirSync(this.dir, { recursive: true });
    this.made = true;
    return join(this.dir, name);
  }

  private write(name: string, data: string | Buffer): void {
    this.track(writeFile(this.path(name), data));
  }

  /** Kept, with the first failure noted at once: a rejection nobody awaits yet would end the process. */
  private track(io: Promise<void>): void {
    this.pending.push(io.catch((err: unknown) => void (this.failure ??= err)));
  }

  /** Resolves when every file asked for so far is written; rejects with the first that could not be. */
  async written(): Promise<void> {
    const all = this.pending;
    this.pending = [];
    await Promise.all(all);
    if (this.failure !== undefined) throw this.failure;
  }

  writeResult(result: TestResult): void {
    this.write(`${result.uuid}-result.json`, JSON.stringify(result));
  }
  writeGroup(result: TestResultContainer): void {
    this.write(`${result.uuid}-container.json`, JSON.stringify(result));
  }
  writeAttachment(name: string, content: Buffer): void {
    this.write(name, content);
  }
  writeAttachmentFromPath(name: string, from: string): void {
    this.track(copyFile(from, this.path(name)));
  }
  writeEnvironmentInfo(info: EnvironmentInfo): void {
    this.write('environment.properties', stringifyEnvInfo(info));
  }
  writeCategoriesDefinitions(categories: Category[]): void {
    this.write('categories.json', JSON.stringify(categories));
  }
  writeGlobals(name: string, info: Globals): void {
    this.write(name, JSON.stringify(info));
  }
}

type Init = AllureVitestReporter['onInit'];
type RunEnd = AllureVitestReporter['onTestRunEnd'];
type Task = Parameters<AllureVitestReporter['handleTask']>[0];

export class AllureReporter extends AllureVitestReporter {
  constructor(private readonly resultsDir: string) {
    super({ resultsDir });
  }

  override onInit(...args: Parameters<Init>): void {
    const runtime = () => (this as unknown as { allureReporterRuntime?: { writer?: Writer } }).allureReporterRuntime;
    super.onInit(...args);
    // An allure-vitest without this field keeps its own writer: slower, same files.
    const r = runtime();
    if (r && r.writer) r.writer = this.writer = new PlainFileWriter(this.resultsDir);
  }

  private writer: PlainFileWriter | undefined;

  /** allure-vitest's end of run (the tests not yet written, global messages), then every file on disk. */
  override async onTestRunEnd(...args: Parameters<RunEnd>): Promise<void> {
    super.onTestRunEnd(...args);
    await this.writer?.written();
  }

  /** The tests already written, which the run's end (where allure-vitest writes every test) then passes over. */
  private readonly written = new Set<string>();

  onTestCaseResult(testCase: TestCase): void {
    // allure-vitest reads the runner task behind the TestCase, as its own onTestRunEnd does.
    const task = (testCase as unknown as { task: Task }).task;
    super.handleTask(task);
    this.written.add(task.id);
  }

  override handleTask(task: Task): void {
    if (task.type === 'test' && this.written.has(task.id)) return;
    super.handleTask(task);
  }
}
