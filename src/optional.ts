/**
 * Optional packages: large, needed by one command each, so not installed with aoai-conformance (package.json lists
 * them as optional peer dependencies, with the version range said once there). A command that needs a missing one
 * says how to get it instead of crashing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './errors.ts';
import { PACKAGE_ROOT } from './paths.ts';

const PEERS = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> }).peerDependencies ?? {};

export class MissingPackageError extends InputError {}

/** The error for `name` not installed: what needs it, and the install command with the supported range. */
export function missingPackage(name: string, neededBy: string, otherwise?: string): MissingPackageError {
  const spec = PEERS[name] ? `${name}@${PEERS[name]}` : name;
  return new MissingPackageError(
    `${neededBy} needs the optional package ${name}, which is not installed: install it next to aoai-conformance (npm install ${spec}; after a global install, npm install -g ${spec})${otherwise ? `, or ${otherwise}` : ''}`,
  );
}

/** Whether an import or resolve failed because the package is not installed (rather than broken). */
export function isNotInstalled(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
