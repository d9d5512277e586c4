/**
 * Loopback stand-ins for what sits between a user and a real deployment: the emulator behind a server that records
 * every request it receives (headers included), over HTTP or HTTPS, and an HTTP proxy that tunnels (CONNECT) and
 * counts what it carried. Everything listens on 127.0.0.1 only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Emulator, type EmulatorOptions } from '../../emulator/server.ts';

export const TLS_FIXTURE = {
  cert: new URL('../fixtures/tls/self-signed.crt', import.meta.url).pathname,
  key: new URL('../fixtures/tls/self-signed.key', import.meta.url).pathname,
};

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface RecordingTarget {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/** The emulator behind a server that records each request; `tls: true` serves HTTPS with the fixture certificate. */
export async function recordingEmulator(opts: EmulatorOptions & { https?: boolean }): Promise<RecordingTarget> {
  const emulator = new Emulator(opts);
  const received: Received[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    void emulator.handle(req, res);
  };
  const server: Server = opts.https ? createHttpsServer({ cert: readFileSync(TLS_FIXTURE.cert), key: readFileSync(TLS_FIXTURE.key) }, handler) : createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  emulator.baseUrl = `${opts.https ? 'https' : 'http'}://127.0.0.1:${port}`;
  return { url: emulator.baseUrl, received, close: closer(server, sockets) };
}

export interface LoopbackProxy {
  url: string;
  /** `host:port` of every tunnel asked for, in order. */
  tunnels: string[];
  /** The Proxy-Authorization header of each tunnel request, if it had one. */
  proxyAuthorizations: string[];
  /** Absolute-form requests (plain HTTP proxying), by URL. */
  forwarded: string[];
  close(): Promise<void>;
}

/** An HTTP proxy on loopback: CONNECT tunnels (to loopback only) and nothing else; it records what it carried. */
export async function loopbackProxy(): Promise<LoopbackProxy> {
  const tunnels: string[] = [];
  const proxyAuthorizations: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? '');
    res.writeHead(501).end('this test proxy only tunnels');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    if (req.headers['proxy-authorization']) proxyAuthorizations.push(req.headers['proxy-authorization']);
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    if (host !== '127.0.0.1' && host !== 'localhost') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, tunnels, proxyAuthorizations, forwarded, close: closer(server, sockets) };
}

/** Every file a run wrote, as text. */
export function writtenFiles(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...writtenFiles(path));
    else out.push({ path, text: readFileSync(path, 'latin1') });
  }
  return out;
}

export function expectNoSecret(dir: string, outputs: string[], secrets: string[]): void {
  const files = writtenFiles(dir);
  expect(files.length).toBeGreaterThan(2);
  for (const secret of secrets) {
    for (const f of files) expect(f.text.includes(secret), `${secret} in ${f.path}`).toBe(false);
    for (const o of outputs) expect(o.includes(secret), `${secret} in the terminal`).toBe(false);
  }
}
