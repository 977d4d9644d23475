// Placeholder: replaced when `hook` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('hook');
