/**
 * Disguises: the hook's stand-ins for built-ins (a wrapped constructor, a method, a getter) print as
 * the natives they replace. One `Function.prototype.toString` replacement per realm answers for every
 * stand-in registered with `mask`, and for itself.
 */
import type { Natives } from './natives';

export interface Masks {
  /** `fake` prints as `native` from now on. */
  mask(fake: object, native: object): void;
}

/** Replaces `Function.prototype.toString` of `win` once; returns the registry of stand-ins. */
export function installMasks(win: typeof globalThis, n: Natives): Masks {
  const masks = new WeakMap<object, object>();
  const FunctionProto = (win.Function ?? Function).prototype;
  const nativeToString = FunctionProto.toString;
  const toString = new Proxy(nativeToString, {
    apply(target, thisArg, args) {
      const masked = typeof thisArg === 'function' ? n.weakMapLookup(masks, thisArg) : undefined;
      return n.apply(target, masked ?? thisArg, args);
    },
  });
  // A stand-in for another stand-in (a worker's `Worker` is wrapped twice) prints as the native.
  const mask = (fake: object, native: object) =>
    void n.apply(n.weakMapSet, masks, [
      fake,
      (n.weakMapLookup(masks, native) as object | undefined) ?? native,
    ]);
  mask(toString, nativeToString);
  redefine(n, FunctionProto, 'toString', toString);
  return { mask };
}

/** Replaces a property's value, keeping its attributes (writable, enumerable, configurable). */
export function redefine(n: Natives, target: object, key: string, value: unknown): void {
  const desc = n.getOwnPropertyDescriptor(target, key);
  if (!desc) return;
  n.defineProperty(target, key, { ...desc, value });
}

/** Replaces an accessor's getter, keeping the setter and the attributes. */
export function redefineGetter(n: Natives, target: object, key: string, get: () => unknown): void {
  const desc = n.getOwnPropertyDescriptor(target, key);
  if (!desc || typeof desc.get !== 'function') return;
  n.defineProperty(target, key, { ...desc, get });
}
