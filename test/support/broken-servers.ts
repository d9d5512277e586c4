/**
 * Loopback targets that break the way real servers under development do: a proxy in front of the emulator
 * that wedges, or crashes and comes back, on one particular request; a server that accepts connections and
 * never answers; one that is slow to give its first answer. Each is driven by the requests it receives.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';

export interface BrokenServer {
  url: string;
  /** Requests that matched the trigger so far. */
  triggered: number;
  close(): Promise<void>;
}

export interface BreakingProxyOptions {
  /** The emulator the proxy forwards to while it is healthy. */
  upstream: string;
  /** Which request breaks it (the body as text). */
  trigger(req: IncomingMessage, body: string): boolean;
  /**
   * wedge: from the trigger on, no request is answered again (a stuck event loop);
   * crash: the trigger kills the process (every connection dropped, the port closed) and it is started again later.
   */
  mode: 'wedge' | 'crash';
  /** crash: how long the port stays closed before the server listens again. */
  downForMs?: number;
}

function forward(upstream: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const out = httpRequest(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => res.destroy());
  out.end(body);
}

/** Listens on a free loopback port; close() first drops the connections, which a broken server never finishes. */
async function listening(server: TcpServer, sockets: Set<Socket>): Promise<BrokenServer> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    triggered: 0,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export async function breakingProxy(opts: BreakingProxyOptions): Promise<BrokenServer> {
  const sockets = new Set<Socket>();
  let wedged = false;
  let port = 0;
  let server: Server;
  const state = { triggered: 0 };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (wedged) return;
      if (opts.trigger(req, body.toString('utf8'))) {
        state.triggered++;
        if (opts.mode === 'wedge') {
          wedged = true;
          return;
        }
        crash();
        return;
      }
      forward(opts.upstream, req, body, res);
    });
  };
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer(handler);
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const crash = () => {
    for (const s of sockets) s.destroy();
    server.close();
    setTimeout(() => void listen(), opts.downForMs ?? 2_000);
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    get triggered() {
      return state.triggered;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Accepts TCP connections and never says a word. */
export async function silentServer(): Promise<BrokenServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  return listening(server, sockets);
}

export interface SlowStarter extends BrokenServer {
  /** The bodies of the requests that arrived before it gave its first answer. */
  arrivedWhileCold: string[];
}

/** A proxy that gives its first answer only `warmUpMs` after its first request arrives, then answers normally (a cold target). */
export async function slowStarter(upstream: string, warmUpMs: number): Promise<SlowStarter> {
  let warm: Promise<void> | undefined;
  let cold = true;
  const arrivedWhileCold: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    warm ??= new Promise<void>((r) => setTimeout(r, warmUpMs)).then(() => void (cold = false));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (cold) arrivedWhileCold.push(body.toString('utf8'));
      void warm!.then(() => forward(upstream, req, body, res));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return Object.assign(await listening(server, sockets), { arrivedWhileCold });
}

/** A loopback port on which nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<string> {
  const probe = createTcpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
  return url;
}
