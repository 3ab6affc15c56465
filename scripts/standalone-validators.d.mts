/** The ES module source of Ajv standalone code for the validators module at `file`. */
export function standaloneValidators(file: string): Promise<string>;

/** esbuild plugin: every `*-validators.ts` module is bundled as its standalone code. */
export const precompiledSchemas: { name: string; setup(build: unknown): void };
