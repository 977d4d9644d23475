// Placeholder: replaced when `claim` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('claim');
