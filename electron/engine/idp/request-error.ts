// A request to the built-in identity provider that it refuses as given (an unknown persona, a
// lifetime out of range, a bad fault): the caller's mistake, answered 400 by the control API.
// It keeps its class across the worker thread (idp-thread.ts).

export class IdpRequestError extends Error {
  override name = 'IdpRequestError';
}
