import { takeEngines } from './engines-state';

export default async function globalTeardown(): Promise<void> {
  await takeEngines()?.stop();
}
