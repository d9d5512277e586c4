/** AJV for JSON Schema 2020-12 with formats. The CJS packages need a default-export shim under NodeNext. */
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';

const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ?? formatsModule) as FormatsPlugin;

export type { Ajv2020 };

export function createAjv(options: Options): Ajv2020 {
  const ajv = new Ajv2020(options);
  addFormats(ajv);
  return ajv;
}
