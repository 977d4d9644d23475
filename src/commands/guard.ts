// Placeholder: replaced when `guard` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('guard');
