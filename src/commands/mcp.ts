// Placeholder: replaced when `mcp` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('mcp');
