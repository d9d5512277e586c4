/** docs/requirements.md is what scripts/requirements-doc.ts makes of the catalogue: regenerate it when the catalogue changes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRequirements } from '../../src/cases/load.ts';
import { DOC_PATH, renderRequirementsDoc } from '../../scripts/requirements-doc.ts';

describe('docs/requirements.md', () => {
  const doc = renderRequirementsDoc();

  it('is up to date (node bin/run-ts.js scripts/requirements-doc.ts)', () => {
    expect(readFileSync(DOC_PATH, 'utf8') === doc, 'docs/requirements.md differs from the catalogue: run node bin/run-ts.js scripts/requirements-doc.ts').toBe(true);
  });

  it('names every requirement with its level and the seed text or basis behind it', () => {
    for (const r of loadRequirements().values()) {
      const section = doc.slice(doc.indexOf(`### ${r.id}\n`)).split('\n### ')[0];
      expect(section, r.id).toContain(`**${r.level}**`);
      expect(section, r.id).toContain(r.statement);
      if (r.level === 'MUST' && r.source !== 'http') expect(section, r.id).toContain('- Seed text:');
      if (r.basis?.length) expect(section, r.id).toContain('- Rests on:');
    }
  });
});
