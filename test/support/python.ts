// Locates the Python interpreters the fixtures need, the same way .ci/run provides them:
// Flask from Debian's python3-flask (/usr/bin/python3) or whatever `python3` has it, and
// Streamlit from a venv outside the repository.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The venv .ci/run creates; PORTCULLIS_TEST_VENV overrides it in both places. */
export function testVenv(): string {
  return process.env.PORTCULLIS_TEST_VENV ?? join(homedir(), '.cache', 'portcullis-test', 'venv');
}

let flaskPython: string | undefined;

export function pythonWithFlask(): string {
  if (flaskPython) return flaskPython;
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import flask'], { stdio: 'ignore' });
    if (probe.status === 0) return (flaskPython = candidate);
  }
  throw new Error(
    'No Python with Flask: neither /usr/bin/python3 nor python3 can `import flask`. ' +
      'Run .ci/run (it installs python3-flask) or `apt-get install -y python3-flask`.',
  );
}

export function streamlitBinary(): string {
  const bin = join(testVenv(), 'bin', 'streamlit');
  if (!existsSync(bin)) {
    throw new Error(
      `Streamlit is not installed at ${bin}. Run the setup in .ci/run ` +
        '(it creates that venv and installs streamlit from the local wheelhouse), ' +
        'or set PORTCULLIS_TEST_VENV to a venv that has streamlit.',
    );
  }
  return bin;
}
