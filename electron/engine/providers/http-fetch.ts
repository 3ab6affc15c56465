// The fetch every provider request goes through: undici's, named explicitly rather than the
// global one, so that a host which replaces globalThis.fetch (a browser-like test environment,
// an embedding shell) cannot change how Portcullis talks to identity providers.
import { fetch as undiciFetch } from 'undici';

// undici's Request/Response types differ from the DOM lib's in name only.
export const httpFetch = (url: string | URL, init?: object): Promise<Response> => undiciFetch(url, init as never) as unknown as Promise<Response>;
