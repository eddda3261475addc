/**
 * A shallow-props memo for function components, on Preact's core `Component` (the compat layer's
 * `memo` would also install compat's global event and prop rewrites, which the panel does not use).
 */
import { Component, h, type FunctionComponent } from 'preact';

/** True when both props objects hold the same keys with identical (`Object.is`) values. */
export function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && Object.is(ra[k], rb[k]));
}

/** Wraps `render` so it re-renders only when a prop changed (shallowly). */
export function memo<P extends object>(render: FunctionComponent<P>): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !shallowEqual(this.props, next);
    }
    override render(props: P) {
      return h(render, props);
    }
  }
  (Memo as unknown as { displayName: string }).displayName = `Memo(${render.name || 'component'})`;
  return Memo as unknown as FunctionComponent<P>;
}
