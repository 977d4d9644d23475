// Placeholder: replaced when `drift` lands.
import { notImplemented } from '../cli/not-implemented.ts';

export const command = notImplemented('drift');
