// The one wording of "could not listen here", used by the listeners, the built-in identity
// provider, the form's port check and `portcullis check`, so a user sees the same sentence
// wherever a port is refused.

export function bindErrorMessage(err: NodeJS.ErrnoException, host: string, port: number): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is in use by another program`;
    case 'EACCES':
      return `not allowed to listen on ${host}:${port}`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine`;
    default:
      return `cannot listen on ${host}:${port}: ${err.message}`;
  }
}
