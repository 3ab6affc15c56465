// The built-in identity provider's clock, shifted on demand so a developer can see what their
// app does with tokens from an issuer whose clock is off. oidc-provider reads the time through
// Date.now(), so the shift is applied to Date.now() of the thread the provider runs in: the
// engine runs it in a worker thread of its own (idp-thread.ts), where nothing else reads it.

const realNow = Date.now.bind(Date);
let skewMs = 0;

export function setClockSkew(seconds: number): void {
  if (seconds * 1000 === skewMs) return;
  skewMs = seconds * 1000;
  Date.now = skewMs === 0 ? realNow : () => realNow() + skewMs;
}

/** The provider's idea of now, in seconds since the epoch (what iat and exp are counted in). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
