// Placeholder: replaced when `board` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('board');
