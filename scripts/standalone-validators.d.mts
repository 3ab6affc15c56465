/** The ES module source of Ajv standalone code for the validators module at `file`. */
export function standaloneValidators(file: string): Promise<string>;
