// Runs changes one at a time, each after the previous one has settled (whether it succeeded or
// not), so two UIs cannot interleave a read-modify-write of the settings, the secret store or
// the listeners.

export class ChangeQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(change: () => Promise<T> | T): Promise<T> {
    const run = this.#tail.then(change);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Settles once every change queued so far has settled. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
