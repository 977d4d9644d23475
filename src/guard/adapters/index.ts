// The adapters, one per agent, and the choice of one for a payload. Detection order matters:
// the specific shapes first, Claude Code's (shared by Codex) last.
import { claude } from './claude.ts';
import { cline } from './cline.ts';
import { codex } from './codex.ts';
import { copilot } from './copilot.ts';
import { cursor } from './cursor.ts';
import { gemini } from './gemini.ts';
import { opencode } from './opencode.ts';
import type { GuardAdapter, Payload } from './types.ts';
import { windsurf } from './windsurf.ts';

export const ADAPTERS: readonly GuardAdapter[] = [claude, codex, gemini, cursor, copilot, cline, windsurf, opencode];
export const ADAPTER_NAMES = ADAPTERS.map((a) => a.name);

const DETECTION_ORDER: readonly GuardAdapter[] = [cline, windsurf, copilot, cursor, gemini, opencode, codex, claude];

export function adapterNamed(name: string): GuardAdapter | undefined {
  return ADAPTERS.find((a) => a.name === name);
}

/** The adapter whose payload shape this is, or undefined when no adapter's shape matches. */
export function shapeOf(payload: Payload | undefined): GuardAdapter | undefined {
  return payload ? DETECTION_ORDER.find((a) => a.detect(payload)) : undefined;
}

/** The adapter whose payload shape this is; Claude Code's when none says so. */
export function detectAdapter(payload: Payload | undefined): GuardAdapter {
  return shapeOf(payload) ?? claude;
}
