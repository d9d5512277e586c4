/**
 * `aoai-conformance report allure` (in the repo: `npm run report:allure`): a single-file Allure 3 report from a
 * run's allure-results, made by the installed `allure` package (awesome plugin, `singleFile`), with
 * the analytics script the plugin always adds removed, so the file requests nothing from the network.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNotInstalled, missingPackage } from '../src/optional.ts';

/** The allure package's own command line (its only export is the library entry in dist/). */
function allureCli(): string {
  let entry: string;
  try {
    entry = import.meta.resolve('allure');
  } catch (err) {
    if (!isNotInstalled(err)) throw err;
    throw missingPackage('allure', '`report allure` (about 50 MB in some 160 packages, so not installed with aoai-conformance)', 'open report.html, which needs nothing more');
  }
  return join(dirname(fileURLToPath(entry)), '..', 'cli.js');
}

/**
 * Removes every <script> that loads from the network, and the inline gtag set-up that goes with it.
 * Throws when any external script or stylesheet would remain.
 */
export function stripAnalytics(html: string): string {
  const out = html
    .replace(/<script\b[^>]*\bsrc=["']https?:\/\/[^"']*["'][^>]*>\s*<\/script>/gi, '')
    .replace(/<script\b[^>]*>(?:(?!<\/script>)[\s\S])*?\bgtag\s*\((?:(?!<\/script>)[\s\S])*<\/script>/gi, '');
  const left = /<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["'](?:https?:)?\/\/[^"']*/i.exec(out);
  if (left) throw new Error(`the Allure report still loads from the network: ${left[0].slice(0, 120)}`);
  return out;
}

function run(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => done({ code, output }));
  });
}

export async function generateAllureReport(resultsDir: string, outFile: string, reportName = 'aoai-conformance'): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'aoai-allure-'));
  try {
    const output = join(work, 'report');
    const config = { name: reportName, output, plugins: { awesome: { options: { singleFile: true, reportName } } } };
    writeFileSync(join(work, 'allurerc.json'), JSON.stringify(config));
    const { code, output: log } = await run([allureCli(), 'generate', resultsDir, '--config', join(work, 'allurerc.json'), '--output', output], work);
    if (code !== 0) throw new Error(`allure generate exited ${code}: ${log.slice(-2000)}`);
    const index = findIndex(output);
    writeFileSync(outFile, stripAnalytics(readFileSync(index, 'utf8')));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The awesome plugin writes <output>/index.html, or <output>/awesome/index.html next to other plugins. */
function findIndex(dir: string): string {
  const direct = readdirSync(dir);
  if (direct.includes('index.html')) return join(dir, 'index.html');
  for (const sub of direct) {
    try {
      if (readdirSync(join(dir, sub)).includes('index.html')) return join(dir, sub, 'index.html');
    } catch {
      // not a directory
    }
  }
  throw new Error(`allure generate wrote no index.html under ${dir}`);
}
