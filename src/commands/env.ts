// Placeholder: replaced when `env` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('env');
