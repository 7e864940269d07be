import type { NotifyQueue } from './notify-queue';

/** A typed event emitter over a `Set` of handlers per event. */
export interface Emitter<Events> {
  on_<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): () => void;
  emit_<E extends keyof Events>(event: E, payload: Events[E]): void;
  clear_(): void;
}

export function createEmitter<Events>(queue: NotifyQueue): Emitter<Events> {
  const handlers = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on_(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler);
      return () => void set.delete(handler);
    },
    emit_(event, payload) {
      // A copy, so handlers that unsubscribe while we iterate do not skip their neighbours.
      for (const handler of [...(handlers.get(event) ?? [])]) queue.notify_(handler as (value: Events[typeof event]) => void, payload);
    },
    clear_() {
      handlers.clear();
    },
  };
}
