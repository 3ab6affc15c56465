// Finds a free loopback port for programs that must be told their port up front (Flask,
// Streamlit, nginx, Apache). The OS picks it, so parallel test files do not collide.
import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
