/**
 * A small typed event emitter: the client reports every step of a connection through it, in the
 * browser (demo page) and in Node (probe, tests) alike.
 */

type Listener<T> = (payload: T) => void;

/** Emitter whose event names and payload types come from the map `E`. */
export class TypedEmitter<E extends object> {
  private readonly listeners = new Map<keyof E, Set<Listener<never>>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof E>(type: K, listener: Listener<E[K]>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof E>(type: K, listener: Listener<E[K]>): void {
    this.listeners.get(type)?.delete(listener as Listener<never>);
  }

  /** Calls the listeners of `type`; a listener that throws does not stop the others or the caller. */
  protected emit<K extends keyof E>(type: K, payload: E[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E[K]>)(payload);
      } catch {
        // A faulty listener must not break the handshake state machine.
      }
    }
  }
}
