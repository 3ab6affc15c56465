// The compiled settings validator (see schema-set.ts for how the bundle precompiles it).
import { CONFIG_SCHEMA } from './schema.ts';
import { compileSchemaSet, type SchemaSet } from './schema-set.ts';

export const schemaSet: SchemaSet<'config'> = {
  // Every problem at once, with the offending data and schema for the messages validate.ts writes.
  options: { allErrors: true, discriminator: true, verbose: true, strict: true, allowUnionTypes: true },
  schemas: { config: CONFIG_SCHEMA },
};

export default compileSchemaSet(schemaSet);
