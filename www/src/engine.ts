// The page's side of the calculation engine: a Web Worker (worker.ts) that runs the WebAssembly
// core. Requests are answered in order. When the worker dies (a trap in the core, or an
// uncaught error), every pending request fails with `EngineCrash`, a fresh worker is started and
// `onRestart` is called so that the page can re-open its file and re-apply its settings.
import type { ReplyMessage, RequestType, Requests } from './protocol.js';

/** A request failed because the worker stopped; a new worker is already starting. */
export class EngineCrash extends Error {}

/** Restarts allowed within `RESTART_WINDOW_MS` before the engine gives up (a crash loop). */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class Engine {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Whether the current worker has answered once (so it loaded); a worker that dies before
   * that cannot start at all, and restarting it would only loop. */
  private answered = false;
  private restarts: number[] = [];

  /**
   * @param onRestart called after a crash, with what happened, once a new worker is running.
   * @param onGiveUp called when the worker cannot be (re)started.
   */
  constructor(
    private readonly onRestart: (message: string) => void,
    private readonly onGiveUp: (message: string) => void,
  ) {
    this.spawn();
  }

  call<K extends RequestType>(type: K, request: Requests[K]['request']): Promise<Requests[K]['answer']> {
    const worker = this.worker;
    if (worker === null) return Promise.reject(new Error('the calculation engine is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // Structured clone: the page keeps its own copy of the file's bytes for a restart.
      worker.postMessage({ id, type, body: request });
    });
  }

  private spawn(): void {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'survcalc engine' });
    this.answered = false;
    worker.addEventListener('message', (event: MessageEvent<ReplyMessage>) => this.onReply(worker, event.data));
    worker.addEventListener('error', (event) => {
      // Handled here: the page says what happened, in words, instead of an uncaught error.
      event.preventDefault();
      this.crash(worker, event.message || 'the engine stopped');
    });
    worker.addEventListener('messageerror', () => this.crash(worker, 'a message could not be read'));
    this.worker = worker;
  }

  private onReply(worker: Worker, reply: ReplyMessage): void {
    if (worker !== this.worker) return;
    this.answered = true;
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.ok) {
      pending?.resolve(reply.value);
      return;
    }
    if (reply.fatal) {
      this.crash(worker, reply.message);
      return;
    }
    pending?.reject(new Error(reply.message));
  }

  private crash(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    worker.terminate();
    this.worker = null;
    const failed = [...this.pending.values()];
    this.pending.clear();
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    const canRestart = this.answered && this.restarts.length < MAX_RESTARTS;
    if (canRestart) {
      this.restarts.push(now);
      this.spawn();
    }
    for (const p of failed) p.reject(new EngineCrash(message));
    if (canRestart) this.onRestart(message);
    else this.onGiveUp(message);
  }
}
