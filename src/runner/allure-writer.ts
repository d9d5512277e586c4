/**
 * allure-vitest's reporter, writing allure-results/ without its fsync per file: that fsync (two per case)
 * took more of a run's wall time than all the cases against the emulator. The directory is rewritten by every
 * run and read only after it, so a crash costs the run's Allure results, which the run is then re-done for anyway.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Globals, TestResult, TestResultContainer } from 'allure-js-commons';
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk';
import { stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter';
import AllureVitestReporter from 'allure-vitest/reporter';

class PlainFileWriter implements Writer {
  constructor(private readonly dir: string) {}

  private path(name: string): string {
    mkdirSync(this.dir, { recursive: true });
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
}
