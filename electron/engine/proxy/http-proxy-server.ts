// http-proxy-3 behind a module of our own, for websocket.ts to load on first use. A dynamic
// import of this ES module keeps http-proxy-3's named exports in every build: in the split
// command bundle, a dynamic import of the CommonJS package itself yields only its default.
export { createProxyServer } from 'http-proxy-3';
