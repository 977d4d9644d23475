// Placeholder: replaced when `complete` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('complete');
