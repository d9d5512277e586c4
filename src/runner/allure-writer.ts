/**
 * allure-vitest's reporter, writing allure-results/ without its fsync per file: that fsync (two per case)
 * took more of a run's wall time than all the cases against the emulator. The directory is rewritten by every
 * run and read only after it, so a crash costs the run's Allure results, which the run is then re-done for anyway.
 * Each case is written as soon as its result arrives rather than all at the run's end, where that work (a few
 * hundred results and their attachments) delayed the reports by a fifth of a second with the worker already idle.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Globals, TestResult, TestResultContainer } from 'allure-js-commons';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter from 'allure-vitest/reporter';
import type { TestCase } from 'vitest/node';

class PlainFileWriter implements Writer {
  private made = false;
  constructor(private readonly dir: string) {}

  private path(name: string): string {
    if (!this.made) mkdirSync(this.dir, { recursive: true });
    this.made = true;
    return join(this.dir, name);
  }

  writeResult(result: TestResult): void {
    writeFileSync(this.path(`${result.uuid}-result.json`), JSON.stringify(result));
  }
  writeGroup(result: TestResultContainer): void {
    writeFileSync(this.path(`${result.uuid}-container.json`), JSON.stringify(result));
  }
  writeAttachment(name: string, content: Buffer): void {
    writeFileSync(this.path(name), content);
  }
  writeAttachmentFromPath(name: string, from: string): void {
    copyFileSync(from, this.path(name));
  }
  writeEnvironmentInfo(info: EnvironmentInfo): void {
    writeFileSync(this.path('environment.properties'), stringifyEnvInfo(info));
  }
  writeCategoriesDefinitions(categories: Category[]): void {
    writeFileSync(this.path('categories.json'), JSON.stringify(categories));
  }
  writeGlobals(name: string, info: Globals): void {
    writeFileSync(this.path(name), JSON.stringify(info));
  }
}

type Init = AllureVitestReporter['onInit'];
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
    if (r && r.writer) r.writer = new PlainFileWriter(this.resultsDir);
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
