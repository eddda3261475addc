/**
 * Frames after the extended handshake: control frames of control-prefix extensions versus data.
 *
 * Guide, "Application-class extensions after the handshake": a granted `name; XXXXXXXX` gives a
 * 4-byte control prefix; a later message whose payload starts with it is a control frame; a message
 * of exactly the 4 prefix bytes is an escape (the next message is data even if it starts with the
 * prefix). `x-kaazing-ping-pong; 01010102` uses text frames: ping = prefix + 09 00, pong = prefix +
 * 0A 00. Binary frames are never escaped, so only text frames are read as control frames.
 *
 * O(1) per frame: at most the first few characters of a text payload are encoded.
 */
import type { CapturedFrame, Direction } from './capture';
import type { FrameRole } from './model';
import { utf8Encode } from './bytes';
import { controlKind } from './control-frames';

/** Classifies application-phase frames of one socket; keeps the per-direction escape state. */
export class ControlClassifier {
  private readonly escaped: Record<Direction, boolean> = { send: false, receive: false };

  constructor(private readonly prefixes: Uint8Array[]) {}

  /** True when at least one granted extension injects control frames. */
  get active(): boolean {
    return this.prefixes.length > 0;
  }

  /** The role of a frame sent or received after completion (balancer/terminator already handled). */
  classify(frame: Pick<CapturedFrame, 'dir' | 'opcode' | 'data'>): FrameRole {
    if (this.prefixes.length === 0 || frame.opcode !== 1) return 'data';
    if (this.escaped[frame.dir]) {
      this.escaped[frame.dir] = false;
      return 'data';
    }
    // 6 UTF-16 units encode to at least 6 bytes, enough for prefix + opcode + length; a longer text
    // is longer than 6 bytes, so neither an escape nor a ping or pong (control-frames.ts).
    const head = utf8Encode(frame.data.slice(0, 6));
    const length = frame.data.length <= 6 ? head.length : Infinity;
    for (const prefix of this.prefixes) {
      const kind = controlKind(head, prefix, length);
      if (kind === null) continue;
      if (kind === 'escape') this.escaped[frame.dir] = true;
      return kind;
    }
    return 'data';
  }
}
