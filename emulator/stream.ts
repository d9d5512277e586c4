/**
 * Streaming (`stream: true`) for chat and completions: turns the non-stream reply a handler produced into
 * an SSE reply. Not implemented yet: answers 501 so no streaming case can pass by accident.
 */
import type { EmulatorReply, HandlerContext } from './types.ts';

export function toStream(_reply: EmulatorReply, ctx: HandlerContext): EmulatorReply {
  return ctx.error(501, 'NotImplemented', `the emulator does not stream ${ctx.operation} yet`);
}
