// The error thrown when settings are refused: it carries every problem, each with its JSON path.
import type { ConfigProblem } from './types.ts';

export class ConfigError extends Error {
  constructor(
    readonly problems: ConfigProblem[],
    summary = 'invalid settings',
  ) {
    super(`${summary}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
