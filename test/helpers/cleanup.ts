// vitest setup file: removes the test file's temp folders once its tests are done.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.ts';

afterAll(() => removeTempDirs());
