// Placeholder: replaced when `check` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('check');
