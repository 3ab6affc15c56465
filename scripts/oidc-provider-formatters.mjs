// esbuild plugin: bundles oidc-provider with scripts/shims/oidc-provider-formatters.js in place
// of its list formatter, which would load ICU's locale data (see that file).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shim = join(dirname(fileURLToPath(import.meta.url)), 'shims/oidc-provider-formatters.js');

export const plainListFormat = {
  name: 'plain-list-format',
  setup(build) {
    build.onLoad({ filter: /oidc-provider[\\/]lib[\\/]helpers[\\/]formatters\.js$/ }, async () => ({
      contents: await readFile(shim, 'utf8'),
      loader: 'js',
    }));
  },
};
