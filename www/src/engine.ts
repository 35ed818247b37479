// The page's side of the calculation engine: a Web Worker (worker.ts) that runs the WebAssembly
// core. Requests are answered in order. When the worker dies (a trap in the core, or an
// uncaught error), every pending request fails with `EngineCrash`, a fresh worker is started and
// `onRestart` is called so that the page can re-open its file and re-apply its settings.
import type { ReplyMessage, RequestMessage, RequestType, Requests, WorkerTiming } from './protocol.js';

/** One timed step of the page: a request answered by the worker, or the page's own reading of a
 * file. `ms` is the page's wall time (including the transfer to and from the worker). */
export interface Timing {
  op: string;
  ms: number;
  /** The worker's own time and stages, for requests. */
  workerMs?: number;
  stages?: Record<string, number>;
  memoryBytes?: number;
}

/** The last timings, oldest first (window.survcalcTimings, read by scripts/bench-browser.mjs). */
export const timings: Timing[] = [];
const MAX_TIMINGS = 200;

export function recordTiming(timing: Timing): void {
  timings.push(timing);
  if (timings.length > MAX_TIMINGS) timings.splice(0, timings.length - MAX_TIMINGS);
}
(globalThis as unknown as { survcalcTimings: Timing[] }).survcalcTimings = timings;

/** A request failed because the worker stopped; a new worker is already starting. */
export class EngineCrash extends Error {}

/** Restarts allowed within `RESTART_WINDOW_MS` before the engine gives up (a crash loop). */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;
/** Attempts at starting a worker that dies before its first answer (its script did not load). */
const MAX_START_ATTEMPTS = 3;

interface Pending {
  message: RequestMessage;
  /** performance.now() when the request was posted. */
  sent: number;
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
  private startAttempts = 0;
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
    const message = { id, type, body: request } as RequestMessage;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { message, sent: performance.now(), resolve: resolve as (value: unknown) => void, reject });
      // Structured clone: the page keeps its own copy of the file's bytes for a restart.
      worker.postMessage(message);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'survcalc engine' });
    this.answered = false;
    this.startAttempts += 1;
    worker.addEventListener('message', (event: MessageEvent<ReplyMessage>) => this.onReply(worker, event.data));
    worker.addEventListener('error', (event) => {
      // Handled here: the page says what happened, in words, instead of an uncaught error.
      event.preventDefault();
      // A script that fails to load gives an event without a message.
      this.crash(worker, event.message || 'its script could not be loaded or run');
    });
    worker.addEventListener('messageerror', () => this.crash(worker, 'a message could not be read'));
    this.worker = worker;
    return worker;
  }

  private onReply(worker: Worker, reply: ReplyMessage): void {
    if (worker !== this.worker) return;
    this.answered = true;
    this.startAttempts = 0;
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.ok) {
      if (pending !== undefined) record(pending, reply.timing);
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
    if (!this.answered && this.startAttempts < MAX_START_ATTEMPTS) {
      // It never answered, so it ran none of the requests: try a new one with the same requests.
      const next = this.spawn();
      for (const p of this.pending.values()) next.postMessage(p.message);
      return;
    }
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

function record(pending: Pending, timing: WorkerTiming | undefined): void {
  recordTiming({
    op: pending.message.type,
    ms: performance.now() - pending.sent,
    workerMs: timing?.ms,
    stages: timing?.stages,
    memoryBytes: timing?.memoryBytes,
  });
}
