// Placeholder: replaced when `doctor` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('doctor');
