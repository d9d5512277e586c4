/**
 * Headless Chromium driven over the DevTools protocol (undici's WebSocket), for tests that look at a
 * report as a browser renders it: the DOM after the scripts ran, and every request the page made.
 * Chromium's own background traffic (update checks and the like) is routed to a loopback proxy that
 * answers nothing, so no test traffic ever leaves the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'undici';
import { tempDir } from '../support/temp-dirs.ts';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'].find((p) => existsSync(p));

export interface Page {
  /** URLs of every request the page (not the browser) made, from Network.requestWillBeSent. */
  requests: string[];
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the viewport (for looking at a report while working on it). */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

/** The screen the page is laid out for; default Chromium's headless window. */
export interface Viewport {
  width: number;
  height: number;
  /** Lay out as a phone does: honour the page's viewport meta tag. */
  mobile?: boolean;
}

/** Every bound below is a hang guard far above what the step takes, never a speed requirement. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

async function sinkProxy(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(502).end();
  });
  server.on('connect', (_req, socket) => socket.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

export async function openPage(url: string, viewport?: Viewport): Promise<Page> {
  if (!CHROMIUM) throw new Error('no chromium');
  // Removed here and again at the end of the file (tempDir): Chromium's helpers may write to it after it exits.
  const profile = tempDir('aoai-chromium-');
  const proxy = await sinkProxy();
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    `--proxy-server=http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    '--proxy-bypass-list=<-loopback>',
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
    'about:blank',
  ];
  // Its own process group, so that closing it stops its helper processes too (they write the profile).
  const child: ChildProcess = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      signalGroup('SIGTERM');
      await withTimeout(exited, 60_000, 'chromium exit').catch(() => undefined);
    }
    signalGroup('SIGKILL'); // any helper that outlived the browser
    await new Promise((r) => proxy.close(r));
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // A helper still closing a file: the profile is removed again, with retries, when the test file ends (tempDir).
    }
  };
  try {
    const browserWs = await withTimeout(
      new Promise<string>((resolve, reject) => {
        let log = '';
        child.stderr!.on('data', (d) => {
          log += d;
          const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`chromium exited ${code}: ${log.slice(-500)}`)));
      }),
      120_000,
      'chromium start',
    );
    const { host } = new URL(browserWs);
    const targets = (await (await fetch(`http://${host}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
    const pageWs = targets.find((t) => t.type === 'page')?.webSocketDebuggerUrl;
    if (!pageWs) throw new Error('chromium has no page target');

    const ws = new WebSocket(pageWs);
    await withTimeout(new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j))), 60_000, 'devtools connect');
    let nextId = 1;
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    const listeners = new Map<string, Array<(params: Record<string, unknown>) => void>>();
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown> };
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg.result);
      } else if (msg.method) {
        for (const l of listeners.get(msg.method) ?? []) l(msg.params ?? {});
      }
    };
    const send = <T>(method: string, params: Record<string, unknown> = {}) =>
      withTimeout(
        new Promise<T>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
          ws.send(JSON.stringify({ id, method, params }));
        }),
        120_000,
        method,
      );
    const on = (method: string, l: (params: Record<string, unknown>) => void) => listeners.set(method, [...(listeners.get(method) ?? []), l]);

    const requests: string[] = [];
    on('Network.requestWillBeSent', (p) => requests.push(String((p.request as { url: string }).url)));
    const loaded = new Promise<void>((r) => on('Page.loadEventFired', () => r()));
    await send('Network.enable');
    await send('Page.enable');
    if (viewport) await send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: viewport.mobile ?? false });
    await send('Page.navigate', { url });
    await withTimeout(loaded, 120_000, `load ${url}`);

    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = await send<{ result: { value: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.text}`);
      return r.result.value;
    };
    return {
      requests,
      evaluate,
      screenshot: async () => Buffer.from((await send<{ data: string }>('Page.captureScreenshot', { format: 'png' })).data, 'base64'),
      close: async () => {
        ws.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
