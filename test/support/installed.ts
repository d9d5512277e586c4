/**
 * The package as a user installs it: `npm pack`, then the tarball installed in an empty project with npm's cache only
 * (`npm ci --offline`), never the network. A project's lockfile is what lets npm install without asking the registry
 * for package metadata: it is made here from this repository's own, keeping what the package needs at run time
 * (entries not marked dev) plus, when asked, what an optional package needs (`extra`).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

interface Lock {
  packages: Record<string, LockEntry>;
}

/** `node_modules/a/node_modules/b` → `node_modules/a`; a top-level package → the root (''). */
function parentOf(path: string): string {
  const at = path.lastIndexOf('/node_modules/');
  return at < 0 ? '' : path.slice(0, at);
}

/** Where Node would find `name` from the package at `from`: its own node_modules, then each parent's. */
function resolveIn(packages: Lock['packages'], from: string, name: string): string | undefined {
  for (let base = from; ; base = parentOf(base)) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
  }
}

export function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/**
 * Writes package.json and package-lock.json of a project that depends on the packed tarball `tarball` (a file name in
 * `dir`) and on each `extra` package (name → range), from the repository lock `repoLock`.
 */
export function writeProject(dir: string, tarball: string, repoRoot: string, extra: Record<string, string> = {}): void {
  const repo = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  // What Node would load from the package's run-time dependencies (and the extra packages' own), nothing else; each
  // path maps to whether a chain of required dependencies reaches it (else only optional ones do).
  const reached = new Map<string, boolean>();
  const visit = (path: string, required: boolean): void => {
    const before = reached.get(path);
    if (before === true || (before === false && !required)) return;
    reached.set(path, required);
    const e = repo.packages[path];
    const optionalPeers = new Set(Object.entries(e.peerDependenciesMeta ?? {}).flatMap(([n, m]) => (m.optional ? [n] : [])));
    const edges: Array<[string, boolean]> = [
      ...Object.keys(e.dependencies ?? {}).map((n): [string, boolean] => [n, required]),
      ...Object.keys(e.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n)).map((n): [string, boolean] => [n, required]),
      ...Object.keys(e.optionalDependencies ?? {}).map((n): [string, boolean] => [n, false]),
    ];
    for (const [dep, req] of edges) {
      const found = resolveIn(repo.packages, path, dep);
      if (found) visit(found, req);
    }
  };
  for (const name of [...Object.keys((manifest.dependencies as Record<string, string>) ?? {}), ...Object.keys(extra)]) visit(`node_modules/${name}`, true);
  const packages: Record<string, LockEntry> = {
    '': { name: 'installed-package-test', dependencies: { 'aoai-conformance': `file:${tarball}`, ...extra } },
    'node_modules/aoai-conformance': {
      version: manifest.version as string,
      resolved: `file:${tarball}`,
      integrity: integrityOf(join(dir, tarball)),
      license: manifest.license,
      dependencies: manifest.dependencies as Record<string, string>,
      peerDependencies: manifest.peerDependencies as Record<string, string>,
      peerDependenciesMeta: manifest.peerDependenciesMeta as Record<string, { optional?: boolean }>,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, required] of [...reached].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { dev: _dev, devOptional: _devOptional, optional: _optional, ...entry } = repo.packages[path];
    packages[path] = required ? entry : { ...entry, optional: true };
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'installed-package-test', private: true, dependencies: packages[''].dependencies }, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'installed-package-test', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}
