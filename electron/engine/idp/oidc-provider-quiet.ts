// oidc-provider, loaded without the one line it prints at import on Node 20: "oidc-provider
// WARNING: Unsupported runtime. Use Node.js v22.x LTS…". It checks process.release.lts and
// prints through console.warn. Node 20 runs everything Portcullis uses (the test suite runs on
// it); the README says what the runtime version means. Only that exact line is held back, and
// only while the package is being imported.
import type * as OidcProvider from 'oidc-provider';

const RUNTIME_NOTICE = 'oidc-provider WARNING: Unsupported runtime.';

async function importWithoutRuntimeNotice(): Promise<typeof OidcProvider> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes(RUNTIME_NOTICE)) return;
    warn.apply(console, args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

const oidcProvider = await importWithoutRuntimeNotice();
export const Provider = oidcProvider.default;
export const { errors, interactionPolicy } = oidcProvider;
