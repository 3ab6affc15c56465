export function formatList(list: string[], options?: { type?: 'conjunction' | 'disjunction' }): string;
export function pluralize(word: string, count: number): string;
