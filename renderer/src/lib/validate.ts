// Checks the forms run as you type, before the engine validates the whole settings on save.

export function validHttpUrl(u: string): boolean {
  try {
    const url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Why a rule's path regex cannot be used, as the engine reads it (a leading `(?i)` is Go's case-insensitive flag). */
export function regexProblem(pattern: string): string | undefined {
  if (pattern === '') return 'the regex is empty';
  const caseless = pattern.startsWith('(?i)');
  try {
    new RegExp(caseless ? pattern.slice(4) : pattern, caseless ? 'i' : '');
    return undefined;
  } catch (e) {
    return `the regex does not compile: ${(e as Error).message}`;
  }
}
