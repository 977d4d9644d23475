// Placeholder: replaced when `next` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('next');
