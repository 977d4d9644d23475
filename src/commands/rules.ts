// Placeholder: replaced when `rules` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('rules');
