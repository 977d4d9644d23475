// Placeholder: replaced when `abandon` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('abandon');
