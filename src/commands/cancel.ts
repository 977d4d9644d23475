// Placeholder: replaced when `cancel` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('cancel');
