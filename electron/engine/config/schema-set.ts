// A set of JSON schemas compiled together by Ajv with one set of options. Running from the
// TypeScript sources a set is compiled when its module loads; the `portcullis` bundle instead
// carries Ajv standalone code generated from the same set at build time
// (scripts/standalone-validators.mjs), so starting from the bundle compiles nothing.
import { Ajv, type Options, type ValidateFunction } from 'ajv';

export interface SchemaSet<K extends string> {
  options: Options;
  schemas: Record<K, object>;
}

export type Validators<K extends string> = Record<K, ValidateFunction>;

export function compileSchemaSet<K extends string>(set: SchemaSet<K>): Validators<K> {
  const ajv = new Ajv(set.options);
  const entries = Object.entries<object>(set.schemas).map(([name, schema]) => [name, ajv.compile(schema)]);
  return Object.fromEntries(entries) as Validators<K>;
}
