// The settings format's version: migrations.ts lifts older files to it, and the schema refuses
// newer ones. Its own module so that the schema, the defaults and the migrations share it
// without importing each other.
export const CURRENT_CONFIG_VERSION = 1;
