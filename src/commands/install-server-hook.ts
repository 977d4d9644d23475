// Placeholder: replaced when `install-server-hook` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('install-server-hook');
